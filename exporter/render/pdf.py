"""The one-page PDF cheat sheet for the interviewer's clipboard: ``packet make --format pdf``.

Owns the sheet's design: a header, the time budget (drawn by :mod:`exporter.render.pdf_timeline`) under a
line saying how to use the sheet, each question section with its backup, and the rating scale at the foot.
A question section reads top to bottom in the order the interviewer uses it: number, title, minutes and
times, with the rating row to circle at the right; the goal with the category it is asked for; the question
and its follow-ups; great and negative signals side by side, to tick; the technologies a good answer may
name. Every printed string goes through :func:`exporter.text.typeset`.

The sheet is always exactly one page. Everything is measured with reportlab's ``wrap`` and the body type
size is found by a bounded search between 10 pt and the 8 pt legibility floor (see
:func:`~exporter.render.pdf_fit.fit`: typically two or three layout passes) and kept in packet's cache, so the
next sheet of the same interview, for another candidate, is laid out once; no text on the sheet is smaller
than the floor. Content that does not fit even at 8 pt is a :class:`~exporter.errors.RenderError` naming the
longest sections, raised before anything is written.
Nothing is ever cut. With ``SOURCE_DATE_EPOCH`` set, the file is byte-identical from run to run.
"""

import functools
from collections.abc import Mapping, Sequence
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

from .. import cache
from ..errors import warn
from ..fonts import FontFamily
from ..model import Packet, PacketQuestion, Section
from ..reproducible import source_date_epoch
from ..text import NBSP
from . import ContentKey, Renderer, RenderMemo, make_piece
from .pdf_fit import BODY_FLOOR, Block, Part, Sheet, fit
from .pdf_kept import KeptBody, faces_used, prepare, put, recorded
from .pdf_streams import binary_streams, layout_font
from .pdf_timeline import ACCENT, INK, TimeBudget, plain_text

PAPER = {"letter": LETTER, "a4": A4}
# The cache's kind of entry: a sheet's body type size, and its body as drawn (see Measure.sheet_source). Entries of
# 20 to 40 kB, one per interview, start time and header height: the ones used last stay.
SHEET_CACHE = "sheet-bodies"
SHEETS_KEPT = 64
MARGIN = 0.5 * inch  # home printers print to about 0.25 in; 0.4 in is the agreed minimum
MUTED = colors.Color(0.3, 0.3, 0.3)
RULE = colors.Color(0.6, 0.6, 0.6)
BACKUP_PAD = 6.0  # between the backup box's side bar and its text


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
    """Bank or user text as the sheet prints it, made safe for reportlab's paragraph markup (never a tag)."""
    # Three replaces rather than xml.sax.saxutils.escape, whose import pulls in urllib and costs ~50 ms.
    return plain_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unbroken(value: str) -> str:
    """Markup of ``value`` that never breaks across lines: its spaces are non-breaking."""
    return text(value).replace(" ", NBSP)


# The records below are NamedTuples rather than dataclasses: a dataclass compiles its methods when the module
# is imported, about 1.5 ms each, on every start of `packet`.


class Marks(NamedTuple):
    """The sheet's symbols, with plain stand-ins when the font has no glyph for them."""

    box: str
    plus: str
    minus: str
    dot: str
    circled: bool  # whether the font draws ① to ⑳ for the rating row

    @classmethod
    def for_font(cls, family: FontFamily) -> "Marks":
        def pick(symbol: str, stand_in: str) -> str:
            return symbol if all(family.can_render(c) for c in symbol) else stand_in

        return cls(
            box=pick("\u2610", "[ ]"),
            plus="+",
            minus=pick("\u2212", "\u2013"),
            dot=pick("\u00b7", "|"),
            circled=all(family.can_render(chr(0x2460 + i)) for i in range(4)),
        )

    def score(self, score: int) -> str:
        """A rating to circle: ① for 1, up to ⑳; "(1)" when the font has no circled numbers."""
        return chr(0x245F + score) if self.circled and 1 <= score <= 20 else f"({score})"


class Styles(NamedTuple):
    """Paragraph styles for one body size; everything but the timeline scales with it."""

    size: float
    header: ParagraphStyle
    header_right: ParagraphStyle
    header_fields: ParagraphStyle
    instruction: ParagraphStyle
    caption: ParagraphStyle
    heading: ParagraphStyle
    label: ParagraphStyle
    meta: ParagraphStyle
    body: ParagraphStyle
    signal: ParagraphStyle
    aside: ParagraphStyle  # muted: a question's goal and technologies
    small: ParagraphStyle
    small_signal: ParagraphStyle
    rating: ParagraphStyle
    gutter: float  # room for the "1" / "1b" label left of each question

    @classmethod
    def at(cls, size: float, family: FontFamily, marks: Marks) -> "Styles":
        small = max(BODY_FLOOR, size - 0.75)

        def style(name: str, font_size: float, **extra: object) -> ParagraphStyle:
            base: dict[str, object] = {
                "fontName": family.regular,
                "fontSize": font_size,
                "leading": round(font_size * 1.17, 2),
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
            instruction=style("instruction", 8.5, alignment=TA_RIGHT),
            caption=style("caption", 9.5, fontName=family.bold, textColor=ACCENT),
            heading=style("heading", size + 1.5, fontName=family.bold, leading=round((size + 1.5) * 1.15, 2)),
            label=style("label", size + 1.5, fontName=family.bold, textColor=colors.white, alignment=TA_CENTER),
            meta=style("meta", small, alignment=TA_RIGHT, textColor=MUTED),
            body=style("body", size),
            signal=bulleted("signal", size),
            aside=style("aside", small, textColor=MUTED),
            small=style("small", small),
            small_signal=bulleted("small-signal", small),
            rating=style("rating", small, alignment=TA_RIGHT),
            gutter=stringWidth("00b", family.bold, size + 1.5) + 8,
        )


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

    @functools.cached_property
    def head(self) -> Part:
        """The header, measured once: its type sizes are fixed, whatever the body's. The only part of a sheet
        that holds the candidate's words, and so the only one measured when the body is kept."""
        return self.header(self.fixed_styles)

    @functools.cached_property
    def top(self) -> list[Part]:
        """The header and the time budget, measured once: their type sizes are fixed, whatever the body's."""
        return [self.head, self.time_budget(self.fixed_styles)]

    @functools.cached_property
    def fixed_styles(self) -> Styles:
        return Styles.at(BODY_FLOOR, self.family, self.marks)

    def sheet(self, size: float) -> Sheet:
        st = Styles.at(size, self.family, self.marks)
        sections, footer = self.body(size, st)
        return Sheet(
            size=size,
            top=self.top,
            sections=sections,
            footer=footer,
            section_gap=size * 0.8,
            available=self.available,
        )

    def names_height(self) -> float:
        """How much taller the header is for the names and date in it than with blank lines to write them on."""
        blank = Measure(
            self.packet._replace(candidate="", interviewer=""), self.family, self.marks, self.width, self.available
        )
        return self.head.height - blank.head.height

    def sheet_source(self) -> tuple[bytes, ...]:
        """What the sheet's body depends on, for keeping its type size and its drawing in packet's cache: the
        sheet's content but its header's words (only where the header's blocks end), the page, the faces' files,
        and the code that measures and draws (reportlab's release and settings, and the size and date of the
        modules of packet that set the sheet).

        Everything the measuring depends on is in the key, so the search would find the same size again, and
        the body would be drawn the same: the next sheet of the same interview, for another candidate, is not
        measured at all but drawn from the kept body (:mod:`exporter.render.pdf_kept`). Where only the size is
        kept (with a reportlab release the body's keeping was not checked against), the sheet is measured once,
        at that size, where a search measures it two to five times; a kept size that is not one the search may
        choose, or at which the sheet does not fit, is searched for again.
        """
        from reportlab import Version, rl_config, rl_settings

        from .. import fonts, model
        from .. import text as text_module
        from . import pdf_fit, pdf_kept, pdf_timeline

        p = self.packet
        code = cache.code_stamps((__file__, pdf_fit, pdf_kept, pdf_timeline, text_module, fonts, model))
        # reportlab's settings as in effect (its defaults, a reportlab_settings module or ~/.reportlab_settings,
        # RL_ variables): some change how lines break (hyphenation, the splitting of long words).
        settings = [(name, getattr(rl_config, name, None)) for name in rl_settings.__all__]
        facts = (Version, settings, p.version, code, self.family.name, self.family.faces, self.width, self.available)
        # Where each block of the header ends: a kept body, from the time budget on, is drawn from there down.
        head = [(block.space_before, block.height) for block in self.head.blocks]
        content = (head, p.minutes, p.start, p.sections, p.layout.rating_scale)
        return repr(facts).encode(), repr(content).encode()

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

        def field(name: str, value: str) -> str:
            """Non-breaking, so a long line breaks between fields, never inside a name; but a name longer than a
            line breaks between its words rather than inside one."""
            if not value.strip():
                return f"{name}:&nbsp;{blank}"
            fits = stringWidth(f"{name}: {value}", self.family.bold, st.header_fields.fontSize) <= self.width
            return f"{name}:&nbsp;<b>{unbroken(value) if fits else text(value)}</b>"

        filled = "&nbsp;&nbsp; ".join(field(name, value) for name, value in fields)
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
        """The timeline under its caption, which also says how to use the sheet: an instruction, not a box to tick."""
        p = self.packet
        m = self.marks
        when = f"{p.sections[0].clock_start}\u2013{p.sections[-1].clock_end}" if p.start else ""
        title = Para(
            f"TIME BUDGET {m.dot} {text(f'{p.minutes} min')}" + (f" {m.dot} {when}" if when else ""), st.caption
        )
        how = Para(
            text(
                f"Tick what you hear ({m.plus} great, {m.minus} negative), circle a rating, copy both to the scorecard"
            ),
            st.instruction,
        )
        title_width = stringWidth(plain_text(title.text), self.family.bold, st.caption.fontSize) + 12
        caption = Table([[title, how]], colWidths=[title_width, self.width - title_width])
        caption.setStyle(TableStyle([*cell_basics(self.family), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        return Part(
            "the time budget",
            [self.block(caption, space_before=6), self.block(TimeBudget(p.sections, self.family), space_before=2)],
        )

    def section(self, section: Section, st: Styles) -> Part:
        assert section.question is not None  # question sections always carry their question
        q = section.question
        blocks = [self.heading(section, q, st)]
        blocks += self.question_body(q, st.body, st.signal, st.aside, indent=st.gutter)
        if section.backup is not None:
            blocks += self.backup(section.backup, q, st)
        file, place = self.packet.bank.places.get(q.question.id, ("", ""))
        where = f"{file} {place}".strip() or f"question '{q.question.id}'"
        return Part(f"{q.label}. {' '.join(section.title.split())}", blocks, where)

    def heading(self, section: Section, q: PacketQuestion, st: Styles) -> Block:
        """The question's number, title, minutes and times, and at the right the rating row to circle.

        Its category is in the goal line below.
        """
        meta = Para(f"<b>{text(f'{section.minutes} min')}</b> {self.marks.dot} {text(section.time_range)}", st.meta)
        plain_meta = plain_text(f"{section.minutes} min . {section.time_range}")
        meta_width = stringWidth(plain_meta, self.family.bold, st.meta.fontSize) + 8  # apart from the title
        rating, rating_width = self.rating(st.rating)
        title_width = self.width - st.gutter + 4 - meta_width - rating_width
        table = Table(
            [[Para(text(q.label), st.label), Para(text(section.title), st.heading), meta, rating]],
            colWidths=[st.gutter - 4, title_width, meta_width, rating_width],
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

    def rating(self, style: ParagraphStyle) -> tuple[Para, float]:
        """The rating row to circle ("Rating  ① Poor  ② Mixed …", the layout's levels) and its width; never broken."""
        gap = NBSP * 2
        choices = gap.join(
            f"{self.marks.score(level.score)}{NBSP}{unbroken(level.label)}" for level in self.packet.layout.rating_scale
        )
        row = Para(f"<b>Rating</b>{gap}{choices}", style)
        return row, row.minWidth() + 8  # apart from the minutes before it

    def question_body(
        self,
        q: PacketQuestion,
        body: ParagraphStyle,
        signal: ParagraphStyle,
        aside: ParagraphStyle,
        indent: float,
        lead: str = "",
    ) -> list[Block]:
        """Goal, question, follow-ups, signals to tick and the technologies a good answer may name."""
        entry = q.question
        gap = body.fontSize * 0.3
        goal = f"<b>{unbroken(f'Goal — {q.category.label}:')}</b> {text(entry.goal)}"
        blocks = [
            self.block(Para(goal, aside), indent, space_before=gap),
            self.block(Para(lead + text(entry.text), body), indent, space_before=gap),
        ]
        for follow_up in entry.follow_ups:
            blocks.append(self.block(Para(f"<b>Follow-up:</b> {text(follow_up)}", body), indent, gap * 0.5))
        signals = self.signals(entry.great_signals, entry.negative_signals, signal, self.width - indent)
        blocks.append(self.block(signals, indent, gap))
        if entry.technologies:
            blocks.append(self.block(Para(self.technologies(entry.technologies), aside), indent, gap * 0.6))
        return blocks

    def signals(
        self,
        great: Sequence[str],
        negative: Sequence[str],
        signal: ParagraphStyle,
        width: float,
    ) -> Table:
        """Great signals (+) left, negative signals (−) right, each with a box to tick; the legend is at the top."""
        m = self.marks

        def column(mark: str, items: Sequence[str]) -> list[Flowable]:
            return [Para(text(item), signal, bulletText=f"{m.box} {mark}") for item in items] or [Spacer(0, 0)]

        table = Table(
            [[column(m.plus, great), column(m.minus, negative)]],
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

    def technologies(self, technologies: Mapping[str, Sequence[str]]) -> str:
        """The technologies a good answer may name, by group; one label level only.

        Each group's label stays on one line with its first technology, so "Cloud Platforms:" never ends a line.
        """
        return f" {self.marks.dot} ".join(
            f"<b>{unbroken(f'{group}:')}</b>"
            + "".join(f"{NBSP if i == 0 else ', '}{text(name)}" for i, name in enumerate(names))
            for group, names in technologies.items()
        )

    def backup(self, backup: PacketQuestion, main: PacketQuestion, st: Styles) -> list[Block]:
        """The backup question, compactly set in a side-barred box, marked with when to switch to it.

        It is scored when asked, so it has its own rating row, at the right of its first line.
        """
        when = text(backup.backup_when) if backup.backup_when else f"question {text(main.label)} does not suit"
        inner = self.width - st.gutter - 8
        content = inner - BACKUP_PAD  # what the box leaves its flowables
        rating, rating_width = self.rating(st.rating)
        heading = Table(
            [[Para(f"<b>{unbroken(f'{backup.label} Backup')}</b> \u2014 use when: {when}", st.small), rating]],
            colWidths=[content - rating_width, rating_width],
        )
        heading.setStyle(TableStyle([*cell_basics(self.family), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        flowables: list[Flowable] = [heading]
        for block in self.question_body(
            backup,
            st.small,
            st.small_signal,
            st.aside,
            indent=self.width - content,
            lead=f"<b>{text(backup.question.title)}.</b> ",
        ):
            flowables.append(Spacer(0, block.space_before))
            flowables.append(block.flowable)
        box = Table([[flowables]], colWidths=[inner])
        box.setStyle(
            TableStyle(
                [
                    *cell_basics(self.family),
                    ("LEFTPADDING", (0, 0), (-1, -1), BACKUP_PAD),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBEFORE", (0, 0), (0, 0), 2, RULE),
                ]
            )
        )
        return [self.block(box, st.gutter, space_before=st.size * 0.5)]

    def footer(self, st: Styles) -> Part:
        """What each rating means, at the foot of the page under a heavy rule."""
        cells = [
            Para(
                f"<b>{self.marks.score(level.score)}{NBSP}{unbroken(level.label)}</b> \u2014 {text(level.anchor)}",
                st.small,
            )
            for level in self.packet.layout.rating_scale
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
        return Part("the rating scale", [self.block(scale)])


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
        texts += [e.title, e.text, *e.follow_ups, *e.great_signals, *e.negative_signals, q.category.label, e.goal]
        texts += [q.backup_when or ""]
        texts += [f"{group}: {', '.join(names)}" for group, names in e.technologies.items()]
    texts += [f"{level.label} {level.anchor}" for level in packet.layout.rating_scale]
    return [plain_text(t) for t in texts]


def quoted(texts: Sequence[str], most: int = 3) -> str:
    """The first ``most`` of ``texts`` for a message, each in quotes and cut to 40 characters."""
    cut = [f"\u201c{text if len(text) <= 40 else text[:39] + '…'}\u201d" for text in texts[:most]]
    return ", ".join(cut) + (", …" if len(texts) > most else "")


def right_to_left(texts: Sequence[str]) -> list[str]:
    """The texts of ``texts`` holding letters of a right-to-left script, which reportlab draws in reverse order."""
    import unicodedata

    return [
        text
        for text in texts
        if text and max(text) >= "\u0590" and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    ]


class CheatSheetRenderer(Renderer):
    name = "pdf"
    extension = "pdf"
    suffix = "-cheatsheet"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        family = layout_font(packet.layout, memo)
        texts = printed_text(packet)
        backwards = right_to_left(texts)
        if backwards:
            warn(
                f"the cheat sheet sets text left to right, so right-to-left text (Arabic, Hebrew) prints with its "
                f"letters in reverse order: {quoted(backwards)}. The guide, the scorecard and the kit show it as "
                "written; for the sheet, write it in Latin letters"
            )
        missing = family.missing(texts)
        if missing:
            holding = [text for text in texts if any(char in text for char in missing)]
            shown = " ".join(missing[:40]) + (" …" if len(missing) > 40 else "") + f" (in {quoted(holding)})"
            fix = (
                "Install DejaVu Sans (e.g. fonts-dejavu-core) or name a TrueType font with `font:` in the layout"
                if family.glyphs is None  # the built-in Helvetica: a Unicode font is the fix
                else "Name a TrueType (.ttf) font that has them with `font:` in the layout"
            )
            warn(
                f"the cheat sheet's font {family.name} cannot draw {len(missing)} character"
                f"{'s' if len(missing) > 1 else ''}, which will print as boxes or be left out: {shown}. {fix}"
            )
        marks = Marks.for_font(family)
        page = PAPER[packet.paper]
        measure = Measure(packet, family, marks, page[0] - 2 * MARGIN, page[1] - 2 * MARGIN, memo)
        source = measure.sheet_source()
        kept = cache.load(SHEET_CACHE, source, touch=True)
        size, body = kept_sheet(kept, family)
        with binary_streams():
            if body is not None:
                draw(measure.head, body, packet, family, path, page)
                return
            sheet = fit(measure.sheet, packet.layout.path or packet.role, size, measure.names_height)
            drawn = draw(sheet.top[0], sheet, packet, family, path, page)
        found = {"size": sheet.size, "body": None if drawn is None else drawn.data()}
        if found != kept:
            cache.store(SHEET_CACHE, source, found, keep=SHEETS_KEPT)


def kept_sheet(kept: object, family: FontFamily) -> tuple[float | None, KeptBody | None]:
    """The body type size and the drawn body of a sheet's cache entry, where it holds them."""
    if not isinstance(kept, dict) or set(kept) != {"size", "body"}:
        return None, None
    size = kept["size"] if isinstance(kept["size"], float) else None
    body = KeptBody.read(kept["body"], (family.regular, family.bold)) if size is not None else None
    return size, body


def draw(
    head: Part,
    body: Sheet | KeptBody,
    packet: Packet,
    family: FontFamily,
    path: Path,
    page: tuple[float, float],
) -> KeptBody | None:
    """Draw the header, then the body (all below it, from the time budget on): a measured sheet's (kept as
    drawn, where it can be: see :mod:`exporter.render.pdf_kept`), or one kept before. Returns the body drawn,
    for keeping."""
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
    kept: KeptBody | None = None
    if isinstance(body, KeptBody):
        prepare(canvas, body.faces)
        _place(canvas, [head], page[1] - MARGIN)
        put(canvas, body)
    else:
        sheet = body

        def draw_body(on: Canvas) -> None:
            draw_sections(on, sheet, page)

        faces = faces_used(draw_body, page, family.regular)
        if faces is not None:
            prepare(canvas, faces)
        _place(canvas, [head], page[1] - MARGIN)
        if faces is not None:
            kept = KeptBody(faces, recorded(canvas, draw_body))
        else:
            draw_body(canvas)
    canvas.showPage()
    canvas.save()
    return kept


def draw_sections(canvas: Canvas, sheet: Sheet, page: tuple[float, float]) -> None:
    """The sheet's body: the time budget under the header, then the question sections, spare height widening
    the gaps between them a little (the rest stays below), and the rating scale at the foot of the page."""
    spare = sheet.available - sheet.height
    gap = sheet.section_gap + min(spare / (len(sheet.sections) + 1), sheet.size * 1.2)
    y = _place(canvas, sheet.top[1:], _place(None, sheet.top[:1], page[1] - MARGIN))
    for part in sheet.sections:
        y = _place(canvas, [part], y - gap)
    _place(canvas, [sheet.footer], MARGIN + sheet.footer.height)


def _place(canvas: Canvas | None, parts: list[Part], y: float) -> float:
    """Draw ``parts`` one under the other from ``y`` down (only measure, without a canvas); where they end."""
    for part in parts:
        for block in part.blocks:
            y -= block.space_before + block.height
            if canvas is not None:
                block.flowable.drawOn(canvas, MARGIN + block.indent, y)
    return y
