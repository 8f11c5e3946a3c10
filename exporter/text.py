"""Text hygiene shared by every output: characters XML cannot hold are dropped, with a warning; text that a
spreadsheet would run as a formula is marked as text; text in Markdown is shown as itself."""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import warn

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates,
# U+FFFE and U+FFFF. Word and Excel files are XML, so anything else would corrupt them. (Listed as what is
# forbidden: the negated class of what is allowed spans all of Unicode and takes 8 ms to compile.)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds a character XML cannot hold (which :func:`clean` drops)."""
    return _FORBIDDEN.search(text) is not None


def clean(text: str, field: str | Callable[[], str]) -> str:
    """``text`` without XML-forbidden characters; warns naming ``field`` when any were dropped. ``field`` may be
    a function that names it, called only then (the bank's thousand texts are checked on every run)."""
    found = _FORBIDDEN.findall(text)
    if not found:
        return text
    field = field if isinstance(field, str) else field()
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    warn(f"{field}: dropped {len(found)} control character{'s' if len(found) > 1 else ''} ({codes})")
    return _FORBIDDEN.sub("", text)


def given_name(text: str, field: str) -> str:
    """A name as given (a candidate, an interviewer): on one line, each run of white space one space, accents
    composed ("e" and a combining diaeresis become "ë"), so a name typed two ways is one name; and clean."""
    import unicodedata  # only where names are given: not on every start

    return clean(" ".join(unicodedata.normalize("NFC", text).split()), field)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (tab and carriage return because
some spreadsheets skip them and read the formula after)."""


def spreadsheet_text(text: str) -> str:
    """``text`` for a cell of a CSV or a table a reader may open in a spreadsheet: one that would start a
    formula gets a leading apostrophe, so it stays text (OWASP's advice against CSV injection). The scorecard
    needs no such mark: it types its cells as text (:func:`exporter.sheet_style.text`)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Typography for printed text. Every rule swaps one character for one, so a typeset text is as long as the
# plain one and ``plain(typeset(t)) == t``.
NBSP = "\u00a0"
MINUS = "\u2212"
_SPAN = re.compile(r"(`[^`]*`|\s+)")
"""Backticked code, runs of white space, and everything between them (a word): typeset one word at a time."""
_CODE = re.compile(r"^[(\[]*(--?[A-Za-z]|[\w.-]*[_/\\$=<>{}|~]|\w+\.\w+\(|[\w-]+\.(ya?ml|json|md|py|sh|toml)\b)")
"""A word that is code or an identifier: a flag (``--dry-run``, ``-f``), a name with ``_``, a path, an assignment,
a call, a file name. Left exactly as written."""
_NEGATIVE = re.compile(r"(?<![\w\-\u2212.])-(?=\d)")
_NUMBER_UNIT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?) (min|mins|minutes?|h|hours?|s|pt|in|mm|cm|%)(?!\w)")
_LABEL_NUMBER = re.compile(r"\b(Q|Question|Backup|Slot|No\.|p\.|page) (\d+[a-z]?)\b")
_DIGIT = re.compile(r"\d")  # what both number patterns need: any decimal digit, as ``\d`` matches one
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', MINUS: "-", NBSP: " "})


def typeset(text: str) -> str:
    """``text`` as it should print: curly quotes and apostrophes, a true minus before a negative number
    (``−20%``), and non-breaking spaces that keep a number with its unit (``7 min``) and a label with its number
    (``Q 1b``). Code and identifiers (backticked spans, ``kubectl --dry-run``, ``snake_case``, paths) are left
    untouched, and so is text with no straight quote, hyphen or space to change.

    Spaces between words are only made non-breaking inside the two patterns above, never elsewhere.
    """
    # Each step only where it can change something: a word with a quote or a hyphen, a text with a digit. A
    # guide, a cheat sheet, a scorecard and a kit typeset about 1,200 strings, most of them with neither.
    if "'" in text or '"' in text or "-" in text:
        spans = _SPAN.split(text)
        for i, span in enumerate(spans):
            if ("'" in span or '"' in span or "-" in span) and not span.startswith("`") and not _CODE.match(span):
                spans[i] = _quotes(_NEGATIVE.sub(MINUS, span))
        text = "".join(spans)
    if _DIGIT.search(text) is None:
        return text
    text = _NUMBER_UNIT.sub(lambda m: f"{m[1]}{NBSP}{m[2]}", text)
    return _LABEL_NUMBER.sub(lambda m: f"{m[1]}{NBSP}{m[2]}", text)


def plain(text: str) -> str:
    """What :func:`typeset` undoes: straight quotes, hyphen-minus and plain spaces again."""
    return text.translate(_PLAIN)


def _quotes(word: str) -> str:
    """One word's straight quotes made curly, each by what stands on either side of it."""
    if "'" not in word and '"' not in word:
        return word
    out = []
    for i, char in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        opening = not before or before in "([{\u2014\u2013-/\u201c\u2018"
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
        elif char == "'":
            # an apostrophe inside or after a word (it's, years'), or before a year ('90s), is a closing quote
            starts_quote = opening and not after.isdigit()
            out.append("\u2018" if starts_quote else "\u2019")
        else:
            out.append(char)
    return "".join(out)


# Patterns as text, compiled where first used (re keeps them): the cheat sheet and the scorecard need neither.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|#])"
_LINE_BREAKS = r"[ \t\r\n]+"  # not U+00A0: "50\u00a0pts" stays whole


def markdown_text(text: str) -> str:
    """``text`` (from the bank, a layout or a scorecard) as Markdown shows it literally, in a table cell too.

    On one line, so it never ends a table row; ``|`` never splits a cell; ``*``, ``_``, backticks, brackets,
    ``<`` and ``#`` make no emphasis, code, link, HTML tag or heading; and a formula start is marked as text
    (:func:`spreadsheet_text`), for a table pasted into a spreadsheet. Not for figures ``packet`` works out
    itself, which need none of it: a signed score such as "-20%" would get the apostrophe.
    """
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", spreadsheet_text(re.sub(_LINE_BREAKS, " ", text).strip()))
