"""The time budget: rescaling by largest remainder, offsets and clock times (property tests)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.budget import clock_time, format_clock, parse_clock, place, rescale
from exporter.errors import BudgetError

lengths = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(lengths, st.integers(min_value=1, max_value=600))
def test_rescale_adds_up_and_never_drops_a_section(minutes, total):
    if total < len(minutes):
        with pytest.raises(BudgetError):
            rescale(minutes, total)
        return
    shares = rescale(minutes, total)
    assert sum(shares) == total
    assert all(s >= 1 for s in shares)
    assert len(shares) == len(minutes)


@settings(max_examples=300, deadline=None)
@given(lengths, st.integers(min_value=1, max_value=600))
def test_rescale_stays_within_a_minute_of_the_exact_share_when_no_floor_is_hit(minutes, total):
    quotas = [Fraction(m * total, sum(minutes)) for m in minutes]
    if total < len(minutes) or any(q < 1 for q in quotas):
        return
    for share, quota in zip(rescale(minutes, total), quotas):
        assert abs(share - quota) < 1


@given(lengths)
def test_rescale_to_the_same_total_changes_nothing(minutes):
    assert rescale(minutes, sum(minutes)) == minutes


def test_rescale_examples():
    assert rescale([2, 7, 6, 6, 6, 3], 45) == [3, 11, 9, 9, 9, 4]
    assert rescale([2, 7, 6, 6, 6, 3], 6) == [1, 1, 1, 1, 1, 1]
    assert rescale([2, 7, 6, 6, 6, 3], 15) == [1, 4, 3, 3, 3, 1]


def test_too_short_is_a_clear_error():
    with pytest.raises(BudgetError, match=r"--minutes 4 is too short for 6 sections; give at least 6 minutes"):
        rescale([2, 7, 6, 6, 6, 3], 4)


def test_a_slot_longer_than_a_day_is_a_clear_error():
    assert sum(rescale([2, 7, 6, 6, 6, 3], 24 * 60)) == 24 * 60  # a day is the longest
    for total in (24 * 60 + 1, 10**20):  # the clock would come round again
        with pytest.raises(BudgetError, match=rf"--minutes {total} is longer than a day; .* \(at most 1440\)"):
            rescale([2, 7, 6, 6, 6, 3], total)


@given(lengths, st.integers(min_value=0, max_value=24 * 60 - 1))
def test_sections_are_contiguous_and_clock_times_wrap(minutes, origin):
    start = format_clock(origin)
    placed = place(minutes, start)
    assert placed[0][0] == 0
    assert placed[-1][1] == sum(minutes)
    for (_, end, _, clock_end), (begin, _, clock_begin, _) in zip(placed, placed[1:]):
        assert end == begin
        assert clock_end == clock_begin
    for begin, end, clock_start, clock_end in placed:
        assert parse_clock(clock_start) == (origin + begin) % 1440
        assert parse_clock(clock_end) == (origin + end) % 1440


def test_clock_wraps_past_midnight():
    assert place([10, 20], "23:55") == [(0, 10, "23:55", "00:05"), (10, 30, "00:05", "00:25")]
    assert place([10], None) == [(0, 10, None, None)]


@pytest.mark.parametrize("text", ["24:00", "9", "09:5", "ab:cd", "12:60", "", "-1:00"])
def test_bad_start_times(text):
    with pytest.raises(BudgetError, match="--start"):
        parse_clock(text)


@pytest.mark.parametrize("text", ["²3:00", "٠٩:٠٠", "０９:００", "09:٠٠", "1²:00", "09.00"])
def test_only_ascii_digits_make_a_time(text):
    """str.isdigit() takes '²' (which int() then refuses) and other scripts' digits; a time is ASCII."""
    with pytest.raises(BudgetError) as failure:
        parse_clock(text)
    assert failure.value.message == f"--start: '{text}' is not a time; write it as HH:MM, e.g. 14:00"


@pytest.mark.parametrize(("text", "clock"), [(" 09:00 ", "09:00"), ("9:05", "09:05"), ("\t23:59\n", "23:59")])
def test_start_times_are_written_the_same_way_everywhere(text, clock):
    assert clock_time(text) == clock
    assert place([10], text)[0][2] == clock


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=8) | st.from_regex(r"\s*\d{1,2}:\d{2}\s*", fullmatch=True))  # \d: digits of any script
def test_any_text_is_a_time_or_a_clear_error(text):
    try:
        minutes = parse_clock(text)
    except BudgetError as exc:
        assert exc.message.startswith(f"--start: '{text}' is not a time")
        return
    assert 0 <= minutes < 24 * 60
    assert re.fullmatch(r"[0-9]{2}:[0-9]{2}", clock_time(text))
