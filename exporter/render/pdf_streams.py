"""How packet's PDFs store their page content: one setting that the cheat sheet and the loop overview share.

Page content is written as compressed binary, not also ASCII85-encoded: that encoding only makes a PDF a
quarter larger for the 7-bit mail channels of old, and reportlab does it in pure Python on every page.
reportlab offers this only as a process-wide setting (``rl_config.useA85``), read when a document is saved,
so each PDF is made inside :func:`binary_streams`, which sets it for the block and puts it back after.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from reportlab import rl_config


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """While the block runs, reportlab writes page content as compressed binary without ASCII85."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before
