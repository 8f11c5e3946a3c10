"""Plain-text and JSON views of the bank and of a resolved packet, for `packet list` and `packet show`."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from .loading import list_roles, load_bank, load_layout
from .model import Packet, PacketQuestion


def question_rows(bank_dir: Path | None = None) -> list[dict[str, Any]]:
    """Every bank question with what a hiring manager chooses by."""
    bank = load_bank(bank_dir)
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


def role_rows(layouts_dir: Path | None = None, bank_dir: Path | None = None) -> list[tuple[str, str, int]]:
    rows = []
    for role in list_roles(layouts_dir):
        layout = load_layout(role, layouts_dir, bank_dir)
        rows.append((role, f"{layout.title}, {layout.level}", layout.minutes))
    return rows


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
