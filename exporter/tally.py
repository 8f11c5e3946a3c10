"""The debrief: filled scorecards read back, recomputed, grouped by candidate, compared across interviewers.

Owns ``packet tally``'s core and its four outputs (terminal table, JSON, Markdown, Excel). Every figure is
recomputed by :mod:`exporter.scoring` from the marks :mod:`exporter.readback` reads; none is taken from a
workbook's cached values. A file that cannot be read is reported and left out; the rest still tally.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from . import scoring
from .errors import NotAScorecard, OutputExists, PacketError, ScorecardError, UnsupportedFormat
from .listing import short_label, wrap_captions
from .readback import FilledScorecard, read_scorecard
from .render import xlsx
from .reproducible import build_time

NO_NAME = "(no candidate name)"
BLANK = "–"  # what a blank figure looks like in the terminal and Markdown


@dataclass(frozen=True)
class InterviewerResult:
    """One scorecard and the figures :mod:`exporter.scoring` computes from its marks."""

    scorecard: FilledScorecard
    result: scoring.Result

    @property
    def file(self) -> str:
        return str(self.scorecard.path)

    @property
    def interviewer(self) -> str:
        return self.scorecard.interviewer or self.scorecard.path.name

    @property
    def empty(self) -> bool:
        """Nothing counts as asked: no mark, rating or Asked Yes, so every figure is blank."""
        return not any(q.marks.was_asked for q in self.scorecard.questions)

    @property
    def has_notes(self) -> bool:
        return any(q.notes for q in self.scorecard.questions)

    @property
    def red_flags(self) -> int:
        """Negative signals marked Yes, each counted once, though its question may count for two categories."""
        return sum(q.marks.red_flags for q in self.scorecard.questions if q.marks.was_asked)


@dataclass(frozen=True)
class Spread:
    """How one figure varies across the interviewers who have it (blank figures left out)."""

    values: tuple[float, ...]

    @property
    def mean(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def lowest(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def highest(self) -> float | None:
        return max(self.values) if self.values else None

    @property
    def spread(self) -> float | None:
        return max(self.values) - min(self.values) if self.values else None


@dataclass(frozen=True)
class LoopCategory:
    """The loop's view of one category: scores across interviewers, red flags, ratings."""

    id: str
    label: str  # e.g. "World-class at running this team"
    scores: Spread
    flags: int  # red flags marked in it, all interviewers together
    ratings: Spread
    calibrate: bool  # the scores spread over at least one recommendation band


@dataclass(frozen=True)
class SharedSignal:
    """A signal marked Yes on the same question by more than one interviewer."""

    label: str
    question_id: str
    title: str
    kind: str  # "great" or "negative"
    index: int  # 1-based, in the question's list of great or negative signals
    text: str  # as printed on the scorecard; "" when it could not be found there
    interviewers: tuple[str, ...]


@dataclass(frozen=True)
class UnaskedQuestion:
    label: str
    question_id: str
    title: str


@dataclass(frozen=True)
class CandidateDebrief:
    """Everything the debrief says about one candidate."""

    candidate: str
    results: tuple[InterviewerResult, ...]
    categories: tuple[LoopCategory, ...]
    overall: Spread
    calibrate_band: float  # the spread that asks for a calibration talk (one recommendation band)
    shared_signals: tuple[SharedSignal, ...]
    not_asked: tuple[UnaskedQuestion, ...]
    warnings: tuple[str, ...]

    @property
    def empty(self) -> tuple[InterviewerResult, ...]:
        return tuple(r for r in self.results if r.empty)

    @property
    def red_flags(self) -> int:
        """Red flags on all the scorecards, each counted once (not the sum of the category columns)."""
        return sum(r.red_flags for r in self.results)

    @property
    def title(self) -> str:
        """The role: the layouts' common title, e.g. "Infrastructure Manager" for a loop whose slots are
        "Infrastructure Manager — release & deployment", "Infrastructure Manager — dev infra", …"""
        titles = {r.scorecard.title for r in self.results if r.scorecard.title}
        if len(titles) == 1:
            return titles.pop()
        roles = {title.split(" — ")[0] for title in titles}
        return roles.pop() if len(roles) == 1 else ""


@dataclass(frozen=True)
class Unread:
    """A file left out of the tally, with the reason."""

    file: str
    error: str


@dataclass(frozen=True)
class Debrief:
    results: tuple[InterviewerResult, ...]  # every scorecard read, in the order given
    candidates: tuple[CandidateDebrief, ...]
    unread: tuple[Unread, ...]
    skipped: tuple[str, ...]  # why a workbook was passed over: a debrief, or not a scorecard in a given folder

    @property
    def warnings(self) -> list[str]:
        return [*self.skipped, *(w for c in self.candidates for w in c.warnings)]


# --- reading and grouping ------------------------------------------------------------------------


def scorecard_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files to read: each given file, and every workbook in a given folder (not Excel's ~$ lock files).

    Returns the files, and the folders that held no workbook at all.
    """
    files: list[Path] = []
    empty_folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$"))
            if not found:
                empty_folders.append(path)
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files)), empty_folders


def tally(paths: Sequence[Path]) -> Debrief:
    """Read every scorecard in ``paths`` (files or folders), score it and build each candidate's debrief.

    A file that cannot be read is kept in ``unread`` and the rest still tally; a ScorecardError only when
    not one scorecard could be read.
    """
    files, empty_folders = scorecard_files(paths)
    from_folders = {f for f in files if f not in set(paths)}
    unread = [Unread(str(folder), f"{folder}: no .xlsx files in this folder") for folder in empty_folders]
    skipped: list[str] = []
    results: list[InterviewerResult] = []
    seen: set[Path] = set()
    for file in files:
        resolved = file.resolve()
        if resolved in seen:  # the same file given twice, e.g. by name and through its folder
            continue
        seen.add(resolved)
        try:
            card = read_scorecard(file)
        except NotAScorecard as exc:
            if is_debrief(file):  # the last debrief, caught by `packet tally *.xlsx`
                skipped.append(f"{file}: a debrief written by packet tally, not a scorecard; skipped")
            elif file in from_folders:
                skipped.append(f"{file}: not a packet scorecard; skipped")
            else:
                unread.append(Unread(file=str(file), error=exc.message))
            continue
        except ScorecardError as exc:
            unread.append(Unread(file=str(file), error=exc.message))
            continue
        questions = [q.scored for q in card.questions]
        results.append(InterviewerResult(card, scoring.score(card.categories, questions, card.thresholds)))
    if not results:
        if unread:
            raise unread_error(Debrief((), (), tuple(unread), tuple(skipped)))
        raise ScorecardError(f"no packet scorecard among {', '.join(map(str, paths))}; nothing to tally")
    groups: dict[str, list[InterviewerResult]] = {}
    for result in results:
        groups.setdefault(_candidate_key(result.scorecard.candidate), []).append(result)
    candidates = tuple(_debrief(group) for group in groups.values())
    return Debrief(results=tuple(results), candidates=candidates, unread=tuple(unread), skipped=tuple(skipped))


def is_debrief(path: Path) -> bool:
    """Whether ``path`` is a debrief workbook this module wrote (known by its document properties)."""
    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # any file openpyxl cannot open is not one of ours
        return False
    try:
        return (workbook.properties.title, workbook.properties.creator) == (DEBRIEF_TITLE, "packet")
    finally:
        workbook.close()


def _candidate_key(name: str) -> str:
    """Names that differ only in case, accents' encoding or spacing are the same candidate."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def category_labels() -> dict[str, str]:
    """Category id → label, e.g. "World-class at running this team", from the shipped bank's taxonomy: a
    scorecard keeps only the ids. An id the bank does not know is shown as itself."""
    from .loading import load_bank

    try:
        return {c.id: c.label for c in load_bank().categories}
    except PacketError:  # a broken shipped bank must not stop the debrief
        return {}


def _debrief(results: list[InterviewerResult]) -> CandidateDebrief:
    cards = [r.scorecard for r in results]
    candidate = cards[0].candidate or NO_NAME
    category_ids = list(dict.fromkeys(c for card in cards for c in card.categories))
    labels = category_labels()
    band = min(card.thresholds.yes - card.thresholds.no for card in cards)
    categories = []
    for category_id in category_ids:
        lines = [r.result.categories[category_id] for r in results if category_id in r.result.categories]
        scores = Spread(tuple(line.score for line in lines if line.score is not None))
        spread = scores.spread
        categories.append(
            LoopCategory(
                id=category_id,
                label=labels.get(category_id, category_id),
                scores=scores,
                flags=sum(line.flags for line in lines),
                ratings=Spread(tuple(line.rating for line in lines if line.rating is not None)),
                calibrate=spread is not None and round(spread, 9) >= round(band, 9),
            )
        )
    overall = Spread(tuple(r.result.overall for r in results if r.result.overall is not None))
    return CandidateDebrief(
        candidate=candidate,
        results=tuple(results),
        categories=tuple(categories),
        overall=overall,
        calibrate_band=band,
        shared_signals=_shared_signals(results),
        not_asked=_not_asked(cards),
        warnings=tuple(_warnings(candidate, results)),
    )


def _shared_signals(results: list[InterviewerResult]) -> tuple[SharedSignal, ...]:
    marked: dict[tuple[str, str, int], list[str]] = {}
    texts: dict[tuple[str, str, int], str] = {}
    questions: dict[str, tuple[str, str]] = {}
    for result in results:
        for q in result.scorecard.questions:
            questions.setdefault(q.id, (q.label, q.title))
            for kind, marks, wording in (
                ("great", q.marks.great, q.great_signals),
                ("negative", q.marks.negative, q.negative_signals),
            ):
                for index, (mark, text) in enumerate(zip(marks, wording), start=1):
                    texts.setdefault((q.id, kind, index), text)
                    if mark:
                        marked.setdefault((q.id, kind, index), []).append(result.interviewer)
    shared = [
        SharedSignal(questions[key[0]][0], key[0], questions[key[0]][1], key[1], key[2], texts[key], tuple(names))
        for key, names in marked.items()
        if len(names) > 1
    ]
    order = list(questions)
    return tuple(sorted(shared, key=lambda s: (order.index(s.question_id), s.kind != "great", s.index)))


BACKUP_LABEL = re.compile(r"\d+b")  # "1b": the backup of question 1 (see exporter.model.PacketQuestion)


def _not_asked(cards: list[FilledScorecard]) -> tuple[UnaskedQuestion, ...]:
    """Main questions no interviewer got to, on the scorecards that have been filled in.

    A backup left unused is what a backup is for, and a question whose backup was asked was covered by
    it, so neither is listed; an empty scorecard is reported as such, not as every one of its questions.
    """
    asked: dict[str, bool] = {}
    shown: dict[str, UnaskedQuestion] = {}
    for card in cards:
        if not any(q.marks.was_asked for q in card.questions):
            continue
        stood_in = {q.label[:-1] for q in card.questions if BACKUP_LABEL.fullmatch(q.label) and q.marks.was_asked}
        for q in card.questions:
            if BACKUP_LABEL.fullmatch(q.label):
                continue
            asked[q.id] = asked.get(q.id, False) or q.marks.was_asked or q.label in stood_in
            shown.setdefault(q.id, UnaskedQuestion(q.label, q.id, q.title))
    return tuple(shown[qid] for qid, was in asked.items() if not was)


def _warnings(candidate: str, results: list[InterviewerResult]) -> list[str]:
    """What the recruiter should check before trusting the comparison; each names the file."""
    warnings: list[str] = []
    cards = [r.scorecard for r in results]
    if candidate == NO_NAME:
        warnings.extend(f"{card.path}: the candidate cell is empty; tallied under {NO_NAME}" for card in cards)
    # A loop gives interviewers different layouts on purpose; the same layout must be the same version,
    # and every scorecard must come from the same bank, or the same question may weigh differently.
    banks = Counter(card.bank for card in cards)
    usual_bank = banks.most_common(1)[0][0]
    for card in cards:
        if card.bank != usual_bank:
            warnings.append(
                f"{card.path}: made from a different version of the question bank than the other scorecards "
                f"for {candidate}; its questions or weights may differ, so compare its numbers with care"
            )
    # The layout's own digest, not the identity: a slot rescaled with --minutes asks the same questions.
    for role in dict.fromkeys(card.role for card in cards):
        same_role = [card for card in cards if card.role == role and card.bank == usual_bank]
        versions = Counter(card.layout for card in same_role)
        if len(versions) > 1:
            usual = versions.most_common(1)[0][0]
            warnings.extend(
                f"{card.path}: made from a different version of layout {role} than the other {role} "
                f"scorecards for {candidate}; its questions may differ, so compare its numbers with care"
                for card in same_role
                if card.layout != usual
            )
    by_interviewer = Counter(_candidate_key(r.interviewer) for r in results)
    for result in results:
        if by_interviewer[_candidate_key(result.interviewer)] > 1:
            warnings.append(
                f"{result.file}: {result.interviewer} has more than one scorecard for {candidate}; "
                "check it is not a copy counted twice"
            )
    return warnings


# --- how figures are shown ------------------------------------------------------------------------


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


# --- JSON -----------------------------------------------------------------------------------------


def _spread_dict(spread: Spread) -> dict[str, Any]:
    return {
        "mean": spread.mean,
        "lowest": spread.lowest,
        "highest": spread.highest,
        "spread": spread.spread,
        "count": len(spread.values),
    }


def to_dict(debrief: Debrief) -> dict[str, Any]:
    """The ``--json`` document: one object per scorecard, one summary per candidate, the files not read."""
    scorecards = []
    for r in debrief.results:
        card = r.scorecard
        scorecards.append(
            {
                "file": r.file,
                "candidate": card.candidate,
                "interviewer": card.interviewer,
                "date": card.interview_date,
                "role": card.role,
                "identity": card.identity,
                "categories": {
                    cid: {"score": line.score, "flags": line.flags, "rating": line.rating, "asked": line.asked}
                    for cid, line in r.result.categories.items()
                },
                "red_flags": r.red_flags,
                "overall_score": r.result.overall,
                "recommendation": r.result.recommendation or None,
                "empty": r.empty,
            }
        )
    summaries = [
        {
            "candidate": c.candidate,
            "files": [r.file for r in c.results],
            "categories": {
                cat.id: {
                    **_spread_dict(cat.scores),
                    "flags": cat.flags,
                    "rating": cat.ratings.mean,
                    "calibrate": cat.calibrate,
                }
                for cat in c.categories
            },
            "red_flags": c.red_flags,
            "overall_score": _spread_dict(c.overall),
            "shared_signals": [
                {
                    "label": s.label,
                    "question": s.question_id,
                    "title": s.title,
                    "kind": s.kind,
                    "index": s.index,
                    "text": s.text,
                    "interviewers": list(s.interviewers),
                }
                for s in c.shared_signals
            ],
            "not_asked": [{"label": q.label, "question": q.question_id, "title": q.title} for q in c.not_asked],
            "empty": [r.file for r in c.empty],
            "warnings": list(c.warnings),
        }
        for c in debrief.candidates
    ]
    return {
        "scorecards": scorecards,
        "candidates": summaries,
        "unread": [{"file": u.file, "error": u.error} for u in debrief.unread],
    }


def to_json(debrief: Debrief) -> str:
    return json.dumps(to_dict(debrief), indent=2, ensure_ascii=False) + "\n"


# --- the debrief as tables: one model, shown as text, Markdown and Excel --------------------------------

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


# --- terminal ----------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns the text takes in a terminal: wide East Asian characters count two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def table_text(table: Table) -> list[str]:
    """A table with aligned columns, names left and figures right, a rule above the loop's rows."""
    cells = [
        [shown(value, table.kind(r, c)) + ("*" if (r, c) in table.flagged else "") for c, value in enumerate(row)]
        for r, row in enumerate(table.rows)
    ]
    figures = [max((_width(text) for text in column), default=0) for column in zip(*cells)]
    widths, header = wrap_captions(table.columns, figures or [0] * len(table.columns))
    right = [kind != TEXT for kind in table.kinds]

    def line(row: Sequence[str]) -> str:
        return "  ".join(_pad(text, widths[c], right[c]) for c, text in enumerate(row)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [
        table.title,
        *map(line, header),
        *map(line, cells[: table.loop_from]),
        rule,
        *map(line, cells[table.loop_from :]),
    ]


def terminal_text(debrief: Debrief) -> str:
    """The debrief as the terminal shows it: per candidate, three tables and the lists to talk about."""
    blocks = []
    for candidate in debrief.candidates:
        title = heading(candidate)
        lines = [title, "=" * _width(title), ""]
        for table in tables(candidate):
            lines += [*table_text(table), ""]
            if table.note:
                lines[-1:] = [*textwrap.wrap(table.note, 100), ""]
        for caption, items in findings(candidate):
            lines.append(f"{caption}:")
            lines += [
                textwrap.fill(item, 100, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)
                for item in items
            ]
            lines.append("")
        blocks.append("\n".join(lines).rstrip())
    if debrief.unread:
        files = ", ".join(u.file for u in debrief.unread)
        blocks.append(f"Not read, so not in the figures above: {files} (see the error below)")
    return "\n\n".join(blocks) + "\n"


# --- Markdown --------------------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text from a scorecard made safe for Markdown: its characters stay literal, a | never splits a cell."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"[ \t\r\n]+", " ", text).strip())  # keeps "50\u00a0pts" whole


def table_markdown(table: Table) -> list[str]:
    align = ["---" if kind == TEXT else "--:" for kind in table.kinds]
    lines = [
        f"### {md(table.title)}",
        "",
        "| " + " | ".join(md(c) for c in table.columns) + " |",
        "| " + " | ".join(align) + " |",
    ]
    for r, row in enumerate(table.rows):
        cells = []
        for c, value in enumerate(row):
            text = md(shown(value, table.kind(r, c)))
            if (r, c) in table.flagged:
                text = f"**{text}** \\*"
            elif r >= table.loop_from and c == 0:
                text = f"*{text}*"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", md(table.note)]
    return [*lines, ""]


def markdown(debrief: Debrief) -> str:
    """The debrief to paste into a hiring doc: per candidate, the tables and the lists to talk about."""
    lines = []
    for candidate in debrief.candidates:
        lines += [f"## {md(heading(candidate))}", ""]
        lines += [f"Scorecards: {', '.join(_md_file(r) for r in candidate.results)}", ""]
        for table in tables(candidate):
            lines += table_markdown(table)
        for caption, items in findings(candidate):
            lines += [f"### {md(caption)}", "", *(f"- {md(item)}" for item in items), ""]
    if debrief.unread:
        lines += ["## Not read, so not in the figures above", ""]
        for u in debrief.unread:
            head, *problems = unread_lines(u)
            lines += [f"- {md(head)}", *(f"  - {md(problem)}" for problem in problems)]
        lines.append("")
    return f"# {DEBRIEF_TITLE}\n\n" + TALLY_NOTE + "\n\n" + "\n".join(lines).rstrip() + "\n"


def unread_lines(unread: Unread) -> list[str]:
    """Why a file was not read: the file's line, then each of its problems (the error lists one a line)."""
    return [line.strip() for line in unread.error.splitlines() if line.strip()]


def _md_file(result: InterviewerResult) -> str:
    return f"{md(result.interviewer)} ({md(result.scorecard.path.name)})"


TALLY_NOTE = (
    "Made by packet tally from the interviewers' scorecards: every figure is recomputed from the marks "
    "with the scorecard's own scoring model, not copied from the workbooks."
)


# --- Excel ------------------------------------------------------------------------------------------------

FIRST_WIDTH, FIGURE_WIDTH = 24, 14  # Debrief sheet columns, in Excel's units of about one character
DEBRIEF_TITLE = "Interview debrief"  # the workbook's title property, by which tally knows its own debrief
DEBRIEF_SHEET = "Debrief"
SCORECARDS_SHEET = "Scorecards"
UNREAD_SHEET = "Not read"


def write_xlsx(debrief: Debrief, path: Path) -> None:
    """The debrief workbook: the readable Debrief sheet, and one row per scorecard for filtering and sorting.

    Written through the scorecard renderer's helpers, so every text is a literal string (a candidate named
    ``=HYPERLINK(…)`` stays text) and the file is byte-identical from run to run under SOURCE_DATE_EPOCH.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DEBRIEF_SHEET
    _debrief_sheet(sheet, debrief)
    _scorecards_sheet(workbook.create_sheet(SCORECARDS_SHEET), debrief)
    if debrief.unread:
        unread = workbook.create_sheet(UNREAD_SHEET)
        for column, caption in zip("AB", ("File", "Why it was not read")):
            xlsx.style_cell(xlsx.text(unread[f"{column}1"], caption), xlsx.BOLD, fill=xlsx.HEADER_FILL, border=xlsx.BOX)
        for row, u in enumerate(debrief.unread, start=2):
            xlsx.text(unread[f"A{row}"], u.file)
            why = "\n".join(unread_lines(u))
            xlsx.style_cell(xlsx.text(unread[f"B{row}"], why), xlsx.BODY, xlsx.WRAP)
            xlsx.fit_height(unread, row, why, 90, xlsx.BODY)
        unread.column_dimensions["A"].width = 40
        unread.column_dimensions["B"].width = 90
        _print_setup(unread, landscape=True)
    workbook.properties.creator = "packet"
    workbook.properties.title = DEBRIEF_TITLE
    xlsx.save(workbook, path, build_time())


def _xlsx_format(kind: str, flagged: bool) -> str | None:
    """Number formats as on the scorecard's Summary, so a score reads the same in both workbooks."""
    mark = '"*"' if flagged else ""
    return {
        SCORE: xlsx.SCORE_FORMAT,
        SPREAD: f'0" pts"{mark}',
        RATING: xlsx.RATING_FORMAT,
        COUNT: xlsx.COUNT_FORMAT,
    }.get(kind)


def _debrief_sheet(ws: Any, debrief: Debrief) -> None:
    all_tables = [t for c in debrief.candidates for t in tables(c)]
    width = max((len(t.columns) for t in all_tables), default=2)
    last = get_column_letter(width)
    ws.column_dimensions["A"].width = FIRST_WIDTH
    for column in range(2, width + 1):
        # A caption wraps at its spaces, never inside a word such as "Recommendation".
        words = [len(word) for t in all_tables if column <= len(t.columns) for word in t.columns[column - 1].split()]
        ws.column_dimensions[get_column_letter(column)].width = max(FIGURE_WIDTH, *(w * 1.2 + 1 for w in words))
    row = 1
    xlsx.style_cell(xlsx.text(ws["A1"], DEBRIEF_TITLE), xlsx.TITLE_FONT)
    row = _wrapped(ws, 2, TALLY_NOTE, last, xlsx.NOTE) + 1
    for candidate in debrief.candidates:
        row += 1
        xlsx.style_cell(xlsx.text(ws[f"A{row}"], heading(candidate)), xlsx.TITLE_FONT)
        files = ", ".join(f"{r.interviewer} ({r.scorecard.path.name})" for r in candidate.results)
        row = _wrapped(ws, row + 1, f"Scorecards: {files}", last, xlsx.NOTE) + 1
        for table in tables(candidate):
            row = _table_cells(ws, row + 1, table, last) + 1
        for caption, items in findings(candidate):
            row += 1
            xlsx.style_cell(xlsx.text(ws[f"A{row}"], caption), xlsx.HEADING_FONT)
            for item in items:
                row = _wrapped(ws, row + 1, f"• {item}", last, xlsx.BODY)
            row += 1
    if debrief.unread:
        row += 1
        xlsx.style_cell(xlsx.text(ws[f"A{row}"], "Not read, so not in the figures above"), xlsx.HEADING_FONT)
        for u in debrief.unread:
            head, *problems = unread_lines(u)
            row = _wrapped(ws, row + 1, f"• {head}", last, xlsx.BODY)
            for problem in problems:
                row = _wrapped(ws, row + 1, f"    – {problem}", last, xlsx.BODY)
    ws.print_area = f"A1:{last}{row}"
    _print_setup(ws, landscape=True)


def _table_cells(ws: Any, row: int, table: Table, last: str) -> int:
    """Write ``table`` from ``row``; returns the last row written."""
    xlsx.style_cell(xlsx.text(ws[f"A{row}"], table.title), xlsx.HEADING_FONT)
    row += 1
    for c, caption in enumerate(table.columns, start=1):
        alignment = xlsx.WRAP if c == 1 else xlsx.HEADER_CAPTION
        xlsx.style_cell(xlsx.text(ws.cell(row, c), caption), xlsx.BOLD, alignment, xlsx.HEADER_FILL, xlsx.BOX)
        xlsx.fit_height(ws, row, caption, FIRST_WIDTH if c == 1 else FIGURE_WIDTH, xlsx.BOLD)
    for r, values in enumerate(table.rows):
        row += 1
        loop = r >= table.loop_from
        for c, value in enumerate(values):
            kind = table.kind(r, c)
            flagged = (r, c) in table.flagged
            cell = ws.cell(row, c + 1)
            if kind == TEXT or value is None:
                xlsx.text(cell, shown(value, kind))  # a blank figure shows "–", as in the text and Markdown
            else:
                cell.value = value * 100 if kind == SPREAD else value  # spreads in points, as the text shows
            font = xlsx.BOLD if flagged or (loop and c == 0) else xlsx.BODY
            fill = xlsx.WEAK_FILL if flagged else xlsx.QUESTION_FILL if loop else None
            alignment = xlsx.TOP if c == 0 else xlsx.CENTER
            xlsx.style_cell(cell, font, alignment, fill, xlsx.BOX, _xlsx_format(kind, flagged))
    if table.note:
        row = _wrapped(ws, row + 1, table.note, last, xlsx.NOTE)
    return row


def _wrapped(ws: Any, row: int, text: str, last: str, font: Any) -> int:
    """A line of text across the sheet's width, wrapped, its row tall enough to show it all."""
    ws.merge_cells(f"A{row}:{last}{row}")
    xlsx.style_cell(xlsx.text(ws[f"A{row}"], text), font, xlsx.WRAP)
    xlsx.fit_height(ws, row, text, FIRST_WIDTH + FIGURE_WIDTH * (column_index_from_string(last) - 1), font)
    return row


SCORECARD_PARTS = (("score", SCORE), ("red flags", COUNT), ("rating", RATING), ("asked", COUNT))
"""The columns under each category on the Scorecards sheet."""


def _scorecards_sheet(ws: Any, debrief: Debrief) -> None:
    """One row per scorecard under two header rows: each category's label above its four columns, then the
    captions, which Excel's filter buttons sit on. Printed one page wide, the headers on every page."""
    labels = {c.id: c.label for candidate in debrief.candidates for c in candidate.categories}
    columns: list[tuple[str, str, float]] = [
        ("Candidate", TEXT, 16),
        ("Interviewer", TEXT, 16),
        ("Date", TEXT, 11),
        ("Role", TEXT, 20),
    ]
    first_figure = len(columns) + 1
    for _ in labels:
        columns += [(caption, kind, 8) for caption, kind in SCORECARD_PARTS]
    columns += [
        ("Red flags (total)", COUNT, 9),
        ("Overall score", SCORE, 9),
        ("Recommendation", TEXT, 15),
        ("Empty", TEXT, 7),
        ("File", TEXT, 32),
    ]
    for c, (caption, _, width) in enumerate(columns, start=1):
        alignment = xlsx.WRAP if c < first_figure or c == len(columns) else xlsx.HEADER_CAPTION
        xlsx.style_cell(xlsx.text(ws.cell(2, c), caption), xlsx.BOLD, alignment, xlsx.HEADER_FILL, xlsx.BOX)
        xlsx.fit_height(ws, 2, caption, width, xlsx.BOLD)
        ws.column_dimensions[get_column_letter(c)].width = width
    for k, label in enumerate(labels.values()):
        first = first_figure + k * len(SCORECARD_PARTS)
        ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(SCORECARD_PARTS) - 1)
        xlsx.style_cell(xlsx.text(ws.cell(1, first), label), xlsx.BOLD, xlsx.HEADER_CAPTION, xlsx.HEADER_FILL, xlsx.BOX)
        xlsx.fit_height(ws, 1, label, 8 * len(SCORECARD_PARTS), xlsx.BOLD)
    row = 2
    for candidate in debrief.candidates:
        for r in candidate.results:
            row += 1
            card = r.scorecard
            values: list[Any] = [card.candidate, card.interviewer, card.interview_date, card.role]
            for category_id in labels:
                line = r.result.categories.get(category_id)
                values += [line.score, line.flags, line.rating, line.asked] if line else [None, None, None, None]
            values += [r.red_flags, r.result.overall, r.result.recommendation, "Yes" if r.empty else "No", r.file]
            for c, ((_, kind, _), value) in enumerate(zip(columns, values), start=1):
                cell = ws.cell(row, c)
                if kind == TEXT:
                    xlsx.text(cell, value or "")
                else:
                    cell.value = value
                alignment = xlsx.WRAP if c == len(columns) else xlsx.TOP  # a long path wraps at its slashes
                xlsx.style_cell(cell, xlsx.BODY, alignment, border=xlsx.BOX, number_format=_xlsx_format(kind, False))
            xlsx.fit_height(ws, row, r.file, columns[-1][2], xlsx.BODY)
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{row}"
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:2"


def _print_setup(ws: Any, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "Page &P of &N"


# --- writing the debrief files ---------------------------------------------------------------------------

WRITERS = {".md": "Markdown", ".xlsx": "Excel", ".json": "JSON"}


def write_debrief(debrief: Debrief, outs: Sequence[Path], inputs: Sequence[Path], force: bool) -> list[Path]:
    """Write the debrief to each of ``outs`` (by ending: .md, .xlsx, .json), atomically; returns them.

    Every target is checked before anything is written: a known ending, not one of the scorecards read,
    not an existing file without ``--force``, and never a file that may be a scorecard, even with ``--force``
    (last run's debrief workbook may be replaced).
    """
    from .output import check_overwrite, write_atomic

    read = {p.resolve() for p in scorecard_files(inputs)[0]}
    for out in outs:
        if out.suffix.lower() not in WRITERS:
            choices = ", ".join(f"{ending} ({name})" for ending, name in WRITERS.items())
            raise UnsupportedFormat(f"--out {out}: cannot tell the format from its ending; end it in {choices}")
        if out.resolve() in read:
            raise OutputExists(f"--out {out} is one of the scorecards being tallied; choose another file")
    for out in outs:
        check_overwrite(out, force, _replaceable)
    for out in outs:
        ending = out.suffix.lower()
        if ending == ".xlsx":
            write_atomic(out, lambda tmp: write_xlsx(debrief, tmp), force)
        else:
            text = markdown(debrief) if ending == ".md" else to_json(debrief)
            write_atomic(out, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"), force)  # type: ignore[misc]
    return list(outs)


def _replaceable(path: Path) -> str | None:
    """Why ``path`` must be kept even with ``--force`` (see :func:`exporter.readback.filled_reason`), or None.

    A debrief this module wrote is known by its document properties and may be replaced: tallying again
    after one more interview rewrites it.
    """
    from .readback import filled_reason

    return None if is_debrief(path) else filled_reason(path)


def unread_error(debrief: Debrief) -> ScorecardError:
    """The error ``packet tally`` ends with when some file could not be read (exit code 1)."""
    count = len(debrief.unread)
    files = "1 file was" if count == 1 else f"{count} files were"
    head = f"{files} not read and left out of the tally"
    return ScorecardError(head + ":\n" + "\n".join(textwrap.indent(u.error, "  ") for u in debrief.unread))
