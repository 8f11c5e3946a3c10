"""The time budget: each section's minutes, its start and end in the slot, and clock times; and reading the
times and dates people write.

This is the only place that does arithmetic on minutes; renderers print what it computed. Times are read as a
24-hour ``14:00`` or a 12-hour ``2:00 pm``; dates as ISO ``2026-12-02`` or spelt out (``2 Dec 2026``), as
spreadsheets export them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .errors import BudgetError, DateError

MINUTES_PER_DAY = 24 * 60

# ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and Arabic-Indic digits.
_CLOCK = r"([0-9]{1,2}):([0-9]{2})"
# "10:00 AM", "2:30 pm", "2pm", "2 p.m.": what a spreadsheet set to a 12-hour clock exports.
_TWELVE_HOUR_CLOCK = r"([0-9]{1,2})(?::([0-9]{2}))?\s*([ap])\.?\s*m\.?"  # matched ignoring case
# The patterns are compiled where first used (``re`` keeps them): a run given no time or date needs none.


def parse_clock(text: str) -> int:
    """Minutes after midnight for ``"HH:MM"`` (24-hour clock, ``"9:00"`` and spaces around allowed) or a 12-hour
    time (``"10:00 AM"``, ``"2:30 pm"``); a clear error otherwise."""
    twelve = re.fullmatch(_TWELVE_HOUR_CLOCK, text.strip(), re.IGNORECASE)
    if twelve is not None:
        h, m = int(twelve[1]), int(twelve[2] or 0)
        if not 1 <= h <= 12 or m > 59:
            raise BudgetError(
                f"--start: '{text}' is not a time of day; with am or pm, hours run 1-12 and minutes 00-59"
            )
        return (h % 12 + (12 if twelve[3].lower() == "p" else 0)) * 60 + m
    match = re.fullmatch(_CLOCK, text.strip())
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


MAX_SLOT_MINUTES = 24 * 60
"""The longest slot: beyond a day, its clock times would come round again."""


def rescale(minutes: Sequence[int], total: int) -> list[int]:
    """Split ``total`` whole minutes over sections in proportion to ``minutes``.

    Largest-remainder rounding: the result adds up to exactly ``total`` and every section gets at
    least one minute. Ties go to the earlier section, so the result is deterministic.
    """
    count = len(minutes)
    if total > MAX_SLOT_MINUTES:
        raise BudgetError(
            f"--minutes {total} is longer than a day; give the slot's length in minutes (at most {MAX_SLOT_MINUTES})"
        )
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


MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ISO_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
# Each with the weekday that may stand in front ("Tue, 1 Dec 2026") as its first group.
_DAY_MONTH_YEAR = r"(?:([a-z]+)\.?,?\s+)?([0-9]{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+([0-9]{4})"
_MONTH_DAY_YEAR = r"(?:([a-z]+)\.?,?\s+)?([a-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})"
_NUMBERS_ONLY = r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2,4})"


def parse_date(text: str) -> dt.date:
    """A date as people and spreadsheets write it: ``2026-12-02``, ``2 Dec 2026``, ``December 2, 2026``
    (a weekday in front is allowed, and must be the date's: "Wed, 1 Dec 2026" is an error, as 1 Dec 2026 is a
    Tuesday).

    Numbers only (``12/02/2026``) are refused: one country reads them day first, another month first, and a
    misread date sends a candidate's packets to the wrong day. The :class:`~exporter.errors.DateError` says
    why and how to write it; its message names no place, so each caller puts its own in front.
    """
    value = " ".join(text.strip().lower().split())
    iso = re.fullmatch(_ISO_DATE, value)
    if iso is not None:
        return _date(text, int(iso[1]), int(iso[2]), int(iso[3]))
    spelt = re.fullmatch(_DAY_MONTH_YEAR, value)
    if spelt is not None:
        return _on_weekday(text, spelt[1], _date(text, int(spelt[4]), _month(text, spelt[3]), int(spelt[2])))
    spelt = re.fullmatch(_MONTH_DAY_YEAR, value)
    if spelt is not None:
        return _on_weekday(text, spelt[1], _date(text, int(spelt[4]), _month(text, spelt[2]), int(spelt[3])))
    numbers = re.fullmatch(_NUMBERS_ONLY, value)
    if numbers is not None:
        raise DateError(_numbers_only(text, int(numbers[1]), int(numbers[2]), numbers[3]))
    raise DateError(f"'{text}' is not a date; write it as YYYY-MM-DD (e.g. 2026-12-02) or 2 Dec 2026")


def _month(text: str, name: str) -> int:
    """The month of a name or its start of three letters or more ("Dec", "Sept", "December")."""
    for number, month in enumerate(MONTHS, start=1):
        if len(name) >= 3 and month.startswith(name):
            return number
    raise DateError(f"'{text}': '{name}' is not a month; write the date as YYYY-MM-DD or 2 Dec 2026")


def _on_weekday(text: str, weekday: str | None, date: dt.date) -> dt.date:
    """``date``, when the weekday written in front of it (its name, or a start of three letters or more) is
    its own; a word that is not a weekday, or another weekday, is an error, since it may be the part that
    is right."""
    if weekday is None:
        return date
    named = [number for number, day in enumerate(WEEKDAYS) if len(weekday) >= 3 and day.startswith(weekday)]
    if not named:
        word = text.split()[0].rstrip(".,")  # as written
        raise DateError(f"'{text}': '{word}' is not a day of the week; write the date as YYYY-MM-DD or 2 Dec 2026")
    if named[0] != date.weekday():
        shown = f"{date.day} {MONTHS[date.month - 1][:3].title()} {date.year}"
        raise DateError(
            f"'{text}': {shown} is a {WEEKDAYS[date.weekday()].title()}, not a {WEEKDAYS[named[0]].title()}; "
            "check which of the two is meant"
        )
    return date


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"'{text}' is not a date ({exc}); write it as YYYY-MM-DD, e.g. 2026-12-02") from None


def _numbers_only(text: str, first: int, second: int, year: str) -> str:
    """Why a date of numbers only is refused, with the same date written so that it cannot be misread."""
    full_year = int(year) if len(year) == 4 else None
    readings = []
    for day, month in ((first, second), (second, first)):
        if 1 <= month <= 12 and 1 <= day <= 31 and full_year is not None:
            readings.append(f"{full_year}-{month:02d}-{day:02d} ({day} {MONTHS[month - 1][:3].title()} {full_year})")
    if len(readings) == 2 and first != second:
        return (
            f"'{text}' could be {readings[0]} or {readings[1]}: spreadsheets read day and month in the order of "
            "their country; write it as YYYY-MM-DD or 2 Dec 2026"
        )
    written = f" (here {readings[0].split(' ', 1)[0]})" if readings else ", with the year in full,"
    return (
        f"'{text}' is a date in numbers only, which spreadsheets read in the order of their country; write it as "
        f"YYYY-MM-DD{written} or 2 Dec 2026"
    )
