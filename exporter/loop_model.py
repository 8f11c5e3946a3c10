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


@dataclass(frozen=True)
class Slot:
    """One interviewer's part of the loop."""

    number: int  # 1, 2, ... in the order of the loop file
    layout: Layout
    interviewer: str
    start: str  # "HH:MM"
    day: int = 1  # 1 = the loop's date, 2 = the day after, ...

    @property
    def place(self) -> str:
        """Where the slot is written in the loop file, for messages."""
        return f"slots[{self.number - 1}]"

    @property
    def end(self) -> str:
        return format_clock(parse_clock(self.start) + self.layout.minutes)


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
