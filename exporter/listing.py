"""Plain-text and JSON views of the bank and of a resolved packet, for `packet list` and `packet show`.

Also the two helpers every terminal table shares: a category's short label for a narrow column
(:func:`short_label`) and captions wrapped onto two lines (:func:`wrap_captions`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .loading import list_roles, load_bank, load_layout
from .model import Bank, Packet, PacketQuestion

LABEL_JOINS = frozenset({"at", "in", "of", "for", "to", "on", "with", "and", "the"})
"""Small words at which a category label is cut for a narrow column."""


def short_label(label: str) -> str:
    """A category label for a table column: its first words, up to a small joining word and three at most.

    "World-class at running this team" → "World-class"; "Outstanding operationally", "Strategic direction"
    and "Effective team member" stay whole. Sentences use the whole label.
    """
    words: list[str] = []
    for word in label.split()[:3]:
        if words and word.lower() in LABEL_JOINS:
            break
        words.append(word)
    return " ".join(words)


def wrap_captions(captions: Sequence[str], widths: Sequence[int], lines: int = 2) -> tuple[list[int], list[list[str]]]:
    """Column captions wider than their column's figures, wrapped onto up to ``lines`` lines at spaces.

    ``widths`` are the widest figure of each column. Returns the widths, widened where a caption needs it,
    and the header's lines, each a cell per column, aligned to the bottom (next to the figures).
    """
    wrapped = []
    for caption, width in zip(captions, widths):
        width = max(width, *(len(word) for word in caption.split() or [""]))
        while len(textwrap.wrap(caption, width) or [""]) > lines:
            width += 1
        wrapped.append(textwrap.wrap(caption, width) or [""])
    depth = max((len(cell) for cell in wrapped), default=1)
    padded = [[""] * (depth - len(cell)) + cell for cell in wrapped]
    widened = [max(width, *(len(line) for line in cell)) for width, cell in zip(widths, wrapped)]
    return widened, [[cell[k] for cell in padded] for k in range(depth)]


def question_rows(bank: Bank) -> list[dict[str, Any]]:
    """Every bank question with what a hiring manager chooses by."""
    return [
        {
            "id": q.id,
            "title": q.title,
            "text": q.text,
            "categories": dict(q.categories),
            "teams": list(q.teams),
            "domains": list(q.domains),
            "source": q.source,
            "backup_for": q.backup_for,
        }
        for q in bank.questions.values()
    ]


def role_records(layouts_dir: Path | None = None, bank_dir: Path | None = None) -> list[dict[str, Any]]:
    """Each role's name, title, level and minutes, for `packet list`."""
    records = []
    roles = list_roles(layouts_dir)
    bank = load_bank(bank_dir) if roles else None
    for role in roles:
        layout = load_layout(role, layouts_dir, bank=bank)
        records.append({"role": role, "title": layout.title, "level": layout.level, "minutes": layout.minutes})
    return records


def aligned(rows: Sequence[tuple[str, str]]) -> list[str]:
    """Two columns, the first as wide as its longest entry: `packet list`'s roles, loops and questions."""
    width = max((len(name) for name, _ in rows), default=0)
    return [f"{name:{width}}  {text}".rstrip() for name, text in rows]


def role_lines(records: Sequence[dict[str, Any]]) -> list[str]:
    """`packet list`: each role with its title, level and minutes."""
    return aligned([(r["role"], f"{r['title']}, {r['level']} ({r['minutes']} min)") for r in records])


def question_lines(bank: Bank) -> list[str]:
    """`packet list --questions`: each question's id, title, weights by category and source."""
    rows = []
    for q in bank.questions.values():
        weights = ", ".join(f"{short_label(bank.category(c).label)} {w:g}" for c, w in q.categories.items())
        rows.append((q.id, f"{q.title}  [{weights}] ({q.source})"))
    return aligned(rows)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=" " * (len(indent) + 2))


def _question_text(q: PacketQuestion, heading: str) -> list[str]:
    entry = q.question
    lines = [heading, _wrap(f"Goal — {q.category.label}: {entry.goal}", "   "), _wrap(entry.text, "   Q: ")]
    lines += [_wrap(f, "   Follow-up: ") for f in entry.follow_ups]
    lines += [_wrap(s, "   [ ] + ") for s in entry.great_signals]
    lines += [_wrap(s, "   [ ] - ") for s in entry.negative_signals]
    for group, names in entry.technologies.items():
        lines.append(_wrap(f"{group}: {', '.join(names)}", "   Tech: "))
    return lines


def packet_text(packet: Packet) -> str:
    """The packet as the interviewer would skim it in a terminal."""
    who = ", ".join(p for p in (packet.candidate, packet.interviewer, str(packet.date or "")) if p)
    lines = [f"{packet.title} ({packet.level}) — {packet.role}, {packet.minutes} min" + (f" — {who}" if who else "")]
    lines.append("")
    lines.append("Time budget")
    for s in packet.sections:
        lines.append(f"  {s.time_range:>14}  {s.minutes:>3} min  {s.title}")
    for s in packet.question_sections:
        assert s.question is not None
        lines.append("")
        lines += _question_text(s.question, f"{s.question.label}. {s.title} [{s.minutes} min, {s.time_range}]")
        if s.backup is not None:
            lines.append("")
            lines += _question_text(
                s.backup, f"{s.backup.label}. Backup: {s.backup.question.title} — {s.backup.backup_when}"
            )
    return "\n".join(lines)
