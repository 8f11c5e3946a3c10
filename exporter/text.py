"""Text hygiene shared by every output: characters XML cannot hold are dropped, with a warning; text that a
spreadsheet would run as a formula is marked as text; text in Markdown is shown as itself."""

from __future__ import annotations

import re

from .errors import warn

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates,
# U+FFFE and U+FFFF. Word and Excel files are XML, so anything else would corrupt them. (Listed as what is
# forbidden: the negated class of what is allowed spans all of Unicode and takes 8 ms to compile.)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str, field: str) -> str:
    """``text`` without XML-forbidden characters; warns naming ``field`` when any were dropped."""
    found = _FORBIDDEN.findall(text)
    if not found:
        return text
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    warn(f"{field}: dropped {len(found)} control character{'s' if len(found) > 1 else ''} ({codes})")
    return _FORBIDDEN.sub("", text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (tab and carriage return because
some spreadsheets skip them and read the formula after)."""


def spreadsheet_text(text: str) -> str:
    """``text`` for a cell of a CSV or a table a reader may open in a spreadsheet: one that would start a
    formula gets a leading apostrophe, so it stays text (OWASP's advice against CSV injection). The scorecard
    needs no such mark: it types its cells as text (:func:`exporter.render.xlsx.text`)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_LINE_BREAKS = re.compile(r"[ \t\r\n]+")  # not U+00A0: "50\u00a0pts" stays whole


def markdown_text(text: str) -> str:
    """``text`` (from the bank, a layout or a scorecard) as Markdown shows it literally, in a table cell too.

    On one line, so it never ends a table row; ``|`` never splits a cell; ``*``, ``_``, backticks, brackets,
    ``<`` and ``#`` make no emphasis, code, link, HTML tag or heading; and a formula start is marked as text
    (:func:`spreadsheet_text`), for a table pasted into a spreadsheet. Not for figures ``packet`` works out
    itself, which need none of it: a signed score such as "-20%" would get the apostrophe.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", spreadsheet_text(_LINE_BREAKS.sub(" ", text).strip()))
