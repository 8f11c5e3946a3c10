"""The debrief as the terminal shows it (``packet tally``): aligned tables, then the lists to talk about."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence

from ..listing import wrap_captions
from .model import Debrief
from .tables import TEXT, Findings, Table, blocks, heading, shown


def _width(text: str) -> int:
    """Columns the text takes in a terminal: wide East Asian characters count two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def table_text(table: Table) -> list[str]:
    """A table with aligned columns, names left and figures right, a rule above the loop's rows."""
    cells = [
        [
            shown(value, table.kind(r, c), (r, c) in table.indirect) + ("*" if (r, c) in table.flagged else "")
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(table.rows)
    ]
    figures = [max((_width(text) for text in column), default=0) for column in zip(*cells)]
    widths, header = wrap_captions(table.columns, figures or [0] * len(table.columns))
    right = [kind != TEXT for kind in table.kinds]

    def line(row: Sequence[str]) -> str:
        return "  ".join(_pad(text, widths[c], right[c]) for c, text in enumerate(row)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [
        table.title,
        *map(line, header),
        *map(line, cells[: table.loop_from]),
        rule,
        *map(line, cells[table.loop_from :]),
    ]


def terminal_text(debrief: Debrief) -> str:
    """The debrief as the terminal shows it: per candidate, three tables and the lists to talk about."""
    shown_blocks = []
    for candidate in debrief.candidates:
        title = heading(candidate)
        lines = [title, "=" * _width(title), ""]
        for block in blocks(candidate):
            lines += [*(table_text(block) if isinstance(block, Table) else findings_text(block)), ""]
            if isinstance(block, Table) and block.note:
                lines[-1:] = [*textwrap.wrap(block.note, 100), ""]
        shown_blocks.append("\n".join(lines).rstrip())
    if debrief.unread:
        files = ", ".join(u.file for u in debrief.unread)
        shown_blocks.append(f"Not read, so not in the figures above: {files} (see the error below)")
    return "\n\n".join(shown_blocks) + "\n"


def findings_text(findings: Findings) -> list[str]:
    """A list under its caption, each item wrapped and indented; each group under its own sub-heading."""

    def item(text: str, indent: str) -> str:
        return textwrap.fill(text, 100, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False)

    lines = [f"{findings.title}:", *(item(text, "  ") for text in findings.items)]
    for title, items in findings.groups:
        lines += [item(title, "  "), *(item(text, "    ") for text in items)]
    return lines
