"""The errors `packet` raises for a user's mistake.

Every error is a :class:`click.ClickException`, so the CLI prints ``Error: …`` and exits with code 1
without a traceback; Click keeps exit code 2 for usage errors.
"""

from __future__ import annotations

from collections.abc import Iterable

import click


class PacketError(click.ClickException):
    """Base of every error a user can cause; never raised for a bug in `packet` itself."""


class ProblemsError(PacketError):
    """Several problems found at once, each with its file and place, reported together."""

    def __init__(self, problems: Iterable[str], where: str = "") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'' if count == 1 else 's'}{' ' + where if where else ''}"
        super().__init__(f"{head}:\n" + "\n".join(f"  {p}" for p in self.problems))


class BankError(ProblemsError):
    """The question bank (``bank/``) or a layout (``layouts/``) is malformed or inconsistent."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(problems, "in the bank or layouts")


class LayoutNotFound(PacketError):
    """``--role`` names a layout that does not exist; the message lists the known roles."""


class BudgetError(PacketError):
    """A time budget cannot be made: ``--minutes`` too small, or a bad ``--start`` or ``--date``."""


class UnsupportedFormat(PacketError):
    """``--format`` names an output that does not exist; the message lists the valid names."""


class RenderError(PacketError):
    """An output could not be produced, e.g. the cheat sheet does not fit on one page."""


class OutputExists(PacketError):
    """An output file exists and would be overwritten without ``--force``, or holds filled-in work."""


class ScorecardError(PacketError):
    """A scorecard cannot be read back: not a packet scorecard, corrupt, or inconsistent."""


class NotAScorecard(ScorecardError):
    """A readable workbook that ``packet make --format xlsx`` did not make (tally skips those in a folder)."""


class PlanningError(PacketError):
    """`packet coverage` or `packet suggest` cannot do what was asked: an unknown id in ``--questions``,
    ``--must`` or ``--exclude``, or no set of the requested size can be made from the bank."""


class LintFailed(PacketError):
    """`packet lint --strict` found warnings (printed before this error)."""


class LoopError(ProblemsError):
    """A loop file (``layouts/loops/<name>.yaml``) is malformed, names unknown layouts, or asks a question twice."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__(problems, "in the loop or its layouts")


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
    """Tell the user about something fixed up on the way (never on stdout, which lists written files)."""
    click.echo(f"Warning: {message}", err=True)
