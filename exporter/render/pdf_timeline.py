"""The cheat sheet's time budget, drawn as a timeline across the page, and the sheet's text on one line.

:class:`TimeBudget` is the flowable :mod:`exporter.render.pdf` places under the header; :func:`plain_text` is
how every string of the sheet is set (typeset, on one line), the timeline's included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..fonts import FontFamily
from ..model import Section
from ..text import typeset
from .pdf_fit import BODY_FLOOR

INK = colors.black
SHADE = colors.Color(0.88, 0.88, 0.88)  # question segments; opening and closing stay white
ACCENT = colors.HexColor("#1f3a5f")  # dark enough to print as near-black in grayscale

# The timeline keeps its own sizes: it is the first thing the eye must find, so it never shrinks with the body,
# and never below the body's floor.
TIMELINE_TITLE = (8.5, BODY_FLOOR)  # bold title sizes to try before falling back to the question label
TIMELINE_TEXT = 8.0
TIMELINE_RANGE = (10.5, 9.5, 8.5)  # start–end sizes to try before breaking it after the dash
TIMELINE_PAD = 3.0

# Ordinary white space only: str.split() would also take typeset's non-breaking spaces apart.
SPACES = re.compile(r"[ \t\n\r\f\v]+")


def plain_text(value: str) -> str:
    """``value`` as the sheet prints it: typeset, on one line."""
    return typeset(SPACES.sub(" ", value).strip())


class TimeBudget(Flowable):
    """The slot drawn as a bar across the page: one segment per section, as wide as its share of the slot.

    Each segment carries its title (a question's label and title, or just the label when space is tight)
    and minutes on top, and its start–end in a dark band below, so the times line up like a ruler. A segment
    too narrow for its longest word is widened just enough, taking the room from the others in proportion,
    so no label is ever cut.
    """

    def __init__(self, sections: Sequence[Section], family: FontFamily) -> None:
        super().__init__()
        self.sections = sections
        self.family = family

    def _question_size(self, widths: Sequence[float]) -> float:
        """One title size for every question segment, the largest at which all fit in two lines."""
        for size in TIMELINE_TITLE:
            fitting = [
                wrap(plain_text(f"{s.question.label} {s.title}"), self.family.bold, size, w - 2 * TIMELINE_PAD)
                for s, w in zip(self.sections, widths)
                if s.question is not None
            ]
            if all(lines is not None and len(lines) <= 2 for lines in fitting):
                return size
        return TIMELINE_TITLE[-1]

    def _title_lines(self, section: Section, width: float, question_size: float) -> tuple[list[str], float]:
        title = plain_text(section.title)
        smallest = TIMELINE_TITLE[-1]
        if section.question is not None:
            labelled = f"{section.question.label} {title}"
            for size, most in ((question_size, 2), (smallest, 3)):
                lines = wrap(labelled, self.family.bold, size, width)
                if lines is not None and len(lines) <= most:
                    return lines, size
            return wrap(section.question.label, self.family.bold, smallest, width, force=True) or [], smallest
        for size in (s for s in TIMELINE_TITLE if s <= question_size):  # never louder than the questions
            lines = wrap(title, self.family.bold, size, width)
            if lines is not None and len(lines) <= 3:
                return lines, size
        return wrap(title, self.family.bold, smallest, width, force=True) or [], smallest

    def _range_lines(self, section: Section, width: float) -> tuple[list[str], float]:
        whole = section.time_range
        for size in TIMELINE_RANGE:
            if stringWidth(whole, self.family.bold, size) <= width:
                return [whole], size
        first, dash, rest = whole.partition("\u2013")
        size = TIMELINE_RANGE[0]
        return wrap(f"{first}{dash} {rest}", self.family.bold, size, width, force=True) or [], size

    def _minimum(self, section: Section) -> float:
        """The narrowest a segment can be with every word of its label whole."""
        words = SPACES.split(plain_text(section.question.label if section.question is not None else section.title))
        needs = [stringWidth(w, self.family.bold, TIMELINE_TITLE[-1]) for w in words]
        needs.append(stringWidth(section.time_range, self.family.bold, TIMELINE_RANGE[-1]))
        needs.append(stringWidth(plain_text(f"{section.minutes} min"), self.family.regular, TIMELINE_TEXT))
        return max(needs) + 2 * TIMELINE_PAD + 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's API
        total = sum(s.minutes for s in self.sections) or 1
        self.widths = shares(
            [availWidth * s.minutes / total for s in self.sections], [self._minimum(s) for s in self.sections]
        )
        question_size = self._question_size(self.widths)
        self.labels = []
        for section, width in zip(self.sections, self.widths):
            inner = width - 2 * TIMELINE_PAD
            title, size = self._title_lines(section, inner, question_size)
            self.labels.append((title, size, *self._range_lines(section, inner)))
        self.title_height = max(len(t) * s * 1.15 for t, s, _, _ in self.labels)
        self.band = max(len(r) * r_size * 1.15 for _, _, r, r_size in self.labels) + 2 * TIMELINE_PAD
        self.width = availWidth
        self.height = self.band + 2 * TIMELINE_PAD + self.title_height + TIMELINE_TEXT * 1.3
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x = 0.0
        for section, width, (title, size, time_range, range_size) in zip(self.sections, self.widths, self.labels):
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            canvas.setFillColor(SHADE if section.kind == "question" else colors.white)
            canvas.rect(x, self.band, width, self.height - self.band, stroke=1, fill=1)
            canvas.setFillColor(ACCENT)
            canvas.setStrokeColor(colors.white)
            canvas.rect(x, 0, width, self.band, stroke=1, fill=1)
            middle = x + width / 2
            canvas.setFillColor(INK)
            canvas.setFont(self.family.bold, size)
            y = self.height - TIMELINE_PAD - size
            for line in title:
                canvas.drawCentredString(middle, y, line)
                y -= size * 1.15
            canvas.setFont(self.family.regular, TIMELINE_TEXT)
            canvas.drawCentredString(middle, self.band + TIMELINE_PAD + 1, plain_text(f"{section.minutes} min"))
            canvas.setFillColor(colors.white)
            canvas.setFont(self.family.bold, range_size)
            y = (self.band + (len(time_range) - 1) * range_size * 1.15 - range_size * 0.7) / 2
            for line in time_range:
                canvas.drawCentredString(middle, y, line)
                y -= range_size * 1.15
            x += width
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1.6)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def wrap(line: str, font: str, size: float, width: float, force: bool = False) -> list[str] | None:
    """Greedy word wrap of ``line`` into ``width``; None when a word is too wide, unless ``force`` splits it."""
    lines: list[str] = []
    current = ""
    for word in SPACES.split(line.strip()):
        pieces = [word]
        if stringWidth(word, font, size) > width:
            if not force:
                return None
            pieces = split_word(word, font, size, width)
        for piece in pieces:
            trial = f"{current} {piece}" if current else piece
            if stringWidth(trial, font, size) <= width or not current:
                current = trial
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines or [""]


def split_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and stringWidth(pieces[-1] + char, font, size) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def shares(proportional: list[float], minimum: list[float]) -> list[float]:
    """Widths that keep each segment at least its minimum and the rest in proportion, summing to the same."""
    total = sum(proportional)
    if sum(minimum) >= total:  # too many sections for the page: plain proportions, labels wrap by letter
        return proportional
    widths = list(proportional)
    pinned: set[int] = set()
    for _ in range(len(widths)):
        short = {i for i, (w, m) in enumerate(zip(widths, minimum)) if i not in pinned and w < m}
        if not short:
            break
        pinned |= short
        room = total - sum(minimum[i] for i in pinned)
        free = sum(proportional[i] for i in range(len(widths)) if i not in pinned)
        widths = [minimum[i] if i in pinned else proportional[i] * room / free for i in range(len(widths))]
    return widths
