"""The debrief as an Excel workbook (``packet tally --out debrief.xlsx``): the readable Debrief sheet, then one
row per scorecard, per scorecard and category, and per scorecard and question for filtering and sorting, and
the files not read.

The only debrief view that imports openpyxl. Its styling is the scorecard's, so a score reads the same in both
workbooks. Printed, each part of the Debrief sheet is kept whole on a page where it fits (a table's heading
never alone at a page foot), each candidate starts a page, and every sheet prints at 8 pt or more: the
per-scorecard figures are long lists of a few columns, never one row of every category's figures.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from .. import sheet_style as style
from ..reproducible import build_time
from .model import DEBRIEF_TITLE, CandidateDebrief, Debrief
from .tables import (
    COUNT,
    RATING,
    SCORE,
    SPREAD,
    TALLY_NOTE,
    TEXT,
    Findings,
    Table,
    blocks,
    heading,
    shown,
    unread_lines,
)

FIRST_WIDTH, FIGURE_WIDTH = 26, 11  # Debrief sheet columns, in Excel's units of about one character
DEBRIEF_SHEET = "Debrief"
SCORECARDS_SHEET = "Scorecards"
CATEGORIES_SHEET = "Categories"
QUESTIONS_SHEET = "Questions"
UNREAD_SHEET = "Not read"

# The printed page: landscape Letter, the margins below, in points.
PAGE_WIDTH, PAGE_HEIGHT = 11 * 72, 8.5 * 72
MARGIN_SIDE, MARGIN_TOP, MARGIN_HEADER = 0.5, 0.6, 0.3  # inches
ROW_HEIGHT = 15.0  # a row with no height of its own, as Excel and LibreOffice draw a Calibri row
PAGE_SLACK = 0.95  # LibreOffice draws rows a little taller than their stated height
MIN_SCALE = 89  # the Debrief sheet's smallest type, 9 pt notes, prints at 8 pt or more
INDIRECT_FORMAT = "(+0%);(\u22120%);(0%)"  # an indirect score, in brackets as the text and Markdown show it
INDIRECT_FONT = Font(name="Calibri", size=10, italic=True, color="595959")

Piece = tuple[int, int]
"""Rows ``first`` to ``last`` that print together: a heading with what follows it, a table row, a list item."""


def write(debrief: Debrief, path: Path) -> None:
    """The debrief workbook: the readable Debrief sheet, and the figures as lists for filtering and sorting.

    Written through the helpers the scorecard is styled with, so every text is a literal string (a candidate named
    ``=HYPERLINK(…)`` stays text) and the file is byte-identical from run to run under SOURCE_DATE_EPOCH.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DEBRIEF_SHEET
    _debrief_sheet(sheet, debrief)
    _scorecards_sheet(workbook.create_sheet(SCORECARDS_SHEET), debrief)
    _categories_sheet(workbook.create_sheet(CATEGORIES_SHEET), debrief)
    _questions_sheet(workbook.create_sheet(QUESTIONS_SHEET), debrief)
    if debrief.unread:
        rows = [(u.file, "\n".join(unread_lines(u))) for u in debrief.unread]
        _list_sheet(workbook.create_sheet(UNREAD_SHEET), [("File", TEXT, 40), ("Why it was not read", TEXT, 80)], rows)
    workbook.properties.creator = "packet"
    workbook.properties.title = DEBRIEF_TITLE
    style.save(workbook, path, build_time())


def _xlsx_format(kind: str, flagged: bool) -> str | None:
    """Number formats as on the scorecard's Summary, so a score reads the same in both workbooks."""
    mark = '"*"' if flagged else ""
    return {
        SCORE: style.SCORE_FORMAT,
        SPREAD: f'0" pts"{mark}',
        RATING: style.RATING_FORMAT,
        COUNT: style.COUNT_FORMAT,
    }.get(kind)


# -- the Debrief sheet -------------------------------------------------------------------------------------------


class _Sheet:
    """The Debrief sheet as it is written: the next row, and the pieces of each part, for the page breaks."""

    def __init__(self, ws: Any, widths: Sequence[float]) -> None:
        self.ws = ws
        self.last = get_column_letter(len(widths))
        self.widths = list(widths)  # each column's, in Excel's units
        self.across = sum(widths)  # a line's, across the sheet
        self.row = 0
        self.parts: list[list[Piece]] = []  # each part of the sheet, as the pieces it may be split into
        self.new_pages: set[int] = set()  # rows that start a page: each candidate after the first

    def line(self, text: str, font: Any, indent: int = 0) -> int:
        """A line of text across the sheet's width, wrapped, its row tall enough to show it all."""
        self.row += 1
        row = self.row
        self.ws.merge_cells(f"A{row}:{self.last}{row}")
        alignment = style.WRAP if not indent else Alignment(wrap_text=True, vertical="top", indent=indent)
        style.style_cell(style.text(self.ws[f"A{row}"], text), font, alignment)
        style.fit_height(self.ws, row, text, self.across - 2 * indent, font)
        return row

    def findings(self, findings: Findings) -> None:
        top = self.line(findings.title, style.HEADING_FONT)
        pieces = [(top, top)]
        for item in findings.items:
            row = self.line(f"• {item}", style.BODY)
            pieces.append((row, row))
        for title, items in findings.groups:
            first = self.line(title, style.BOLD, indent=1)
            for item in items:
                self.line(f"– {item}", style.BODY, indent=2)
            pieces.append((first, self.row))
        self.part(pieces)
        self.row += 1

    def table(self, table: Table) -> None:
        ws = self.ws
        top = self.row = self.row + 1
        style.style_cell(style.text(ws[f"A{top}"], table.title), style.HEADING_FONT)
        self.row += 1
        for c, caption in enumerate(table.columns, start=1):
            alignment = style.WRAP if c == 1 else style.HEADER_CAPTION
            cell = style.text(ws.cell(self.row, c), caption)
            style.style_cell(cell, style.BOLD, alignment, style.HEADER_FILL, style.BOX)
            style.fit_height(ws, self.row, caption, self.widths[c - 1], style.BOLD)
        pieces = [(top, self.row + 1)]  # the title, the captions and the first row print together
        for r, values in enumerate(table.rows):
            self.row += 1
            for c, value in enumerate(values):
                self.figure(table, r, c, value)
            if r:
                pieces.append((self.row, self.row))
        if table.note:
            row = self.line(table.note, style.NOTE)
            pieces.append((row, row))
        self.part(pieces)
        self.row += 1

    def figure(self, table: Table, r: int, c: int, value: Any) -> None:
        kind = table.kind(r, c)
        flagged, indirect = (r, c) in table.flagged, (r, c) in table.indirect
        cell = self.ws.cell(self.row, c + 1)
        if kind == TEXT or value is None:
            # A blank figure shows "–", as in the text and Markdown; a flagged text gets the tables' "*".
            style.text(cell, shown(value, kind) + (" *" if flagged else ""))
        else:
            cell.value = value * 100 if kind == SPREAD else value  # spreads in points, as the text shows
        loop = r >= table.loop_from
        font = style.BOLD if flagged or (loop and c == 0) else INDIRECT_FONT if indirect else style.BODY
        fill = style.WEAK_FILL if flagged else style.QUESTION_FILL if loop else None
        number_format = INDIRECT_FORMAT if indirect and kind == SCORE else _xlsx_format(kind, flagged)
        style.style_cell(cell, font, style.WRAP if c == 0 else style.CENTER, fill, style.BOX, number_format)
        if c == 0:
            style.fit_height(self.ws, self.row, str(value), FIRST_WIDTH, font)

    def part(self, pieces: list[Piece]) -> None:
        self.parts.append(pieces)


def _debrief_sheet(ws: Any, debrief: Debrief) -> None:
    shown_blocks = _legible([(candidate, blocks(candidate)) for candidate in debrief.candidates])
    widths = _column_widths(ws, [b for _, bs in shown_blocks for b in bs if isinstance(b, Table)])
    sheet = _Sheet(ws, widths)
    title = sheet.line(DEBRIEF_TITLE, style.TITLE_FONT)
    sheet.line(TALLY_NOTE, style.NOTE)
    sheet.part([(title, sheet.row)])
    for n, (candidate, candidate_blocks) in enumerate(shown_blocks):
        sheet.row += 1
        first = sheet.line(heading(candidate), style.TITLE_FONT)
        if n:
            sheet.new_pages.add(first)
        files = ", ".join(f"{r.interviewer} ({r.scorecard.path.name})" for r in candidate.results)
        sheet.line(f"Scorecards: {files}", style.NOTE)
        for k, block in enumerate(candidate_blocks):
            if isinstance(block, Table):
                sheet.table(block)
            else:
                sheet.findings(block)
            if not k:  # the candidate's heading prints with the first part
                sheet.parts[-1][0] = (first, sheet.parts[-1][0][1])
    if debrief.unread:
        sheet.row += 1
        top = sheet.line("Not read, so not in the figures above", style.HEADING_FONT)
        for u in debrief.unread:
            head, *problems = unread_lines(u)
            sheet.line(f"• {head}", style.BODY)
            for problem in problems:
                sheet.line(f"– {problem}", style.BODY, indent=1)
        sheet.part([(top, sheet.row)])
    ws.print_area = f"A1:{sheet.last}{sheet.row}"
    scale = _print_setup(ws, widths)
    _page_breaks(ws, sheet.parts, sheet.new_pages, scale)


Blocks = list[tuple[CandidateDebrief, list[Table | Findings]]]


def _legible(shown: Blocks) -> Blocks:
    """``shown`` with every table too wide to print at :data:`MIN_SCALE` (a role of seven or eight categories)
    split into parts of fewer columns, each with the interviewers' column: the fewest parts that print at 8 pt."""
    tables = [b for _, bs in shown for b in bs if isinstance(b, Table)]
    most = max((len(t.columns) - 1 for t in tables), default=1)
    while most > 1 and _scale(_widths([p for t in tables for p in _split(t, most)])) < MIN_SCALE:
        most -= 1
    return [(c, [p for b in bs for p in (_split(b, most) if isinstance(b, Table) else [b])]) for c, bs in shown]


def _split(table: Table, most: int) -> list[Table]:
    """``table`` as parts of at most ``most`` columns after its first, as even as they go: "Scores, part 1 of 2"…"""
    figures = len(table.columns) - 1
    if figures <= most:
        return [table]
    count = -(-figures // most)
    each = -(-figures // count)
    parts = []
    for n, start in enumerate(range(1, figures + 1, each)):
        kept = [0, *range(start, min(start + each, figures + 1))]
        moved = {old: new for new, old in enumerate(kept)}
        parts.append(
            dataclasses.replace(
                table,
                title=f"{table.title}, part {n + 1} of {count}",
                columns=tuple(table.columns[c] for c in kept),
                kinds=tuple(table.kinds[c] for c in kept),
                rows=tuple(tuple(row[c] for c in kept) for row in table.rows),
                flagged=frozenset((r, moved[c]) for r, c in table.flagged if c in moved),
                indirect=frozenset((r, moved[c]) for r, c in table.indirect if c in moved),
                note=table.note if n == count - 1 else "",
            )
        )
    return parts


def _widths(tables: Sequence[Table]) -> list[float]:
    """The Debrief sheet's column widths for ``tables``, in Excel's units."""
    width = max((len(t.columns) for t in tables), default=2)
    widths = [float(FIRST_WIDTH)]
    for column in range(2, width + 1):
        # A caption wraps at its spaces, never inside a word such as "Recommendation".
        words = [len(word) for t in tables if column <= len(t.columns) for word in t.columns[column - 1].split()]
        widths.append(max(FIGURE_WIDTH, *(w * 1.2 + 1 for w in words)))
    return widths


def _column_widths(ws: Any, tables: Sequence[Table]) -> list[float]:
    """Set the Debrief sheet's column widths for ``tables``, and return them."""
    widths = _widths(tables)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    return widths


def _page_breaks(ws: Any, parts: Sequence[Sequence[Piece]], new_pages: set[int], scale: int) -> None:
    """Start a page before each part that would not fit whole on the current one, and before each row of
    ``new_pages``; a part taller than a page is split between its pieces only."""
    page = (PAGE_HEIGHT - 72 * 2 * MARGIN_TOP) * 100 / scale * PAGE_SLACK
    last = max((piece[1] for part in parts for piece in part), default=0)
    for row in range(1, last + 1):
        if ws.row_dimensions[row].height is None:
            ws.row_dimensions[row].height = ROW_HEIGHT  # stated, so the page arithmetic and the print agree

    def height(first: int, last: int) -> float:
        return sum(float(ws.row_dimensions[r].height) for r in range(first, last + 1))

    used, end = 0.0, 0

    def new_page(before: int) -> None:
        nonlocal used
        ws.row_breaks.append(Break(id=before - 1))
        used = 0.0

    for part in parts:
        start, stop = part[0][0], part[-1][1]
        used += height(end + 1, start - 1)  # the blank rows between parts
        if start in new_pages or (used + height(start, stop) > page and used > 0 and height(start, stop) <= page):
            new_page(start)
        for first, last_row in part:
            needed = height(first, last_row)
            if used + needed > page and used > 0:
                new_page(first)
            used += needed
        end = stop


# -- the lists: one row per scorecard, per category, per question --------------------------------------------------


def _list_sheet(ws: Any, columns: Sequence[tuple[str, str, float]], rows: Sequence[Sequence[Any]]) -> None:
    """A list with a caption row that Excel's filter buttons sit on, wrapped texts, printed one page wide with
    the captions on every page."""
    wraps = [kind == TEXT for _, kind, _ in columns]
    for c, (caption, kind, width) in enumerate(columns, start=1):
        alignment = style.WRAP if kind == TEXT else style.HEADER_CAPTION
        style.style_cell(style.text(ws.cell(1, c), caption), style.BOLD, alignment, style.HEADER_FILL, style.BOX)
        style.fit_height(ws, 1, caption, width, style.BOLD)
        ws.column_dimensions[get_column_letter(c)].width = width
    for row, values in enumerate(rows, start=2):
        for c, ((_, kind, width), value) in enumerate(zip(columns, values), start=1):
            cell = ws.cell(row, c)
            if kind == TEXT:
                style.text(cell, "" if value is None else str(value))
                if wraps[c - 1]:
                    style.fit_height(ws, row, str(value or ""), width, style.BODY)
            else:
                cell.value = value
            alignment = style.WRAP if wraps[c - 1] else style.TOP
            style.style_cell(cell, style.BODY, alignment, border=style.BOX, number_format=_xlsx_format(kind, False))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    _print_setup(ws, [width for _, _, width in columns])
    ws.print_title_rows = "1:1"


def _scorecards_sheet(ws: Any, debrief: Debrief) -> None:
    """One row per scorecard: who, the vote beside what the marks compute, and the take-aways. (The files
    are named on the Debrief sheet: a column of paths would push the sheet's print below 8 pt.)"""
    columns = [
        ("Candidate", TEXT, 13),
        ("Interviewer", TEXT, 15),
        ("Role", TEXT, 16),
        ("Date", TEXT, 10.5),
        ("Vote", TEXT, 10),
        ("Signals say", TEXT, 10),
        ("Overall score", SCORE, 8),
        ("Red flags", COUNT, 7),
        ("Take-aways", TEXT, 26),
    ]
    rows = []
    for candidate in debrief.candidates:
        for r in candidate.results:
            card = r.scorecard
            rows.append(
                [
                    *(card.candidate, card.interviewer, card.role, card.interview_date, card.vote or ""),
                    *(r.result.recommendation, r.result.overall, r.red_flags, card.takeaways),
                ]
            )
    _list_sheet(ws, columns, rows)


def _categories_sheet(ws: Any, debrief: Debrief) -> None:
    """One row per scorecard and category: as many categories as each scorecard's layout is scored on."""
    columns = [
        ("Candidate", TEXT, 13),
        ("Interviewer", TEXT, 15),
        ("Category", TEXT, 30),
        ("Score", SCORE, 8),
        ("Evidence", TEXT, 9),
        ("Red flags", COUNT, 7),
        ("Rating", RATING, 7),
        ("Asked", COUNT, 7),
    ]
    rows: list[list[Any]] = [
        [card.candidate, card.interviewer, card.category_labels.get(cid, cid)]
        + [line.score, line.evidence, line.flags, line.rating, line.asked]
        for candidate in debrief.candidates
        for r in candidate.results
        for card in (r.scorecard,)
        for cid, line in r.result.categories.items()
    ]
    _list_sheet(ws, columns, rows)


def _questions_sheet(ws: Any, debrief: Debrief) -> None:
    """One row per scorecard and question: asked, the rating and the interviewer's notes."""
    columns = [
        ("Candidate", TEXT, 13),
        ("Interviewer", TEXT, 15),
        ("No.", TEXT, 5),
        ("Question", TEXT, 26),
        ("Asked", TEXT, 6),
        ("Rating", RATING, 7),
        ("Notes", TEXT, 40),
    ]
    rows: list[list[Any]] = [
        [r.scorecard.candidate, r.scorecard.interviewer, q.label, q.title]
        + ["Yes" if q.marks.was_asked else "No", q.marks.rating, q.notes]
        for candidate in debrief.candidates
        for r in candidate.results
        for q in r.scorecard.questions
    ]
    _list_sheet(ws, columns, rows)


def _scale(widths: Sequence[float]) -> int:
    """The print scale, in percent, that fits columns of ``widths`` (Excel's units) on one landscape page width."""
    # A width unit is one digit of the workbook's font: 7 pixels of Calibri, but LibreOffice without Calibri
    # measures a wider stand-in, about 9.5 pixels (96 to the inch); the wider keeps every column on the page.
    points = sum((width * 9.5 + 5) * 0.75 for width in widths)
    return min(100, math.floor((PAGE_WIDTH - 72 * 2 * MARGIN_SIDE) / points * 100))


def _print_setup(ws: Any, widths: Sequence[float]) -> int:
    """Landscape, a footer with the page number, and a scale that fits ``widths`` (Excel's units) on one page
    width; returns the scale in percent. A stated scale rather than fit-to-width, so the page breaks know it."""
    ws.page_setup.orientation = "landscape"
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = MARGIN_HEADER
    scale = _scale(widths)
    ws.page_setup.scale = scale
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.oddFooter.center.text = "Page &P of &N"
    return scale
