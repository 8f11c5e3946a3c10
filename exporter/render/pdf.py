"""The one-page PDF cheat sheet for the interviewer's clipboard: ``packet make --format pdf``.

Owns the sheet's design: a header line, the time budget drawn as a timeline across the page, each question
section (category, the question in full, follow-ups, great and negative signals side by side, technologies)
with its backup, and the rating scale at the foot.

The sheet is always exactly one page. Everything is measured with reportlab's ``wrap`` and the body type
size is found by a bounded search between 10 pt and the 7 pt legibility floor (see
:func:`~exporter.render.pdf_fit.fit`: typically two or three layout passes). Content that does not fit even
at 7 pt is a :class:`~exporter.errors.RenderError` naming the longest sections, raised before anything is
written.
Nothing is ever cut. With ``SOURCE_DATE_EPOCH`` set, the file is byte-identical from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..errors import warn
from ..fonts import FontFamily, font_family
from ..model import Packet, PacketQuestion, Section
from ..reproducible import source_date_epoch
from . import ContentKey, Renderer, RenderMemo, make_piece
from .pdf_fit import BODY_FLOOR, Block, Part, Sheet, fit
from .pdf_streams import binary_streams

PAPER = {"letter": LETTER, "a4": A4}
MARGIN = 0.5 * inch  # home printers print to about 0.25 in; 0.4 in is the agreed minimum

INK = colors.black
MUTED = colors.Color(0.3, 0.3, 0.3)
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.88, 0.88, 0.88)  # question segments; opening and closing stay white
ACCENT = colors.HexColor("#1f3a5f")  # dark enough to print as near-black in grayscale

# The timeline keeps its own sizes: it is the first thing the eye must find, so it never shrinks with the body.
TIMELINE_TITLE = (8.5, 7.5, 7.0)  # bold title sizes to try before falling back to the question label
TIMELINE_TEXT = 8.0
TIMELINE_RANGE = (10.5, 9.5, 8.5)  # start–end sizes to try before breaking it after the dash
TIMELINE_PAD = 3.0


class Para(Paragraph):
    """A paragraph that keeps its line breaks while its width stays the same.

    Tables wrap the paragraphs in their cells again each time they are measured and once more when they are
    drawn; breaking lines is most of the sheet's cost, and the result only depends on the width.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's API
        if availWidth != getattr(self, "_kept_width", None):
            self._kept_size = super().wrap(availWidth, availHeight)
            self._kept_width = availWidth
        return self._kept_size


def text(value: str) -> str:
    """Bank or user text made safe for reportlab's paragraph markup: it prints as itself, never as a tag."""
    # Three replaces rather than xml.sax.saxutils.escape, whose import pulls in urllib and costs ~50 ms.
    return " ".join(value.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The records below are NamedTuples rather than dataclasses: a dataclass compiles its methods when the module
# is imported, about 1.5 ms each, on every start of `packet`.


class Marks(NamedTuple):
    """The sheet's symbols, with plain stand-ins when the font has no glyph for them."""

    box: str
    plus: str
    minus: str
    dot: str

    @classmethod
    def for_font(cls, family: FontFamily) -> Marks:
        def pick(symbol: str, stand_in: str) -> str:
            return symbol if all(family.can_render(c) for c in symbol) else stand_in

        return cls(box=pick("\u2610", "[ ]"), plus="+", minus=pick("\u2212", "\u2013"), dot=pick("\u00b7", "|"))


class Styles(NamedTuple):
    """Paragraph styles for one body size; everything but the timeline scales with it."""

    size: float
    header: ParagraphStyle
    header_right: ParagraphStyle
    header_fields: ParagraphStyle
    caption: ParagraphStyle
    heading: ParagraphStyle
    label: ParagraphStyle
    meta: ParagraphStyle
    body: ParagraphStyle
    column_head: ParagraphStyle
    signal: ParagraphStyle
    tech: ParagraphStyle
    small: ParagraphStyle
    small_signal: ParagraphStyle
    small_column_head: ParagraphStyle
    gutter: float  # room for the "1" / "1b" label left of each question

    @classmethod
    def at(cls, size: float, family: FontFamily, marks: Marks) -> Styles:
        small = max(BODY_FLOOR, size - 0.75)

        def style(name: str, font_size: float, **extra: object) -> ParagraphStyle:
            base: dict[str, object] = {
                "fontName": family.regular,
                "fontSize": font_size,
                "leading": round(font_size * 1.22, 2),
                "textColor": INK,
                "splitLongWords": 1,
            }
            base.update(extra)
            return ParagraphStyle(name, **base)  # type: ignore[arg-type]

        def bulleted(name: str, font_size: float) -> ParagraphStyle:
            bullet = f"{marks.box} {marks.plus} "
            indent = stringWidth(bullet, family.regular, font_size)
            return style(
                name,
                font_size,
                leftIndent=indent,
                bulletIndent=0,
                bulletFontName=family.regular,
                bulletFontSize=font_size,
                spaceBefore=font_size * 0.12,
            )

        return cls(
            size=size,
            header=style("header", 10.0),
            header_right=style("header-right", 9.0, alignment=TA_RIGHT),
            header_fields=style("header-fields", 9.0),
            caption=style("caption", 9.5, fontName=family.bold, textColor=ACCENT),
            heading=style("heading", size + 1.5, fontName=family.bold, leading=round((size + 1.5) * 1.15, 2)),
            label=style("label", size + 1.5, fontName=family.bold, textColor=colors.white, alignment=TA_CENTER),
            meta=style("meta", small, alignment=TA_RIGHT, textColor=MUTED),
            body=style("body", size),
            column_head=style("column-head", small, fontName=family.bold),
            signal=bulleted("signal", size),
            tech=style("tech", small, textColor=MUTED),
            small=style("small", small),
            small_signal=bulleted("small-signal", small),
            small_column_head=style("small-column-head", small, fontName=family.bold),
            gutter=stringWidth("00b", family.bold, size + 1.5) + 8,
        )


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
                wrap(f"{s.question.label} {s.title}", self.family.bold, size, w - 2 * TIMELINE_PAD)
                for s, w in zip(self.sections, widths)
                if s.question is not None
            ]
            if all(lines is not None and len(lines) <= 2 for lines in fitting):
                return size
        return TIMELINE_TITLE[-1]

    def _title_lines(self, section: Section, width: float, question_size: float) -> tuple[list[str], float]:
        title = " ".join(section.title.split())
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
        words = section.question.label.split() if section.question is not None else section.title.split()
        needs = [stringWidth(w, self.family.bold, TIMELINE_TITLE[-1]) for w in words]
        needs.append(stringWidth(section.time_range, self.family.bold, TIMELINE_RANGE[-1]))
        needs.append(stringWidth(f"{section.minutes} min", self.family.regular, TIMELINE_TEXT))
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
            canvas.drawCentredString(middle, self.band + TIMELINE_PAD + 1, f"{section.minutes} min")
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
    for word in line.split():
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


class Measure:
    """Builds and measures the sheet's flowables for a packet at a given body size."""

    def __init__(
        self,
        packet: Packet,
        family: FontFamily,
        marks: Marks,
        width: float,
        available: float,
        memo: RenderMemo | None = None,
    ) -> None:
        self.packet = packet
        self.family = family
        self.marks = marks
        self.width = width
        self.available = available
        self.memo = memo

    def block(self, flowable: Flowable, indent: float = 0.0, space_before: float = 0.0) -> Block:
        _, height = flowable.wrap(self.width - indent, self.available * 100)
        return Block(flowable, height, indent, space_before)

    def sheet(self, size: float) -> Sheet:
        st = Styles.at(size, self.family, self.marks)
        sections, footer = self.body(size, st)
        return Sheet(
            size=size,
            top=[self.header(st), self.time_budget(st)],
            sections=sections,
            footer=footer,
            section_gap=size * 0.8,
            available=self.available,
        )

    def body(self, size: float, st: Styles) -> tuple[list[Part], Part]:
        """The question sections and the rating scale at ``size``.

        A batch's sheets differ only in their header, so in a batch the measured parts (flowables and heights)
        are the memo's: made for the first candidate and drawn again for the next, never measured again.
        """
        p = self.packet
        key = ContentKey(
            (size, self.width, self.available, self.family, p.role, p.minutes, p.start),
            (p.question_sections, p.layout.rating_scale, p.bank.places),
        )
        return make_piece(
            self.memo, "pdf", key, lambda: ([self.section(s, st) for s in p.question_sections], self.footer(st))
        )

    def header(self, st: Styles) -> Part:
        """Role and level, then candidate, interviewer and date; on one line when they fit, else two."""
        p = self.packet
        blank = "_" * 16
        fields = [
            ("Candidate", p.candidate),
            ("Interviewer", p.interviewer),
            ("Date", p.date.isoformat() if p.date else ""),
        ]
        role = Para(f"<b>{text(p.title)}</b> {self.marks.dot} {text(p.level)}", st.header)
        # Non-breaking inside a field, so a long line breaks between fields.
        filled = "&nbsp;&nbsp; ".join(
            f"{name}:&nbsp;<b>{text(value)}</b>" if value.strip() else f"{name}:&nbsp;{blank}" for name, value in fields
        )
        role_width = stringWidth(f"{p.title} . {p.level}", self.family.bold, st.header.fontSize)
        fields_width = sum(
            stringWidth(f"{name}: {value or blank}   ", self.family.bold, st.header_right.fontSize)
            for name, value in fields
        )
        if role_width + fields_width + 12 <= self.width:
            table = Table(
                [[role, Para(filled, st.header_right)]], colWidths=[role_width + 6, self.width - role_width - 6]
            )
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *cell_basics(self.family)]))
            return Part("the header", [self.block(table)])
        return Part("the header", [self.block(role), self.block(Para(filled, st.header_fields), space_before=2)])

    def time_budget(self, st: Styles) -> Part:
        p = self.packet
        when = f"{p.sections[0].clock_start}\u2013{p.sections[-1].clock_end}" if p.start else ""
        caption = Para(
            f"TIME BUDGET {self.marks.dot} {p.minutes} min" + (f" {self.marks.dot} {when}" if when else ""),
            st.caption,
        )
        return Part(
            "the time budget",
            [self.block(caption, space_before=6), self.block(TimeBudget(p.sections, self.family), space_before=2)],
        )

    def section(self, section: Section, st: Styles) -> Part:
        assert section.question is not None  # question sections always carry their question
        q = section.question
        blocks = [self.heading(section, q, st)]
        blocks += self.question_body(q, st, st.body, st.signal, st.column_head, indent=st.gutter)
        if section.backup is not None:
            blocks += self.backup(section.backup, q, st)
        file, place = self.packet.bank.places.get(q.question.id, ("", ""))
        where = f"{file} {place}".strip() or f"question '{q.question.id}'"
        return Part(f"{q.label}. {' '.join(section.title.split())}", blocks, where)

    def heading(self, section: Section, q: PacketQuestion, st: Styles) -> Block:
        d = self.marks.dot
        meta = Para(
            f"{text(q.category.label)} {d} <b>{section.minutes} min</b> {d} <b>{text(section.time_range)}</b>",
            st.meta,
        )
        plain_meta = f"{q.category.label} . {section.minutes} min . {section.time_range}"
        meta_width = min(self.width * 0.45, stringWidth(plain_meta, self.family.bold, st.meta.fontSize) + 4)
        table = Table(
            [[Para(text(q.label), st.label), Para(text(section.title), st.heading), meta]],
            colWidths=[st.gutter - 4, self.width - st.gutter + 4 - meta_width, meta_width],
        )
        table.setStyle(
            TableStyle(
                [
                    *cell_basics(self.family),
                    ("BACKGROUND", (0, 0), (0, 0), ACCENT),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                    ("LEFTPADDING", (1, 0), (1, 0), 4),
                    ("TOPPADDING", (0, 0), (0, 0), 1),
                    ("BOTTOMPADDING", (0, 0), (0, 0), 1),
                    ("LINEBELOW", (1, 0), (-1, 0), 0.6, RULE),
                ]
            )
        )
        return self.block(table)

    def question_body(
        self,
        q: PacketQuestion,
        st: Styles,
        body: ParagraphStyle,
        signal: ParagraphStyle,
        column_head: ParagraphStyle,
        indent: float,
        lead: str = "",
    ) -> list[Block]:
        entry = q.question
        gap = body.fontSize * 0.3
        blocks = [self.block(Para(lead + text(entry.text), body), indent, space_before=gap)]
        for follow_up in entry.follow_ups:
            blocks.append(self.block(Para(f"<b>Follow-up:</b> {text(follow_up)}", body), indent, gap * 0.5))
        blocks.append(
            self.block(
                self.signals(entry.great_signals, entry.negative_signals, signal, column_head, self.width - indent),
                indent,
                gap,
            )
        )
        if entry.technologies:
            groups = f" {self.marks.dot} ".join(
                f"<i>{text(group)}:</i> {text(', '.join(names))}" for group, names in entry.technologies.items()
            )
            blocks.append(self.block(Para(f"<b>Tech:</b> {groups}", st.tech), indent, gap * 0.6))
        return blocks

    def signals(
        self,
        great: Sequence[str],
        negative: Sequence[str],
        signal: ParagraphStyle,
        column_head: ParagraphStyle,
        width: float,
    ) -> Table:
        m = self.marks

        def column(title: str, mark: str, items: Sequence[str]) -> list[Flowable]:
            rows: list[Flowable] = [Para(title, column_head)]
            rows += [Para(text(item), signal, bulletText=f"{m.box} {mark}") for item in items]
            return rows

        table = Table(
            [[column("Great signals", m.plus, great), column("Negative signals", m.minus, negative)]],
            colWidths=[width / 2, width / 2],
        )
        table.setStyle(
            TableStyle(
                [
                    *cell_basics(self.family),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("RIGHTPADDING", (0, 0), (0, 0), 8),
                    ("LEFTPADDING", (1, 0), (1, 0), 8),
                    ("LINEBEFORE", (1, 0), (1, 0), 0.5, RULE),
                ]
            )
        )
        return table

    def backup(self, backup: PacketQuestion, main: PacketQuestion, st: Styles) -> list[Block]:
        """The backup question, compactly set in a side-barred box, marked with when to switch to it."""
        when = text(backup.backup_when) if backup.backup_when else f"question {text(main.label)} does not suit"
        heading = Para(
            f"<b>{text(backup.label)} Backup</b> \u2014 use when: {when} "
            f"<font color='#4d4d4d'>({text(backup.category.label)})</font>",
            st.small,
        )
        inner = self.width - st.gutter - 8
        flowables: list[Flowable] = [heading]
        for block in self.question_body(
            backup,
            st,
            st.small,
            st.small_signal,
            st.small_column_head,
            indent=0,
            lead=f"<b>{text(backup.question.title)}.</b> ",
        ):
            flowables.append(Spacer(0, block.space_before))
            flowables.append(block.flowable)
        box = Table([[flowables]], colWidths=[inner])
        box.setStyle(
            TableStyle(
                [
                    *cell_basics(self.family),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBEFORE", (0, 0), (0, 0), 2, RULE),
                ]
            )
        )
        return [self.block(box, st.gutter, space_before=st.size * 0.5)]

    def footer(self, st: Styles) -> Part:
        levels = self.packet.layout.rating_scale
        caption = Table(
            [
                [
                    Para("RATING SCALE", st.caption),
                    Para(f"{self.marks.box} <b>Transfer ticks to the scorecard</b>", st.header_right),
                ]
            ],
            colWidths=[self.width / 2, self.width / 2],
        )
        caption.setStyle(TableStyle([*cell_basics(self.family), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        cells = [
            Para(f"<b>{level.score} {text(level.label)}</b> \u2014 {text(level.anchor)}", st.small) for level in levels
        ]
        scale = Table([cells], colWidths=[self.width / max(1, len(cells))] * len(cells))
        scale.setStyle(
            TableStyle(
                [
                    *cell_basics(self.family),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (1, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, INK),
                    ("LINEBEFORE", (1, 0), (-1, 0), 0.5, RULE),
                ]
            )
        )
        return Part("the rating scale", [self.block(caption), self.block(scale, space_before=2)])


def cell_basics(family: FontFamily) -> list[tuple[object, ...]]:
    """No cell padding (set where wanted), and the sheet's font, which tables otherwise set to Helvetica."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), family.regular),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]


def printed_text(packet: Packet) -> list[str]:
    """Every piece of text the sheet prints, to find characters the font cannot draw."""
    texts = [packet.title, packet.level, packet.candidate, packet.interviewer]
    texts += [s.title for s in packet.sections]
    for q in packet.questions:
        e = q.question
        texts += [e.title, e.text, *e.follow_ups, *e.great_signals, *e.negative_signals, q.category.label]
        texts += [q.backup_when or ""]
        texts += [f"{group}: {', '.join(names)}" for group, names in e.technologies.items()]
    texts += [f"{level.label} {level.anchor}" for level in packet.layout.rating_scale]
    return texts


class CheatSheetRenderer(Renderer):
    name = "pdf"
    extension = "pdf"
    suffix = "-cheatsheet"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        family = font_family(packet.layout.font, packet.layout.path)
        missing = family.missing(printed_text(packet))
        if missing:
            shown = " ".join(missing[:40]) + (" …" if len(missing) > 40 else "")
            warn(
                f"the cheat sheet's font {family.name} cannot draw {len(missing)} character"
                f"{'s' if len(missing) > 1 else ''}, which will print as boxes or be left out: {shown}. "
                "Install DejaVu Sans (e.g. fonts-dejavu-core) or name a TrueType font with `font:` in the layout"
            )
        marks = Marks.for_font(family)
        page_width, page_height = PAPER[packet.paper]
        width = page_width - 2 * MARGIN
        available = page_height - 2 * MARGIN
        measure = Measure(packet, family, marks, width, available, memo)
        sheet = fit(measure.sheet, packet.layout.path or packet.role)
        with binary_streams():
            draw(sheet, packet, family, path, (page_width, page_height))


def draw(sheet: Sheet, packet: Packet, family: FontFamily, path: Path, page: tuple[float, float]) -> None:
    """Draw the measured sheet; spare height widens the gaps between sections a little, the rest stays below."""
    reproducible = source_date_epoch() is not None
    canvas = Canvas(
        str(path),
        pagesize=page,
        invariant=int(reproducible),
        pageCompression=1,
        initialFontName=family.regular,  # else an unused Helvetica is listed among the page's fonts
    )
    who = f" \u2014 {packet.candidate}" if packet.candidate else ""
    canvas.setTitle(f"{packet.title} ({packet.level}) interview cheat sheet{who}")
    canvas.setSubject("Interview cheat sheet: time budget, questions, signals")
    if packet.interviewer:
        canvas.setAuthor(packet.interviewer)
    canvas.setCreator(f"packet {packet.version}")
    spare = sheet.available - sheet.height
    gap = sheet.section_gap + min(spare / (len(sheet.sections) + 1), sheet.size * 1.2)
    y = page[1] - MARGIN

    def place(part: Part) -> None:
        nonlocal y
        for block in part.blocks:
            y -= block.space_before + block.height
            block.flowable.drawOn(canvas, MARGIN + block.indent, y)

    for part in sheet.top:
        place(part)
    for part in sheet.sections:
        y -= gap
        place(part)
    y = MARGIN + sheet.footer.height
    place(sheet.footer)
    canvas.showPage()
    canvas.save()
