"""The guide's WordprocessingML, built directly with lxml: runs, paragraphs, Word fields, tables, borders.

A dozen times faster than python-docx's object layer, which matters for a batch of a hundred guides. Each
function returns or fills elements in the order the schema wants, so Word opens the file without "repair".
Owns what these pieces look like by themselves: the muted grey of a muted run, the tick box's font, the
shading of a table's header row, and the typography of every run (:func:`exporter.text.typeset`), so no
printed string of the guide escapes it.
"""

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length
from lxml import etree

from ..text import typeset

PROPERTY_LIMIT = 255  # Word's limit on a document property (the guide's title and subject)
SYMBOL_FONT = "Segoe UI Symbol"  # for the tick box: Calibri has no U+2610; where it is missing, clients substitute
MUTED = "595959"
HEADER_FILL = "E7ECF3"
SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")  # in the order the schema wants them
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Ideographs, kana, hangul and full-width forms: runs holding them get Word's east-Asian font hint, so
# punctuation shared with Latin text renders in the same font as the characters around it.
EAST_ASIAN = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F))


class Run(NamedTuple):
    """A stretch of text with one format; tabs and line breaks in ``text`` become Word's own."""

    text: str
    bold: bool = False
    muted: bool = False
    symbol: bool = False  # the tick box, in a font that has it


Text = str | Run | Sequence[Run]


def as_runs(value: Text) -> tuple[Run, ...]:
    if isinstance(value, str):
        return (Run(value),)
    if isinstance(value, Run):
        return (value,)
    return tuple(value)


@functools.cache
def w_tag(name: str) -> str:
    """``{…/wordprocessingml/2006/main}name``: looked up a few thousand times per guide, so kept."""
    return qn(f"w:{name}")


def add(parent: etree._Element, tag: str, **attributes: object) -> etree._Element:
    """Append ``<w:tag w:name="value" …/>`` to ``parent``; the caller keeps the schema's child order."""
    child = etree.SubElement(parent, w_tag(tag))
    for name, value in attributes.items():
        child.set(w_tag(name), str(value))
    return child


def twips(length: Length | int) -> int:
    return round(length / 635)  # 914400 EMU per inch, 1440 twips per inch


def border_xml(tag: str, sides: dict[str, tuple[str, int, str, int]]) -> BaseOxmlElement:
    """A ``w:pBdr``, ``w:tblBorders`` or ``w:tcBorders``; each side is (kind, eighths of a point, colour, space)."""
    element = OxmlElement(tag)
    for side in sorted(sides, key=SIDES.index):
        kind, size, colour, space = sides[side]
        add(element, side, val=kind, sz=size, space=space, color=colour)
    return element


def shading_xml(fill: str) -> BaseOxmlElement:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    return shading


def has_east_asian(text: str) -> bool:
    # Every such character lies at U+2E80 or above, so most runs are answered by ``max`` alone. (A pattern of
    # these ranges takes some 4 ms to compile, more than looking at the few texts with such characters.)
    return bool(text) and max(text) >= "\u2e80" and any(low <= ord(c) <= high for c in text for low, high in EAST_ASIAN)


def add_run(paragraph: etree._Element, run: Run) -> None:
    element = add(paragraph, "r")
    east_asian = has_east_asian(run.text)
    if run.symbol or run.bold or run.muted or east_asian:
        properties = add(element, "rPr")
        if run.symbol:
            add(properties, "rFonts", ascii=SYMBOL_FONT, hAnsi=SYMBOL_FONT, eastAsia=SYMBOL_FONT, cs=SYMBOL_FONT)
        elif east_asian:
            add(properties, "rFonts", hint="eastAsia")
        if run.bold:
            add(properties, "b")
        if run.muted:
            add(properties, "color", val=MUTED)
    for piece in re.split("([\t\n])", typeset(run.text)):
        if piece == "\t":
            add(element, "tab")
        elif piece == "\n":
            add(element, "br")
        elif piece:
            text = add(element, "t")
            text.text = piece
            text.set(XML_SPACE, "preserve")


def paragraph_xml(
    style: str,
    text: Text = (),
    *,
    keep: bool = False,
    page_break: bool = False,
    before: float | None = None,
    align: str | None = None,
) -> BaseOxmlElement:
    """A ``w:p`` in ``style`` (its properties in schema order), optionally kept with the next paragraph."""
    paragraph = OxmlElement("w:p")
    properties = add(paragraph, "pPr")
    add(properties, "pStyle", val=style.replace(" ", ""))  # python-docx's id for a style name
    if keep:
        add(properties, "keepNext")
    if page_break:
        add(properties, "pageBreakBefore")
    if before is not None:
        add(properties, "spacing", before=round(before * 20))
    if align:
        add(properties, "jc", val=align)
    for run in as_runs(text):
        add_run(paragraph, run)
    return paragraph


def add_field(paragraph: etree._Element, instruction: str, shown: str) -> None:
    """A real Word field (PAGE, NUMPAGES) that Word and LibreOffice update as they lay out the pages."""
    add(add(paragraph, "r"), "fldChar", fldCharType="begin")
    code = add(add(paragraph, "r"), "instrText")
    code.text = f" {instruction} "
    code.set(XML_SPACE, "preserve")
    add(add(paragraph, "r"), "fldChar", fldCharType="separate")
    add_run(paragraph, Run(shown))
    add(add(paragraph, "r"), "fldChar", fldCharType="end")


def table_xml(
    widths: Sequence[Length],
    rows: Sequence[Sequence[Text]],
    *,
    header: bool = True,
    borders: dict[str, tuple[str, int, str, int]] | None = None,
    align: Sequence[str | None] = (),
    kept_rows: int | None = None,
    height: Length | None = None,
    height_rule: str = "exact",
    style: str = "Guide Cell",
    body_style: str | None = None,
) -> BaseOxmlElement:
    """A fixed-width table; the first row a shaded header repeated on each page when ``header``.

    Rows never split across pages; the first ``kept_rows`` rows (default: all but the last, so the table
    stays on one page) are kept with the next. ``height`` makes every row that tall ("exact" or "atLeast").
    Cells are in ``style``, those below the first row in ``body_style`` when given.
    """
    table = OxmlElement("w:tbl")
    properties = add(table, "tblPr")
    add(properties, "tblW", w=sum(twips(w) for w in widths), type="dxa")
    if borders:
        properties.append(border_xml("w:tblBorders", borders))
    add(properties, "tblLayout", type="fixed")
    grid = add(table, "tblGrid")
    for width in widths:
        add(grid, "gridCol", w=twips(width))
    kept = len(rows) - 1 if kept_rows is None else kept_rows
    for index, cells in enumerate(rows):
        row = add(table, "tr")
        row_properties = add(row, "trPr")
        add(row_properties, "cantSplit")
        if height is not None:
            add(row_properties, "trHeight", val=twips(height), hRule=height_rule)
        shaded = header and index == 0
        if shaded:
            add(row_properties, "tblHeader")
        for column, (value, width) in enumerate(zip(cells, widths)):
            cell = add(row, "tc")
            cell_properties = add(cell, "tcPr")
            add(cell_properties, "tcW", w=twips(width), type="dxa")
            if shaded:
                cell_properties.append(shading_xml(HEADER_FILL))
            runs = tuple(run._replace(bold=True) for run in as_runs(value)) if shaded else as_runs(value)
            alignment = align[column] if column < len(align) else None
            cell_style = body_style if body_style and index else style
            cell.append(paragraph_xml(cell_style, runs, keep=index < kept, align=alignment))
    return table
