"""The scoring model of exporter.scoring: worked examples, then properties over many random fillings."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.model import Thresholds
from exporter.scoring import (
    CategoryResult,
    QuestionMarks,
    ScoredQuestion,
    category_result,
    mark_value,
    overall_score,
    question_score,
    rating_value,
    recommendation,
    score,
    vote_value,
)

CATEGORIES = ("world-class", "operational", "strategic", "team-member")
THRESHOLDS = Thresholds(strong_yes=0.5, yes=0.2, no=-0.2)
SETTINGS = settings(max_examples=60, deadline=None)

marks = st.sampled_from([True, False, None])
question_marks = st.builds(
    QuestionMarks,
    asked=marks,
    great=st.lists(marks, min_size=1, max_size=5),
    negative=st.lists(marks, min_size=0, max_size=4),
    rating=st.one_of(st.none(), st.integers(1, 4)),
)
weights = st.dictionaries(
    st.sampled_from(CATEGORIES), st.sampled_from([0.25, 0.5, 0.75, 1.0]) | st.floats(0.01, 1.0), min_size=1
)
scored_questions = st.lists(st.builds(ScoredQuestion, weights=weights, marks=question_marks), max_size=8)


def unasked(great: int = 3, negative: int = 2, asked: bool | None = None) -> QuestionMarks:
    return QuestionMarks(asked=asked, great=[None] * great, negative=[False] * negative, rating=None)


def test_worked_example():
    # Question 1: 2 of 4 great signals, 1 of 2 red flags, rated 3; counts for world-class (1) and operational (0.5).
    first = ScoredQuestion(
        {"world-class": 1.0, "operational": 0.5}, QuestionMarks(True, [True, True, None, False], [True, False], 3)
    )
    # Question 2: asked No, but a great signal is marked: it was asked. 1 of 1 great, no red flags, no rating.
    second = ScoredQuestion({"operational": 1.0}, QuestionMarks(False, [True], [None, None]))
    # Question 3: time ran out.
    third = ScoredQuestion({"strategic": 1.0}, unasked())
    result = score(CATEGORIES, [first, second, third], THRESHOLDS)
    assert question_score(first.marks) == pytest.approx(0.0)
    assert result.categories["world-class"] == CategoryResult(score=0.0, flags=1, rating=3.0, asked=1, weight=1.0)
    operational = result.categories["operational"]
    assert operational.score == pytest.approx((0.5 * 0.0 + 1.0 * 1.0) / 1.5)
    assert (operational.flags, operational.rating, operational.asked) == (1, 3.0, 2)
    assert result.categories["strategic"] == CategoryResult(score=None, flags=0, rating=None, asked=0)
    assert result.categories["team-member"] == CategoryResult(score=None, flags=0, rating=None, asked=0)
    assert [line.evidence for line in result.categories.values()] == ["assessed", "assessed", "", ""]
    assert result.overall == pytest.approx((0.0 + 2 / 3) / 2)
    assert result.recommendation == "Yes"


@pytest.mark.parametrize(
    ("overall", "expected"),
    [
        (None, ""),
        (1.0, "Strong yes"),
        (0.5, "Strong yes"),
        (0.49, "Yes"),
        (0.2, "Yes"),
        (0.2 - 1e-12, "Yes"),  # within the rounding to 9 decimals: the engines agree it is on the threshold
        (0.1999, "No"),
        (-0.2, "No"),
        (-0.2001, "Strong no"),
        (-1.0, "Strong no"),
    ],
)
def test_recommendation_thresholds(overall, expected):
    assert recommendation(overall, THRESHOLDS) == expected
    assert recommendation(overall, {"strong_yes": 0.5, "yes": 0.2, "no": -0.2}) == expected


def test_asked_reading():
    assert not unasked().was_asked
    assert not unasked(asked=False).was_asked
    assert unasked(asked=True).was_asked
    assert QuestionMarks(None, [None], [None], rating=1).was_asked
    assert QuestionMarks(False, [None], [True]).was_asked  # a red flag seen means it was asked
    # Asked, but nothing heard: counts, with a score of 0 (not left out).
    assert question_score(unasked(asked=True)) == 0.0
    assert question_score(unasked()) is None


def test_cell_values_are_read_as_the_formulas_read_them():
    assert [mark_value(v) for v in ("Yes", "yes", "YES", "No", "no", "", None, " Yes", "y", 1, True)] == [
        True, True, True, False, False, None, None, None, None, None, None,
    ]  # fmt: skip
    assert [rating_value(v) for v in (1, 4, 2.5, None, "", "3", True)] == [1.0, 4.0, 2.5, None, None, None, None]
    # A choice of the rating list reads as its level, without regard to case, as "=" compares text.
    choices = ["1 – Poor", "2 – Mixed", "3 – Good", "4 – Excellent"]
    assert [rating_value(v, choices) for v in ("3 – Good", "4 – EXCELLENT", "3 - Good", "3", 2)] == [
        3.0, 4.0, None, None, 2.0,
    ]  # fmt: skip
    assert [vote_value(v) for v in ("Strong yes", "strong no", " Yes ", "Maybe", 1, None)] == [
        "Strong yes", "Strong no", "Yes", None, None, None,
    ]  # fmt: skip


def test_a_category_touched_only_by_secondary_weights_is_indirect():
    # The samples' case: the operational question was not asked, so "Outstanding operationally" rests on another
    # question's half weight alone. Its score is shown, marked indirect, and left out of the overall score.
    technical = ScoredQuestion({"world-class": 1.0, "operational": 0.5}, QuestionMarks(True, [True, None], [None]))
    operational = ScoredQuestion({"operational": 1.0}, unasked())
    result = score(CATEGORIES, [technical, operational], THRESHOLDS)
    line = result.categories["operational"]
    assert (line.score, line.weight, line.assessed, line.evidence) == (0.5, 0.5, False, "indirect")
    assert result.overall == 0.5 and result.recommendation == "Strong yes"  # world-class alone
    # Half weights add up: two secondary questions make one primary question's worth.
    both = score(CATEGORIES, [technical, technical], THRESHOLDS)
    assert both.categories["operational"].evidence == "assessed"
    # With nothing assessed, the overall score and the recommendation are blank.
    only_indirect = score(
        CATEGORIES, [ScoredQuestion({"strategic": 0.75}, QuestionMarks(True, [True], []))], THRESHOLDS
    )
    assert only_indirect.categories["strategic"].evidence == "indirect"
    assert (only_indirect.overall, only_indirect.recommendation) == (None, "")
    # Weights that add up to 1 only within rounding count as 1.
    thirds = [ScoredQuestion({"strategic": 0.1}, QuestionMarks(True, [True], []))] * 10
    assert score(CATEGORIES, thirds, THRESHOLDS).categories["strategic"].assessed


def test_no_negative_signals_means_no_penalty():
    assert question_score(QuestionMarks(True, [True, False], [])) == 0.5


@SETTINGS
@given(question_marks)
def test_question_score_is_between_minus_one_and_one(question):
    value = question_score(question)
    assert (value is None) == (not question.was_asked)
    if value is not None:
        assert -1.0 <= value <= 1.0


@SETTINGS
@given(scored_questions)
def test_category_results_are_in_range_and_blank_only_when_nothing_was_asked(questions):
    result = score(CATEGORIES, questions, THRESHOLDS)
    for category_id, line in result.categories.items():
        counted = [q for q in questions if q.weights.get(category_id, 0) > 0 and q.marks.was_asked]
        assert line.asked == len(counted)
        assert line.flags == sum(q.marks.red_flags for q in counted)
        assert (line.score is None) == (not counted)
        if line.score is not None:
            assert -1.0 - 1e-12 <= line.score <= 1.0 + 1e-12
        rated = [q for q in counted if q.marks.rating is not None]
        assert (line.rating is None) == (not rated)
        if line.rating is not None:
            assert 1.0 - 1e-12 <= line.rating <= 4.0 + 1e-12
    for line in result.categories.values():
        assert line.assessed == (round(line.weight, 9) >= 1)
        assert line.evidence == ("assessed" if line.assessed else "indirect" if line.score is not None else "")
    present = [line.score for line in result.categories.values() if line.assessed]
    if present:
        assert result.overall == pytest.approx(sum(present) / len(present))
        assert result.recommendation in ("Strong yes", "Yes", "No", "Strong no")
    else:
        assert result.overall is None
        assert result.recommendation == ""


@SETTINGS
@given(scored_questions, st.lists(st.builds(ScoredQuestion, weights=weights, marks=st.just(unasked())), max_size=4))
def test_unasked_questions_change_nothing(questions, skipped):
    # Time ran out for some questions: they are left out, never counted as zero.
    with_skipped = score(CATEGORIES, [*skipped, *questions, *skipped], THRESHOLDS)
    without = score(CATEGORIES, questions, THRESHOLDS)
    assert with_skipped.categories.keys() == without.categories.keys()
    for category_id, line in without.categories.items():
        other = with_skipped.categories[category_id]
        assert (other.flags, other.asked) == (line.flags, line.asked)
        for a, b in ((other.score, line.score), (other.rating, line.rating)):
            assert (a is None) == (b is None)
            if a is not None and b is not None:
                assert math.isclose(a, b, abs_tol=1e-12)
    assert with_skipped.recommendation == without.recommendation


@SETTINGS
@given(scored_questions, st.floats(0.1, 10.0))
def test_only_relative_weights_matter(questions, factor):
    scaled = [ScoredQuestion({k: w * factor for k, w in q.weights.items()}, q.marks) for q in questions]
    for category_id in CATEGORIES:
        a, b = category_result(category_id, questions), category_result(category_id, scaled)
        assert (a.score is None) == (b.score is None)
        if a.score is not None and b.score is not None:
            assert math.isclose(a.score, b.score, abs_tol=1e-9)


@SETTINGS
@given(st.floats(-1.0, 1.0), st.floats(-1.0, 1.0))
def test_recommendation_never_drops_as_the_score_rises(low, high):
    low, high = sorted((low, high))
    order = ["Strong no", "No", "Yes", "Strong yes"]
    assert order.index(recommendation(low, THRESHOLDS)) <= order.index(recommendation(high, THRESHOLDS))


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.floats(-1.0, 1.0)), min_size=4, max_size=4))
def test_overall_is_the_mean_of_the_scores_present(scores):
    results = [CategoryResult(s, 0, None, 0 if s is None else 1, 0.0 if s is None else 1.0) for s in scores]
    present = [s for s in scores if s is not None]
    overall = overall_score(results)
    if present:
        assert overall is not None
        assert math.isclose(overall, sum(present) / len(present), abs_tol=1e-12)
        assert min(present) - 1e-12 <= overall <= max(present) + 1e-12
    else:
        assert overall is None
