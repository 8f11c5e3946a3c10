"""The debrief as Markdown, to paste into a hiring doc (``packet tally --out debrief.md``).

Every text from a scorecard is escaped, so a name or a signal's wording stays literal and never splits a table.
"""

from __future__ import annotations

from pathlib import Path

from ..text import markdown_text
from .model import DEBRIEF_TITLE, Debrief, InterviewerResult
from .tables import TALLY_NOTE, TEXT, Table, findings, heading, shown, tables, unread_lines


def table_markdown(table: Table) -> list[str]:
    align = ["---" if kind == TEXT else "--:" for kind in table.kinds]
    lines = [
        f"### {markdown_text(table.title)}",
        "",
        "| " + " | ".join(markdown_text(c) for c in table.columns) + " |",
        "| " + " | ".join(align) + " |",
    ]
    for r, row in enumerate(table.rows):
        cells = []
        for c, value in enumerate(row):
            kind = table.kind(r, c)
            text = markdown_text(shown(value, kind)) if kind == TEXT else shown(value, kind)
            if (r, c) in table.flagged:
                text = f"**{text}** \\*"
            elif r >= table.loop_from and c == 0:
                text = f"*{text}*"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", markdown_text(table.note)]
    return [*lines, ""]


def markdown(debrief: Debrief) -> str:
    """The debrief to paste into a hiring doc: per candidate, the tables and the lists to talk about."""
    lines = []
    for candidate in debrief.candidates:
        lines += [f"## {markdown_text(heading(candidate))}", ""]
        lines += [f"Scorecards: {', '.join(_md_file(r) for r in candidate.results)}", ""]
        for table in tables(candidate):
            lines += table_markdown(table)
        for caption, items in findings(candidate):
            lines += [f"### {markdown_text(caption)}", "", *(f"- {markdown_text(item)}" for item in items), ""]
    if debrief.unread:
        lines += ["## Not read, so not in the figures above", ""]
        for u in debrief.unread:
            head, *problems = unread_lines(u)
            lines += [f"- {markdown_text(head)}", *(f"  - {markdown_text(problem)}" for problem in problems)]
        lines.append("")
    return f"# {DEBRIEF_TITLE}\n\n" + TALLY_NOTE + "\n\n" + "\n".join(lines).rstrip() + "\n"


def _md_file(result: InterviewerResult) -> str:
    return f"{markdown_text(result.interviewer)} ({markdown_text(result.scorecard.path.name)})"


def write(debrief: Debrief, path: Path) -> None:
    path.write_text(markdown(debrief), encoding="utf-8")
