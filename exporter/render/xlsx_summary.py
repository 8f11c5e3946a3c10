"""The scorecard's Summary sheet: the formulas that score each category, the overall score, the interviewer's
vote beside the computed recommendation, and the questions not asked; with the columns and cell helpers the
Scorecard sheet (:mod:`exporter.render.xlsx`) shares with it.

The formulas mirror :mod:`exporter.scoring`, the evidence rule included: a category is assessed when the asked
questions' weights in it add up to 1; a score from secondary weights alone is marked indirect and left out of
the overall score.
"""

from collections.abc import Sequence
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .. import scorecard_format as form
from ..model import Packet, PacketQuestion
from ..scoring import ASSESSED, ASSESSED_WEIGHT, INDIRECT, NO, RECOMMENDATIONS, THRESHOLD_DIGITS, YES
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
    LEFT,
    NOTE,
    RATING_FORMAT,
    SCORE_FORMAT,
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
)
from ..text import typeset

# Scorecard columns: label, text, the interviewer's input; then hidden helpers on each question's title row
# (and, in the rating scale's rows, the rating list's choices in the first helper column).
LABEL, TEXT, INPUT = "A", "B", "C"
ASKED, SIGNALS, FLAGS, RATED, RATING = "D", "E", "F", "G", "H"
CHOICES = ASKED
FIRST_WEIGHT = 9  # column I: the question's weight in the first category, then one column per category

PAPER_SIZES = {"letter": Worksheet.PAPERSIZE_LETTER, "a4": Worksheet.PAPERSIZE_A4}
# The footer sits well inside the bottom margin, so "Page 1 of 3" never touches the last row printed.
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.85, "header": 0.3, "footer": 0.35}  # inches
SUMMARY_WIDTHS = {"A": 44.0, "B": 11.0, "C": 11.0, "D": 10.0, "E": 12.0, "F": 9.0}


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


def printed(cell: Cell, value: str) -> Cell:
    """``value`` typeset (curly quotes, true minus, …) and written as literal text: what the reader sees."""
    return text(cell, typeset(value))


def note_lines(ws: Worksheet, row: int, lines: Sequence[str]) -> int:
    """A note in small italic type, one printed line a row from ``row`` in column A; returns the row after it."""
    for line in lines:
        style(printed(ws[f"A{row}"], line), NOTE)
        row += 1
    return row


class Block(NamedTuple):  # not a dataclass, which would compile its methods on every start (~1.5 ms)
    """Where one question's cells landed on the Scorecard."""

    question: PacketQuestion
    title_row: int
    asked_row: int
    great_rows: list[int]
    negative_rows: list[int]
    rating_row: int
    notes_row: int


class SummarySheet:
    """The Summary, built by :class:`exporter.render.xlsx.Scorecard` once its Scorecard sheet is written."""

    packet: Packet
    workbook: Workbook
    blocks: list[Block]
    names: list[tuple[str, str, str]]  # (name, sheet, cell)
    last_row: int
    vote_row: int
    recommendation_row: int
    thresholds: dict[str, str]

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
        """Wrapped text, typeset, with its row made tall enough to show all of it."""
        cell = style(printed(ws[ref], value), font, alignment, fill, border)
        width = float(ws.column_dimensions[cell.column_letter].width) - 2 * float(alignment.indent or 0)
        fit_height(ws, cell.row, value, width, font)
        return cell

    def main_label(self, question: PacketQuestion) -> str:
        return next(
            q.label for q in self.packet.questions if q.backup_for is None and q.question.id == question.backup_for
        )

    def print_setup(self, ws: Worksheet, area: str, title_rows: str, fit_width: bool = False) -> None:
        ws.print_area = area
        ws.print_title_rows = title_rows
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = PAPER_SIZES.get(self.packet.paper, Worksheet.PAPERSIZE_LETTER)
        if fit_width:
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        for side, inches in MARGINS.items():
            setattr(ws.page_margins, side, inches)
        ws.oddFooter.center.text = "Page &P of &N"
        ws.print_options.horizontalCentered = True
        ws.protection.sheet = True
        # Recruiters may resize rows and columns (long notes), but not overwrite a formula by accident.
        ws.protection.formatRows = False
        ws.protection.formatColumns = False

    @staticmethod
    def weight_column(index: int) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(FIRST_WEIGHT + index)

    def column_range(self, column: str) -> str:
        first = self.blocks[0].title_row
        return f"{form.SCORECARD_SHEET}!${column}${first}:${column}${self.last_row}"

    def build_summary(self) -> None:
        packet = self.packet
        ws = self.workbook.create_sheet(form.SUMMARY_SHEET)
        for column, width in SUMMARY_WIDTHS.items():
            ws.column_dimensions[column].width = width
        style(printed(ws["A1"], f"Scorecard summary — {packet.title}, {packet.level}"), TITLE_FONT)
        for row, (caption, source, fmt) in enumerate(
            (("Candidate", "B2", None), ("Interviewer", "B3", None), ("Date", "B4", DATE_FORMAT)), start=2
        ):
            style(text(ws[f"A{row}"], caption), BOLD)
            ref = f"{form.SCORECARD_SHEET}!{source}"
            style(ws[f"B{row}"], BODY, LEFT, number_format=fmt).value = f'=IF({ref}="","",{ref})'

        row = 6
        self.table_header(ws, row, ("Category", "Score", "Evidence", "Red flags", "Rating (1–4)", "Asked"))
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
                form.EVIDENCE: (
                    f'=IF(ROUND({weighted},{THRESHOLD_DIGITS})>={ASSESSED_WEIGHT:g},"{ASSESSED}",'
                    f'IF(B{row}="","","{INDIRECT}"))',
                    None,
                ),
                "flags": (f'=SUMIF({weight},">0",{flags})', COUNT_FORMAT),
                "rating": (
                    f'=IF(SUMPRODUCT({weight},{rated})=0,"",'
                    f"SUMPRODUCT({weight},{rating})/SUMPRODUCT({weight},{rated}))",
                    RATING_FORMAT,
                ),
                "asked": (f'=SUMIF({weight},">0",{asked})', COUNT_FORMAT),
            }
            for column, (suffix, (formula, fmt)) in zip("BCDEF", cells.items()):
                style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula
                self.name(form.category_figure(category.id, suffix), form.SUMMARY_SHEET, f"{column}{row}")
        scores, evidence = f"B{first_category}:B{row}", f"C{first_category}:C{row}"
        last_category = row

        row += 2
        overall_row, vote_row, recommendation_row = row, row + 1, row + 2
        style(text(ws[f"A{overall_row}"], "Overall score (mean of the assessed categories)"), BOLD, border=BOX)
        assessed = f'COUNTIF({evidence},"{ASSESSED}")'
        style(
            ws[f"B{overall_row}"], BIG, CENTER, border=BOX, number_format=SCORE_FORMAT
        ).value = f'=IF({assessed}=0,"",SUMIF({evidence},"{ASSESSED}",{scores})/{assessed})'
        self.name(form.OVERALL_SCORE, form.SUMMARY_SHEET, f"B{overall_row}")
        style(text(ws[f"A{vote_row}"], "Interviewer’s vote"), BIG, border=BOX)
        vote = f"{form.SCORECARD_SHEET}!${INPUT}${self.vote_row}"
        style(ws[f"B{vote_row}"], BIG, CENTER, border=BOX).value = f'=IF({vote}="","",{vote})'
        style(text(ws[f"A{recommendation_row}"], "Computed recommendation (from the marks)"), BOLD, border=BOX)
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
        computed = f"B{recommendation_row}"
        style(ws[computed], BOLD, CENTER, border=BOX).value = f'=IF(B{overall_row}="","",{choice})'
        shown = f"{form.SUMMARY_SHEET}!${computed[0]}${computed[1:]}"
        cross_check = self.workbook[form.SCORECARD_SHEET][f"{INPUT}{self.recommendation_row}"]
        style(cross_check, NOTE, CENTER, border=BOX).value = f'=IF({shown}="","",{shown})'

        row += 2
        row = note_lines(
            ws,
            row,
            (
                "Each question’s signal score is the share of its great signals heard minus the share of its",
                "red flags seen (−100% to +100%). A category’s score is the weighted mean over the questions",
                "asked that count towards it; its rating likewise over the questions rated. A category is assessed",
                "when those questions’ weights add up to 1 or more (one question asked for it); a score that rests",
                "only on questions asked for another category is marked indirect and left out of the overall score.",
                "Questions not asked are left out, never counted as zero.",
            ),
        )

        row += 1
        self.not_asked(ws, row)
        row += 2
        self.table_header(ws, row, ("Question", "Signal score", "Asked", "Red flags", "Rating"))
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
                ("C", f'=IF({was_asked},"{YES}","{NO}")', None),
                ("D", f'=IF({was_asked},{sheet}!${FLAGS}${t},"")', COUNT_FORMAT),
                ("E", f'=IF({sheet}!${RATED}${t}=1,{sheet}!${RATING}${t},"")', COUNT_FORMAT),
            ):
                style(ws[f"{column}{row}"], BODY, CENTER, border=BOX, number_format=fmt).value = formula

        # A score that rests on secondary weights only is shown, greyed, and never coloured as a result:
        # this rule comes first, and stops the others.
        indirect = FormulaRule(formula=[f'$C{first_category}="{INDIRECT}"'], font=NOTE, stopIfTrue=True)
        ws.conditional_formatting.add(f"B{first_category}:C{last_category}", indirect)
        self.conditional_formats(
            ws,
            scores=[f"B{first_category}:B{last_category}", f"B{overall_row}", f"B{first_question}:B{row}"],
            flags=[f"D{first_category}:D{last_category}", f"D{first_question}:D{row}"],
            recommendation=[f"B{vote_row}", computed],
        )
        not_asked = FormulaRule(formula=[f'$C{first_question}="{NO}"'], font=NOTE)
        ws.conditional_formatting.add(f"A{first_question}:E{row}", not_asked)
        self.print_setup(ws, f"A1:F{row}", "6:6", fit_width=True)

    def not_asked(self, ws: Worksheet, row: int) -> None:
        """The main questions not asked, by their numbers: "Not asked: 3" (a backup is only asked when needed)."""
        sheet = form.SCORECARD_SHEET
        parts = [
            f'IF({sheet}!${ASKED}${block.title_row}=1,"",", {block.question.label}")'
            for block in self.blocks
            if block.question.backup_for is None
        ]
        listed = "&".join(parts)
        style(text(ws[f"A{row}"], "Questions not asked"), BOLD)
        style(
            ws[f"B{row}"], BOLD, LEFT
        ).value = f'=IF({listed}="","None: every question was asked",MID({listed},3,{len(listed)}))'

    def table_header(self, ws: Worksheet, row: int, captions: Sequence[str]) -> None:
        for column, caption in zip("ABCDEF", captions):
            alignment = WRAP if column == "A" else HEADER_CAPTION
            self.paragraph(ws, f"{column}{row}", caption, BOLD, alignment, HEADER_FILL, BOX)

    def conditional_formats(
        self, ws: Worksheet, scores: list[str], flags: list[str], recommendation: list[str]
    ) -> None:
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
        for cell in recommendation:
            for label, fill, font in zip(
                RECOMMENDATIONS, (STRONG_FILL, GOOD_FILL, WEAK_FILL, BAD_FILL), (STRONG_FONT, None, WEAK_FONT, BAD_FONT)
            ):
                rule = FormulaRule(formula=[f'{cell}="{label}"'], fill=fill, font=font, stopIfTrue=True)
                ws.conditional_formatting.add(cell, rule)
