"""The output formats, one module each, registered by dotted path and imported only when asked for.

``packet make --format pdf`` imports reportlab and nothing of python-docx or openpyxl.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import UnsupportedFormat
from ..model import Packet

REGISTRY: dict[str, str] = {
    "docx": "exporter.render.docx:GuideRenderer",
    "pdf": "exporter.render.pdf:CheatSheetRenderer",
    "xlsx": "exporter.render.xlsx:ScorecardRenderer",
    "json": "exporter.render.json:JsonRenderer",
}
ALL = tuple(REGISTRY)


class Renderer:
    """What every format offers: a name, a file ending, a file-name suffix and ``render``."""

    name: str = ""
    extension: str = ""
    suffix: str = ""  # appended to the packet's file stem, e.g. "-guide"

    def filename(self, stem: str) -> str:
        return f"{stem}{self.suffix}.{self.extension}"

    def render(self, packet: Packet, path: Path) -> None:
        raise NotImplementedError

    def protected(self, path: Path) -> str | None:
        """Why an existing file at ``path`` must never be overwritten, or None."""
        return None


_loaded: dict[str, Renderer] = {}


def get_renderer(name: str) -> Renderer:
    """The renderer for a format name; imports its module on first use."""
    if name not in REGISTRY:
        raise UnsupportedFormat(f"unknown format '{name}'; choose from: {', '.join(ALL)}, all")
    if name not in _loaded:
        module_name, _, class_name = REGISTRY[name].partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                raise UnsupportedFormat(f"the '{name}' format is not built yet") from exc
            raise
        _loaded[name] = getattr(module, class_name)()
    return _loaded[name]


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
