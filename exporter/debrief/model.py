"""The debrief's records, and their assembling from read scorecards: what ``packet tally`` computes.

Every figure is recomputed by :mod:`exporter.scoring` from the marks :mod:`exporter.readback` reads; none is
taken from a workbook's cached values. Scorecards are grouped by candidate and compared across interviewers:
the spread of scores, the signals several interviewers marked, the questions nobody asked, and what to check
before trusting the comparison. No file is opened here and nothing is shown: the views do that.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import scoring
from ..errors import ScorecardError
from .verdict import Verdict, evidence_checks, verdict, vote_conflict

if TYPE_CHECKING:  # only a type here: reading scorecards (and openpyxl) belongs to exporter.debrief.reading
    from ..readback import FilledScorecard

DEBRIEF_TITLE = "Interview debrief"  # every view's title, and the workbook property by which tally knows its own
NO_NAME = "(no candidate name)"


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
    def held(self) -> str:
        """What the card holds besides marks: "a vote", "take-aways", "notes", joined ("a vote and notes"); ""."""
        card = self.scorecard
        found = [
            what
            for what, there in (
                ("a vote", card.vote is not None),
                ("take-aways", bool(card.takeaways)),
                ("notes", self.has_notes),
            )
            if there
        ]
        return ", ".join(found[:-1]) + " and " + found[-1] if len(found) > 1 else "".join(found)

    @property
    def blank(self) -> bool:
        """Nothing on the card at all, as ``make`` left it: not back yet (a card with only a vote is back)."""
        return self.empty and not self.held

    @property
    def red_flags(self) -> int:
        """Negative signals marked Yes, each counted once, though its question may count for two categories."""
        return sum(q.marks.red_flags for q in self.scorecard.questions if q.marks.was_asked)

    @property
    def vote_conflict(self) -> str:
        """ "vote Strong yes, signals say No: talk it through" when the two are far apart, else ""."""
        return vote_conflict(self)


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
    evidence: str  # "assessed" on some scorecard, "indirect" (secondary weights only, on every one), or ""


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
class InterviewerNote:
    """One interviewer's rating and notes on one question."""

    interviewer: str
    rating: float | None
    notes: str


@dataclass(frozen=True)
class QuestionNotes:
    """A question as the interviewers who asked it, or wrote about it, rated it and noted it."""

    label: str  # as printed on the first scorecard that has it
    question_id: str
    title: str
    notes: tuple[InterviewerNote, ...]


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
    verdict: Verdict
    evidence_checks: tuple[str, ...]  # ratings and votes with no note, rating-error patterns, earlier formats
    question_notes: tuple[QuestionNotes, ...]

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
    """The whole tally: every scorecard read, each candidate's debrief, and the files left out."""

    results: tuple[InterviewerResult, ...]  # every scorecard read, in the order given
    candidates: tuple[CandidateDebrief, ...]
    unread: tuple[Unread, ...]
    skipped: tuple[str, ...]  # why a workbook was passed over: a debrief, or not a scorecard in a given folder

    @property
    def warnings(self) -> list[str]:
        return [*self.skipped, *(w for c in self.candidates for w in c.warnings)]


def assemble(cards: Sequence[FilledScorecard], unread: Sequence[Unread], skipped: Sequence[str]) -> Debrief:
    """Score every scorecard read and build each candidate's debrief, the candidates in the order met."""
    results = []
    for card in cards:
        questions = [q.scored for q in card.questions]
        results.append(InterviewerResult(card, scoring.score(card.categories, questions, card.thresholds)))
    groups: dict[str, list[InterviewerResult]] = {}
    for result in results:
        groups.setdefault(_candidate_key(result.scorecard.candidate), []).append(result)
    candidates = tuple(_debrief(group) for group in groups.values())
    return Debrief(results=tuple(results), candidates=candidates, unread=tuple(unread), skipped=tuple(skipped))


def unread_error(debrief: Debrief) -> ScorecardError:
    """The error ``packet tally`` ends with when some file could not be read (exit code 1)."""
    count = len(debrief.unread)
    files = "1 file was" if count == 1 else f"{count} files were"
    head = f"{files} not read and left out of the tally"
    return ScorecardError(head + ":\n" + "\n".join(textwrap.indent(u.error, "  ") for u in debrief.unread))


def _candidate_key(name: str) -> str:
    """Names that differ only in case, accents' encoding or spacing are the same candidate."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _debrief(results: list[InterviewerResult]) -> CandidateDebrief:
    cards = [r.scorecard for r in results]
    candidate = cards[0].candidate or NO_NAME
    category_ids = list(dict.fromkeys(c for card in cards for c in card.categories))
    labels: dict[str, str] = {}
    for card in cards:  # each scorecard carries its categories' labels (from its id, for an older card)
        for category_id, label in card.category_labels.items():
            labels.setdefault(category_id, label)
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
                evidence=_evidence(lines),
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
        verdict=verdict(results, categories),
        evidence_checks=tuple(evidence_checks(results)),
        question_notes=_question_notes(results),
    )


def _evidence(lines: list[scoring.CategoryResult]) -> str:
    """A category's evidence across the loop: assessed on some scorecard, or only indirect, or none."""
    if any(line.assessed for line in lines):
        return scoring.ASSESSED
    return scoring.INDIRECT if any(line.score is not None for line in lines) else ""


def _question_notes(results: list[InterviewerResult]) -> tuple[QuestionNotes, ...]:
    """Per question, in the order the scorecards list them, each interviewer's rating and notes: those who
    asked it or wrote a note on it."""
    found: dict[str, tuple[str, str, list[InterviewerNote]]] = {}
    for result in results:
        for q in result.scorecard.questions:
            entry = found.setdefault(q.id, (q.label, q.title, []))
            if q.marks.was_asked or q.notes:
                entry[2].append(InterviewerNote(result.interviewer, q.marks.rating, q.notes))
    return tuple(
        QuestionNotes(label, question_id, title, tuple(notes))
        for question_id, (label, title, notes) in found.items()
        if notes
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
                    if text or (q.id, kind, index) not in texts:  # a kit's marks file carries no wording
                        texts[(q.id, kind, index)] = texts.get((q.id, kind, index)) or text
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


def _slot_warnings(results: list[InterviewerResult]) -> list[str]:
    """Two cards for one slot of a loop: remade for another interviewer, say, with the first left in the folder."""
    seats = Counter((r.scorecard.loop.loop, r.scorecard.loop.slot) for r in results if r.scorecard.loop)
    warnings = []
    for result in results:
        seat = result.scorecard.loop
        if seat is not None and seats[(seat.loop, seat.slot)] > 1:
            named = next((s.interviewer for s in seat.slots if s.number == seat.slot), f"slot {seat.slot}")
            warnings.append(
                f"{result.file}: one of {seats[(seat.loop, seat.slot)]} scorecards for slot {seat.slot} ({named}) of "
                f"loop {seat.loop}; keep the one from the interview and move the other out of the folder"
            )
    return warnings


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
    warnings += _slot_warnings(results)
    by_interviewer = Counter(_candidate_key(r.interviewer) for r in results)
    for result in results:
        if by_interviewer[_candidate_key(result.interviewer)] > 1:
            warnings.append(
                f"{result.file}: {result.interviewer} has more than one scorecard for {candidate}; "
                "check it is not a copy counted twice"
            )
    return warnings
