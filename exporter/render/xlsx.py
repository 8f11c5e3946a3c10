"""The Excel scorecard, ``packet make --format xlsx``: built whole by :mod:`exporter.render.xlsx_card`, or filled in
from a template of its kind (:mod:`exporter.render.templates`), and sealed with the fingerprint of
:mod:`exporter.scorecard_format`, so that ``packet make --force`` replaces only a card exactly as it was made.

Only the filling in is here: a card made from a template needs none of the code that builds one, nor its
styles, so this module imports neither.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

from .. import scorecard_format as form
from ..model import Packet
from ..reproducible import build_time, write_zip
from ..text import has_forbidden
from . import Renderer, RenderMemo, templates

CELL_LIMIT = 32767  # openpyxl cuts a text cell here


def card_parts(packet: Packet, moment: dt.datetime) -> templates.Parts:
    """The parts of ``packet``'s scorecard, built whole, not yet sealed (see :mod:`exporter.render.xlsx_card`)."""
    from . import xlsx_card

    return xlsx_card.card_parts(packet, moment)


def xml_text(value: str) -> bytes:
    """``value`` as openpyxl writes a text cell's content through lxml: ASCII, with ``&``, ``<``, ``>`` and a
    carriage return escaped and every other character beyond ASCII as a numeric reference (``ë`` → ``&#235;``).
    It mirrors the library's output rather than calling it; tests/test_xlsx.py and tests/test_templates.py check
    it against cards built whole for any text (openpyxl 3.1.5, lxml 6.1.3)."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped.encode("ascii", "xmlcharrefreplace")


def _written(_part: str, value: str) -> bytes | None:
    """``value`` as a text cell of any part holds it (see :func:`xml_text`); None for a text openpyxl refuses (a
    character XML cannot hold) or cuts."""
    if len(value) > CELL_LIMIT or has_forbidden(value):
        return None
    return xml_text(value)


def _template_source(packet: Packet) -> bytes:
    """What a kept template of ``packet``'s scorecard is filed under (see :func:`templates.cache_source`): with the
    code that builds a card, named by its files, as a card filled in does not import it."""
    import lxml.etree
    import openpyxl
    from openpyxl.xml import LXML

    built_by = templates.package_files("render/xlsx_card.py", "render/xlsx_summary.py", "sheet_style.py", "scoring.py")
    code: tuple[ModuleType | str, ...] = (*built_by, __file__, form)
    libraries = (openpyxl.__version__, lxml.etree.__version__, f"openpyxl writes with lxml: {LXML}")
    return templates.cache_source(packet, "xlsx", code, libraries)


class ScorecardRenderer(Renderer):
    name = "xlsx"
    extension = "xlsx"
    suffix = "-scorecard"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        """Write ``packet``'s scorecard, sealed with its fingerprint (see :mod:`exporter.scorecard_format`).

        Cards of one interview differ only in their names and the moment they were made, so each is the template
        of its kind (:mod:`exporter.render.templates`: the batch's, or kept in packet's cache) with its names put
        in: about 2 ms a card, where building and writing one whole takes 21 ms.
        """
        moment = build_time()
        kept = templates.template(memo, self.name, packet, card_parts, _written, lambda: _template_source(packet))
        parts = None if kept is None else kept.fill(packet, moment, _written)
        write_zip(path, form.seal(parts or card_parts(packet, moment)), moment)

    def protected(self, path: Path) -> str | None:
        """A scorecard someone may have filled in is never overwritten, not even with --force."""
        from .. import readback

        return readback.filled_reason(path)
