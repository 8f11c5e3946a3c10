"""The debrief of ``packet tally``: filled scorecards read back, recomputed, grouped by candidate, compared
across interviewers, and shown four ways.

- :mod:`.reading`: the files and folders given, read into the debrief (``tally``);
- :mod:`.model`: the debrief's records and their assembling: what tally computes;
- :mod:`.tables`: the tables and lists that the text, Markdown and Excel views share, and how figures read;
- one module per view: :mod:`.text` (the terminal), :mod:`.markdown`, :mod:`.json` and :mod:`.xlsx`.

This module owns the writer table, ``WRITERS``: a debrief file's view is told by its ending, and the view's
module is imported only when a file asks for it, so only an Excel debrief imports the Excel view.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

from ..errors import OutputExists, UnsupportedFormat
from .model import Debrief, unread_error

__all__ = ["WRITERS", "View", "get_writer", "unread_error", "write_debrief"]


class View(NamedTuple):
    """A file view of the debrief: its name in messages, and its ``write(debrief, path)`` as a dotted path."""

    name: str
    writer: str


WRITERS: dict[str, View] = {
    ".md": View("Markdown", "exporter.debrief.markdown:write"),
    ".xlsx": View("Excel", "exporter.debrief.xlsx:write"),
    ".json": View("JSON", "exporter.debrief.json:write"),
}


def get_writer(out: Path) -> Callable[[Debrief, Path], None]:
    """The ``write(debrief, path)`` of the view ``out``'s ending asks for; imports its module on first use."""
    view = WRITERS.get(out.suffix.lower())
    if view is None:
        choices = ", ".join(f"{ending} ({view.name})" for ending, view in WRITERS.items())
        raise UnsupportedFormat(f"--out {out}: cannot tell the format from its ending; end it in {choices}")
    module_name, _, function = view.writer.partition(":")
    writer: Callable[[Debrief, Path], None] = getattr(importlib.import_module(module_name), function)
    return writer


def write_debrief(debrief: Debrief, outs: Sequence[Path], inputs: Sequence[Path], force: bool) -> list[Path]:
    """Write the debrief to each of ``outs`` (by ending: .md, .xlsx, .json); returns them.

    Every target is checked before anything is written: a known ending, not one of the scorecards read,
    not an existing file without ``--force``, and never a file that may be a scorecard, even with ``--force``
    (last run's debrief workbook may be replaced). The files are placed all or none
    (:func:`exporter.output.write_files`).
    """
    from ..output import Planned, write_files
    from .reading import scorecard_files  # reading imports openpyxl: keep it out of the package's import

    read = {p.resolve() for p in scorecard_files(inputs)[0]}
    planned = []
    for out in outs:
        planned.append(Planned(out, partial(get_writer(out), debrief), _replaceable))
        if out.resolve() in read:
            raise OutputExists(f"--out {out} is one of the scorecards being tallied; choose another file")
    return write_files(planned, force)


def _replaceable(path: Path) -> str | None:
    """Why ``path`` must be kept even with ``--force`` (see :func:`exporter.readback.filled_reason`), or None.

    A debrief tally wrote is known by its document properties and may be replaced: tallying again after one
    more interview rewrites it.
    """
    from ..readback import filled_reason
    from .reading import is_debrief

    return None if is_debrief(path) else filled_reason(path)
