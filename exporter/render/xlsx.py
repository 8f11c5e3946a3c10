"""The Excel scorecard: one block of marks per question, and a Summary whose formulas score the four categories.

The formulas mirror :mod:`exporter.scoring` exactly and use only functions Excel, LibreOffice Calc and Google
Sheets all compute (IF, OR, COUNT, COUNTIF, SUM, SUMIF, SUMPRODUCT, ISNUMBER, ROUND). Each question's title row
carries hidden helper cells (asked 0/1, signal score, red flags, rated 0/1, rating, and its weight in each
category); the Summary sums them per category with SUMPRODUCT/SUMIF, so a blank category shows "" and never
#DIV/0!.

What ``packet tally`` relies on, the workbook's defined names and its hidden "Packet" sheet, is the file
format of :mod:`exporter.scorecard_format`; each card is sealed with that module's fingerprint, so that
``packet make --force`` replaces only a card exactly as it was made. The look is :mod:`exporter.sheet_style`'s.

Every text from the bank, the layout or the command line is written as a string cell, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .. import scorecard_format as form
from ..model import Packet, PacketQuestion
from ..reproducible import build_time, write_zip
from ..scoring import NO, RECOMMENDATIONS, THRESHOLD_DIGITS, YES
from ..sheet_style import (
    BAD_FILL,
    BAD_FONT,
    BIG,
    BODY,
    BOLD,
    BOX,
    CENTER,
    COUNT_FORMAT,
    DATE_FORMAT,
    GOOD_FILL,
    HEADER_CAPTION,
    HEADER_FILL,
    HEADING_FONT,
    INPUT_FILL,
    LEFT,
    NOTE,
    QUESTION_FILL,
    RATING_FORMAT,
    RIGHT,
    RULE,
    SCORE_FORMAT,
    SIGNAL,
    STRONG_FILL,
    STRONG_FONT,
    TITLE_FONT,
    TOP,
    UNLOCKED,
    WEAK_FILL,
    WEAK_FONT,
    WRAP,
    fit_height,
    style_cell,
    text,
    workbook_parts,
)
from . import Renderer, RenderMemo, make_piece

# Excel refuses a data validation whose input or error message is longer than this.
MESSAGE_LIMIT = 255

# Scorecard columns: label, text, the interviewer's input; then hidden helpers on each question's title row.
LABEL, TEXT, INPUT = "A", "B", "C"
ASKED, SIGNALS, FLAGS, RATED, RATING = "D", "E", "F", "G", "H"
FIRST_WEIGHT = 9  # column I: the question's weight in the first category, then one column per category

PAPER_SIZES = {"letter": Worksheet.PAPERSIZE_LETTER, "a4": Worksheet.PAPERSIZE_A4}

# Column widths in Excel's units (characters of the default font).
SCORECARD_WIDTHS = {LABEL: 10.0, TEXT: 80.0, INPUT: 11.0}
SUMMARY_WIDTHS = {"A": 48.0, "B": 13.0, "C": 13.0, "D": 13.0, "E": 13.0}
NOTES_HEIGHT = 45.0  # room for three lines of notes; recruiters may resize rows


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


def style(
    cell: Cell,
    font: Font = BODY,
    alignment: Alignment = TOP,
    fill: PatternFill | None = None,
    border: Border | None = None,
    number_format: str | None = None,
    unlocked: bool = False,
) -> Cell:
    """Give ``cell`` its look, unlocked on a protected sheet when the interviewer fills it in."""
    style_cell(cell, font, alignment, fill, border, number_format)
    if unlocked:
        cell.protection = UNLOCKED
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
    """Builds one packet's workbook, used once: written, then dropped."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet
        self.workbook = Workbook()
        self.names: list[tuple[str, str, str]] = []  # (name, sheet, cell)
        self.blocks: list[Block] = []
        self.mark_cells: list[str] = []
        self.rating_cells: list[str] = []
        self.thresholds: dict[str, str] = {}  # "strong_yes" → absolute cell on the Summary

    # -- helpers -------------------------------------------------------------------------------------------

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
        cell = style(text(ws[ref], value), font, alignment, fill, border)
        width = float(ws.column_dimensions[cell.column_letter].width) - 2 * float(alignment.indent or 0)
        fit_height(ws, cell.row, value, width, font)
        return cell

    def input_cell(self, ws: Worksheet, ref: str, alignment: Alignment = CENTER) -> Cell:
        return style(ws[ref], BODY, alignment, INPUT_FILL, BOX, unlocked=True)

    # -- the Scorecard sheet -------------------------------------------------------------------------------

    def build_scorecard(self) -> None:
        packet = self.packet
        ws = self.workbook.active
        assert ws is not None
        ws.title = form.SCORECARD_SHEET
        for column, width in SCORECARD_WIDTHS.items():
            ws.column_dimensions[column].width = width
        style(text(ws["A1"], f"Interview scorecard — {packet.title}, {packet.level}"), TITLE_FONT)

        captions = ("Candidate", "Interviewer", "Date", "Role")
        for row, (defined, caption) in enumerate(zip(form.HEADER, captions), start=2):
            style(text(ws[f"A{row}"], caption), BOLD)
            self.input_cell(ws, f"B{row}", LEFT)
            self.name(defined, form.SCORECARD_SHEET, f"B{row}")
        text(ws["B5"], f"{packet.title}, {packet.level}")
        self.fill_header()

        row = 7
        for line in (
            "After the interview, from the ticks on your cheat sheet: mark each signal Yes (heard) or No,",
            "rate each question you asked 1–4, and add notes. Leave Asked blank or No for a question you did",
            "not get to: it is left out of every score, never counted as zero. The Summary sheet adds it up.",
        ):
            style(text(ws[f"A{row}"], line), NOTE)
            row += 1

        row += 1
        style(text(ws[f"A{row}"], "Rating scale"), HEADING_FONT)
        row += 1
        for level in packet.layout.rating_scale:
            style(ws[f"A{row}"], BOLD, CENTER).value = level.score
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
        style(text(ws[f"A{row}"], pq.label), HEADING_FONT, CENTER, QUESTION_FILL, RULE)
        self.paragraph(ws, f"B{row}", entry.title, HEADING_FONT, WRAP, QUESTION_FILL, RULE)
        style(ws[f"C{row}"], BODY, TOP, QUESTION_FILL, RULE)
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
        style(text(ws[f"B{row}"], "Asked this question?"), BOLD)
        self.mark(ws, row, form.asked(n))
        row += 1

        style(text(ws[f"B{row}"], "Great signals heard"), BOLD)
        style(text(ws[f"C{row}"], "Yes / No"), NOTE, CENTER)
        row += 1
        great_rows = []
        for i, signal in enumerate(entry.great_signals, start=1):
            self.paragraph(ws, f"B{row}", signal, BODY, SIGNAL)
            self.mark(ws, row, form.great_signal(n, i))
            great_rows.append(row)
            row += 1

        style(text(ws[f"B{row}"], "Red flags seen (negative signals)"), BOLD)
        style(text(ws[f"C{row}"], "Yes / No"), NOTE, CENTER)
        row += 1
        negative_rows = []
        for j, signal in enumerate(entry.negative_signals, start=1):
            self.paragraph(ws, f"B{row}", signal, BODY, SIGNAL)
            self.mark(ws, row, form.negative_signal(n, j))
            negative_rows.append(row)
            row += 1

        rating_row = row
        scale = " · ".join(f"{level.score} {level.label}" for level in self.packet.layout.rating_scale)
        self.paragraph(ws, f"B{row}", f"Rating ({scale})", BOLD)
        self.input_cell(ws, f"C{row}")
        self.rating_cells.append(f"C{row}")
        self.name(form.rating(n), form.SCORECARD_SHEET, f"C{row}")
        row += 1

        notes_row = row
        style(text(ws[f"A{row}"], "Notes"), BOLD, RIGHT)
        self.input_cell(ws, f"B{row}", WRAP)
        ws.row_dimensions[row].height = NOTES_HEIGHT
        self.name(form.notes(n), form.SCORECARD_SHEET, f"B{row}")

        block = Block(pq, title_row, asked_row, great_rows, negative_rows, rating_row, notes_row)
        self.blocks.append(block)
        self.helpers(ws, block)
        return row

    def mark(self, ws: Worksheet, row: int, defined: str) -> None:
        self.input_cell(ws, f"C{row}")
        self.mark_cells.append(f"C{row}")
        self.name(defined, form.SCORECARD_SHEET, f"C{row}")

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
        return f"{form.SCORECARD_SHEET}!${column}${first}:${column}${self.last_row}"

    def build_summary(self) -> None:
        packet = self.packet
        ws = self.workbook.create_sheet(form.SUMMARY_SHEET)
        for column, width in SUMMARY_WIDTHS.items():
            ws.column_dimensions[column].width = width
        style(text(ws["A1"], f"Scorecard summary — {packet.title}, {packet.level}"), TITLE_FONT)
        for row, (caption, source, fmt) in enumerate(
            (("Candidate", "B2", None), ("Interviewer", "B3", None), ("Date", "B4", DATE_FORMAT)), start=2
        ):
            style(text(ws[f"A{row}"], caption), BOLD)
            ref = f"{form.SCORECARD_SHEET}!{source}"
            style(ws[f"B{row}"], BODY, LEFT, number_format=fmt).value = f'=IF({ref}="","",{ref})'

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
                style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula
                self.name(form.category_figure(category.id, suffix), form.SUMMARY_SHEET, f"{column}{row}")
        scores = f"B{first_category}:B{row}"
        last_category = row

        row += 2
        overall_row, recommendation_row = row, row + 1
        style(text(ws[f"A{overall_row}"], "Overall score (mean of the category scores)"), BOLD, border=BOX)
        style(
            ws[f"B{overall_row}"], BIG, CENTER, border=BOX, number_format=SCORE_FORMAT
        ).value = f'=IF(COUNT({scores})=0,"",SUM({scores})/COUNT({scores}))'
        self.name(form.OVERALL_SCORE, form.SUMMARY_SHEET, f"B{overall_row}")
        style(text(ws[f"A{recommendation_row}"], "Recommendation"), BIG, border=BOX)
        self.name(form.RECOMMENDATION, form.SUMMARY_SHEET, f"B{recommendation_row}")

        row = recommendation_row + 2
        style(text(ws[f"A{row}"], "Recommendation thresholds (overall score)"), HEADING_FONT)
        thresholds = packet.layout.thresholds
        for label, key in zip(RECOMMENDATIONS, ("strong_yes", "yes", "no")):
            row += 1
            style(text(ws[f"A{row}"], f"{label} from"), BODY)
            style(ws[f"B{row}"], BODY, CENTER, number_format=SCORE_FORMAT).value = float(getattr(thresholds, key))
            self.thresholds[key] = f"$B${row}"
        row += 1
        style(text(ws[f"A{row}"], f"{RECOMMENDATIONS[-1]} below"), BODY)
        style(ws[f"B{row}"], BODY, CENTER, number_format=SCORE_FORMAT).value = f"={self.thresholds['no']}"

        overall = f"ROUND(B{overall_row},{THRESHOLD_DIGITS})"
        choice = f'"{RECOMMENDATIONS[-1]}"'
        for label, key in reversed(list(zip(RECOMMENDATIONS, ("strong_yes", "yes", "no")))):
            choice = f'IF({overall}>={self.thresholds[key]},"{label}",{choice})'
        style(ws[f"B{recommendation_row}"], BIG, CENTER, border=BOX).value = f'=IF(B{overall_row}="","",{choice})'

        row += 2
        for line in (
            "Each question's signal score is the share of its great signals heard minus the share of its",
            "red flags seen (−100% to +100%). A category's score is the weighted mean over the questions",
            "asked that count towards it; its rating likewise over the questions rated. Questions not asked",
            "are left out, never counted as zero; a blank means no question in that category was asked.",
        ):
            style(text(ws[f"A{row}"], line), NOTE)
            row += 1

        row += 1
        self.table_header(ws, row, ("Question", "Signal score", "Red flags", "Rating", "Asked"))
        first_question = row + 1
        sheet = form.SCORECARD_SHEET
        for block in self.blocks:
            row += 1
            pq, t = block.question, block.title_row
            backup = f" (backup for {self.main_label(pq)})" if pq.backup_for else ""
            self.paragraph(ws, f"A{row}", f"{pq.label}. {pq.question.title}{backup}", border=BOX)
            was_asked = f"{sheet}!${ASKED}${t}=1"
            for column, formula, fmt in (
                ("B", f'=IF({was_asked},{sheet}!${SIGNALS}${t},"")', SCORE_FORMAT),
                ("C", f'=IF({was_asked},{sheet}!${FLAGS}${t},"")', COUNT_FORMAT),
                ("D", f'=IF({sheet}!${RATED}${t}=1,{sheet}!${RATING}${t},"")', COUNT_FORMAT),
                ("E", f'=IF({was_asked},"{YES}","{NO}")', None),
            ):
                style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula

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
        """Candidate, interviewer and date: the only cells in which the scorecards of one batch differ."""
        packet = self.packet
        ws = self.workbook[form.SCORECARD_SHEET]
        for ref, value in (("B2", packet.candidate), ("B3", packet.interviewer)):
            if value:
                text(ws[ref], value)
        ws["B4"].value = packet.date
        if packet.date is not None:
            style(ws["B4"], BODY, LEFT, INPUT_FILL, BOX, DATE_FORMAT, unlocked=True)

    # -- identity, names, saving ---------------------------------------------------------------------------

    def build_identity(self) -> None:
        packet = self.packet
        ws = self.workbook.create_sheet(form.PACKET_SHEET)
        ws.sheet_state = "hidden"
        text(ws[form.MARKER_CELL], form.MARKER)
        text(ws["A2"], "format")
        ws[form.VERSION_CELL] = form.VERSION
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
        text(ws[form.DESCRIPTION_CELL], json.dumps(identity, ensure_ascii=False, separators=(",", ":")))

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
        properties = self.workbook.properties
        properties.creator = f"packet {self.packet.version}"
        properties.title = f"Interview scorecard — {self.packet.title}"
        properties.identifier = form.FINGERPRINT_PLACEHOLDER  # sealed once written: see ScorecardRenderer.render
        return self.workbook


# -- writing: each card built whole, or in a batch copied from a template built once ------------------------

Parts = tuple[tuple[str, bytes], ...]
"""A workbook package: each part's name and bytes."""


def card_parts(packet: Packet, moment: dt.datetime) -> Parts:
    """The parts of ``packet``'s scorecard, built whole, not yet sealed."""
    return tuple(workbook_parts(Scorecard(packet).build(), moment))


def _kind(packet: Packet, moment: dt.datetime) -> Hashable:
    """Everything a scorecard's bytes depend on but the text of its candidate and interviewer. The questions,
    weights and wording are named by the packet's identity, a hash of its layout and bank."""
    shapes = tuple(_shape(value) for value in (packet.candidate, packet.interviewer))
    return (packet.identity, packet.role, packet.version, packet.paper, packet.date, moment, shapes)


def _shape(value: str) -> str:
    """How a header text is written: no value at all, or text, whose outer white space lxml marks as kept."""
    return "" if not value else "padded" if value != value.strip() else "text"


def _stand_ins(packet: Packet) -> tuple[str, str]:
    """What a template holds in place of ``packet``'s candidate and interviewer: nothing where the packet has
    nothing, else text of the same shape that no bank holds."""

    def stand_in(field: str, value: str) -> str:
        marker = f"\ue000packet {field}\ue000"  # a private-use character, which no font draws
        return "" if not value else f" {marker} " if _shape(value) == "padded" else marker

    return stand_in("candidate", packet.candidate), stand_in("interviewer", packet.interviewer)


def _template(packet: Packet, moment: dt.datetime) -> Parts | None:
    """The parts of a scorecard of ``packet``'s kind with stand-ins in its header; None in the unheard-of case
    that the bank's own text holds a stand-in, when each card is built whole."""
    candidate, interviewer = _stand_ins(packet)
    parts = card_parts(packet._replace(candidate=candidate, interviewer=interviewer), moment)
    for stand_in in filter(None, (candidate, interviewer)):
        if sum(data.count(xml_text(stand_in)) for _, data in parts) != 1:
            return None
    return parts


def _from_template(template: Parts, packet: Packet) -> Parts:
    """``packet``'s scorecard: the template of its kind with its own candidate and interviewer put in."""
    given = zip(_stand_ins(packet), (packet.candidate, packet.interviewer))
    values = {xml_text(stand_in): xml_text(value) for stand_in, value in given if value}
    if not values:
        return template
    # One pass, so a name that happens to hold the other stand-in is left as it is.
    stand_ins = re.compile(b"|".join(re.escape(stand_in) for stand_in in values))
    return tuple((name, stand_ins.sub(lambda found: values[found[0]], data)) for name, data in template)


def xml_text(value: str) -> bytes:
    """``value`` as openpyxl writes a text cell's content through lxml: ASCII, with ``&``, ``<``, ``>`` and a
    carriage return escaped and every other character beyond ASCII as a numeric reference (``ë`` → ``&#235;``).
    The one place that mirrors the library's output rather than calling it; tests/test_xlsx.py checks it
    against cards built whole for any text (openpyxl 3.1.5, lxml 6.1.3)."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped.encode("ascii", "xmlcharrefreplace")


class ScorecardRenderer(Renderer):
    name = "xlsx"
    extension = "xlsx"
    suffix = "-scorecard"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        """Write ``packet``'s scorecard, sealed with its fingerprint (see :mod:`exporter.scorecard_format`).

        A batch's cards differ only in their header, so a batch keeps one template per kind in ``memo`` (bytes
        it only reads) and puts each card's names into a copy: 1.4 ms a card, where building and writing one
        whole takes 21 ms.
        """
        moment = build_time()
        template = make_piece(memo, self.name, _kind(packet, moment), lambda: _template(packet, moment))
        parts = card_parts(packet, moment) if template is None else _from_template(template, packet)
        write_zip(path, form.seal(parts), moment)

    def protected(self, path: Path) -> str | None:
        """A scorecard someone may have filled in is never overwritten, not even with --force."""
        from .. import readback

        return readback.filled_reason(path)
