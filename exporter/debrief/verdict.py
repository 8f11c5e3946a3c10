"""The loop's verdict and the evidence behind it: what the debrief decides on, and what to check first.

Owns the rules that turn the interviewers' own votes and their scorecards' figures into a verdict for one
candidate, and the structured-interview checks on the evidence:

- **Votes.** Each interviewer's vote (Strong no, No, Yes, Strong yes) is set beside the recommendation their
  own marks compute (:mod:`exporter.scoring`); a vote :data:`FAR_APART` bands or more from it is flagged
  ("vote Strong yes, signals say No: talk it through").
- **The verdict.** The votes counted ("2 × Yes, 1 × Strong yes"); the mean of the scorecards' overall scores
  and the recommendation it gives under the layouts' thresholds; *no consensus* when the votes hold both a
  yes and a no :data:`FAR_APART` bands or more apart; the categories that only secondary weights touched
  (*indirect* on every scorecard); and, for a loop made with ``make --loop``, the slots whose scorecards
  have not come back.
- **Evidence checks.** A rating, or a vote, with no note behind it; per interviewer, the classic rating
  errors (every rating the same, all at the top, all in the middle); a scorecard of the earlier format,
  which carries no vote.

Plain records and plain text: the views lay them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import scoring
from ..model import LoopSlotName

if TYPE_CHECKING:
    from .model import InterviewerResult, LoopCategory

FAR_APART = 2  # recommendation bands between two judgements that call for a talk (Strong yes vs No)
MIN_RATINGS_FOR_PATTERN = 3  # fewer ratings than this are too few to call a pattern
TOP_RATING = 4.0
MIDDLE_RATINGS = (2.0, 3.0)
BANDS = {label: band for band, label in enumerate(scoring.VOTES)}  # Strong no 0, No 1, Yes 2, Strong yes 3


def bands_apart(first: str, second: str) -> int:
    """How many recommendation bands lie between two judgements: Yes and Strong yes 1, Strong yes and No 2."""
    return abs(BANDS[first] - BANDS[second])


def vote_conflict(result: InterviewerResult) -> str:
    """ "vote Strong yes, signals say No: talk it through" when the vote is far from the computed
    recommendation; "" otherwise, or when either is blank."""
    vote, computed = result.scorecard.vote, result.result.recommendation
    if vote is None or not computed or bands_apart(vote, computed) < FAR_APART:
        return ""
    return f"vote {vote}, signals say {computed}: talk it through"


@dataclass(frozen=True)
class MissingSlots:
    """A loop made with ``make --loop`` whose scorecards have not all come back filled in. ``make --loop``
    writes a blank scorecard for every slot, so a blank one in the folder is one not back yet."""

    loop: str
    slots: int  # how many slots the loop has
    returned: int  # how many of them have a filled-in scorecard here
    missing: tuple[LoopSlotName, ...]  # slots with no scorecard here
    blank: tuple[LoopSlotName, ...] = ()  # slots whose scorecard here has nothing marked on it

    @property
    def text(self) -> str:
        """ "2 of 4 in: the release engineer's is missing, the peer manager's is blank"."""
        parts = [
            f"{_listed(slots)} {'is' if len(slots) == 1 else 'are'} {what}"
            for slots, what in ((self.missing, "missing"), (self.blank, "blank"))
            if slots
        ]
        return f"{self.returned} of {self.slots} in: {', '.join(parts)}"


def _listed(slots: Sequence[LoopSlotName]) -> str:
    """ "the release engineer's and the peer manager's"."""
    whose = [f"the {_role(slot.interviewer)}'s" for slot in slots]
    return whose[0] if len(whose) == 1 else f"{', '.join(whose[:-1])} and {whose[-1]}"


def _role(interviewer: str) -> str:
    """A slot's interviewer inside a sentence: "Release engineer" → "release engineer"; "SRE lead" stays."""
    first = interviewer.split(" ", 1)[0]
    return interviewer[0].lower() + interviewer[1:] if first[1:] == first[1:].lower() else interviewer


@dataclass(frozen=True)
class Verdict:
    """What the loop says about one candidate, before anyone talks."""

    votes: tuple[tuple[str, int], ...]  # (vote, how many), the most given first, then Strong yes first
    without_vote: int  # scorecards with no vote (blank, or of the earlier format)
    mean_overall: float | None  # the mean of the scorecards' overall scores
    recommendation: str  # the mean's, under the layouts' thresholds; "" when blank or the thresholds differ
    thresholds_differ: bool
    no_consensus: bool
    indirect: tuple[str, ...]  # labels of the categories that only secondary weights touched, on every card
    missing: tuple[MissingSlots, ...]

    @property
    def votes_text(self) -> str:
        """ "2 × Yes, 1 × Strong yes, 1 × No", with the scorecards that carry none; "no votes" when none do."""
        counted = [f"{count} \u00d7 {vote}" for vote, count in self.votes] or ["none"]
        if self.without_vote:
            counted.append(f"{self.without_vote} scorecard{'' if self.without_vote == 1 else 's'} without a vote")
        return ", ".join(counted)

    @property
    def consensus_text(self) -> str:
        """ "no consensus: the votes run from No to Strong yes; talk it through", or ""."""
        if not self.no_consensus:
            return ""
        given = sorted((vote for vote, _ in self.votes), key=BANDS.__getitem__)
        return f"no consensus: the votes run from {given[0]} to {given[-1]}; talk it through"

    def lines(self, percent: Callable[[float | None], str]) -> list[str]:
        """The verdict as lines to read out, ``percent`` showing a score as the views do."""
        if self.thresholds_differ:
            says = "no single recommendation: the layouts' thresholds differ"
        else:
            says = f"{self.recommendation or 'no recommendation'} under the layouts' thresholds"
        lines = [*(f"Only {gap.text}" for gap in self.missing), f"Votes: {self.votes_text}"]
        if self.consensus_text:
            lines.append(self.consensus_text[0].upper() + self.consensus_text[1:])
        lines.append(f"Mean overall score: {percent(self.mean_overall)}, {says}")
        if self.indirect:
            lines.append(f"Assessed only indirectly, so left out of every overall score: {', '.join(self.indirect)}")
        return lines


def verdict(results: Sequence[InterviewerResult], categories: Sequence[LoopCategory]) -> Verdict:
    """The candidate's verdict from their scorecards' votes and figures (see the module docstring)."""
    votes = Counter(r.scorecard.vote for r in results if r.scorecard.vote is not None)
    bands = [BANDS[vote] for vote in votes]
    yes, no = BANDS[scoring.RECOMMENDATIONS[1]], BANDS[scoring.RECOMMENDATIONS[2]]
    no_consensus = bool(bands) and max(bands) >= yes and min(bands) <= no and max(bands) - min(bands) >= FAR_APART
    overall = [r.result.overall for r in results if r.result.overall is not None]
    mean = sum(overall) / len(overall) if overall else None
    said = {scoring.recommendation(mean, r.scorecard.thresholds) for r in results}
    return Verdict(
        votes=tuple(sorted(votes.items(), key=lambda item: (-item[1], -BANDS[item[0]]))),
        without_vote=sum(r.scorecard.vote is None for r in results),
        mean_overall=mean,
        recommendation=said.pop() if len(said) == 1 else "",
        thresholds_differ=len(said) > 1,
        no_consensus=no_consensus,
        indirect=tuple(c.label for c in categories if c.evidence == scoring.INDIRECT),
        missing=_missing_slots(results),
    )


def _missing_slots(results: Sequence[InterviewerResult]) -> tuple[MissingSlots, ...]:
    """Per loop the scorecards name, the slots with no scorecard among ``results``, and those whose only
    scorecard is blank."""
    loops: dict[str, tuple[tuple[LoopSlotName, ...], set[int], set[int]]] = {}
    for r in results:
        seat = r.scorecard.loop
        if seat is not None:
            slots, present, filled = loops.setdefault(seat.loop, (seat.slots, set(), set()))
            present.add(seat.slot)
            if not r.blank:
                filled.add(seat.slot)
    gaps = []
    for name, (slots, present, filled) in loops.items():
        missing = tuple(slot for slot in slots if slot.number not in present)
        blank = tuple(slot for slot in slots if slot.number in present and slot.number not in filled)
        if missing or blank:
            gaps.append(MissingSlots(name, len(slots), len(slots) - len(missing) - len(blank), missing, blank))
    return tuple(gaps)


def evidence_checks(results: Sequence[InterviewerResult]) -> list[str]:
    """Per interviewer: ratings and a vote with no note behind them, the rating-error patterns, and a
    scorecard of the earlier format, which carries no vote."""
    earlier = [r.interviewer for r in results if r.scorecard.format < 2]
    checks: list[str] = []
    if earlier:
        checks.append(f"An earlier scorecard format, which carries no vote or take-aways: {', '.join(earlier)}")
    for r in results:
        card, who = r.scorecard, r.interviewer
        for q in card.questions:
            if q.marks.rating is not None and not q.notes:
                checks.append(f"{who}: q{q.label} rated {q.marks.rating:.0f} with no note")
        if card.vote is not None and not card.takeaways:
            checks.append(f"{who}: vote {card.vote} with no take-aways")
        pattern = rating_pattern([q.marks.rating for q in card.questions if q.marks.rating is not None])
        if pattern:
            checks.append(f"{who}: {pattern}")
    return checks


def rating_pattern(ratings: Sequence[float]) -> str:
    """The classic rating error a set of ratings shows, or "": every rating at the top (leniency), every
    rating the same, or every rating in the middle (central tendency)."""
    if len(ratings) < MIN_RATINGS_FOR_PATTERN:
        return ""
    count = f"all {len(ratings)} rated questions"
    if all(rating == TOP_RATING for rating in ratings):
        return f"every rating at the top ({TOP_RATING:.0f} on {count}): is anything below the best?"
    if len(set(ratings)) == 1:
        return f"every rating the same ({ratings[0]:.0f} on {count}): did the ratings tell the questions apart?"
    if all(rating in MIDDLE_RATINGS for rating in ratings):
        return f"every rating in the middle (2 or 3 on {count}): is any answer clearly strong or weak?"
    return ""
