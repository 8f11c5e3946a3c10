"""Reading the files ``packet tally`` is given: scorecards, and folders of them, into the debrief.

Owns which files are read, which are passed over (a debrief tally wrote, a workbook in a folder that is not a
scorecard) and which are reported as unread. A file that cannot be read is kept with its reason and the rest
still tally.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import load_workbook

from ..errors import NotAScorecard, ScorecardError
from ..incoming import file_bytes, refusal
from ..marks import SUFFIX, is_marks_file, read_as_scorecard
from ..readback import FilledScorecard, read_scorecard
from .model import DEBRIEF_TITLE, Debrief, Unread, assemble, unread_error


def scorecard_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files to read: each given file, and every workbook and every kit's marks file (``…-marks.json``) in a
    given folder (not Excel's ~$ lock files).

    Returns the files, and the folders that held neither at all.
    """
    files: list[Path] = []
    empty_folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _read_from_folder(p.name))
            if not found:
                empty_folders.append(path)
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files)), empty_folders


def _read_from_folder(name: str) -> bool:
    lower = name.lower()
    return (lower.endswith(".xlsx") and not name.startswith("~$")) or lower.endswith(SUFFIX)


def tally(paths: Sequence[Path]) -> Debrief:
    """Read every scorecard in ``paths`` (files or folders), score it and build each candidate's debrief.

    A file that cannot be read is kept in ``unread`` and the rest still tally; a ScorecardError only when
    not one scorecard could be read.
    """
    cards, unread, skipped = read_scorecards(paths)
    if not cards:
        if unread:
            raise unread_error(Debrief((), (), tuple(unread), tuple(skipped)))
        raise ScorecardError(f"no packet scorecard among {', '.join(map(str, paths))}; nothing to tally")
    return assemble(cards, unread, skipped)


def _digest(file: Path) -> str:
    """The digest of ``file``'s bytes; a file that cannot be read again is its own."""
    import hashlib

    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return f"unread {file}"


def read_scorecards(paths: Sequence[Path]) -> tuple[list[FilledScorecard], list[Unread], list[str]]:
    """The scorecards read from ``paths``, in the order given; the files not read, with the reason; and why
    a workbook was passed over (a debrief, or not a scorecard in a given folder)."""
    files, empty_folders = scorecard_files(paths)
    from_folders = {f for f in files if f not in set(paths)}
    unread = [Unread(str(folder), f"{folder}: no .xlsx files in this folder") for folder in empty_folders]
    skipped: list[str] = []
    cards: list[FilledScorecard] = []
    seen: set[Path] = set()
    contents: dict[str, Path] = {}  # each card's bytes, by digest: a copy of a card counts once
    for file in files:
        resolved = file.resolve()
        if resolved in seen:  # the same file given twice, e.g. by name and through its folder
            continue
        seen.add(resolved)
        try:
            card = read_as_scorecard(file) if is_marks_file(file) else read_scorecard(file)
            original = contents.setdefault(_digest(file), file)  # read only once it has passed every check
            if original != file:
                skipped.append(f"{file}: the same file as {original}, so counted once; skipped")
                continue
            cards.append(card)
        except NotAScorecard as exc:
            if is_debrief(file):  # the last debrief, caught by `packet tally *.xlsx`
                skipped.append(f"{file}: a debrief written by packet tally, not a scorecard; skipped")
            elif file in from_folders:
                skipped.append(f"{file}: not a packet scorecard; skipped")
            else:
                unread.append(Unread(file=str(file), error=exc.message))
        except ScorecardError as exc:
            unread.append(Unread(file=str(file), error=exc.message))
    return cards, unread, skipped


def is_debrief(path: Path) -> bool:
    """Whether ``path`` is a debrief workbook tally wrote (known by its document properties)."""
    try:
        data = file_bytes(path)  # a named pipe is not waited on, a zip bomb not inflated
        if refusal(data) is not None:
            return False
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # anything that is not a file openpyxl can open is not one of ours
        return False
    try:
        return (workbook.properties.title, workbook.properties.creator) == (DEBRIEF_TITLE, "packet")
    finally:
        workbook.close()
