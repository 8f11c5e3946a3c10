"""The debrief laid out as tables and lists, and how its figures read: one layout that the terminal text,
Markdown and Excel views each show in their own way.

Figures are rounded as Excel and LibreOffice round them, so the debrief reads the same as the scorecards it
sums up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import scoring
from ..listing import short_label
from .model import CandidateDebrief, InterviewerResult, SharedSignal, UnaskedQuestion, Unread

BLANK = "–"  # what a blank figure looks like in the terminal and Markdown
TALLY_NOTE = (
    "Made by packet tally from the interviewers' scorecards: every figure is recomputed from the marks "
    "with the scorecard's own scoring model, not copied from the workbooks."
)


def spreadsheet_round(value: float, places: int = 0, scale: int = 1) -> Decimal:
    """``value × scale`` rounded as Excel and LibreOffice show it: from its first 15 significant digits,
    half away from zero.

    Python's own formatting rounds the binary value half to even (0.625 → "62%") where the spreadsheets
    show "63%"; the debrief must read the same as the scorecards it sums up.
    """
    exact = Decimal(f"{value:.15g}") * scale
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(value: float | None) -> str:
    """A score as the scorecard's Summary shows it (+0%;-0%;0%): 0.45 → "+45%", blank → "–"."""
    if value is None:
        return BLANK
    if value == 0:
        return "0%"
    return f"{'+' if value > 0 else '-'}{abs(spreadsheet_round(value, scale=100))}%"


def points(value: float | None) -> str:
    """A spread of scores in percentage points: 0.7 → "70 pts"."""
    return BLANK if value is None else f"{spreadsheet_round(value, scale=100)}\u00a0pts"  # no line break in "50 pts"


def one_decimal(value: float | None) -> str:
    return BLANK if value is None else str(spreadsheet_round(value, 1))


def signal_text(signal: SharedSignal) -> str:
    """The signal's wording, or its place when the scorecard's text could not be read."""
    kind = "great signal" if signal.kind == "great" else "red flag"
    return signal.text or f"{kind} {signal.index}"


SCORE, SPREAD, COUNT, RATING, TEXT = "score", "spread", "count", "rating", "text"


@dataclass(frozen=True)
class Table:
    """A debrief table: the first column names the row; ``kinds`` says how each column's figures read."""

    title: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    loop_from: int  # the first row that sums up the loop (Mean, All) rather than one interviewer
    spread_row: int | None = None  # a row of spreads (percentage points) in a table of scores
    flagged: frozenset[tuple[int, int]] = frozenset()  # (row, column) cells that call for a calibration talk
    note: str = ""

    def kind(self, row: int, column: int) -> str:
        kind = self.kinds[column]
        return SPREAD if row == self.spread_row and kind == SCORE else kind


def shown(value: Any, kind: str) -> str:
    """A figure as the terminal and Markdown show it."""
    if kind == TEXT:  # None is a cell with nothing to say; "" is a blank figure, e.g. no recommendation
        return "" if value is None else str(value) or BLANK
    if value is None:
        return BLANK
    return {SCORE: percent, SPREAD: points, RATING: one_decimal, COUNT: lambda v: f"{v:d}"}[kind](value)


def tables(candidate: CandidateDebrief) -> list[Table]:
    """Scores, red flags and ratings by interviewer, with the loop's view of each category.

    Columns are headed by the categories' short labels (:func:`exporter.listing.short_label`)."""
    ids = [c.id for c in candidate.categories]
    captions = [short_label(c.label) for c in candidate.categories]

    def name(r: InterviewerResult) -> str:
        return f"{r.interviewer} (empty)" if r.empty else r.interviewer

    def line(r: InterviewerResult, category_id: str) -> scoring.CategoryResult:
        return r.result.categories.get(category_id, scoring.CategoryResult(None, 0, None, 0))

    score_rows: list[tuple[Any, ...]] = [
        (name(r), *(line(r, i).score for i in ids), r.result.overall, r.result.recommendation)
        for r in candidate.results
    ]
    spreads = [*(c.scores for c in candidate.categories), candidate.overall]
    for caption, figure in (("Mean", "mean"), ("Lowest", "lowest"), ("Highest", "highest"), ("Spread", "spread")):
        score_rows.append((caption, *(getattr(s, figure) for s in spreads), None))
    spread_row = len(score_rows) - 1
    band = round(candidate.calibrate_band * 100)
    scores = Table(
        title="Scores",
        columns=("Interviewer", *captions, "Overall", "Recommendation"),
        kinds=(TEXT, *(SCORE for _ in ids), SCORE, TEXT),
        rows=tuple(score_rows),
        loop_from=len(candidate.results),
        spread_row=spread_row,
        flagged=frozenset((spread_row, 1 + k) for k, c in enumerate(candidate.categories) if c.calibrate),
        note=(
            "Scores run from -100% to +100%; a blank means no question in that category was asked. "
            f"A spread of {band}\u00a0pts or more (one recommendation band) is marked with *: talk it through."
        ),
    )
    # The total counts each red flag once; a question that counts for two categories has it in both columns.
    flag_rows: list[tuple[Any, ...]] = [
        (name(r), *(line(r, i).flags for i in ids), r.red_flags) for r in candidate.results
    ]
    flag_rows.append(("All", *(c.flags for c in candidate.categories), candidate.red_flags))
    rating_rows: list[tuple[Any, ...]] = [(name(r), *(line(r, i).rating for i in ids)) for r in candidate.results]
    rating_rows.append(("Mean", *(c.ratings.mean for c in candidate.categories)))
    return [
        scores,
        Table(
            "Red flags",
            ("Interviewer", *captions, "Total"),
            (TEXT, *(COUNT for _ in ids), COUNT),
            tuple(flag_rows),
            loop_from=len(candidate.results),
            note=FLAGS_NOTE,
        ),
        Table(
            "Ratings (1–4)",
            ("Interviewer", *captions),
            (TEXT, *(RATING for _ in ids)),
            tuple(rating_rows),
            loop_from=len(candidate.results),
        ),
    ]


FLAGS_NOTE = (
    "A question that counts for two categories shows its red flags in both columns; the total counts each "
    "red flag once."
)


def findings(candidate: CandidateDebrief) -> list[tuple[str, list[str]]]:
    """The debrief's lists under their headings, in reading order; empty lists are left out."""
    calibrate = []
    for category in candidate.categories:
        if not category.calibrate:
            continue
        low = min(candidate.results, key=lambda r: _score_or(r, category.id, 2.0))
        high = max(candidate.results, key=lambda r: _score_or(r, category.id, -2.0))
        calibrate.append(
            f"{category.label}: spread {points(category.scores.spread)} — {low.interviewer} "
            f"{percent(category.scores.lowest)}, {high.interviewer} {percent(category.scores.highest)}"
        )
    shared = [
        f"{'Great signal' if s.kind == 'great' else 'Red flag'} on {s.label}. {s.title}: "
        f"“{signal_text(s)}” — {', '.join(s.interviewers)}"
        for s in candidate.shared_signals
    ]
    not_asked = [f"{q.label}. {q.title}{_whose(q, candidate)}" for q in candidate.not_asked]
    empty = [
        f"{r.interviewer}: nothing marked, rated or asked yet{' (only notes)' if r.has_notes else ''} — {r.file}"
        for r in candidate.empty
    ]
    return [
        (caption, items)
        for caption, items in (
            ("Where the interviewers disagree", calibrate),
            ("Signals marked by more than one interviewer", shared),
            ("Questions not asked", not_asked),
            ("Empty scorecards", empty),
            ("Check before the debrief", list(candidate.warnings)),
        )
        if items
    ]


def _whose(question: UnaskedQuestion, candidate: CandidateDebrief) -> str:
    """Whose scorecard the question was on, when not everyone's: in a loop each slot has its own questions."""
    holders = [
        r.interviewer for r in candidate.results if any(q.id == question.question_id for q in r.scorecard.questions)
    ]
    if len(holders) == len(candidate.results):
        return ""
    return f" (on the scorecard{'s' if len(holders) > 1 else ''} of {', '.join(holders)})"


def _score_or(result: InterviewerResult, category_id: str, blank: float) -> float:
    line = result.result.categories.get(category_id)
    return blank if line is None or line.score is None else line.score


def heading(candidate: CandidateDebrief) -> str:
    count = len(candidate.results)
    parts = [candidate.candidate, candidate.title, f"{count} scorecard{'' if count == 1 else 's'}"]
    return " — ".join(p for p in parts if p)


def unread_lines(unread: Unread) -> list[str]:
    """Why a file was not read: the file's line, then each of its problems (the error lists one a line)."""
    return [line.strip() for line in unread.error.splitlines() if line.strip()]
