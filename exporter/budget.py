"""The time budget: each section's minutes, its start and end in the slot, and clock times.

This is the only place that does arithmetic on minutes; renderers print what it computed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import BudgetError

MINUTES_PER_DAY = 24 * 60

# ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and Arabic-Indic digits.
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def parse_clock(text: str) -> int:
    """Minutes after midnight for ``"HH:MM"`` (24-hour clock, ``"9:00"`` and spaces around allowed); a clear
    error otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise BudgetError(f"--start: '{text}' is not a time; write it as HH:MM, e.g. 14:00")
    h, m = int(match[1]), int(match[2])
    if h > 23 or m > 59:
        raise BudgetError(f"--start: '{text}' is not a time of day; hours run 00-23 and minutes 00-59")
    return h * 60 + m


def clock_time(text: str) -> str:
    """A start time as every output prints it: ``" 9:00 "`` → ``"09:00"``; errors as :func:`parse_clock`."""
    return format_clock(parse_clock(text))


def format_clock(minutes_after_midnight: int) -> str:
    """``"HH:MM"``, wrapping past midnight."""
    h, m = divmod(minutes_after_midnight % MINUTES_PER_DAY, 60)
    return f"{h:02d}:{m:02d}"


def rescale(minutes: Sequence[int], total: int) -> list[int]:
    """Split ``total`` whole minutes over sections in proportion to ``minutes``.

    Largest-remainder rounding: the result adds up to exactly ``total`` and every section gets at
    least one minute. Ties go to the earlier section, so the result is deterministic.
    """
    count = len(minutes)
    if total < count:
        raise BudgetError(
            f"--minutes {total} is too short for {count} sections; give at least {count} minutes (one per section)"
        )
    old_total = sum(minutes)
    if total == old_total:
        return list(minutes)
    from fractions import Fraction  # with decimal, 4 ms to import: only for a slot rescaled with --minutes

    quotas = [Fraction(m * total, old_total) for m in minutes]
    shares = [max(1, int(q)) for q in quotas]
    # Hand out what is left by largest remainder; take back (from sections above one minute)
    # what the one-minute floor overspent, starting with the most over-served.
    while sum(shares) < total:
        i = max(range(count), key=lambda k: (quotas[k] - shares[k], -k))
        shares[i] += 1
    while sum(shares) > total:
        i = max((k for k in range(count) if shares[k] > 1), key=lambda k: (shares[k] - quotas[k], -k))
        shares[i] -= 1
    return shares


def place(minutes: Sequence[int], start: str | None = None) -> list[tuple[int, int, str | None, str | None]]:
    """For each section: (start offset, end offset, clock start, clock end) in the slot."""
    origin = parse_clock(start) if start is not None else None
    placed: list[tuple[int, int, str | None, str | None]] = []
    offset = 0
    for length in minutes:
        begin, offset = offset, offset + length
        if origin is None:
            placed.append((begin, offset, None, None))
        else:
            placed.append((begin, offset, format_clock(origin + begin), format_clock(origin + offset)))
    return placed


OPENING_MINUTES = 2
"""Minutes a new layout (``packet suggest --write-layout``) gives the introductions."""

CLOSING_MINUTES = 2
"""The fewest minutes a new layout leaves for the candidate's questions; the closing also gets what the
equal split of the question sections leaves over."""


def default_split(total: int, questions: int) -> list[int]:
    """A new layout's minutes: the opening, ``questions`` equal question sections, the closing with the rest.

    30 minutes and 4 questions give ``[2, 6, 6, 6, 6, 4]``.
    """
    each = (total - OPENING_MINUTES - CLOSING_MINUTES) // questions
    if each < 1:
        least = OPENING_MINUTES + CLOSING_MINUTES + questions
        raise BudgetError(
            f"--minutes {total} is too short for an opening, {questions} question"
            f"{'s' if questions > 1 else ''} and a closing; give at least {least} minutes"
        )
    return [OPENING_MINUTES, *[each] * questions, total - OPENING_MINUTES - each * questions]
