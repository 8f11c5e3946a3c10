"""The scoring model: how an interviewer's marks become category scores and a recommendation.

This is the single definition of the model. The Excel scorecard's formulas (:mod:`exporter.render.xlsx_card`)
compute exactly these numbers, and ``packet tally`` recomputes them from a filled scorecard's marks with
these functions, so everything here works on plain data (booleans, numbers, mappings), not on models.

For each question the interviewer fills in an Asked cell (Yes / No / blank), one mark per great signal and
per negative signal (Yes / No / blank) and a rating (1–4 or blank).

- **Asked.** A question counts as asked when its Asked cell is Yes, or any of its signals is marked Yes, or
  it has a rating. The evidence wins over the Asked cell: a question whose Asked cell says No but which has
  a signal marked Yes or a rating *is* asked (the interviewer forgot to flip the cell). A question that was
  not asked (time ran out) is left out of every figure, never counted as zero.
- **Signal score** of an asked question with n great signals of which G are marked Yes, and m negative
  signals of which N are marked Yes: ``G/n − N/m``, from −1 to +1 (a term is 0 when its n or m is 0).
  Blank and No marks both count as "not heard".
- **Per category** k, over the asked questions whose weight w in k is above 0 (weights come from the bank,
  so a question counts towards every category it covers, not only the one it is asked for):
  score ``S_k = Σ w·s / Σ w``; red flags ``F_k = Σ N``; rating ``R_k = Σ w·r / Σ w`` over those of them
  that have a rating r; asked count ``A_k``. With no such question (or no such rating) the score (rating)
  is blank — never 0 — and the flags and asked count are 0.
- **Evidence strength.** A category is *assessed* when the weights of the asked questions in it add up to at
  least 1 (one primary question's worth; the sum rounded to 9 decimal places first). A category with a score
  that is not assessed rests only on secondary weights: its score is shown, marked *indirect*, but is left
  out of the overall score and so out of the recommendation.
- **Overall score**: the mean of the assessed categories' scores; blank when no category is assessed.
- **Recommendation** from the overall score and the layout's thresholds: overall ≥ strong_yes → "Strong
  yes", ≥ yes → "Yes", ≥ no → "No", otherwise "Strong no"; blank when the overall score is blank. The
  comparison uses the overall score rounded to 9 decimal places, so Excel, LibreOffice, Google Sheets and
  Python agree even when their last binary digit differs at a threshold.

The interviewer's own **vote** (one of :data:`VOTES`) and take-aways stand beside these figures and change
none of them: the computed recommendation is a cross-check on the vote, not the other way round.

Cell values are read as the formulas read them: a mark is Yes or No compared without regard to case
(COUNTIF's rule), anything else is blank; a rating is any number, or one of the rating list's choices
("3 – Good", compared without regard to case, as ``=`` compares text) read as its level; anything else is
no rating.
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

YES = "Yes"
NO = "No"
RECOMMENDATIONS = ("Strong yes", "Yes", "No", "Strong no")
VOTES = tuple(reversed(RECOMMENDATIONS))  # the interviewer's own vote, in the order a drop-down lists it
THRESHOLD_DIGITS = 9  # the overall score is rounded to this many decimals before it meets a threshold
ASSESSED_WEIGHT = 1.0  # a category is assessed once its asked questions' weights add up to this
INDIRECT = "indirect"  # how the Summary marks the score of a category that is not assessed
ASSESSED = "assessed"


class ThresholdsLike(Protocol):
    """The layout's recommendation thresholds (:class:`exporter.model.Thresholds` is one)."""

    @property
    def strong_yes(self) -> float: ...

    @property
    def yes(self) -> float: ...

    @property
    def no(self) -> float: ...


# NamedTuples rather than dataclasses, and annotations evaluated rather than strings: both would be compiled at
# import, on every start of `packet` (see exporter.model).


class QuestionMarks(NamedTuple):
    """What the interviewer filled in for one question; None is a blank cell."""

    asked: bool | None
    great: Sequence[bool | None]
    negative: Sequence[bool | None]
    rating: float | None = None

    @property
    def was_asked(self) -> bool:
        """Asked is Yes, or any signal is marked Yes, or there is a rating (see the module docstring)."""
        return bool(self.asked) or any(self.great) or any(self.negative) or self.rating is not None

    @property
    def great_heard(self) -> int:
        return sum(1 for mark in self.great if mark)

    @property
    def red_flags(self) -> int:
        """N: the negative signals marked Yes."""
        return sum(1 for mark in self.negative if mark)


class CategoryResult(NamedTuple):
    """One category's line on the Summary sheet; None is a blank cell."""

    score: float | None
    flags: int
    rating: float | None
    asked: int
    weight: float = 0.0  # Σ w over the asked questions: the evidence behind the score

    @property
    def assessed(self) -> bool:
        """Enough evidence to count: the asked questions' weights add up to one primary question's worth."""
        return round(self.weight, THRESHOLD_DIGITS) >= ASSESSED_WEIGHT

    @property
    def evidence(self) -> str:
        """ "assessed", "indirect" (a score from secondary weights only) or "" (no score), as the Summary shows."""
        if self.assessed:
            return ASSESSED
        return INDIRECT if self.score is not None else ""


class ScoredQuestion(NamedTuple):
    """A question's weights per category id (from the bank) together with its marks."""

    weights: Mapping[str, float]
    marks: QuestionMarks


class Result(NamedTuple):
    """Everything the Summary sheet shows, keyed by category id in the packet's order."""

    categories: dict[str, CategoryResult]
    overall: float | None
    recommendation: str  # "" when the overall score is blank


def mark_value(value: object) -> bool | None:
    """A mark or Asked cell's value as the formulas read it: Yes → True, No → False, else None."""
    if isinstance(value, str):
        folded = value.casefold()
        if folded == YES.casefold():
            return True
        if folded == NO.casefold():
            return False
    return None


def rating_value(value: object, choices: Sequence[str] = ()) -> float | None:
    """A rating cell's value as the formulas read it: any number; the text of the ``k``-th of the rating list's
    ``choices`` ("3 – Good"), without regard to case, as ``k``; else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        folded = value.casefold()
        for level, choice in enumerate(choices, start=1):
            if folded == choice.casefold():
                return float(level)
    return None


def vote_value(value: object) -> str | None:
    """A vote cell's value: one of :data:`VOTES` (without regard to case, spelled as listed), else None."""
    if isinstance(value, str):
        folded = value.strip().casefold()
        return next((vote for vote in VOTES if vote.casefold() == folded), None)
    return None


def question_score(marks: QuestionMarks) -> float | None:
    """``G/n − N/m`` for an asked question; None when it was not asked."""
    if not marks.was_asked:
        return None
    great = marks.great_heard / len(marks.great) if marks.great else 0.0
    negative = marks.red_flags / len(marks.negative) if marks.negative else 0.0
    return great - negative


def category_result(category_id: str, questions: Sequence[ScoredQuestion]) -> CategoryResult:
    """S_k, F_k, R_k and A_k for one category over the asked questions with a weight in it."""
    weight_sum = weighted_score = rated_weight = weighted_rating = 0.0
    flags = asked = 0
    for question in questions:
        weight = question.weights.get(category_id, 0.0)
        score = question_score(question.marks)
        if weight <= 0 or score is None:
            continue
        asked += 1
        flags += question.marks.red_flags
        weight_sum += weight
        weighted_score += weight * score
        if question.marks.rating is not None:
            rated_weight += weight
            weighted_rating += weight * question.marks.rating
    return CategoryResult(
        score=weighted_score / weight_sum if weight_sum else None,
        flags=flags,
        rating=weighted_rating / rated_weight if rated_weight else None,
        asked=asked,
        weight=weight_sum,
    )


def overall_score(results: Sequence[CategoryResult]) -> float | None:
    """The mean of the assessed categories' scores; None when no category is assessed."""
    scores = [r.score for r in results if r.score is not None and r.assessed]
    return sum(scores) / len(scores) if scores else None


def _threshold(thresholds: ThresholdsLike | Mapping[str, float], name: str) -> float:
    if isinstance(thresholds, Mapping):
        return float(thresholds[name])
    return float(getattr(thresholds, name))


def recommendation(overall: float | None, thresholds: ThresholdsLike | Mapping[str, float]) -> str:
    """ "Strong yes", "Yes", "No" or "Strong no" for an overall score; "" when it is blank.

    ``thresholds`` is the layout's :class:`~exporter.model.Thresholds` or a mapping with the keys
    strong_yes, yes and no (as the scorecard's hidden Packet sheet stores them).
    """
    if overall is None:
        return ""
    rounded = round(overall, THRESHOLD_DIGITS)
    for label, name in zip(RECOMMENDATIONS, ("strong_yes", "yes", "no")):
        if rounded >= _threshold(thresholds, name):
            return label
    return RECOMMENDATIONS[-1]


def score(
    category_ids: Sequence[str],
    questions: Sequence[ScoredQuestion],
    thresholds: ThresholdsLike | Mapping[str, float],
) -> Result:
    """The whole Summary: every category's result, the overall score and the recommendation."""
    categories = {category_id: category_result(category_id, questions) for category_id in category_ids}
    overall = overall_score(list(categories.values()))
    return Result(categories, overall, recommendation(overall, thresholds))
