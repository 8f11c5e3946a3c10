"""The debrief laid out as tables and lists, and how its figures read: one layout that the terminal text,
Markdown and Excel views each show in their own way. :func:`blocks` is a candidate's debrief in reading
order: the verdict, the votes, the evidence checks, the scores, then what to talk about and every note.

Figures are rounded as Excel and LibreOffice round them, so the debrief reads the same as the scorecards it
sums up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import scoring
from ..listing import short_label
from ..text import MINUS
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
    """A score as the scorecard's Summary shows it (+0%;−0%;0%, with a true minus): 0.45 → "+45%", −0.45 →
    "−45%", blank → "–"."""
    if value is None:
        return BLANK
    if value == 0:
        return "0%"
    return f"{'+' if value > 0 else MINUS}{abs(spreadsheet_round(value, scale=100))}%"


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
    indirect: frozenset[tuple[int, int]] = frozenset()  # (row, column) scores from secondary weights only

    def kind(self, row: int, column: int) -> str:
        kind = self.kinds[column]
        return SPREAD if row == self.spread_row and kind == SCORE else kind


def shown(value: Any, kind: str, indirect: bool = False) -> str:
    """A figure as the terminal and Markdown show it; an indirect score in brackets: "(+75%)"."""
    if indirect and value is not None:
        return f"({shown(value, kind)})"
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
        """The interviewer, and why their figures are blank: an empty card, or one with no marks (only a vote)."""
        return f"{r.interviewer} (empty)" if r.blank else f"{r.interviewer} (no marks)" if r.empty else r.interviewer

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
            f"Scores run from {MINUS}100% to +100%; a blank means no question in that category was asked. "
            "A score in brackets is indirect: only secondary weights, left out of the overall score. "
            f"A spread of {band}\u00a0pts or more (one recommendation band) is marked with *: talk it through."
        ),
        indirect=_indirect_scores(candidate, spread_row),
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


def _indirect_scores(candidate: CandidateDebrief, spread_row: int) -> frozenset[tuple[int, int]]:
    """The Scores table's cells that rest on secondary weights only: an interviewer's score of a category
    their scorecard did not assess, and the loop's figures (all but the spread) of one no scorecard assessed."""
    cells = set()
    for k, category in enumerate(candidate.categories, start=1):
        for row, r in enumerate(candidate.results):
            line = r.result.categories.get(category.id)
            if line is not None and line.evidence == scoring.INDIRECT:
                cells.add((row, k))
        if category.evidence == scoring.INDIRECT:
            cells.update((row, k) for row in range(len(candidate.results), spread_row))
    return frozenset(cells)


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
        f"{r.interviewer}: nothing marked, rated or asked yet{f' (only {r.held})' if r.held else ''} — {r.file}"
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


VOTES_NOTE = (
    "Signals say: the recommendation each interviewer's own marks compute, a cross-check on the vote. A vote "
    "two bands or more from it is marked with *: talk it through."
)


def votes_table(candidate: CandidateDebrief) -> Table:
    """Each interviewer's vote beside what their marks compute, and the loop's mean beneath."""
    rows: list[tuple[Any, ...]] = [
        (r.interviewer, r.scorecard.vote or "", r.result.recommendation, r.result.overall) for r in candidate.results
    ]
    rows.append(("Mean", None, candidate.verdict.recommendation, candidate.verdict.mean_overall))
    return Table(
        title="Votes",
        columns=("Interviewer", "Vote", "Signals say", "Overall"),
        kinds=(TEXT, TEXT, TEXT, SCORE),
        rows=tuple(rows),
        loop_from=len(candidate.results),
        flagged=frozenset((row, 1) for row, r in enumerate(candidate.results) if r.vote_conflict),
        note=VOTES_NOTE,
    )


@dataclass(frozen=True)
class Findings:
    """A list under a heading; ``groups`` are lists under sub-headings, e.g. each question's notes."""

    title: str
    items: tuple[str, ...] = ()
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()


Block = Table | Findings


def blocks(candidate: CandidateDebrief) -> list[Block]:
    """A candidate's debrief in reading order; empty lists are left out."""
    verdict = candidate.verdict
    conflicts = [f"{r.interviewer}: {r.vote_conflict}" for r in candidate.results if r.vote_conflict]
    takeaways = [
        f"{r.interviewer} ({r.scorecard.vote or 'no vote'}): {r.scorecard.takeaways}"
        for r in candidate.results
        if r.scorecard.takeaways
    ]
    scores, flags, ratings = tables(candidate)
    listed = dict(findings(candidate))
    shown_blocks: list[Block] = [
        Findings("Verdict", (*verdict.lines(percent), *conflicts)),
        votes_table(candidate),
        Findings("Take-aways", tuple(takeaways)),
        Findings("Evidence checks", candidate.evidence_checks),
        scores,
        flags,
        ratings,
        *(Findings(caption, tuple(items)) for caption, items in listed.items() if caption in BEFORE_NOTES),
        Findings("Notes by question", groups=tuple(_notes(candidate))),
        *(Findings(caption, tuple(items)) for caption, items in listed.items() if caption not in BEFORE_NOTES),
    ]
    return [b for b in shown_blocks if isinstance(b, Table) or b.items or b.groups]


BEFORE_NOTES = ("Where the interviewers disagree", "Signals marked by more than one interviewer")


def _notes(candidate: CandidateDebrief) -> list[tuple[str, tuple[str, ...]]]:
    """Per question, each interviewer's rating and notes: "Sam Lee, rated 4: Solid on rollbacks". A question
    only one interviewer asked, as in a loop, names them once in its heading."""
    groups = []
    for q in candidate.question_notes:
        alone = len(candidate.results) > 1 and len({n.interviewer for n in q.notes}) == 1
        lines = []
        for n in q.notes:
            rated = "not rated" if n.rating is None else f"rated {n.rating:.0f}"
            said = f"{rated}: {n.notes or 'no note'}"
            lines.append(said[0].upper() + said[1:] if alone else f"{n.interviewer}, {said}")
        groups.append((f"{q.label}. {q.title}" + (f" \u2014 {q.notes[0].interviewer}" if alone else ""), tuple(lines)))
    return groups
