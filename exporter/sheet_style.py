"""The look of packet's workbooks, the scorecard and the debrief alike, and how a workbook is written.

Fonts, fills, borders, alignments and number formats are made once and shared by every cell of every
workbook. :func:`text` writes literal text (never a formula), :func:`style_cell` gives a cell its look,
:func:`fit_height` makes a row tall enough for wrapped text, and :func:`save` writes a workbook whose bytes
depend only on its content and the moment given.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .reproducible import write_zip

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

SCORE_FORMAT = "+0%;\u22120%;0%"  # a true minus, as printed text has
RATING_FORMAT = "0.0"
COUNT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"

# Results: a darker fill and heavier type for stronger ones, so they read in grayscale too.
STRONG_FILL = PatternFill("solid", start_color="63BE7B", end_color="63BE7B")
GOOD_FILL = PatternFill("solid", start_color="D8EFDD", end_color="D8EFDD")
WEAK_FILL = PatternFill("solid", start_color="F4C7C3", end_color="F4C7C3")
BAD_FILL = PatternFill("solid", start_color="A61C1C", end_color="A61C1C")
STRONG_FONT = Font(bold=True)
WEAK_FONT = Font(bold=True, italic=True, color="7F0000")
BAD_FONT = Font(bold=True, color="FFFFFF")


def text(cell: Cell, value: str) -> Cell:
    """Write ``value`` as literal text: never a formula, even when it begins with '=' (or an error code)."""
    cell.value = value
    cell.data_type = "s"
    return cell


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


# Row heights are set from the text they hold: LibreOffice does not fit rows to wrapped text when it opens a
# file, and Excel only does for rows it lays out itself. The estimate errs on the roomy side because
# LibreOffice substitutes a wider font where Calibri is missing.


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


def workbook_parts(workbook: Workbook, moment: dt.datetime) -> list[tuple[str, bytes]]:
    """The parts of ``workbook``'s package, names and bytes in openpyxl's order, dated ``moment``.

    Write each workbook once: openpyxl keeps what it learns while writing (a sheet's column outline level)
    and would put it in a second write.
    """
    workbook.properties.created = workbook.properties.modified = moment
    buffer = io.BytesIO()
    # Stored, not compressed: the parts are only read back here, and compressed once, into the file.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        # ExcelWriter directly: openpyxl's save_workbook would stamp "modified" with the current time.
        ExcelWriter(workbook, archive).write_data()
    with zipfile.ZipFile(buffer) as source:
        return [(name, source.read(name)) for name in source.namelist()]


def save(workbook: Workbook, path: Path, moment: dt.datetime) -> None:
    """Write ``workbook`` with ``moment`` as its created/modified time and as every zip entry's timestamp."""
    write_zip(path, workbook_parts(workbook, moment), moment)
