"""The Excel scorecard built whole: one block of marks per question, and a Summary whose formulas score the role's
categories (:mod:`exporter.render.xlsx` writes it, from a template of its kind where it can).

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

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .. import scorecard_format as form
from ..model import Packet, PacketQuestion, RatingLevel
from ..scoring import NO, VOTES, YES
from ..sheet_style import (
    BODY,
    BOLD,
    BOX,
    CENTER,
    DATE_FORMAT,
    HEADER_CAPTION,
    HEADER_FILL,
    HEADING_FONT,
    INPUT_FILL,
    LEFT,
    NOTE,
    QUESTION_FILL,
    RIGHT,
    RULE,
    SIGNAL,
    TITLE_FONT,
    TOP,
    WEAK_FILL,
    WEAK_FONT,
    WRAP,
    text,
    workbook_parts,
)
from ..text import typeset
from .templates import Parts
from .xlsx_summary import (
    ASKED,
    CHOICES,
    FLAGS,
    INPUT,
    LABEL,
    MARGINS,
    RATED,
    RATING,
    SIGNALS,
    TEXT,
    Block,
    SummarySheet,
    note_lines,
    printed,
    style,
)

# Excel refuses a data validation whose input or error message is longer than this.
MESSAGE_LIMIT = 255


INSTRUCTIONS = (
    "After the interview, from the ticks on your cheat sheet: mark each signal Yes (heard) or No, rate",
    "each question you asked from the list, add notes, and give your own vote at the end. Leave Asked blank",
    "or No for a question you did not get to: it is left out of every score, never counted as zero.",
)
"""The note at the top of the Scorecard sheet, a printed line a row."""

# What a page holds below its top and above its bottom margin, in points; the Scorecard is printed at 100%
# (its columns fit both papers), so its blocks can be kept whole by row breaks that every program honours.
PAPER_HEIGHTS = {"letter": 11.0 * 72, "a4": 297 / 25.4 * 72}
PAGE_SLACK = 0.95  # programs round row heights up to whole pixels: leave room for it
ROW_HEIGHT = 15.0  # every Scorecard row gets an explicit height, so the page breaks can be planned

# Column widths in Excel's units (characters of the default font): 94 of them fit A4 and Letter at 100%.
SCORECARD_WIDTHS = {LABEL: 10.0, TEXT: 72.0, INPUT: 12.0}
SUMMARY_WIDTHS = {"A": 44.0, "B": 11.0, "C": 11.0, "D": 11.0, "E": 9.0, "F": 11.0}
NOTE_LINES = 8  # a Notes box holds eight lines of 10-pt text; recruiters may resize rows
TAKEAWAY_LINES = 10


def lines_height(lines: int, font: Font = BODY) -> float:
    """The height of ``lines`` lines of ``font``, as :func:`~exporter.sheet_style.fit_height` reckons it."""
    return lines * float(font.sz or 11) * 1.3 + 3


def rating_prompt(levels: Sequence[RatingLevel], anchors: Sequence[str]) -> str:
    """The rating cell's input message: what each level looks like (this question's anchors, else the layout's),
    whole, in at most Excel's 255 characters. By design, not by cutting: each line names its level and says it
    all; else gives the level's number only (the list shows the names); else keeps each description's first
    clause; else the names alone and where to find the rest."""
    described = [d.strip() for d in anchors] or [level.anchor for level in levels]
    for head, shorten in (
        (lambda lv: f"{lv.score} {lv.label}", str.strip),
        (lambda lv: str(lv.score), str.strip),
        (lambda lv: f"{lv.score} {lv.label}", first_clause),
    ):
        message = "\n".join(f"{head(lv)}: {shorten(d)}" for lv, d in zip(levels, described))
        if len(message) <= MESSAGE_LIMIT:
            return typeset(message)
    return typeset("\n".join([*(f"{lv.score} {lv.label}" for lv in levels), "What each looks like: see the guide."]))


def first_clause(sentence: str) -> str:
    """``sentence`` up to its first semicolon, colon, dash or full stop: its core, still whole words."""
    return re.split(r"[;:.\u2014]\s|;|\.$", sentence.strip(), maxsplit=1)[0].strip()


class Scorecard(SummarySheet):
    """Builds one packet's workbook, used once: written, then dropped."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet
        self.workbook = Workbook()
        self.names: list[tuple[str, str, str]] = []  # (name, sheet, cell)
        self.blocks: list[Block] = []
        self.mark_cells: list[str] = []
        self.rating_prompts: dict[str, list[str]] = {}  # input message -> the rating cells that show it
        self.thresholds: dict[str, str] = {}  # "strong_yes" → absolute cell on the Summary
        self.choices = ""  # the rating list's choices, an absolute range on the Scorecard
        self.scores = ""  # their levels, beside them
        self.vote_row = self.recommendation_row = 0

    # -- helpers -------------------------------------------------------------------------------------------

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
        style(printed(ws["A1"], f"Interview scorecard — {packet.title}, {packet.level}"), TITLE_FONT)

        captions = ("Candidate", "Interviewer", "Date", "Role")
        for row, (defined, caption) in enumerate(zip(form.HEADER, captions), start=2):
            style(text(ws[f"A{row}"], caption), BOLD)
            self.input_cell(ws, f"B{row}", LEFT)
            self.name(defined, form.SCORECARD_SHEET, f"B{row}")
        printed(ws["B5"], f"{packet.title}, {packet.level}")
        self.fill_header()
        self.header_row = 6  # the marks' column headers: frozen on screen, repeated on every printed page
        for column, caption in zip((LABEL, TEXT, INPUT), ("Question", "What you heard, and your notes", "Your mark")):
            self.paragraph(ws, f"{column}{self.header_row}", caption, BOLD, HEADER_CAPTION, HEADER_FILL, BOX)

        row = note_lines(ws, 8, INSTRUCTIONS)

        row += 1
        style(text(ws[f"A{row}"], "Rating scale"), HEADING_FONT)
        row += 1
        first_level = row
        for level in packet.layout.rating_scale:
            style(ws[f"A{row}"], BOLD, CENTER).value = level.score
            self.paragraph(ws, f"B{row}", f"{level.label} — {level.anchor}")
            text(ws[f"{CHOICES}{row}"], form.rating_choice(level.score, level.label))
            row += 1
        self.choices = f"${CHOICES}${first_level}:${CHOICES}${row - 1}"
        self.scores = f"${LABEL}${first_level}:${LABEL}${row - 1}"

        row += 1
        for question in packet.questions:
            row = self.question_block(ws, question, row) + 2  # a blank row between blocks
        self.last_row = row - 2
        self.end_row = self.verdict(ws, row)

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
        self.print_setup(ws, f"A1:C{self.end_row}", f"{self.header_row}:{self.header_row}", fit_width=True)
        ws.freeze_panes = f"A{self.header_row + 1}"
        self.page_breaks(ws)

    def verdict(self, ws: Worksheet, row: int) -> int:
        """The interviewer's own vote and take-aways, with the computed recommendation beside the vote as a
        cross-check; returns the last row."""
        style(text(ws[f"A{row}"], "Your judgement"), HEADING_FONT, LEFT, QUESTION_FILL, RULE)
        style(ws[f"B{row}"], HEADING_FONT, TOP, QUESTION_FILL, RULE)
        style(ws[f"C{row}"], BODY, TOP, QUESTION_FILL, RULE)
        self.verdict_row = row
        self.vote_row = row + 1
        self.paragraph(ws, f"B{self.vote_row}", "Your vote: would you hire this candidate? (pick from the list)", BOLD)
        self.input_cell(ws, f"{INPUT}{self.vote_row}")
        self.name(form.VOTE, form.SCORECARD_SHEET, f"{INPUT}{self.vote_row}")
        self.recommendation_row = row + 2
        self.paragraph(
            ws,
            f"B{self.recommendation_row}",
            "Computed from your marks, for comparison only (not your vote): the Summary's recommendation",
            NOTE,
            SIGNAL,
        )
        takeaways = row + 3
        style(text(ws[f"A{takeaways}"], "Take-aways"), BOLD, RIGHT)
        self.input_cell(ws, f"B{takeaways}", WRAP)
        ws.row_dimensions[takeaways].height = lines_height(TAKEAWAY_LINES)
        self.name(form.TAKEAWAYS, form.SCORECARD_SHEET, f"B{takeaways}")
        return takeaways

    def question_block(self, ws: Worksheet, pq: PacketQuestion, row: int) -> int:
        """Write one question's block from ``row``; returns the block's last row."""
        entry = pq.question
        key = pq.label  # the cells are named as the interviewer sees the question: q1_*, q1b_*, q2_*
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
        self.mark(ws, row, form.asked(key))
        row += 1

        great_rows = self.signal_rows(ws, row, "Great signals heard", entry.great_signals, key, form.great_signal)
        row = great_rows[-1] + 1 if great_rows else row + 1
        caption = "Red flags seen (negative signals)"
        negative_rows = self.signal_rows(ws, row, caption, entry.negative_signals, key, form.negative_signal)
        row = negative_rows[-1] + 1 if negative_rows else row + 1

        rating_row = row
        here = " (what each looks like for this question: select the cell)" if entry.rating_anchors else ""
        self.paragraph(ws, f"B{row}", f"Rating: pick from the list{here}", BOLD)
        self.input_cell(ws, f"C{row}")
        prompt = rating_prompt(self.packet.layout.rating_scale, entry.rating_anchors)
        self.rating_prompts.setdefault(prompt, []).append(f"C{row}")
        self.name(form.rating(key), form.SCORECARD_SHEET, f"C{row}")
        row += 1

        notes_row = row
        style(text(ws[f"A{row}"], "Notes"), BOLD, RIGHT)
        self.input_cell(ws, f"B{row}", WRAP)
        ws.row_dimensions[row].height = lines_height(NOTE_LINES)
        self.name(form.notes(key), form.SCORECARD_SHEET, f"B{row}")

        block = Block(pq, title_row, asked_row, great_rows, negative_rows, rating_row, notes_row)
        self.blocks.append(block)
        self.helpers(ws, block)
        return row

    def signal_rows(
        self,
        ws: Worksheet,
        row: int,
        caption: str,
        signals: Sequence[str],
        key: form.Key,
        name: Callable[[form.Key, int], str],
    ) -> list[int]:
        """A caption row, then a row per signal with its Yes / No cell (named ``name(key, i)``); the signals' rows."""
        style(text(ws[f"B{row}"], caption), BOLD)
        style(text(ws[f"C{row}"], "Yes / No"), NOTE, CENTER)
        rows = []
        for i, signal in enumerate(signals, start=1):
            row += 1
            self.paragraph(ws, f"B{row}", signal, BODY, SIGNAL)
            self.mark(ws, row, name(key, i))
            rows.append(row)
        return rows

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
        # A rating is a number typed in, or one of the list's choices read as its level ("=" ignores case).
        chosen = f"SUMPRODUCT(({rating}={self.choices})*1)>0"
        evidence = [f'COUNTIF({INPUT}{block.asked_row},"{YES}")>0']
        evidence += [f'COUNTIF({marks},"{YES}")>0' for marks in (great, negative) if marks]
        evidence.append(f"{RATED}{t}=1")
        ws[f"{ASKED}{t}"] = f"=IF(OR({','.join(evidence)}),1,0)"
        terms = []
        if great:
            terms.append(f'COUNTIF({great},"{YES}")/{len(block.great_rows)}')
        if negative:
            terms.append(f'-COUNTIF({negative},"{YES}")/{len(block.negative_rows)}')
        ws[f"{SIGNALS}{t}"] = f"=IF({ASKED}{t}=1,{''.join(terms) or '0'},0)"
        ws[f"{FLAGS}{t}"] = f'=COUNTIF({negative},"{YES}")' if negative else 0
        ws[f"{RATED}{t}"] = f"=IF(OR(COUNT({rating})>0,{chosen}),1,0)"
        ws[f"{RATING}{t}"] = f"=IF(COUNT({rating})>0,{rating},SUMPRODUCT(({rating}={self.choices})*{self.scores}))"
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
        ws.add_data_validation(marks)
        for prompt, cells in self.rating_prompts.items():
            # A warning, not a stop: a bare 1–4 typed in still counts, as the formulas and tally read it.
            ratings = DataValidation(
                type="list",
                formula1=self.choices,
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                errorStyle="warning",
                promptTitle="Rating",
                prompt=prompt,
                errorTitle="Not on the list",
                error="Pick a rating from the list (a whole number 1–4 also counts). Anything else is no rating.",
            )
            for ref in cells:
                ratings.add(ref)
            ws.add_data_validation(ratings)
        votes = DataValidation(
            type="list",
            formula1=f'"{",".join(VOTES)}"',
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="stop",
            promptTitle="Your vote",
            prompt="Your own judgement of the interview, whatever the figures say.",
            errorTitle="Not a vote",
            error=f"Choose {', '.join(VOTES)} from the list, or leave the cell blank.",
        )
        votes.add(f"{INPUT}{self.vote_row}")
        ws.add_data_validation(votes)

    def page_breaks(self, ws: Worksheet) -> None:
        """Start a page before each block (question, or the vote) that would not fit whole on the current one."""
        for row in range(1, self.end_row + 1):
            if ws.row_dimensions[row].height is None:
                ws.row_dimensions[row].height = ROW_HEIGHT
        page = PAPER_HEIGHTS.get(self.packet.paper, PAPER_HEIGHTS["letter"]) - 72 * (MARGINS["top"] + MARGINS["bottom"])
        page *= PAGE_SLACK

        def height(first: int, last: int) -> float:
            return sum(float(ws.row_dimensions[r].height or ROW_HEIGHT) for r in range(first, last + 1))

        header = height(self.header_row, self.header_row)
        starts = [block.title_row for block in self.blocks] + [self.verdict_row]
        ends = [block.notes_row for block in self.blocks] + [self.end_row]
        used = height(1, starts[0] - 1)
        for start, end in zip(starts, ends):
            needed = height(start, end)
            if used + needed > page and used > header:
                ws.row_breaks.append(Break(id=start - 1))
                used = header
            used += needed + height(end + 1, end + 1)  # with the blank row after it

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
        identity = form.description(packet)
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


def card_parts(packet: Packet, moment: dt.datetime) -> Parts:
    """The parts of ``packet``'s scorecard, built whole, not yet sealed."""
    return tuple(workbook_parts(Scorecard(packet).build(), moment))
