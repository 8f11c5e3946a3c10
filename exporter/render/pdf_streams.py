"""What the cheat sheet and the loop overview share: how their PDFs store page content, and their font.

Page content is written as compressed binary, not also ASCII85-encoded: that encoding only makes a PDF a
quarter larger for the 7-bit mail channels of old, and reportlab does it in pure Python on every page.
reportlab offers this only as a process-wide setting (``rl_config.useA85``), read when a document is saved,
so each PDF is made inside :func:`binary_streams`, which sets it for the block and puts it back after.

The font family a layout asks for is found by :func:`layout_font`: once for a single PDF, and once for all the
PDFs of a batch or a loop, which keep it in their :class:`~exporter.render.RenderMemo`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from reportlab import rl_config

from ..fonts import FontFamily, font_family
from ..model import Layout
from . import RenderMemo, make_piece


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """While the block runs, reportlab writes page content as compressed binary without ASCII85."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def layout_font(layout: Layout | None, memo: RenderMemo | None) -> FontFamily:
    """The font family for PDFs of ``layout`` (its ``font:``, else the best one on the system), found once per
    ``memo``: reading the font files and building their faces is most of a small PDF's cost."""
    font, where = (layout.font, layout.path) if layout is not None else (None, "")
    return make_piece(memo, "pdf", ("font", font, where), lambda: font_family(font, where))
