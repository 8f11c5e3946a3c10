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

A template is only used where filling it in gives the file built whole (:func:`checked`, as it is made and
when it is read from the cache): its stand-ins are written in its parts as ``escape`` writes them, and every
stand-in character and every copy of their number belong to a whole stand-in, so a library that wrote them
otherwise makes no template; the moment's stand-in is where :data:`PROPERTIES_PART` keeps it and nowhere else. A
name the format cannot put in as its library would (``escape`` returns None: a character XML cannot hold, a
text the library cuts or writes in another form) makes that candidate's file whole. tests/test_templates.py
compares filled templates with files built whole, for names of every kind.
"""

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from .. import cache
from ..model import Packet
from . import RenderMemo, make_piece

Parts = tuple[tuple[str, bytes], ...]
"""A zip package (.docx, .xlsx): each part's name and bytes."""

TEMPLATE_CACHE = "templates"  # the cache's kind of entry
TEMPLATES_KEPT = 64  # entries of 100 to 200 kB, one per format, interview, date and start: those used last
MARK = "\ue000"  # private use: no font draws it, and packet never writes it but in a stand-in
MOMENT = dt.datetime(1999, 12, 31, 23, 59, 58)  # the moment a template is made at
PROPERTIES_PART = "docProps/core.xml"  # the document properties: both libraries write the moment there
MOMENT_COUNT = 2  # as created and modified


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


ANY_PART = ""  # a part name for checking a name: none of the document properties


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
            values = {moment_text(MOMENT): moment_text(moment)} if name == PROPERTIES_PART else {}
            for stand_in, value in ((self.candidate, packet.candidate), (self.interviewer, packet.interviewer)):
                written = escape(name, stand_in) if stand_in else None
                if written is not None and written in data:
                    escaped = escape(name, value)
                    if escaped is None:
                        return None
                    values[written] = escaped
            filled.append((name, _replaced(data, values) if values else data))
        return tuple(filled)


def _replaced(data: bytes, values: dict[bytes, bytes]) -> bytes:
    """``data`` with each stand-in replaced by its value, as in one pass: a name holding another stand-in, or the
    moment's, is left as it is. (The stand-ins never overlap in a template: each piece between them is split
    by the next, and the values are joined in only after.)"""
    (stand_in, value), *rest = values.items()
    pieces = data.split(stand_in)
    return value.join(_replaced(piece, dict(rest)) for piece in pieces) if rest else value.join(pieces)


STAND_IN = re.compile(f"( ?){MARK}packet (candidate|interviewer) ([0-9a-f]{{12}}){MARK}( ?)")


def stand_ins(packet: Packet) -> tuple[str, str]:
    """New stand-ins for ``packet``'s names: "" where it has none, padded where its name is."""
    import secrets  # only when a template is made

    number = secrets.token_hex(6)

    def stand_in(field: str, value: str) -> str:
        text = f"{MARK}packet {field} {number}{MARK}"
        return "" if not value else f" {text} " if shape(value) == "padded" else text

    return stand_in("candidate", packet.candidate), stand_in("interviewer", packet.interviewer)


def made(packet: Packet, build: Callable[[Packet, dt.datetime], Parts], escape: Escape) -> Template | None:
    """The template of ``packet``'s kind, built with stand-ins, when :func:`checked`: else None, as when the library
    wrote a stand-in in another form than ``escape`` does."""
    candidate, interviewer = stand_ins(packet)
    parts = build(packet._replace(candidate=candidate, interviewer=interviewer), MOMENT)
    template = Template(parts, candidate, interviewer)
    return template if checked(template, packet, escape) else None


def checked(template: Template, packet: Packet, escape: Escape) -> bool:
    """Whether filling ``template`` in gives ``packet``'s file: its stand-ins are stand-ins of the shape of
    ``packet``'s names, sharing one number (:func:`_number`); each is written in the parts as ``escape`` writes
    it, at least once, and every stand-in character and every copy of the number in the parts belongs to one;
    and the moment's stand-in is in the document properties, twice, and nowhere else (:func:`_parts_hold`)."""
    number = _number(template, packet)
    return number is not None and _parts_hold(template, escape, number)


def _number(template: Template, packet: Packet) -> bytes | None:
    """The number the stand-ins share (b"" when the packet has no names), or None when they are not stand-ins
    of the shape of ``packet``'s names."""
    numbers = set()
    for stand_in, value, field in (
        (template.candidate, packet.candidate, "candidate"),
        (template.interviewer, packet.interviewer, "interviewer"),
    ):
        if not value and not stand_in:
            continue
        found = STAND_IN.fullmatch(stand_in)
        pad = " " if shape(value) == "padded" else ""
        if not value or found is None or (found[1], found[2], found[4]) != (pad, field, pad):
            return None
        numbers.add(found[3])
    return None if len(numbers) > 1 else numbers.pop().encode() if numbers else b""


def _parts_hold(template: Template, escape: Escape, number: bytes) -> bool:
    """Whether every stand-in is written in the parts, each stand-in character and copy of ``number`` in them
    belongs to one, and the moment's stand-in is in its two places only."""
    given = [stand_in for stand_in in (template.candidate, template.interviewer) if stand_in]
    seen = dict.fromkeys(given, 0)
    in_stand_ins = in_parts = 0
    for name, data in template.parts:
        mark, *written = (escape(name, text) for text in (MARK, *given))
        if mark is None or None in written:
            return False
        counts = [data.count(text) for text in written if text is not None]
        if data.count(mark) != 2 * sum(counts):
            return False
        if data.count(moment_text(MOMENT)) != (MOMENT_COUNT if name == PROPERTIES_PART else 0):
            return False
        for stand_in, count in zip(given, counts):
            seen[stand_in] += count
        in_stand_ins += sum(counts)
        in_parts += data.count(number) if number else 0
    return all(seen.values()) and (not number or in_parts == in_stand_ins)


def package_files(*names: str) -> tuple[str, ...]:
    """The paths of files of the ``exporter`` package (``"render/xlsx_card.py"``), for :func:`cache_source`'s code
    without importing it."""
    package = Path(__file__).parent.parent
    return tuple(str(package / name) for name in names)


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
    if any(escape(ANY_PART, value) is None for value in (packet.candidate, packet.interviewer) if value):
        return None
    return make_piece(memo, renderer, kind(packet), lambda: _kept(packet, build, escape, source()))


def _kept(
    packet: Packet,
    build: Callable[[Packet, dt.datetime], Parts],
    escape: Escape,
    source: bytes,
) -> Template | None:
    """The template kept in packet's cache under ``source`` when it is one (:func:`checked`), else one made and kept
    there; None when none can be made."""
    stored = _from_plain(cache.load(TEMPLATE_CACHE, (source,), touch=True))
    if stored is not None and checked(stored, packet, escape):
        return stored
    found = made(packet, build, escape)
    if found is not None:
        cache.store(TEMPLATE_CACHE, (source,), _as_plain(found), keep=TEMPLATES_KEPT)
    return found


def _as_plain(found: Template) -> dict[str, object]:
    from base64 import b64encode

    parts = [[name, b64encode(data).decode()] for name, data in found.parts]
    return {"parts": parts, "candidate": found.candidate, "interviewer": found.interviewer}


def _from_plain(stored: object) -> Template | None:
    """A kept template, or None for an entry of another shape."""
    from binascii import Error, a2b_base64

    try:
        parts = tuple((name, a2b_base64(data)) for name, data in stored["parts"])  # type: ignore[index]
        names = (stored["candidate"], stored["interviewer"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError, Error):
        return None
    if not all(isinstance(name, str) for name, _ in parts) or not all(isinstance(name, str) for name in names):
        return None
    return Template(parts, *names)
