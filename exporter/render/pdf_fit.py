"""How the cheat sheet's body type size is found: the measured sheet, and the bounded search over sizes.

:mod:`exporter.render.pdf` measures the sheet at a size (:class:`Sheet`, made of :class:`Part` and
:class:`Block`); :func:`fit` chooses which sizes to measure, and :func:`overflow` is the error for a sheet
that does not fit even at the legibility floor.
"""

import itertools
from collections.abc import Callable
from typing import NamedTuple

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from ..errors import RenderError

BODY_MAX = 10.0
BODY_FLOOR = 8.0  # the legibility floor: no text on the sheet is smaller than this
STEP = 0.125  # fine steps, so the sheet leaves little of the page empty that larger type could fill
SIZES = tuple(BODY_FLOOR + STEP * i for i in range(int((BODY_MAX - BODY_FLOOR) / STEP) + 1))
FIRST_SIZE = 8.375  # where a 30-minute layout of four questions lands on Letter, so the search starts near its end


class Block(NamedTuple):
    """One flowable placed on the sheet, with its measured height and indent."""

    flowable: Flowable
    height: float
    indent: float = 0.0
    space_before: float = 0.0


class Part(NamedTuple):
    """A named run of blocks: the header, the timeline, a question section, the footer."""

    name: str
    blocks: list[Block]
    source: str = ""  # where a question section's bank entry is, e.g. "bank/questions/x.yaml questions[2]"

    @property
    def height(self) -> float:
        return sum(b.height + b.space_before for b in self.blocks)


class Sheet(NamedTuple):
    """The measured sheet at one body size."""

    size: float
    top: list[Part]  # header and time budget
    sections: list[Part]
    footer: Part
    section_gap: float
    available: float

    @property
    def height(self) -> float:
        parts = [*self.top, *self.sections, self.footer]
        return sum(p.height for p in parts) + self.section_gap * (len(self.sections) + 1)

    @property
    def fits(self) -> bool:
        return self.height <= self.available


def fit(
    measure: Callable[[float], Sheet],
    where: str,
    known: float | None = None,
    names: Callable[[], float] = lambda: 0.0,
) -> Sheet:
    """The sheet at the largest body size in :data:`SIZES` that fits on the page.

    A bounded search: measure at :data:`FIRST_SIZE`, where real layouts land; then twice at the size the
    last measurement predicts (the body's height grows about with the square of the type size); then twice
    a step towards the side still unknown, as line breaks make the prediction a step off; then bisect.
    The size above the one chosen is always measured and found not to fit, so the vertical slack goes to
    larger type before it goes to the gaps between sections. Two or three passes, never more than eight.

    ``known`` is the size the search found before for the same content (see
    :meth:`exporter.render.pdf.Measure.sheet_source`, whose key holds everything the measuring depends on, so
    the search would find it again): when it is a size the search may choose and the sheet fits at it, that
    is the answer, in one pass; otherwise the search runs as without it.

    Raises the overflow error when even the floor does not fit; ``names`` says how much taller the header is
    for the names in it, which the error blames when they alone make the difference.
    """
    if known in SIZES:
        sheet = measure(known)
        if sheet.fits:
            return sheet
    fits, fails = -1, len(SIZES)  # the largest index known to fit, the smallest known not to
    best: Sheet | None = None
    index = SIZES.index(FIRST_SIZE)
    for attempt in itertools.count():
        sheet = measure(SIZES[index])
        if sheet.fits:
            fits, best = index, sheet
        else:
            fails = index
        if fails - fits <= 1:
            break
        if attempt < 2:
            guess = predicted(sheet)
        elif attempt < 4 and fits < 0:
            guess = fails - 1
        elif attempt < 4 and fails == len(SIZES):
            guess = fits + 1
        else:
            guess = (fits + fails) // 2
        index = max(fits + 1, min(fails - 1, guess))
    if best is None:
        raise overflow(sheet, where, names())  # the floor was measured last and does not fit
    return best


def predicted(sheet: Sheet) -> int:
    """The index in :data:`SIZES` of the size at which ``sheet`` would just fit, by the square law."""
    fixed = sum(p.height for p in sheet.top)
    ratio = max(0.0, sheet.available - fixed) / max(1.0, sheet.height - fixed)
    return int((sheet.size * ratio**0.5 - BODY_FLOOR) / STEP + 1e-9)


def overflow(sheet: Sheet, where: str, names: float = 0.0) -> RenderError:
    """The error for a sheet that does not fit even at the floor: how far it overflows, and the longest parts;
    or, when it would fit but for the ``names`` points the names add to the header, that the names are too long
    (the bank is not at fault)."""
    if names > 0 and sheet.height - names <= sheet.available:
        return RenderError(
            f"the candidate's and the interviewer's names take {names / inch:.1f} inches more at the top of the "
            f"cheat sheet, so it does not fit on one page even at {BODY_FLOOR:g} pt; shorten them (e.g. initials "
            "for middle names)"
        )
    over = (sheet.height - sheet.available) / inch
    parts = sorted([*sheet.sections, *sheet.top[:1], sheet.footer], key=lambda p: -p.height)[:3]
    longest = ", ".join(f"{p.name} ({p.height / inch:.1f} in" + (f", {p.source})" if p.source else ")") for p in parts)
    return RenderError(
        f"{where}: cheat sheet does not fit on one page even at {BODY_FLOOR:g} pt: {max(over, 0.1):.1f} in too "
        f"long; longest sections: {longest}; shorten those questions or signals, or split the layout"
    )
