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


DETAILS = ("candidate", "interviewer", "date", "start", "minutes")
"""What a run is given for a packet, rather than read from the bank and the layout."""
CONTENT = ("role", "title", "level", "categories", "questions")
"""What the bank and the layout give a packet."""
MAX_BYTES = 10_000_000  # far above any packet's JSON: a larger file in its place is not one


def differences(path: Path, packet: Packet) -> list[tuple[str, Any, Any]] | None:
    """What the packet JSON at ``path``, written by an earlier run, says that ``packet`` would not: (detail, then,
    now) for each of :data:`DETAILS` that changed, and ("questions", None, None) when any of :data:`CONTENT`
    did (the bank or the layout). The sections follow from these. None when ``path`` cannot be read as a
    packet's JSON."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # not UTF-8, not JSON, or nested past Python's limit
        return None
    if not isinstance(before, dict):
        return None
    now = json.loads(json.dumps(packet_to_dict(packet)))  # as it reads back: tuples become lists
    found = [(detail, before.get(detail), now[detail]) for detail in DETAILS if before.get(detail) != now[detail]]
    if any(before.get(key) != now[key] for key in CONTENT):
        found.append(("questions", None, None))
    return found
