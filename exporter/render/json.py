"""The resolved packet as JSON, for scripts and other tools; the format is documented in the README."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import Packet, PacketQuestion
from . import Renderer, RenderMemo


def question_to_dict(q: PacketQuestion) -> dict[str, Any]:
    entry = q.question
    return {
        "number": q.number,
        "label": q.label,
        "id": entry.id,
        "title": entry.title,
        "text": entry.text,
        "follow_ups": list(entry.follow_ups),
        "category": q.category.id,
        "categories": dict(entry.categories),
        "goal": entry.goal,
        "great": list(entry.great_signals),
        "negative": list(entry.negative_signals),
        "technologies": {group: list(names) for group, names in entry.technologies.items()},
        "teams": list(entry.teams),
        "domains": list(entry.domains),
        "backup_for": q.backup_for,
        "backup_when": q.backup_when,
        "source": entry.source,
    }


def packet_to_dict(packet: Packet) -> dict[str, Any]:
    """The JSON form of a packet: plain data, in a stable key order."""
    return {
        "role": packet.role,
        "title": packet.title,
        "level": packet.level,
        "minutes": packet.minutes,
        "candidate": packet.candidate,
        "interviewer": packet.interviewer,
        "date": packet.date.isoformat() if packet.date else None,
        "start": packet.start,
        "identity": packet.identity,
        "version": packet.version,
        "categories": [{"id": c.id, "title": c.question, "label": c.label} for c in packet.categories],
        "sections": [
            {
                "kind": s.kind,
                "title": s.title,
                "minutes": s.minutes,
                "start": s.start,
                "end": s.end,
                **({"clock_start": s.clock_start, "clock_end": s.clock_end} if s.clock_start else {}),
                "question": s.question.question.id if s.question else None,
                "backup": s.backup.question.id if s.backup else None,
            }
            for s in packet.sections
        ],
        "questions": [question_to_dict(q) for q in packet.questions],
    }


class JsonRenderer(Renderer):
    name = "json"
    extension = "json"
    suffix = "-packet"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        text = json.dumps(packet_to_dict(packet), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
