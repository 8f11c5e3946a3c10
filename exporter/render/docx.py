"""The Word interview guide, ``packet make --format docx``: built whole by :mod:`exporter.render.docx_guide`, or
filled in from a template of its kind (:mod:`exporter.render.templates`).

Only the filling in is here: a guide made from a template needs none of the code that builds one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

from ..model import Packet
from ..reproducible import build_time, write_zip
from ..text import has_forbidden, typeset
from . import Renderer, RenderMemo, templates
from .docx_xml import PROPERTY_LIMIT, has_east_asian


class GuideRenderer(Renderer):
    name = "docx"
    extension = "docx"
    suffix = "-guide"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        """Write ``packet``'s guide. Guides of one interview differ only in their names and the moment they were
        made, so each is the template of its kind (:mod:`exporter.render.templates`: the batch's, or kept in
        packet's cache) with its names put in, where building one whole takes ten times as long."""
        when = build_time()
        kept = templates.template(memo, self.name, packet, guide_parts, _written, lambda: _template_source(packet))
        parts = None if kept is None else kept.fill(packet, when, _written)
        write_zip(path, parts or guide_parts(packet, when), when)


def guide_parts(packet: Packet, when: dt.datetime) -> templates.Parts:
    """The parts of ``packet``'s guide made at ``when``, built whole (see :mod:`exporter.render.docx_guide`)."""
    from . import docx_guide

    return docx_guide.guide_parts(packet, when)


def _written(part: str, value: str) -> bytes | None:
    """``value`` as python-docx writes it into ``part`` through lxml: UTF-8, with ``&``, ``<``, ``>`` and a carriage
    return escaped; in the document properties as given (the candidate is the subject), elsewhere as a run of
    text, typeset. None for a text written otherwise: one lxml refuses (a character XML cannot hold), one a run
    breaks into elements (a tab, a line break) or marks for east-Asian fonts, or a subject Word's limit cuts.
    tests/test_templates.py checks it against guides built whole, for any text (python-docx 1.2.0, lxml 6.1.3)."""
    if has_forbidden(value):
        return None
    if part == templates.PROPERTIES_PART:
        if len(value) > PROPERTY_LIMIT:
            return None
    elif "\t" in value or "\n" in value or has_east_asian(value):
        return None
    else:
        value = typeset(value)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped.encode()


def _template_source(packet: Packet) -> bytes:
    """What a kept template of ``packet``'s guide is filed under (see :func:`templates.cache_source`): with the code
    that builds a guide, named by its files, as a guide filled in does not import it."""
    import docx
    import lxml.etree

    from . import docx_xml

    built_by = templates.package_files("render/docx_guide.py", "render/guide-template.docx", "coverage.py")
    code: tuple[ModuleType | str, ...] = (*built_by, __file__, docx_xml)
    return templates.cache_source(packet, "docx", code, (docx.__version__, lxml.etree.__version__))
