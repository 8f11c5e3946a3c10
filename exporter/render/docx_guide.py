"""The Word interview guide built whole: what the interviewer reads the night before and brings into the room
(:mod:`exporter.render.docx` writes it, from a template of its kind where it can).

Owns the guide's contents and look: cover block, how to use it, time budget, one page per question and
per backup with lines for notes, the rating scale and scoring, and the layout's rationale. It prints what
the :class:`~exporter.model.Packet` holds; the question × category table comes from
:func:`exporter.coverage.packet_coverage`.

Each guide starts from guide-template.docx beside this module: python-docx's template with the guide's
styles, made by the styling code below and saved (``python -m exporter.render.docx_guide --write-template``
rewrites it). python-docx writes page setup, header, footer and properties, and saves the package; the
body's paragraphs and tables are built as WordprocessingML directly (:mod:`exporter.render.docx_xml`).
With ``SOURCE_DATE_EPOCH`` set, the file is byte-identical from run to run: properties dated from it, zip
entries in a fixed order with fixed times.
"""

import datetime as dt
import io
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Length, Mm, Pt, RGBColor

from ..coverage import packet_coverage
from ..model import Packet, PacketQuestion, Section
from ..reproducible import write_zip
from .docx_xml import (
    MUTED,
    PROPERTY_LIMIT,
    SIDES,
    Run,
    Text,
    add_field,
    add_run,
    as_runs,
    border_xml,
    paragraph_xml,
    shading_xml,
    table_xml,
)
from .templates import Parts

FONT = "Calibri"  # Word's default; covers Latin with accents, Greek and Cyrillic
TICK_BOX = "\u2610"
BULLET = "\u2022"
INK = "1F2A44"  # headings: a dark blue that prints near-black on a mono printer
RULE = "A6A6A6"  # notes lines and table borders: visible on paper, quiet on screen
BLANK_LINE = "808080"  # the line to write on where a cover field was not given
QUESTION_FILL = "F2F4F8"
QUESTION_BAR = "4A5D85"

# Letter is the default; A4 for the rest of the world. Margins leave room for a staple or hole punch.
PAPER = {
    "letter": (Inches(8.5), Inches(11), Inches(0.85)),
    "a4": (Mm(210), Mm(297), Mm(21)),
}
NOTES_LINE = Pt(22)  # room for one line of handwriting
MIN_NOTES_LINES = 4  # even on a crowded page; more would run onto a page of their own


class Look(NamedTuple):  # not a dataclass, which would compile its methods on every start (~1.5 ms)
    """A paragraph style's type size and spacing, in points (indent in inches)."""

    size: float
    line: float = 1.1  # line spacing, a multiple of single
    before: float = 0
    after: float = 4
    indent: float = 0  # hanging indent for bullets and tick boxes; left indent for the question


LOOKS = {
    "Normal": Look(10.5),
    "Title": Look(22, line=1.0, after=2),
    "Heading 1": Look(15, line=1.0, before=14, after=6),
    "Heading 2": Look(13, line=1.0, before=14, after=4),
    "Guide Subtitle": Look(12, after=10),
    "Guide Label": Look(9.5, before=8, after=2),
    "Guide Meta": Look(9.5, after=6),
    "Guide Question": Look(11.5, line=1.15, before=2, after=6, indent=0.2),
    "Guide Tick": Look(10.5, after=2, indent=0.28),
    "Guide Bullet": Look(10.5, after=2, indent=0.22),
    "Guide Cell": Look(9.5, line=1.0, before=2, after=2),
    "Guide Cell Bullet": Look(9.5, line=1.0, before=2, after=2, indent=0.18),
    "Guide Level": Look(10.5, line=1.0, before=3, after=3),
    "Guide Anchor": Look(8.5, line=1.0, before=1, after=3),
    "Header": Look(8.5, line=1.0, after=0),
    "Footer": Look(8.5, line=1.0, after=0),
}
KEPT_WITH_NEXT = ("Title", "Heading 1", "Heading 2", "Guide Subtitle", "Guide Label", "Guide Meta")
NOT_SPLIT = KEPT_WITH_NEXT + ("Guide Question", "Guide Tick", "Guide Bullet", "Guide Cell Bullet")

HOW_TO_USE = (
    "Ask the questions in order: the most critical come first, so if time runs short the least critical "
    "is the one you lose.",
    "Watch the time budget below; each question's page gives its minutes. When its time is up, move on.",
    f"Listen for the signals on each question's page and tick a box {TICK_BOX} as soon as you hear one. Write "
    "down what the candidate says on the notes lines: examples beat impressions.",
    "Before the next question, circle a rating in the question's rating box; the line under each level says "
    "what it looks like for that question.",
    "Right after the interview, copy the ticks, ratings and notes into the scorecard (.xlsx).",
)

SWITCH_TO_BACKUP = (
    "Switch to the backup question when its \u201cUse when\u201d line applies, for example when the candidate "
    "has no experience to draw on for the main question; it takes the main question's minutes."
)

FOR_THE_RECRUITER = (
    "How the scorecard turns the interviewer's ticks and ratings into scores and a recommendation. The "
    "interviewer needs none of this in the room."
)

SIGNAL_SCORES = (
    "The interviewer ticks signals; the scorecard does the arithmetic. Each question asked gets a signal score: "
    "the share of its great signals ticked minus the share of its negative signals ticked, (great ticked \u00f7 "
    "great total) \u2212 (negative ticked \u00f7 negative total), from \u2212100% to +100%. Each category\u2019s "
    "score is the average of those signal scores, weighted by the question\u2019s weight for that category in "
    "the table below; the interviewer\u2019s 1\u20134 ratings are averaged the same way. A question not asked "
    "is left out, never counted as zero."
)

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
GRID = {side: ("single", 4, RULE, 0) for side in SIDES}  # thin grey rules around and between cells


# --- the base document: python-docx's template styled for the guide, shipped ready-made -------------

BASE_DOCUMENT = Path(__file__).with_name("guide-template.docx")
"""The product of :func:`_styled_document`, saved: opening it is several times quicker than styling
python-docx's template in every process. tests/test_guide_template.py checks it is up to date."""

TEMPLATE_COMMAND = "python -m exporter.render.docx_guide --write-template"
"""Rewrites :data:`BASE_DOCUMENT` from the styling code below; run it after changing that code."""


def _new_document() -> DocumentObject:
    """An empty document with the guide's styles, opened from the shipped template."""
    return Document(io.BytesIO(BASE_DOCUMENT.read_bytes()))


def write_template(path: Path = BASE_DOCUMENT) -> None:
    """Save the styled base document as ``path``, byte for byte the same on every run."""
    with path.open("wb") as out:
        write_zip(out, _members(_styled_document()), dt.datetime(1980, 1, 1))


def _styled_document() -> DocumentObject:
    """python-docx's template with the guide's styles."""
    document = Document()
    package = document.part.package
    # The template's thumbnail shows some other document in file browsers.
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    # Word 2010's copy of the styles: 400 kB that every guide would carry and compress for nothing.
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document.part.rels[rid]
    _drop_unused_styles(document)  # first: python-docx looks styles up by scanning them all
    _define_styles(document)
    return document


def _set_fonts(rpr: BaseOxmlElement, name: str) -> None:
    """``name`` for Latin and complex scripts in a ``w:rPr``, replacing the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.lower().endswith("theme"):
            del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), name)
    # The theme's east-Asian font stays: Word picks a CJK font from it by the text's language.
    fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")


def _define_styles(document: DocumentObject) -> None:
    styles = document.styles
    _set_fonts(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")), FONT)
    built_in = {style.name for style in styles}
    for name, look in LOOKS.items():
        if name in built_in:
            style = styles[name]
        else:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        if name == "Guide Question":
            # Border and shading first: python-docx inserts what it sets later in schema order around them.
            ppr = style.element.get_or_add_pPr()
            ppr.append(border_xml("w:pBdr", {"left": ("single", 24, QUESTION_BAR, 8)}))
            ppr.append(shading_xml(QUESTION_FILL))
        style.font.size = Pt(look.size)
        fmt = style.paragraph_format
        fmt.line_spacing = look.line
        fmt.space_before = Pt(look.before)
        fmt.space_after = Pt(look.after)
        fmt.widow_control = True
        fmt.keep_with_next = name in KEPT_WITH_NEXT
        fmt.keep_together = name in NOT_SPLIT
        if name == "Guide Level":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER  # the level to circle, centred over what it looks like
        if name == "Guide Question":
            fmt.left_indent = Inches(look.indent)
            fmt.right_indent = Pt(6)
        elif look.indent:
            fmt.left_indent = Inches(look.indent)
            fmt.first_line_indent = -Inches(look.indent)
            fmt.tab_stops.add_tab_stop(Inches(look.indent))

    for name in ("Title", "Heading 1", "Heading 2", "Guide Label"):
        style = styles[name]
        _set_fonts(style.element.get_or_add_rPr(), FONT)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(INK)
    title = styles["Title"].element.get_or_add_pPr()
    for element in title.findall(qn("w:pBdr")) + title.findall(qn("w:contextualSpacing")):
        title.remove(element)
    styles["Guide Label"].font.all_caps = True
    for name in ("Guide Subtitle", "Guide Meta", "Header", "Footer"):
        styles[name].font.color.rgb = RGBColor.from_string(MUTED)


def _drop_unused_styles(document: DocumentObject) -> None:
    """Keep the guide's styles, what they are based on or linked to, and each kind's default; the template's
    hundred-odd table and list styles would only weigh down every file (Word still offers its built-ins)."""
    element = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in element.findall(qn("w:style"))}
    wanted = [name.replace(" ", "") for name in LOOKS]
    wanted += [sid for sid, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")]
    keep: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for reference in ("w:basedOn", "w:link", "w:next"):
            found = by_id[style_id].find(qn(reference))
            if found is not None:
                wanted.append(found.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            element.remove(style)


def _weight(value: float) -> str:
    return f"{value:g}" if value else ""


def _circled(score: int) -> str:
    """①, ②, ③, ④: a number to circle that already looks circled."""
    return chr(0x2460 + score - 1) if 1 <= score <= 20 else str(score)


def _lines(text: str, size: float, width: float) -> int:
    """How many lines ``text`` takes at ``size`` points in ``width`` points, estimated on the generous side.

    Average glyph width is taken as 0.53 em (DejaVu Sans, which LibreOffice substitutes for Calibri, is
    the widest font the guide meets; measured over the shipped layouts' question pages, the estimate of a page
    stays 24 pt or more above what LibreOffice lays out), so it errs towards less room for notes, not an overflow.
    """
    per_line = max(1, int(width / (0.53 * size)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


# --- the guide, part by part ---------------------------------------------------------------------


class _Guide:
    """Builds one packet's guide into a document opened from the styled base."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet
        self.page_width, self.page_height, self.margin = PAPER[packet.paper]
        self.text_width = Length(self.page_width - 2 * self.margin)
        self.elements: list[BaseOxmlElement] = []  # the body's paragraphs and tables, in order
        self.heights: list[float] = []  # each element's estimated height in points, to estimate a page's fill

    def write(self, document: DocumentObject) -> None:
        """The whole guide into ``document``."""
        self.page_setup(document)
        self.cover()
        self.write_pages()
        end = document.element.body.sectPr  # the body's content goes before its section properties
        for element in self.elements:
            end.addprevious(element)

    def write_pages(self) -> None:
        """Everything after the cover, which is the same for every candidate of an interview."""
        self.how_to_use()
        self.time_budget()
        for section in self.packet.question_sections:
            assert section.question is not None
            self.question_page(section, section.question)
            if section.backup is not None:
                self.question_page(section, section.backup, replaces=section.question)
        self.rationale()
        self.for_the_recruiter()

    def add(self, element: BaseOxmlElement) -> BaseOxmlElement:
        self.elements.append(element)
        return element

    def paragraph(
        self, style: str, text: Text = (), *, keep: bool = False, page_break: bool = False, before: float | None = None
    ) -> BaseOxmlElement:
        runs = as_runs(text)
        self.heights.append(self.height(style, "".join(run.text for run in runs)))
        return self.add(paragraph_xml(style, runs, keep=keep, page_break=page_break, before=before))

    def height(self, style: str, text: str, width: float | None = None) -> float:
        """Points a paragraph of ``text`` in ``style`` takes in ``width`` points (default: the text width)."""
        look = LOOKS[style]
        width = (self.text_width.pt if width is None else width) - 72 * look.indent
        return look.before + look.after + _lines(text, look.size, width) * look.size * look.line * 1.2

    def bullets(self, style: str, texts: Sequence[Text], *, tick: bool = False) -> None:
        """A list kept on one page (a single item left alone at the top of a page is hard to use)."""
        mark = Run(f"{TICK_BOX}\t", symbol=True) if tick else Run(f"{BULLET}\t")
        for index, text in enumerate(texts):
            self.paragraph(style, (mark, *as_runs(text)), keep=index < len(texts) - 1)

    def widths(self, *shares: float) -> list[Length]:
        """Column widths as shares of the text width, so a table fits letter and A4 alike."""
        total = sum(shares)
        return [Length(int(self.text_width * share / total)) for share in shares]

    def page_setup(self, document: DocumentObject) -> None:
        section = document.sections[0]
        section.page_width, section.page_height = self.page_width, self.page_height
        section.left_margin = section.right_margin = self.margin
        section.top_margin = section.bottom_margin = self.margin
        section.header_distance = section.footer_distance = Inches(0.4)

        # Role on the left, candidate on the right: a two-cell table wraps gracefully when both are long. The
        # role's cell is as wide as its text needs (about 0.6 em a character, between a quarter and two thirds
        # of the line), the rest is the name's: never the name's length, so one template serves every name.
        packet = self.packet
        header = section.header._element
        for old in list(header):
            header.remove(old)
        role = f"{packet.title} ({packet.level})"
        share = min(0.64, max(0.25, (len(role) * 0.6 * LOOKS["Header"].size + 18) / self.text_width.pt))
        candidate = f"Candidate: {packet.candidate or '_' * 18}"
        header.append(
            table_xml(
                self.widths(share, 1 - share),
                [[role, candidate]],
                header=False,
                align=(None, "right"),
                style="Header",
            )
        )
        header.append(paragraph_xml("Header"))  # Word wants a paragraph after a table

        footer = section.footer._element
        for old in list(footer):
            footer.remove(old)
        page = paragraph_xml("Footer", "Page ", align="center")
        add_field(page, "PAGE", "1")
        add_run(page, Run(" of "))
        add_field(page, "NUMPAGES", "1")
        footer.append(page)

    def slot_time(self) -> str:
        first, last = self.packet.sections[0], self.packet.sections[-1]
        if first.clock_start is None:
            return ""
        return f"{first.clock_start}\u2013{last.clock_end}"

    def cover(self) -> None:
        packet = self.packet
        self.paragraph("Title", packet.title)
        self.paragraph("Guide Subtitle", f"Interview guide \u00b7 {packet.level}")
        fields = (
            ("Candidate", packet.candidate),
            ("Interviewer", packet.interviewer),
            ("Date", packet.date.isoformat() if packet.date else ""),
            ("Time", self.slot_time()),
            ("Slot", f"{packet.minutes} minutes"),
        )
        rows: list[list[Text]] = [[Run(name, bold=True), value] for name, value in fields]
        widths = [Inches(1.1), Inches(3.9)]
        table = self.add(
            table_xml(widths, rows, header=False, height=Inches(0.3), height_rule="atLeast", style="Normal")
        )
        for row, (_, value) in zip(table.findall(qn("w:tr")), fields):
            if not value:
                # A line to write on, so a printed guide can be filled in by hand.
                cell_properties = row.findall(qn("w:tc"))[1].find(qn("w:tcPr"))
                cell_properties.append(border_xml("w:tcBorders", {"bottom": ("single", 4, BLANK_LINE, 0)}))
        # A role that leads no team has context (the team it joins, the work), not a team of its own.
        self.paragraph("Guide Label", "The team" if packet.layout.leads_teams else "The role", before=14)
        self.paragraph("Normal", packet.layout.team_context)

    def how_to_use(self) -> None:
        self.paragraph("Heading 1", "How to use this guide")
        how_to = list(HOW_TO_USE)
        if any(s.backup is not None for s in self.packet.question_sections):
            how_to.insert(2, SWITCH_TO_BACKUP)
        self.bullets("Guide Bullet", how_to)

    def time_budget(self) -> None:
        packet = self.packet
        self.paragraph("Heading 1", "Time budget")
        rows: list[list[Text]] = [["Section", "Minutes", "Time"]]
        for section in packet.sections:
            name: list[Run] = [Run(section.title)]
            if section.question is not None:
                name = [Run(f"{section.question.label}. {section.title}")]
            if section.backup is not None:
                name.append(Run(f"\nBackup {section.backup.label}: {section.backup.question.title}", muted=True))
            rows.append([name, str(section.minutes), section.time_range])
        slot = self.slot_time() or f"0\u2013{packet.minutes} min"
        rows.append([Run("Total", bold=True), Run(str(packet.minutes), bold=True), Run(slot, bold=True)])
        self.add(table_xml(self.widths(4.6, 0.8, 1.2), rows, borders=GRID, align=(None, "right", None)))

    def question_page(self, section: Section, asked: PacketQuestion, replaces: PacketQuestion | None = None) -> None:
        """One page for a question or a backup: the interviewer turns the page as the interview moves on."""
        first = len(self.heights)
        entry = asked.question
        if replaces is None:
            self.paragraph("Heading 1", f"{asked.label}. {section.title}", page_break=True)
            self.paragraph("Guide Meta", f"{section.time_range} \u00b7 {section.minutes} minutes")
        else:
            self.paragraph("Heading 2", f"{asked.label}. Backup: {entry.title}", page_break=True)
            self.paragraph(
                "Guide Meta",
                (
                    Run("Use when: ", bold=True),
                    Run(asked.backup_when or ""),
                    Run(f"\nIn place of question {replaces.label}, in its {section.minutes} minutes"),
                    Run(f" ({section.time_range})"),
                ),
            )
        goal = (Run(f"Goal \u2014 {asked.category.label}: ", bold=True), Run(entry.goal))
        self.paragraph("Normal", goal, keep=True)
        self.paragraph("Guide Question", entry.text, keep=True)
        if entry.follow_ups:
            self.paragraph("Guide Label", "Follow-ups")
            self.bullets("Guide Bullet", entry.follow_ups)
        self.paragraph("Guide Label", "A great answer will mention")
        self.bullets("Guide Tick", entry.great_signals, tick=True)
        self.paragraph("Guide Label", "Negative signals to look out for")
        self.bullets("Guide Tick", entry.negative_signals, tick=True)
        if entry.technologies:
            self.paragraph("Guide Label", "Technologies that may be mentioned")
            groups = [
                (Run(f"{group}: ", bold=True), Run(", ".join(names))) for group, names in entry.technologies.items()
            ]
            self.bullets("Guide Bullet", groups)
        self.rating_box(entry.rating_anchors)
        self.paragraph("Guide Label", "Notes")
        self.notes_lines(self.notes_room(sum(self.heights[first:])))

    def rating_box(self, anchors: tuple[str, ...]) -> None:
        """The layout's four levels to circle, each above what it looks like: for this question when the bank
        says, otherwise the layout's generic words. Kept with the notes that follow, so it never sits alone."""
        scale = self.packet.layout.rating_scale
        self.paragraph("Guide Label", "Rating \u00b7 circle one")
        looks_like = anchors or tuple(level.anchor for level in scale)
        levels: list[Text] = [(Run(_circled(level.score), symbol=True), Run(f" {level.label}")) for level in scale]
        widths = self.widths(*([1] * len(scale)))
        rows = [levels, list[Text](looks_like)]
        self.add(table_xml(widths, rows, borders=GRID, kept_rows=2, style="Guide Level", body_style="Guide Anchor"))
        cell_width = widths[0].pt - 11  # less the cells' side margins
        tallest = max(self.height("Guide Anchor", text, cell_width) for text in looks_like)
        self.heights.append(self.height("Guide Level", "Poor", cell_width) + tallest)

    def notes_room(self, used: float) -> int:
        """How many notes lines fill the rest of the page after ``used`` points of it (at least a few)."""
        room = Length(self.page_height - 2 * self.margin).pt - used - 24  # 24 pt spare for the estimate's error
        return max(MIN_NOTES_LINES, int(room // NOTES_LINE.pt))

    def notes_lines(self, count: int) -> None:
        """Ruled lines for handwriting: the rules between the rows of an otherwise borderless table.

        Only the first line is kept with the "Notes" label; the rest may run onto the next page.
        """
        rows = [[""] for _ in range(count)]
        ruled = {"bottom": GRID["bottom"], "insideH": GRID["insideH"]}
        self.add(table_xml([self.text_width], rows, header=False, borders=ruled, kept_rows=1, height=NOTES_LINE))

    def rationale(self) -> None:
        """The layout's reasoning as a short closing note: summary, then strengths beside trade-offs."""
        rationale = self.packet.layout.rationale
        self.paragraph("Heading 1", "Why the questions are in this order", page_break=True)
        self.paragraph("Normal", rationale.summary, keep=True)
        rows: list[list[Text]] = [["Strengths of this order", "Trade-offs to keep in mind"], ["", ""]]
        table = self.add(table_xml(self.widths(1, 1), rows, borders=GRID))
        for cell, points in zip(table.findall(qn("w:tr"))[1].findall(qn("w:tc")), (rationale.pros, rationale.cons)):
            cell.remove(cell.find(qn("w:p")))
            for point in points:
                cell.append(paragraph_xml("Guide Cell Bullet", (Run(f"{BULLET}\t"), Run(point))))
            if not points:
                cell.append(paragraph_xml("Guide Cell"))

    def for_the_recruiter(self) -> None:
        """The scoring mechanics, on a closing page of their own: the interviewer's pages say only what to do."""
        packet = self.packet
        self.paragraph("Heading 1", "For the recruiter", page_break=True)
        self.paragraph("Normal", FOR_THE_RECRUITER, keep=True)
        self.paragraph("Heading 2", "How the scorecard scores")
        self.paragraph("Normal", SIGNAL_SCORES, keep=True)
        t = packet.layout.thresholds
        self.paragraph(
            "Normal",
            "The overall score is the mean of the category scores. The scorecard recommends Strong yes from "
            f"{t.strong_yes:+.0%}, Yes from {t.yes:+.0%}, No from {t.no:+.0%} and Strong no below that; the "
            "recommendation follows the ticked signals, while the ratings stand beside it for the debrief.",
        )
        self.paragraph("Heading 2", "Category weights")
        weights = "Each question\u2019s weight in each category of this interview."
        if any(s.backup is not None for s in packet.question_sections):
            weights += " A backup question, when asked, is scored with its own weights in place of its question."
        self.paragraph("Normal", weights, keep=True)
        coverage = packet_coverage(packet)
        titles = {s.question.label: s.title for s in packet.question_sections if s.question is not None}
        rows: list[list[Text]] = [["Question", *(category.label for category in coverage.categories)]]
        for line in coverage.rows:
            weights_row = [_weight(line.weights[category.id]) for category in coverage.categories]
            rows.append([f"{line.label}. {titles.get(line.label, line.question.title)}", *weights_row])
        totals = [Run(f"{coverage.totals[category.id]:g}", bold=True) for category in coverage.categories]
        rows.append([Run("Total weight", bold=True), *totals])
        count = len(coverage.categories)
        # Category columns wide enough for a label's longest word ("operationally") in a wide font.
        widths = self.widths(max(1.6, 6.6 - 1.2 * count), *([1.2] * count))
        self.add(table_xml(widths, rows, borders=GRID, align=(None, *(["center"] * count))))


# --- document properties and a reproducible zip -------------------------------------------------


def _properties(document: DocumentObject, packet: Packet, when: dt.datetime) -> None:
    properties = document.core_properties
    # Word limits these properties to 255 characters; the full text is in the document itself.
    properties.title = f"Interview guide: {packet.title} ({packet.level})"[:255]
    properties.subject = packet.candidate[:PROPERTY_LIMIT]
    properties.author = "packet"
    properties.last_modified_by = "packet"
    properties.comments = f"packet {packet.version}, role {packet.role}, identity {packet.identity}"[:255]
    properties.keywords = "interview guide"
    properties.revision = 1
    properties.created = when
    properties.modified = when


def _members(document: DocumentObject) -> Parts:
    """The members python-docx's ``save`` writes, in a fixed order: [Content_Types].xml first, as Word writes
    it, the rest sorted. python-docx dates its zip entries now and orders them as it walks the parts, so its zip
    is read back; :func:`write_zip` writes them again, each dated the moment given."""
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    names = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    return tuple((name, members[name]) for name in names)


def guide_parts(packet: Packet, when: dt.datetime) -> Parts:
    """The parts of ``packet``'s guide made at ``when``, built whole."""
    document = _new_document()
    _Guide(packet).write(document)
    _properties(document, packet, when)
    return _members(document)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write-template"]:
        sys.exit(f"usage: {TEMPLATE_COMMAND}\nRewrites {BASE_DOCUMENT.name} from the guide's styling code.")
    write_template()
