"""The debrief as Markdown, to paste into a hiring doc (``packet tally --out debrief.md``).

Every text from a scorecard goes through :func:`exporter.text.markdown_text`, the one escape every Markdown
writer shares, so a name, a note or a signal's wording stays literal, never splits a table, and never starts
a formula when the table is pasted into a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

from ..text import markdown_text
from .model import DEBRIEF_TITLE, Debrief, InterviewerResult
from .tables import TALLY_NOTE, TEXT, Findings, Table, blocks, heading, shown, unread_lines


def md(text: str) -> str:
    """Text from a scorecard made safe for Markdown (see :func:`exporter.text.markdown_text`)."""
    return markdown_text(text)


def _cell(table: Table, r: int, c: int) -> str:
    value = table.rows[r][c]
    kind = table.kind(r, c)
    text = shown(value, kind, (r, c) in table.indirect)
    # A figure is ours, and its sign is meant ("+45%"); only text from a scorecard can start a formula.
    return md(text) if kind == TEXT else text


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
        for c in range(len(row)):
            text = _cell(table, r, c)
            if (r, c) in table.flagged:
                text = f"**{text}** \\*"
            elif r >= table.loop_from and c == 0:
                text = f"*{text}*"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", markdown_text(table.note)]
    return [*lines, ""]


def findings_markdown(findings: Findings) -> list[str]:
    lines = [f"### {md(findings.title)}", "", *(f"- {md(item)}" for item in findings.items)]
    for title, items in findings.groups:
        lines += [f"- **{md(title)}**", *(f"  - {md(item)}" for item in items)]
    return [*lines, ""]


def markdown(debrief: Debrief) -> str:
    """The debrief to paste into a hiring doc: per candidate, the verdict, the tables and every note."""
    lines = []
    for candidate in debrief.candidates:
        lines += [f"## {markdown_text(heading(candidate))}", ""]
        lines += [f"Scorecards: {', '.join(_md_file(r) for r in candidate.results)}", ""]
        for block in blocks(candidate):
            lines += table_markdown(block) if isinstance(block, Table) else findings_markdown(block)
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
