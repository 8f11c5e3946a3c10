"""Files that differ from one candidate's packet to the next only in a few texts, made once as a template with
stand-ins for those texts, kept, and filled in for each candidate: the scorecard and the guide.

A hiring manager makes the packets of one interview for many candidates. The scorecard's and the guide's bytes
depend on everything in the packet, but from one candidate to the next only the candidate's and the
interviewer's names change, and the moment the file is made. So each file is built once with stand-ins in
their place (a private-use character, a word and a number drawn at random for the template, which no bank can
hold), kept as plain bytes, and each candidate's file is the template with their texts put in, written as the
file's library writes them (``escape``). A batch keeps its templates in its :class:`~exporter.render.RenderMemo`;
between runs they are kept in packet's cache, filed under everything else the file depends on
(:func:`cache_source`), so the next candidate's scorecard and guide are not built again.

A template is only made where it gives exactly the file built whole: every stand-in character in its bytes
belongs to a whole stand-in, and the moment's stand-in is where :data:`MOMENT_PART` keeps it and nowhere else
(checked as it is made); a name the format cannot put in as its library would (``escape`` returns None) makes
that candidate's file whole. tests/test_templates.py compares filled templates with files built whole, for
names of every kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from types import ModuleType
from typing import NamedTuple

from .. import cache
from ..model import Packet
from . import RenderMemo, make_piece

Parts = tuple[tuple[str, bytes], ...]
"""A zip package (.docx, .xlsx): each part's name and bytes."""

TEMPLATE_CACHE = "templates"  # the cache's kind of entry
TEMPLATES_KEPT = 64  # entries of 100 to 200 kB, one per format, interview, date and start: the ones written last
MARK = "\ue000"  # private use: no font draws it, and packet never writes it but in a stand-in
MOMENT = dt.datetime(1999, 12, 31, 23, 59, 58)  # the moment a template is made at
MOMENT_PART = "docProps/core.xml"  # where both libraries write it, as created and modified
MOMENT_COUNT = 2


def moment_text(moment: dt.datetime) -> bytes:
    """How python-docx and openpyxl write a moment in the document properties (W3CDTF, whole seconds, UTC)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def shape(value: str) -> str:
    """How a name is written: no value at all, or text, whose outer white space lxml marks as kept."""
    return "" if not value else "padded" if value != value.strip() else "text"


def kind(packet: Packet) -> tuple[Hashable, ...]:
    """Everything a packet's scorecard and guide depend on but the text of its names and the moment: the
    questions, weights, wording and times are named by the packet's identity (a hash of its layout, bank and
    minutes) with its start."""
    shapes = tuple(shape(value) for value in (packet.candidate, packet.interviewer))
    return (packet.identity, packet.role, packet.version, packet.paper, packet.date, packet.start, shapes, packet.loop)


Escape = Callable[[str, str], "bytes | None"]
"""How a format writes a text into a part (the part's name, the text), as its library writes it; None for a text
it cannot put in that way, whose file is then built whole."""


class Template(NamedTuple):
    """A file's parts with stand-ins, and the stand-ins for the candidate and the interviewer ("" where the
    packet has no such name)."""

    parts: Parts
    candidate: str
    interviewer: str

    def fill(self, packet: Packet, moment: dt.datetime, escape: Escape) -> Parts | None:
        """``packet``'s file made at ``moment``; None when a name cannot be put in as the library writes it."""
        filled = []
        for name, data in self.parts:
            names: dict[bytes, bytes] = {}
            for stand_in, value in ((self.candidate, packet.candidate), (self.interviewer, packet.interviewer)):
                written = escape(name, stand_in) if stand_in else None
                if written is not None and written in data:
                    escaped = escape(name, value)
                    if escaped is None:
                        return None
                    names[written] = escaped
            if names:
                data = _replaced(data, names)
            if name == MOMENT_PART:
                data = data.replace(moment_text(MOMENT), moment_text(moment))
            filled.append((name, data))
        return tuple(filled)


def _replaced(data: bytes, names: dict[bytes, bytes]) -> bytes:
    """``data`` with each stand-in replaced by its name, in one pass: a name holding the other's stand-in is left as
    it is."""
    found = re.compile(b"|".join(re.escape(stand_in) for stand_in in names))
    return found.sub(lambda match: names[match[0]], data)


def stand_ins(packet: Packet) -> tuple[str, str]:
    """New stand-ins for ``packet``'s names: "" where it has none, padded where its name is."""
    import secrets  # only when a template is made

    number = secrets.token_hex(6)

    def stand_in(field: str, value: str) -> str:
        text = f"{MARK}packet {field} {number}{MARK}"
        return "" if not value else f" {text} " if shape(value) == "padded" else text

    return stand_in("candidate", packet.candidate), stand_in("interviewer", packet.interviewer)


def made(packet: Packet, build: Callable[[Packet, dt.datetime], Parts], escape: Escape) -> Template | None:
    """The template of ``packet``'s kind, built with stand-ins; None where a stand-in character is found outside a
    whole stand-in, or the moment elsewhere than in its two places, as when the library wrote a stand-in in
    another form."""
    candidate, interviewer = stand_ins(packet)
    parts = build(packet._replace(candidate=candidate, interviewer=interviewer), MOMENT)
    for name, data in parts:
        written = [escape(name, text) for text in (MARK, candidate, interviewer) if text]
        if None in written:
            return None
        mark, *whole = (text for text in written if text is not None)
        if data.count(mark) != 2 * sum(data.count(stand_in) for stand_in in whole):
            return None
        if data.count(moment_text(MOMENT)) != (MOMENT_COUNT if name == MOMENT_PART else 0):
            return None
    return Template(parts, candidate, interviewer)


def cache_source(packet: Packet, renderer: str, code: Iterable[ModuleType | str], libraries: Sequence[str]) -> bytes:
    """What a kept template is filed under: the packet's :func:`kind`, the format, the code that writes it (the
    size and date of each module's file, with the modules that make a packet from the bank's and the layout's
    files, as the packet's identity names those files' bytes) and the libraries' releases."""
    from .. import budget, loading, model, reader, text
    from .. import packet as resolving

    made_by = (__file__, budget, loading, model, reader, text, resolving, *code)
    return repr((renderer, kind(packet), cache.code_stamps(made_by), tuple(libraries))).encode()


def template(
    memo: RenderMemo | None,
    renderer: str,
    packet: Packet,
    build: Callable[[Packet, dt.datetime], Parts],
    escape: Escape,
    source: Callable[[], bytes],
) -> Template | None:
    """The template of ``packet``'s kind: the batch's, else the one kept in packet's cache under ``source()``,
    else made (:func:`made`) and kept. None, and nothing made, when ``packet``'s names cannot be put into one
    (its file is built whole)."""
    names = [value for value in (packet.candidate, packet.interviewer) if value]
    if any(escape(part, value) is None for value in names for part in (MOMENT_PART, "")):
        return None
    return make_piece(memo, renderer, kind(packet), lambda: _kept(packet, build, escape, source()))


def _kept(
    packet: Packet,
    build: Callable[[Packet, dt.datetime], Parts],
    escape: Escape,
    source: bytes,
) -> Template | None:
    stored = _from_plain(cache.load(TEMPLATE_CACHE, (source,)), escape)
    if stored is not None:
        return stored
    found = made(packet, build, escape)
    if found is not None:
        cache.store(TEMPLATE_CACHE, (source,), _as_plain(found), keep=TEMPLATES_KEPT)
    return found


def _as_plain(found: Template) -> dict[str, object]:
    from base64 import b64encode

    parts = [[name, b64encode(data).decode()] for name, data in found.parts]
    return {"parts": parts, "candidate": found.candidate, "interviewer": found.interviewer}


def _from_plain(stored: object, escape: Escape) -> Template | None:
    """A kept template, or None for an entry of another shape or whose stand-ins are not in its parts."""
    from binascii import Error, a2b_base64

    try:
        parts = tuple((name, a2b_base64(data)) for name, data in stored["parts"])  # type: ignore[index]
        names = (stored["candidate"], stored["interviewer"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError, Error):
        return None
    if not all(isinstance(name, str) for name, _ in parts) or not all(isinstance(name, str) for name in names):
        return None
    for stand_in in filter(None, names):
        if not any(written in data for part, data in parts if (written := escape(part, stand_in)) is not None):
            return None
    return Template(parts, *names)
