"""The output formats, one module each, registered by dotted path and imported only when asked for.

``packet make --format pdf`` imports reportlab and nothing of python-docx or openpyxl.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from ..errors import UnsupportedFormat
from ..model import Packet

REGISTRY: dict[str, str] = {
    "docx": "exporter.render.docx:GuideRenderer",
    "pdf": "exporter.render.pdf:CheatSheetRenderer",
    "xlsx": "exporter.render.xlsx:ScorecardRenderer",
    "json": "exporter.render.json:JsonRenderer",
    "html": "exporter.render.html:KitRenderer",
}
ALL = tuple(REGISTRY)

T = TypeVar("T")


class RenderMemo:
    """Work that the packets of one batch share, made by the batch, passed to every ``render`` call and dropped
    with it, so no renderer keeps state between calls.

    A renderer files each piece under its own name and a key holding everything the piece depends on (see
    :class:`ContentKey`); a renderer copies a piece or only reads it, and never changes it.
    """

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit  # a batch with a start time per row makes a piece per row: keep memory bounded
        self._pieces: dict[tuple[str, Hashable], object] = {}  # the least recently used first

    def get(self, renderer: str, key: Hashable, make: Callable[[], T]) -> T:
        """The piece filed under ``(renderer, key)``, made by ``make()`` the first time. When the memo is full, the
        piece used longest ago makes room: what every row uses (the font, the guide's template) stays."""
        slot = (renderer, key)
        if slot in self._pieces:
            piece = self._pieces.pop(slot)
        else:
            if len(self._pieces) >= self.limit:
                del self._pieces[next(iter(self._pieces))]
            piece = make()
        self._pieces[slot] = piece
        return piece  # type: ignore[return-value]


class ContentKey:
    """A memo key for content that does not hash (models hold read-only mappings): hashed by ``summary``, a few
    values that follow from the content, and equal to another key only when the content is equal in full, so
    a piece is never reused for anything it was not made from."""

    __slots__ = ("summary", "content")

    def __init__(self, summary: Hashable, content: object) -> None:
        self.summary = summary
        self.content = content

    def __hash__(self) -> int:
        return hash(self.summary)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentKey) and self.summary == other.summary and self.content == other.content


def make_piece(memo: RenderMemo | None, renderer: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` for a single packet; in a batch, the memo's piece."""
    return make() if memo is None else memo.get(renderer, key, make)


class Renderer:
    """What every format offers: a name, a file ending, a file-name suffix and ``render``."""

    name: str = ""
    extension: str = ""
    suffix: str = ""  # appended to the packet's file stem, e.g. "-guide"

    def filename(self, stem: str) -> str:
        return f"{stem}{self.suffix}.{self.extension}"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        """Write ``packet`` to ``path``; ``memo`` is the batch's shared work, None for a single packet."""
        raise NotImplementedError

    def protected(self, path: Path) -> str | None:
        """Why an existing file at ``path`` must never be overwritten, or None."""
        return None


def get_renderer(name: str) -> Renderer:
    """The renderer for a format name; imports its module on first use (Python keeps it imported after that).

    A renderer holds no state, so each call makes a new one rather than keeping instances in this module.
    """
    if name not in REGISTRY:
        raise UnsupportedFormat(f"unknown format '{name}'; choose from: {', '.join(ALL)}, all")
    module_name, _, class_name = REGISTRY[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnsupportedFormat(f"the '{name}' format is not built yet") from exc
        raise
    renderer: Renderer = getattr(module, class_name)()
    return renderer


def parse_formats(values: tuple[str, ...]) -> list[str]:
    """``("pdf", "docx,xlsx")`` → ``["pdf", "docx", "xlsx"]``; ``all`` means every format."""
    names: list[str] = []
    for value in values:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            if name not in REGISTRY and name != "all":
                raise UnsupportedFormat(f"unknown format '{name}'; choose from: {', '.join(ALL)}, all")
            for chosen in ALL if name == "all" else (name,):
                if chosen not in names:
                    names.append(chosen)
    return names
