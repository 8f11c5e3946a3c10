"""An onsite loop as immutable values: its slots, the loop, and the loop resolved into one packet per slot.

:mod:`exporter.loops` reads and checks loop files into these records and writes a loop's files;
:mod:`exporter.render.overview` prints a :class:`LoopPackets`. Both build on this module, never on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .budget import format_clock, parse_clock
from .model import Layout, Packet

MIN_SLOTS_PER_CATEGORY = 2
"""Every category is asked in at least this many slots, so the debrief hears two independent views of each;
`packet lint` warns below it and the overview marks the category."""


BREAK_MINUTES = 15
"""A gap between two slots of a day this long or longer is a break, and the overview shows it as a row."""

LUNCH_MINUTES = 45
LUNCH_HOURS = (11 * 60 + 30, 14 * 60)
"""A break of LUNCH_MINUTES or more that begins within LUNCH_HOURS (11:30 to 14:00) is lunch."""


@dataclass(frozen=True)
class Slot:
    """One interviewer's part of the loop."""

    number: int  # 1, 2, ... in the order of the loop file
    layout: Layout
    interviewer: str  # who asks it as the loop file says: usually a role ("Hiring manager")
    start: str  # "HH:MM"
    day: int = 1  # 1 = the loop's date, 2 = the day after, ...
    id: str = ""  # "hiring-manager": how --interviewers and a batch's columns name the slot
    name: str = ""  # the person who asks it, when the recruiter has named them ("Sam Lee")

    @property
    def who(self) -> str:
        """The interviewer as the slot's packet prints it: ``Sam Lee (Hiring manager)``, or the loop's text."""
        return f"{self.name} ({self.interviewer})" if self.name else self.interviewer

    @property
    def place(self) -> str:
        """Where the slot is written in the loop file, for messages."""
        return f"slots[{self.number - 1}]"

    @property
    def end(self) -> str:
        return format_clock(parse_clock(self.start) + self.layout.minutes)


@dataclass(frozen=True)
class Break:
    """A gap of BREAK_MINUTES or more between a slot and the next one on the same day."""

    after: int  # the number of the slot it follows
    start: str  # "HH:MM"
    end: str
    minutes: int

    @property
    def is_lunch(self) -> bool:
        return self.minutes >= LUNCH_MINUTES and LUNCH_HOURS[0] <= parse_clock(self.start) <= LUNCH_HOURS[1]

    @property
    def label(self) -> str:
        """``Break — 15 min`` or ``Lunch — 60 min``."""
        return f"{'Lunch' if self.is_lunch else 'Break'} \u2014 {self.minutes} min"


def breaks(slots: tuple[Slot, ...]) -> dict[int, Break]:
    """The break after each slot that is followed by one, by slot number: between a slot and the next slot
    of the loop file on the same day, when the next starts BREAK_MINUTES or more after the first ends."""
    found = {}
    for slot, following in zip(slots, slots[1:]):
        end = parse_clock(slot.start) + slot.layout.minutes
        gap = parse_clock(following.start) - end
        if following.day == slot.day and gap >= BREAK_MINUTES:
            found[slot.number] = Break(after=slot.number, start=slot.end, end=following.start, minutes=gap)
    return found


@dataclass(frozen=True)
class Loop:
    """A loop as written in its file, checked against the layouts and the bank."""

    name: str
    title: str
    slots: tuple[Slot, ...]
    path: str = ""  # the file it came from, for messages


@dataclass(frozen=True)
class LoopPackets:
    """A loop resolved for one candidate: one packet per slot, in slot order."""

    loop: Loop
    candidate: str
    date: dt.date
    packets: tuple[Packet, ...]
