"""The errors `packet` raises for a user's mistake, and the warnings it gives on the way.

Every error is a :class:`PacketError`, a plain exception: the core does not know the command line. The CLI
(:mod:`exporter.cli`) turns one into Click's ``Error: …`` on stderr and exit code 1, in one place; Click keeps
exit code 2 for usage errors. Each message names the file, the place and the fix.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class PacketError(Exception):
    """Base of every error a user can cause; never raised for a bug in `packet` itself.

    ``message`` is the text the user sees after ``Error:``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than the message (a list of problems, a count), so the default
        # pickling, which calls the class with ``args``, would not rebuild them. A batch's worker processes
        # send errors back to the parent pickled: rebuild from the message and the attributes instead.
        return (_rebuild, (type(self), self.message), self.__dict__)


def _rebuild(kind: type[PacketError], message: str) -> PacketError:
    error = kind.__new__(kind)
    PacketError.__init__(error, message)
    return error


class ProblemsError(PacketError):
    """Several problems found at once, each with its file and place, reported together under one head:
    ``2 problems in the bank or layouts:`` (``where``), or ``book.xlsx: 2 problems:`` (``file``)."""

    def __init__(self, problems: Iterable[str], where: str = "", file: str = "") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'' if count == 1 else 's'}{' ' + where if where else ''}"
        if file:
            head = f"{file}: {head}"
        super().__init__(f"{head}:\n" + "\n".join(f"  {p}" for p in self.problems))


class BankError(ProblemsError):
    """The question bank (``bank/``) or a layout (``layouts/``) is malformed or inconsistent."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(problems, "in the bank or layouts")


class LayoutNotFound(PacketError):
    """``--role`` names a layout that does not exist or cannot be read; the message lists the known roles."""


class LoopNotFound(PacketError):
    """``--loop`` names an onsite loop that does not exist; the message lists the known loops."""


class SlotNotFound(PacketError):
    """``--interviewers`` (or a batch's ``interviewer:<slot>`` column) names a slot the loop does not have, or is
    not written ``slot=name``; the message lists the loop's slots."""


class BudgetError(PacketError):
    """A time budget cannot be made: ``--minutes`` too small for the sections, or ``--start`` not a time of day."""


class DateError(PacketError):
    """``--date`` is not a date written YYYY-MM-DD."""


class UnsupportedFormat(PacketError):
    """``--format`` names an output that does not exist; the message lists the valid names."""


class RenderError(PacketError):
    """An output could not be produced: the cheat sheet does not fit on one page, or the folder cannot be
    written."""


class OutputExists(PacketError):
    """An output file exists and would be overwritten without ``--force``, or holds filled-in work."""


class ScorecardError(ProblemsError):
    """A scorecard cannot be read back: not a packet scorecard, corrupt, or inconsistent.

    Either one message, said whole (``ScorecardError("book.xlsx: no such file")``), or every cell that
    cannot be trusted under the shared head (``ScorecardError(problems, file="book.xlsx")`` gives
    ``book.xlsx: 2 problems:``).
    """

    def __init__(self, problems: str | Iterable[str], file: str | Path = "") -> None:
        if isinstance(problems, str):
            PacketError.__init__(self, problems)
            self.problems = [problems]
        else:
            super().__init__(problems, file=str(file))


class NotAScorecard(ScorecardError):
    """A readable workbook that ``packet make --format xlsx`` did not make (tally skips those in a folder)."""


class PlanningError(PacketError):
    """`packet coverage` or `packet suggest` cannot do what was asked: an unknown id in ``--questions``,
    ``--must`` or ``--exclude``, or no set of the requested size can be made from the bank."""


class MarkdownError(ProblemsError):
    """`packet import` cannot take a Markdown file: a label with nothing under it, an unknown category, team or
    domain, an id the bank already holds. One problem is said whole (``q.md:12: …``), several under a head."""

    def __init__(self, problems: Iterable[str], file: str) -> None:
        problems = list(problems)
        if len(problems) == 1:
            PacketError.__init__(self, problems[0])
            self.problems = problems
        else:
            super().__init__(problems, file=file)


class LintFailed(PacketError):
    """`packet lint --strict` found warnings (printed before this error)."""


class LoopError(ProblemsError):
    """A loop file (``layouts/loops/<name>.yaml``) is malformed, names unknown layouts, or asks a question twice."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(problems, "in the loop or its layouts")


class WorkspaceError(PacketError):
    """A ``packet.toml`` cannot be read or says something wrong, or `packet init` would overwrite a workspace or
    cannot write one."""


class CandidatesError(ProblemsError):
    """The ``--candidates`` CSV as a whole cannot be used: not UTF-8, empty, an unknown or missing column."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(problems, "in the candidates file")


class BatchFailed(ProblemsError):
    """Rows of a ``--candidates`` batch that could not be made, one problem each; the other rows were made."""

    def __init__(self, problems: Iterable[str], made: int) -> None:
        others = {0: "no row was made", 1: "the other row was made"}.get(made, f"the other {made} rows were made")
        super().__init__(problems, f"in the candidates file ({others})")


def warn(message: str) -> None:
    """Tell the user about something fixed up on the way: ``Warning: …`` on stderr (never on stdout, which
    lists written files). ``sys.stderr`` is looked up at each call, so whoever replaced it (a test's runner)
    gets the warning."""
    stream = sys.stderr
    stream.write(f"Warning: {message}\n")
    stream.flush()
