"""The Excel scorecard: one block of marks per question, and a Summary whose formulas score the four categories.

The formulas mirror :mod:`exporter.scoring` exactly and use only functions Excel, LibreOffice Calc and Google
Sheets all compute (IF, OR, COUNT, COUNTIF, SUM, SUMIF, SUMPRODUCT, ISNUMBER, ROUND). Each question's title row
carries hidden helper cells (asked 0/1, signal score, red flags, rated 0/1, rating, and its weight in each
category); the Summary sums them per category with SUMPRODUCT/SUMIF, so a blank category shows "" and never
#DIV/0!.

What ``packet tally`` relies on (see :mod:`exporter.readback`): the workbook-level defined names
(``q<N>_asked``, ``q<N>_great_<i>``, ``q<N>_neg_<j>``, ``q<N>_rating``, ``q<N>_notes``, ``cat_<id>_score`` …,
``overall_score``, ``recommendation``, and the header cells ``candidate``, ``interviewer``, ``interview_date``,
``role``) and the hidden sheet "Packet": A1 ``packet-scorecard``, B2 the format number, B3 the packet's
identity as JSON.

Every text from the bank, the layout or the command line is written as a string cell, never as a formula.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..model import Packet, PacketQuestion
from ..reproducible import build_time, write_zip
from ..scoring import NO, RECOMMENDATIONS, THRESHOLD_DIGITS, YES
from . import Renderer, RenderMemo

FORMAT_MARKER = "packet-scorecard"
FORMAT_VERSION = 1
SCORECARD = "Scorecard"
SUMMARY = "Summary"
PACKET_SHEET = "Packet"

# Excel refuses a data validation whose input or error message is longer than this.
MESSAGE_LIMIT = 255

# Scorecard columns: label, text, the interviewer's input; then hidden helpers on each question's title row.
LABEL, TEXT, INPUT = "A", "B", "C"
ASKED, SIGNALS, FLAGS, RATED, RATING = "D", "E", "F", "G", "H"
FIRST_WEIGHT = 9  # column I: the question's weight in the first category, then one column per category

# Styles are made once and shared by every cell and every workbook.
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RULE = Border(bottom=Side(style="medium", color="404040"))
TITLE_FONT = Font(name="Calibri", size=14, bold=True)
HEADING_FONT = Font(name="Calibri", size=11, bold=True)
BOLD = Font(name="Calibri", size=10, bold=True)
BODY = Font(name="Calibri", size=10)
NOTE = Font(name="Calibri", size=9, italic=True, color="404040")
BIG = Font(name="Calibri", size=12, bold=True)
QUESTION_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
HEADER_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
SIGNAL = Alignment(wrap_text=True, vertical="top", indent=1)
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="top")
LEFT = Alignment(horizontal="left", vertical="top")
RIGHT = Alignment(horizontal="right", vertical="top")
HEADER_CAPTION = Alignment(horizontal="center", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)

SCORE_FORMAT = "+0%;-0%;0%"
RATING_FORMAT = "0.0"
COUNT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"

# Conditional formats: a darker fill and heavier type for stronger results, so they read in grayscale too.
STRONG_FILL = PatternFill("solid", start_color="63BE7B", end_color="63BE7B")
GOOD_FILL = PatternFill("solid", start_color="D8EFDD", end_color="D8EFDD")
WEAK_FILL = PatternFill("solid", start_color="F4C7C3", end_color="F4C7C3")
BAD_FILL = PatternFill("solid", start_color="A61C1C", end_color="A61C1C")
STRONG_FONT = Font(bold=True)
WEAK_FONT = Font(bold=True, italic=True, color="7F0000")
BAD_FONT = Font(bold=True, color="FFFFFF")

PAPER_SIZES = {"letter": Worksheet.PAPERSIZE_LETTER, "a4": Worksheet.PAPERSIZE_A4}

# Column widths in Excel's units (characters of the default font).
SCORECARD_WIDTHS = {LABEL: 10.0, TEXT: 80.0, INPUT: 11.0}
SUMMARY_WIDTHS = {"A": 48.0, "B": 13.0, "C": 13.0, "D": 13.0, "E": 13.0}

# Row heights are set from the text they hold: LibreOffice does not fit rows to wrapped text when it opens a
# file, and Excel only does for rows it lays out itself. The estimate errs on the roomy side because
# LibreOffice substitutes a wider font where Calibri is missing.
NOTES_HEIGHT = 45.0  # room for three lines of notes; recruiters may resize rows


def name_part(category_id: str) -> str:
    """A category id as it appears in defined names: ``team-member`` → ``team_member``."""
    return category_id.replace("-", "_")


def text(cell: Cell, value: str) -> Cell:
    """Write ``value`` as literal text: never a formula, even when it begins with '=' (or an error code)."""
    cell.value = value
    cell.data_type = "s"
    return cell


def fit_message(lines: Sequence[tuple[str, str]], limit: int = MESSAGE_LIMIT) -> str:
    """``head: detail`` lines joined, details shortened evenly (then dropped) until Excel accepts the length."""
    full = "\n".join(f"{head}: {detail}" for head, detail in lines)
    if len(full) <= limit:
        return full
    longest = max(len(detail) for _, detail in lines)
    for keep in range(longest - 1, 0, -1):
        shortened = "\n".join(
            f"{head}: {detail if len(detail) <= keep else detail[: keep - 1].rstrip() + '…'}" for head, detail in lines
        )
        if len(shortened) <= limit:
            return shortened
    return "\n".join(head for head, _ in lines)[:limit]


def line_count(value: str, width: float, font: Font) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide (a generous estimate)."""
    size = float(font.sz or 11)
    per_line = max(8, int(width * (1.05 if font.b else 1.2) * 10 / size))
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in value.split("\n"))


def fit_height(ws: Worksheet, row: int, value: str, width: float, font: Font) -> None:
    """Make ``row`` tall enough for ``value`` wrapped in a column of ``width``; single lines keep the default."""
    lines = line_count(value, width, font)
    if lines > 1:
        needed = lines * float(font.sz or 11) * 1.3 + 3
        ws.row_dimensions[row].height = max(needed, ws.row_dimensions[row].height or 0)


def style_cell(
    cell: Cell,
    font: Font,
    alignment: Alignment = TOP,
    fill: PatternFill | None = None,
    border: Border | None = None,
    number_format: str | None = None,
) -> Cell:
    """Set a cell's look; what is None stays as it is."""
    cell.font = font
    cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format
    return cell


class Block(NamedTuple):  # not a dataclass, which would compile its methods on every start (~1.5 ms)
    """Where one question's cells landed on the Scorecard."""

    question: PacketQuestion
    title_row: int
    asked_row: int
    great_rows: list[int]
    negative_rows: list[int]
    rating_row: int
    notes_row: int


class Scorecard:
    """Builds one packet's workbook; a batch fills the header of a built one again (see :func:`_scorecard`)."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet
        self.workbook = Workbook()
        self.names: list[tuple[str, str, str]] = []  # (name, sheet, cell)
        self.blocks: list[Block] = []
        self.mark_cells: list[str] = []
        self.rating_cells: list[str] = []
        self.thresholds: dict[str, str] = {}  # "strong_yes" → absolute cell on the Summary
        self.looks: dict[tuple[Any, ...], Any] = {}  # style combination → openpyxl's style array

    # -- helpers -------------------------------------------------------------------------------------------

    def style(
        self,
        cell: Cell,
        font: Font = BODY,
        alignment: Alignment = TOP,
        fill: PatternFill | None = None,
        border: Border | None = None,
        number_format: str | None = None,
        unlocked: bool = False,
    ) -> Cell:
        """Give ``cell`` a look. Each combination is registered with the workbook once and then copied: registering
        a style costs far more than writing the cell, and a batch makes 100 cards. The keys are ids of this
        module's style constants, which live as long as the module."""
        key = (id(font), id(alignment), id(fill), id(border), number_format, unlocked)
        look = self.looks.get(key)
        if look is None:
            style_cell(cell, font, alignment, fill, border, number_format)
            if unlocked:
                cell.protection = UNLOCKED
            self.looks[key] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(look)
        return cell

    def name(self, name: str, sheet: str, cell: str) -> None:
        self.names.append((name, sheet, cell))

    def paragraph(
        self,
        ws: Worksheet,
        ref: str,
        value: str,
        font: Font = BODY,
        alignment: Alignment = WRAP,
        fill: PatternFill | None = None,
        border: Border | None = None,
    ) -> Cell:
        """Wrapped text, with its row made tall enough to show all of it."""
        cell = self.style(text(ws[ref], value), font, alignment, fill, border)
        width = float(ws.column_dimensions[cell.column_letter].width) - 2 * float(alignment.indent or 0)
        fit_height(ws, cell.row, value, width, font)
        return cell

    def input_cell(self, ws: Worksheet, ref: str, alignment: Alignment = CENTER) -> Cell:
        return self.style(ws[ref], BODY, alignment, INPUT_FILL, BOX, unlocked=True)

    # -- the Scorecard sheet -------------------------------------------------------------------------------

    def build_scorecard(self) -> None:
        packet = self.packet
        ws = self.workbook.active
        assert ws is not None
        ws.title = SCORECARD
        for column, width in SCORECARD_WIDTHS.items():
            ws.column_dimensions[column].width = width
        self.style(text(ws["A1"], f"Interview scorecard — {packet.title}, {packet.level}"), TITLE_FONT)

        header = (
            ("candidate", "Candidate"),
            ("interviewer", "Interviewer"),
            ("interview_date", "Date"),
            ("role", "Role"),
        )
        for row, (defined, caption) in enumerate(header, start=2):
            self.style(text(ws[f"A{row}"], caption), BOLD)
            self.input_cell(ws, f"B{row}", LEFT)
            self.name(defined, SCORECARD, f"B{row}")
        text(ws["B5"], f"{packet.title}, {packet.level}")
        self.fill_header()

        row = 7
        for line in (
            "After the interview, from the ticks on your cheat sheet: mark each signal Yes (heard) or No,",
            "rate each question you asked 1–4, and add notes. Leave Asked blank or No for a question you did",
            "not get to: it is left out of every score, never counted as zero. The Summary sheet adds it up.",
        ):
            self.style(text(ws[f"A{row}"], line), NOTE)
            row += 1

        row += 1
        self.style(text(ws[f"A{row}"], "Rating scale"), HEADING_FONT)
        row += 1
        for level in packet.layout.rating_scale:
            self.style(ws[f"A{row}"], BOLD, CENTER).value = level.score
            self.paragraph(ws, f"B{row}", f"{level.label} — {level.anchor}")
            row += 1

        row += 1
        for question in packet.questions:
            row = self.question_block(ws, question, row) + 2  # a blank row between blocks
        self.last_row = row - 2

        for column in (ASKED, SIGNALS, FLAGS, RATED, RATING):
            ws.column_dimensions[column].hidden = True
        for index in range(len(packet.categories)):
            ws.column_dimensions[self.weight_column(index)].hidden = True
        self.validations(ws)
        for block in self.blocks:
            if block.negative_rows:
                # A red flag marked Yes stands out when a recruiter skims the marks.
                first, last = block.negative_rows[0], block.negative_rows[-1]
                rule = FormulaRule(formula=[f'{INPUT}{first}="{YES}"'], fill=WEAK_FILL, font=WEAK_FONT)
                ws.conditional_formatting.add(f"{INPUT}{first}:{INPUT}{last}", rule)
        self.print_setup(ws, f"A1:C{self.last_row}", "1:2")
        ws.freeze_panes = "A3"

    @staticmethod
    def weight_column(index: int) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(FIRST_WEIGHT + index)

    def main_label(self, question: PacketQuestion) -> str:
        return next(
            q.label for q in self.packet.questions if q.backup_for is None and q.question.id == question.backup_for
        )

    def question_block(self, ws: Worksheet, pq: PacketQuestion, row: int) -> int:
        """Write one question's block from ``row``; returns the block's last row."""
        entry = pq.question
        n = pq.number
        title_row = row
        self.style(text(ws[f"A{row}"], pq.label), HEADING_FONT, CENTER, QUESTION_FILL, RULE)
        self.paragraph(ws, f"B{row}", entry.title, HEADING_FONT, WRAP, QUESTION_FILL, RULE)
        self.style(ws[f"C{row}"], BODY, TOP, QUESTION_FILL, RULE)
        row += 1

        if pq.backup_for is not None:
            when = f" — use when: {pq.backup_when}" if pq.backup_when else ""
            self.paragraph(ws, f"B{row}", f"Backup for {self.main_label(pq)}{when}", BOLD)
            row += 1
        others = [
            f"{c.label} (weight {entry.categories[c.id]:g})"
            for c in self.packet.categories
            if c.id != pq.category.id and entry.categories.get(c.id, 0) > 0
        ]
        also = f" · also counts towards {', '.join(others)}" if others else ""
        self.paragraph(ws, f"B{row}", f"Asked for: {pq.category.label}{also}", NOTE)
        row += 1

        asked_row = row
        self.style(text(ws[f"B{row}"], "Asked this question?"), BOLD)
        self.mark(ws, row, f"q{n}_asked")
        row += 1

        self.style(text(ws[f"B{row}"], "Great signals heard"), BOLD)
        self.style(text(ws[f"C{row}"], "Yes / No"), NOTE, CENTER)
        row += 1
        great_rows = []
        for i, signal in enumerate(entry.great_signals, start=1):
            self.paragraph(ws, f"B{row}", signal, BODY, SIGNAL)
            self.mark(ws, row, f"q{n}_great_{i}")
            great_rows.append(row)
            row += 1

        self.style(text(ws[f"B{row}"], "Red flags seen (negative signals)"), BOLD)
        self.style(text(ws[f"C{row}"], "Yes / No"), NOTE, CENTER)
        row += 1
        negative_rows = []
        for j, signal in enumerate(entry.negative_signals, start=1):
            self.paragraph(ws, f"B{row}", signal, BODY, SIGNAL)
            self.mark(ws, row, f"q{n}_neg_{j}")
            negative_rows.append(row)
            row += 1

        rating_row = row
        scale = " · ".join(f"{level.score} {level.label}" for level in self.packet.layout.rating_scale)
        self.paragraph(ws, f"B{row}", f"Rating ({scale})", BOLD)
        self.input_cell(ws, f"C{row}")
        self.rating_cells.append(f"C{row}")
        self.name(f"q{n}_rating", SCORECARD, f"C{row}")
        row += 1

        notes_row = row
        self.style(text(ws[f"A{row}"], "Notes"), BOLD, RIGHT)
        self.input_cell(ws, f"B{row}", WRAP)
        ws.row_dimensions[row].height = NOTES_HEIGHT
        self.name(f"q{n}_notes", SCORECARD, f"B{row}")

        block = Block(pq, title_row, asked_row, great_rows, negative_rows, rating_row, notes_row)
        self.blocks.append(block)
        self.helpers(ws, block)
        return row

    def mark(self, ws: Worksheet, row: int, defined: str) -> None:
        self.input_cell(ws, f"C{row}")
        self.mark_cells.append(f"C{row}")
        self.name(defined, SCORECARD, f"C{row}")

    def helpers(self, ws: Worksheet, block: Block) -> None:
        """The hidden cells the Summary adds up; see :mod:`exporter.scoring` for the model they follow."""
        t = block.title_row
        great = f"{INPUT}{block.great_rows[0]}:{INPUT}{block.great_rows[-1]}" if block.great_rows else None
        negative = f"{INPUT}{block.negative_rows[0]}:{INPUT}{block.negative_rows[-1]}" if block.negative_rows else None
        rating = f"{INPUT}{block.rating_row}"
        evidence = [f'COUNTIF({INPUT}{block.asked_row},"{YES}")>0']
        evidence += [f'COUNTIF({marks},"{YES}")>0' for marks in (great, negative) if marks]
        evidence.append(f"COUNT({rating})>0")
        ws[f"{ASKED}{t}"] = f"=IF(OR({','.join(evidence)}),1,0)"
        terms = []
        if great:
            terms.append(f'COUNTIF({great},"{YES}")/{len(block.great_rows)}')
        if negative:
            terms.append(f'-COUNTIF({negative},"{YES}")/{len(block.negative_rows)}')
        ws[f"{SIGNALS}{t}"] = f"=IF({ASKED}{t}=1,{''.join(terms) or '0'},0)"
        ws[f"{FLAGS}{t}"] = f'=COUNTIF({negative},"{YES}")' if negative else 0
        ws[f"{RATED}{t}"] = f"=IF(COUNT({rating})>0,1,0)"
        ws[f"{RATING}{t}"] = f"=IF(COUNT({rating})>0,{rating},0)"
        weights = block.question.question.categories
        for index, category in enumerate(self.packet.categories):
            ws[f"{self.weight_column(index)}{t}"] = float(weights.get(category.id, 0.0))

    def validations(self, ws: Worksheet) -> None:
        marks = DataValidation(
            type="list",
            formula1=f'"{YES},{NO}"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle="Yes or No",
            error="Choose Yes or No from the list, or leave the cell blank.",
        )
        for ref in self.mark_cells:
            marks.add(ref)
        scale = self.packet.layout.rating_scale
        low, high = min(level.score for level in scale), max(level.score for level in scale)
        ratings = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="stop",
            promptTitle=f"Rating {low}–{high}",
            prompt=fit_message([(f"{level.score} {level.label}", level.anchor) for level in scale]),
            errorTitle="Not a rating",
            error=fit_message(
                [(f"Enter a whole number from {low} to {high}", "; ".join(f"{lv.score} {lv.label}" for lv in scale))]
            ),
        )
        for ref in self.rating_cells:
            ratings.add(ref)
        ws.add_data_validation(marks)
        ws.add_data_validation(ratings)

    def print_setup(self, ws: Worksheet, area: str, title_rows: str) -> None:
        ws.print_area = area
        ws.print_title_rows = title_rows
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = PAPER_SIZES.get(self.packet.paper, Worksheet.PAPERSIZE_LETTER)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "Page &P of &N"
        ws.print_options.horizontalCentered = True
        ws.protection.sheet = True
        # Recruiters may resize rows and columns (long notes), but not overwrite a formula by accident.
        ws.protection.formatRows = False
        ws.protection.formatColumns = False

    # -- the Summary sheet ---------------------------------------------------------------------------------

    def column_range(self, column: str) -> str:
        first = self.blocks[0].title_row
        return f"{SCORECARD}!${column}${first}:${column}${self.last_row}"

    def build_summary(self) -> None:
        packet = self.packet
        ws = self.workbook.create_sheet(SUMMARY)
        for column, width in SUMMARY_WIDTHS.items():
            ws.column_dimensions[column].width = width
        self.style(text(ws["A1"], f"Scorecard summary — {packet.title}, {packet.level}"), TITLE_FONT)
        for row, (caption, source, fmt) in enumerate(
            (("Candidate", "B2", None), ("Interviewer", "B3", None), ("Date", "B4", DATE_FORMAT)), start=2
        ):
            self.style(text(ws[f"A{row}"], caption), BOLD)
            ref = f"{SCORECARD}!{source}"
            self.style(ws[f"B{row}"], BODY, LEFT, number_format=fmt).value = f'=IF({ref}="","",{ref})'

        row = 6
        self.table_header(ws, row, ("Category", "Score", "Red flags", "Rating (1–4)", "Asked"))
        first_category = row + 1
        asked, signals, flags = self.column_range(ASKED), self.column_range(SIGNALS), self.column_range(FLAGS)
        rated, rating = self.column_range(RATED), self.column_range(RATING)
        for index, category in enumerate(packet.categories):
            row += 1
            weight = self.column_range(self.weight_column(index))
            self.paragraph(ws, f"A{row}", category.label, BOLD, border=BOX)
            weighted = f"SUMPRODUCT({weight},{asked})"
            cells = {
                "score": (f'=IF({weighted}=0,"",SUMPRODUCT({weight},{asked},{signals})/{weighted})', SCORE_FORMAT),
                "flags": (f'=SUMIF({weight},">0",{flags})', COUNT_FORMAT),
                "rating": (
                    f'=IF(SUMPRODUCT({weight},{rated})=0,"",'
                    f"SUMPRODUCT({weight},{rating})/SUMPRODUCT({weight},{rated}))",
                    RATING_FORMAT,
                ),
                "asked": (f'=SUMIF({weight},">0",{asked})', COUNT_FORMAT),
            }
            for column, (suffix, (formula, fmt)) in zip("BCDE", cells.items()):
                self.style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula
                self.name(f"cat_{name_part(category.id)}_{suffix}", SUMMARY, f"{column}{row}")
        scores = f"B{first_category}:B{row}"
        last_category = row

        row += 2
        overall_row, recommendation_row = row, row + 1
        self.style(text(ws[f"A{overall_row}"], "Overall score (mean of the category scores)"), BOLD, border=BOX)
        self.style(
            ws[f"B{overall_row}"], BIG, CENTER, border=BOX, number_format=SCORE_FORMAT
        ).value = f'=IF(COUNT({scores})=0,"",SUM({scores})/COUNT({scores}))'
        self.name("overall_score", SUMMARY, f"B{overall_row}")
        self.style(text(ws[f"A{recommendation_row}"], "Recommendation"), BIG, border=BOX)
        self.name("recommendation", SUMMARY, f"B{recommendation_row}")

        row = recommendation_row + 2
        self.style(text(ws[f"A{row}"], "Recommendation thresholds (overall score)"), HEADING_FONT)
        thresholds = packet.layout.thresholds
        for label, key in zip(RECOMMENDATIONS, ("strong_yes", "yes", "no")):
            row += 1
            self.style(text(ws[f"A{row}"], f"{label} from"), BODY)
            self.style(ws[f"B{row}"], BODY, CENTER, number_format=SCORE_FORMAT).value = float(getattr(thresholds, key))
            self.thresholds[key] = f"$B${row}"
        row += 1
        self.style(text(ws[f"A{row}"], f"{RECOMMENDATIONS[-1]} below"), BODY)
        self.style(ws[f"B{row}"], BODY, CENTER, number_format=SCORE_FORMAT).value = f"={self.thresholds['no']}"

        overall = f"ROUND(B{overall_row},{THRESHOLD_DIGITS})"
        choice = f'"{RECOMMENDATIONS[-1]}"'
        for label, key in reversed(list(zip(RECOMMENDATIONS, ("strong_yes", "yes", "no")))):
            choice = f'IF({overall}>={self.thresholds[key]},"{label}",{choice})'
        self.style(ws[f"B{recommendation_row}"], BIG, CENTER, border=BOX).value = f'=IF(B{overall_row}="","",{choice})'

        row += 2
        for line in (
            "Each question's signal score is the share of its great signals heard minus the share of its",
            "red flags seen (−100% to +100%). A category's score is the weighted mean over the questions",
            "asked that count towards it; its rating likewise over the questions rated. Questions not asked",
            "are left out, never counted as zero; a blank means no question in that category was asked.",
        ):
            self.style(text(ws[f"A{row}"], line), NOTE)
            row += 1

        row += 1
        self.table_header(ws, row, ("Question", "Signal score", "Red flags", "Rating", "Asked"))
        first_question = row + 1
        for block in self.blocks:
            row += 1
            pq, t = block.question, block.title_row
            backup = f" (backup for {self.main_label(pq)})" if pq.backup_for else ""
            self.paragraph(ws, f"A{row}", f"{pq.label}. {pq.question.title}{backup}", border=BOX)
            was_asked = f"{SCORECARD}!${ASKED}${t}=1"
            for column, formula, fmt in (
                ("B", f'=IF({was_asked},{SCORECARD}!${SIGNALS}${t},"")', SCORE_FORMAT),
                ("C", f'=IF({was_asked},{SCORECARD}!${FLAGS}${t},"")', COUNT_FORMAT),
                ("D", f'=IF({SCORECARD}!${RATED}${t}=1,{SCORECARD}!${RATING}${t},"")', COUNT_FORMAT),
                ("E", f'=IF({was_asked},"{YES}","{NO}")', None),
            ):
                self.style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula

        self.conditional_formats(
            ws,
            scores=[f"B{first_category}:B{last_category}", f"B{overall_row}", f"B{first_question}:B{row}"],
            flags=[f"C{first_category}:C{last_category}", f"C{first_question}:C{row}"],
            recommendation=f"B{recommendation_row}",
        )
        self.print_setup(ws, f"A1:E{row}", "6:6")

    def table_header(self, ws: Worksheet, row: int, captions: Sequence[str]) -> None:
        for column, caption in zip("ABCDE", captions):
            alignment = WRAP if column == "A" else HEADER_CAPTION
            self.paragraph(ws, f"{column}{row}", caption, BOLD, alignment, HEADER_FILL, BOX)

    def conditional_formats(self, ws: Worksheet, scores: list[str], flags: list[str], recommendation: str) -> None:
        t = self.thresholds
        for area in scores:
            corner = area.split(":")[0]
            value = f"ROUND({corner},{THRESHOLD_DIGITS})"
            is_score = f"ISNUMBER({corner})"
            for condition, fill, font in (
                (f"{value}>={t['strong_yes']}", STRONG_FILL, STRONG_FONT),
                (f"{value}>={t['yes']}", GOOD_FILL, None),
                (f"{value}<{t['no']}", WEAK_FILL, WEAK_FONT),
            ):
                rule = FormulaRule(formula=[f"AND({is_score},{condition})"], fill=fill, font=font, stopIfTrue=True)
                ws.conditional_formatting.add(area, rule)
        for area in flags:
            corner = area.split(":")[0]
            rule = FormulaRule(formula=[f"AND(ISNUMBER({corner}),{corner}>0)"], fill=WEAK_FILL, font=WEAK_FONT)
            ws.conditional_formatting.add(area, rule)
        for label, fill, font in zip(
            RECOMMENDATIONS, (STRONG_FILL, GOOD_FILL, WEAK_FILL, BAD_FILL), (STRONG_FONT, None, WEAK_FONT, BAD_FONT)
        ):
            rule = FormulaRule(formula=[f'{recommendation}="{label}"'], fill=fill, font=font, stopIfTrue=True)
            ws.conditional_formatting.add(recommendation, rule)

    def fill_header(self) -> None:
        """Candidate, interviewer and date: the only cells that differ between the scorecards of a batch."""
        packet = self.packet
        ws = self.workbook[SCORECARD]
        for ref, value in (("B2", packet.candidate), ("B3", packet.interviewer)):
            if value:
                text(ws[ref], value)
            else:
                ws[ref].value = None
        ws["B4"].value = packet.date
        if packet.date is not None:
            self.style(ws["B4"], BODY, LEFT, INPUT_FILL, BOX, DATE_FORMAT, unlocked=True)

    # -- identity, names, saving ---------------------------------------------------------------------------

    def build_identity(self) -> None:
        packet = self.packet
        ws = self.workbook.create_sheet(PACKET_SHEET)
        ws.sheet_state = "hidden"
        text(ws["A1"], FORMAT_MARKER)
        text(ws["A2"], "format")
        ws["B2"] = FORMAT_VERSION
        text(ws["A3"], "packet")
        thresholds = packet.layout.thresholds
        identity: dict[str, Any] = {
            "role": packet.role,
            "title": packet.title,
            "identity": packet.identity,
            "bank": packet.bank.digest,
            "layout": packet.layout.digest,
            "version": packet.version,
            "thresholds": {"strong_yes": thresholds.strong_yes, "yes": thresholds.yes, "no": thresholds.no},
            "categories": [c.id for c in packet.categories],
            "questions": [
                {
                    "number": pq.number,
                    "label": pq.label,
                    "id": pq.question.id,
                    "title": pq.question.title,
                    "categories": dict(pq.question.categories),
                    "great": len(pq.question.great_signals),
                    "negative": len(pq.question.negative_signals),
                }
                for pq in packet.questions
            ],
        }
        text(ws["B3"], json.dumps(identity, ensure_ascii=False, separators=(",", ":")))

    def define_names(self) -> None:
        for defined, sheet, ref in self.names:
            column = "".join(ch for ch in ref if ch.isalpha())
            row = ref[len(column) :]
            self.workbook.defined_names[defined] = DefinedName(defined, attr_text=f"{sheet}!${column}${row}")

    def build(self) -> Workbook:
        self.build_scorecard()
        self.build_summary()
        self.build_identity()
        self.define_names()
        self.workbook.active = 0
        self.workbook.calculation.fullCalcOnLoad = True
        return self.workbook


def save(workbook: Workbook, path: Path, moment: dt.datetime) -> None:
    """Write ``workbook`` with ``moment`` as its created/modified time and as every zip entry's timestamp."""
    workbook.properties.created = workbook.properties.modified = moment
    for ws in workbook.worksheets:
        # openpyxl keeps the column outline level it finds while writing and puts it in the next save's sheet
        # format: a card saved again (a batch refills them) must come out as on its first save.
        ws.column_dimensions.max_outline = None
    buffer = io.BytesIO()
    # Stored, not compressed: the entries are only read back here, and compressed once, into the file.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        # ExcelWriter directly: openpyxl's save_workbook would stamp "modified" with the current time.
        ExcelWriter(workbook, archive).write_data()
    with zipfile.ZipFile(buffer) as source:
        write_zip(path, ((name, source.read(name)) for name in source.namelist()), moment)


# Built scorecards by everything but their header, with the packet they were last filled for: see _scorecard.
_BUILT: list[tuple[tuple[Packet, bool], Scorecard]] = []


def _scorecard(packet: Packet) -> Scorecard:
    """The packet's scorecard, built, or in a batch the last one built from the same layout with its header
    filled in again: building is half of a scorecard's time, and a batch's cards differ only in the header.

    Whether a date is given is part of the match, as the date's style is registered with the workbook only
    then; so a refilled card is the same bytes as one built for its packet (a test compares them).
    """
    key = (packet._replace(candidate="", interviewer="", date=None), packet.date is not None)
    for kept, card in _BUILT:
        if kept == key:
            card.packet = packet
            card.fill_header()
            return card
    card = Scorecard(packet)
    card.build()
    if len(_BUILT) >= 4:  # a batch with a start time per row builds a card per row: keep memory bounded
        _BUILT.pop(0)
    _BUILT.append((key, card))
    return card


class ScorecardRenderer(Renderer):
    name = "xlsx"
    extension = "xlsx"
    suffix = "-scorecard"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        workbook = _scorecard(packet).workbook
        workbook.properties.creator = f"packet {packet.version}"
        workbook.properties.title = f"Interview scorecard — {packet.title}"
        save(workbook, path, build_time())

    def protected(self, path: Path) -> str | None:
        """A scorecard someone has filled in is never overwritten, not even with --force."""
        from .. import readback

        return readback.filled_reason(path)
