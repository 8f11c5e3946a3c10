"""The debrief as an Excel workbook (``packet tally --out debrief.xlsx``): the readable Debrief sheet, one row per
scorecard on the Scorecards sheet for filtering and sorting, and the files not read.

The only debrief view that imports openpyxl. Its styling is the scorecard's, so a score reads the same in both
workbooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .. import sheet_style as style
from ..reproducible import build_time
from .model import DEBRIEF_TITLE, Debrief
from .tables import (
    COUNT,
    RATING,
    SCORE,
    SPREAD,
    TALLY_NOTE,
    TEXT,
    Table,
    findings,
    heading,
    shown,
    tables,
    unread_lines,
)

FIRST_WIDTH, FIGURE_WIDTH = 24, 14  # Debrief sheet columns, in Excel's units of about one character
DEBRIEF_SHEET = "Debrief"
SCORECARDS_SHEET = "Scorecards"
UNREAD_SHEET = "Not read"


def write(debrief: Debrief, path: Path) -> None:
    """The debrief workbook: the readable Debrief sheet, and one row per scorecard for filtering and sorting.

    Written through the helpers the scorecard is styled with, so every text is a literal string (a candidate named
    ``=HYPERLINK(…)`` stays text) and the file is byte-identical from run to run under SOURCE_DATE_EPOCH.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DEBRIEF_SHEET
    _debrief_sheet(sheet, debrief)
    _scorecards_sheet(workbook.create_sheet(SCORECARDS_SHEET), debrief)
    if debrief.unread:
        unread = workbook.create_sheet(UNREAD_SHEET)
        for column, caption in zip("AB", ("File", "Why it was not read")):
            style.style_cell(
                style.text(unread[f"{column}1"], caption), style.BOLD, fill=style.HEADER_FILL, border=style.BOX
            )
        for row, u in enumerate(debrief.unread, start=2):
            style.text(unread[f"A{row}"], u.file)
            why = "\n".join(unread_lines(u))
            style.style_cell(style.text(unread[f"B{row}"], why), style.BODY, style.WRAP)
            style.fit_height(unread, row, why, 90, style.BODY)
        unread.column_dimensions["A"].width = 40
        unread.column_dimensions["B"].width = 90
        _print_setup(unread, landscape=True)
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


def _debrief_sheet(ws: Any, debrief: Debrief) -> None:
    all_tables = [t for c in debrief.candidates for t in tables(c)]
    width = max((len(t.columns) for t in all_tables), default=2)
    last = get_column_letter(width)
    ws.column_dimensions["A"].width = FIRST_WIDTH
    for column in range(2, width + 1):
        # A caption wraps at its spaces, never inside a word such as "Recommendation".
        words = [len(word) for t in all_tables if column <= len(t.columns) for word in t.columns[column - 1].split()]
        ws.column_dimensions[get_column_letter(column)].width = max(FIGURE_WIDTH, *(w * 1.2 + 1 for w in words))
    row = 1
    style.style_cell(style.text(ws["A1"], DEBRIEF_TITLE), style.TITLE_FONT)
    row = _wrapped(ws, 2, TALLY_NOTE, last, style.NOTE) + 1
    for candidate in debrief.candidates:
        row += 1
        style.style_cell(style.text(ws[f"A{row}"], heading(candidate)), style.TITLE_FONT)
        files = ", ".join(f"{r.interviewer} ({r.scorecard.path.name})" for r in candidate.results)
        row = _wrapped(ws, row + 1, f"Scorecards: {files}", last, style.NOTE) + 1
        for table in tables(candidate):
            row = _table_cells(ws, row + 1, table, last) + 1
        for caption, items in findings(candidate):
            row += 1
            style.style_cell(style.text(ws[f"A{row}"], caption), style.HEADING_FONT)
            for item in items:
                row = _wrapped(ws, row + 1, f"• {item}", last, style.BODY)
            row += 1
    if debrief.unread:
        row += 1
        style.style_cell(style.text(ws[f"A{row}"], "Not read, so not in the figures above"), style.HEADING_FONT)
        for u in debrief.unread:
            head, *problems = unread_lines(u)
            row = _wrapped(ws, row + 1, f"• {head}", last, style.BODY)
            for problem in problems:
                row = _wrapped(ws, row + 1, f"    – {problem}", last, style.BODY)
    ws.print_area = f"A1:{last}{row}"
    _print_setup(ws, landscape=True)


def _table_cells(ws: Any, row: int, table: Table, last: str) -> int:
    """Write ``table`` from ``row``; returns the last row written."""
    style.style_cell(style.text(ws[f"A{row}"], table.title), style.HEADING_FONT)
    row += 1
    for c, caption in enumerate(table.columns, start=1):
        alignment = style.WRAP if c == 1 else style.HEADER_CAPTION
        style.style_cell(style.text(ws.cell(row, c), caption), style.BOLD, alignment, style.HEADER_FILL, style.BOX)
        style.fit_height(ws, row, caption, FIRST_WIDTH if c == 1 else FIGURE_WIDTH, style.BOLD)
    for r, values in enumerate(table.rows):
        row += 1
        loop = r >= table.loop_from
        for c, value in enumerate(values):
            kind = table.kind(r, c)
            flagged = (r, c) in table.flagged
            cell = ws.cell(row, c + 1)
            if kind == TEXT or value is None:
                style.text(cell, shown(value, kind))  # a blank figure shows "–", as in the text and Markdown
            else:
                cell.value = value * 100 if kind == SPREAD else value  # spreads in points, as the text shows
            font = style.BOLD if flagged or (loop and c == 0) else style.BODY
            fill = style.WEAK_FILL if flagged else style.QUESTION_FILL if loop else None
            alignment = style.TOP if c == 0 else style.CENTER
            style.style_cell(cell, font, alignment, fill, style.BOX, _xlsx_format(kind, flagged))
    if table.note:
        row = _wrapped(ws, row + 1, table.note, last, style.NOTE)
    return row


def _wrapped(ws: Any, row: int, text: str, last: str, font: Any) -> int:
    """A line of text across the sheet's width, wrapped, its row tall enough to show it all."""
    ws.merge_cells(f"A{row}:{last}{row}")
    style.style_cell(style.text(ws[f"A{row}"], text), font, style.WRAP)
    style.fit_height(ws, row, text, FIRST_WIDTH + FIGURE_WIDTH * (column_index_from_string(last) - 1), font)
    return row


SCORECARD_PARTS = (("score", SCORE), ("red flags", COUNT), ("rating", RATING), ("asked", COUNT))
"""The columns under each category on the Scorecards sheet."""


def _scorecards_sheet(ws: Any, debrief: Debrief) -> None:
    """One row per scorecard under two header rows: each category's label above its four columns, then the
    captions, which Excel's filter buttons sit on. Printed one page wide, the headers on every page."""
    labels = {c.id: c.label for candidate in debrief.candidates for c in candidate.categories}
    columns: list[tuple[str, str, float]] = [
        ("Candidate", TEXT, 16),
        ("Interviewer", TEXT, 16),
        ("Date", TEXT, 11),
        ("Role", TEXT, 20),
    ]
    first_figure = len(columns) + 1
    for _ in labels:
        columns += [(caption, kind, 8) for caption, kind in SCORECARD_PARTS]
    columns += [
        ("Red flags (total)", COUNT, 9),
        ("Overall score", SCORE, 9),
        ("Recommendation", TEXT, 15),
        ("Empty", TEXT, 7),
        ("File", TEXT, 32),
    ]
    for c, (caption, _, width) in enumerate(columns, start=1):
        alignment = style.WRAP if c < first_figure or c == len(columns) else style.HEADER_CAPTION
        style.style_cell(style.text(ws.cell(2, c), caption), style.BOLD, alignment, style.HEADER_FILL, style.BOX)
        style.fit_height(ws, 2, caption, width, style.BOLD)
        ws.column_dimensions[get_column_letter(c)].width = width
    for k, label in enumerate(labels.values()):
        first = first_figure + k * len(SCORECARD_PARTS)
        ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(SCORECARD_PARTS) - 1)
        style.style_cell(
            style.text(ws.cell(1, first), label), style.BOLD, style.HEADER_CAPTION, style.HEADER_FILL, style.BOX
        )
        style.fit_height(ws, 1, label, 8 * len(SCORECARD_PARTS), style.BOLD)
    row = 2
    for candidate in debrief.candidates:
        for r in candidate.results:
            row += 1
            card = r.scorecard
            values: list[Any] = [card.candidate, card.interviewer, card.interview_date, card.role]
            for category_id in labels:
                line = r.result.categories.get(category_id)
                values += [line.score, line.flags, line.rating, line.asked] if line else [None, None, None, None]
            values += [r.red_flags, r.result.overall, r.result.recommendation, "Yes" if r.empty else "No", r.file]
            for c, ((_, kind, _), value) in enumerate(zip(columns, values), start=1):
                cell = ws.cell(row, c)
                if kind == TEXT:
                    style.text(cell, value or "")
                else:
                    cell.value = value
                alignment = style.WRAP if c == len(columns) else style.TOP  # a long path wraps at its slashes
                style.style_cell(cell, style.BODY, alignment, border=style.BOX, number_format=_xlsx_format(kind, False))
            style.fit_height(ws, row, r.file, columns[-1][2], style.BODY)
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{row}"
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:2"


def _print_setup(ws: Any, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "Page &P of &N"
