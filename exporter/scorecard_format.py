"""The scorecard's file format, shared by its writer (:mod:`exporter.render.xlsx_card`, sealed by
:mod:`exporter.render.xlsx`) and its reader (:mod:`exporter.readback`): the marker and version of the hidden
sheet, the sheet names, the scheme of the workbook-level defined names through which every input and figure is
found, and the fingerprint that tells a card exactly as ``packet`` made it from one somebody has touched.

The defined names: ``candidate``, ``interviewer``, ``interview_date`` and ``role`` for the header; per question
``qK_asked``, ``qK_great_<i>``, ``qK_neg_<j>``, ``qK_rating`` and ``qK_notes``, where K is the question's
label as the interviewer sees it (``q1_*``, ``q1b_*`` for the backup of question 1, ``q2_*``, …); the
interviewer's ``vote`` and ``takeaways``; per category ``cat_<id>_score``, ``cat_<id>_flags``,
``cat_<id>_rating``, ``cat_<id>_asked`` and ``cat_<id>_evidence`` (a ``-`` in the id becomes ``_``); and
``overall_score`` and ``recommendation``. The hidden sheet holds the marker in A1, the version in B2 and the
packet's description as JSON in B3, including the rating list's choices ("3 – Good"), each question's label
and title, and everything ``packet tally`` prints so that it never needs the bank: ``category_labels`` (id →
label) and, for a slot of a loop made with ``make --loop``, ``loop`` (:func:`loop_description`). Cards made
before these two keys still read: a category's label then comes from its id (:func:`label_from_id`).

Version 1 (packet before the interviewer's vote) numbered its names by the question's place in the packet
(``q2_*`` was the backup of question 1), had no vote, take-aways or ``cat_<id>_evidence``, and took ratings
as bare numbers only. The reader still reads it: every function here that depends on the version takes it.

The fingerprint: a blank card's document properties carry, as their Dublin Core identifier,
``packet-blank:sha256:`` and the SHA-256 of every part of the package (each part's name, length and bytes, in
name order) computed while the identifier still holds 64 zeros. Any change anywhere (a name typed in the
header, a sheet added, a note in the Summary, the file saved again by a spreadsheet program) breaks it, so a
card whose fingerprint holds is byte for byte, part for part, what ``packet`` wrote, and holds nothing to lose.

Plain Python: no openpyxl here, so the reader's checks and the writer's names cost no import.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import LoopSeat, Packet

MAX_SLOTS = 100  # far beyond any real loop: a description typed over by hand must stay cheap to read

MARKER = "packet-scorecard"  # A1 of the hidden sheet: what makes a workbook a packet scorecard
VERSION = 2  # B2 of the hidden sheet: the layout of names and description that this module defines
READABLE = (1, VERSION)  # the versions the reader understands
MARKER_CELL, VERSION_CELL, DESCRIPTION_CELL = "A1", "B2", "B3"

SCORECARD_SHEET = "Scorecard"
SUMMARY_SHEET = "Summary"
PACKET_SHEET = "Packet"  # hidden; a recruiter may rename it, so the reader also finds it by its marker

CANDIDATE, INTERVIEWER, INTERVIEW_DATE, ROLE = "candidate", "interviewer", "interview_date", "role"
HEADER = (CANDIDATE, INTERVIEWER, INTERVIEW_DATE, ROLE)
VOTE, TAKEAWAYS = "vote", "takeaways"  # the interviewer's own judgement, from version 2
EVIDENCE = "evidence"  # per category, from version 2: "assessed", "indirect" or blank (see exporter.scoring)
OVERALL_SCORE = "overall_score"
RECOMMENDATION = "recommendation"

LABEL = r"[1-9][0-9]{0,2}b?"
"""A question's label as version 2 names its cells: its printed number, and ``b`` for a backup (a pattern; it and
the others here are compiled where first used, by reading a card back, which making one never does)."""
_SIGNAL_MARK = r"q\d+b?_(great|neg)_\d+"

Key = int | str
"""What names a question's cells: its label ("1b") from version 2, its number in the packet in version 1."""


def question_key(question: Mapping[str, Any], version: int = VERSION) -> Key:
    """The key of a question described in the hidden sheet (a mapping with ``number`` and ``label``)."""
    return question["number"] if version == 1 else question["label"]


def asked(key: Key) -> str:
    return f"q{key}_asked"


def great_signal(key: Key, index: int) -> str:
    """The mark of a question's ``index``-th great signal (from 1)."""
    return f"q{key}_great_{index}"


def negative_signal(key: Key, index: int) -> str:
    """The mark of a question's ``index``-th negative signal, its red flag (from 1)."""
    return f"q{key}_neg_{index}"


def rating(key: Key) -> str:
    return f"q{key}_rating"


def notes(key: Key) -> str:
    return f"q{key}_notes"


def rating_choice(score: int, label: str) -> str:
    """One entry of a rating cell's drop-down list, e.g. "3 – Good"; the cell reads back as its level."""
    return f"{score} \u2013 {label}"


def category_figures(version: int = VERSION) -> tuple[str, ...]:
    """The figures the Summary shows per category, in column order."""
    return ("score", "flags", "rating", "asked") + ((EVIDENCE,) if version > 1 else ())


def verdict_names(version: int = VERSION) -> tuple[str, ...]:
    """The interviewer's own judgement: the vote and the take-aways (none in version 1)."""
    return (VOTE, TAKEAWAYS) if version > 1 else ()


def is_signal_mark(name: str) -> bool:
    """Whether ``name`` is a great or negative signal's mark, whose signal text stands in the cell to its left."""
    return re.fullmatch(_SIGNAL_MARK, name) is not None


def name_part(category_id: str) -> str:
    """A category id as it appears in defined names: ``team-member`` → ``team_member``."""
    return category_id.replace("-", "_")


def category_figure(category_id: str, figure: str) -> str:
    """The Summary cell of one of a category's :data:`CATEGORY_FIGURES`, e.g. ``cat_team_member_score``."""
    return f"cat_{name_part(category_id)}_{figure}"


def signal_names(key: Key, great: int, negative: int) -> tuple[list[str], list[str]]:
    """The marks of a question with ``great`` great and ``negative`` negative signals, in the packet's order."""
    return (
        [great_signal(key, i) for i in range(1, great + 1)],
        [negative_signal(key, j) for j in range(1, negative + 1)],
    )


def input_names(key: Key, great: int, negative: int) -> list[str]:
    """Every cell of a question's block that the interviewer fills in: Asked, the marks, the rating, the notes."""
    great_marks, negative_marks = signal_names(key, great, negative)
    return [asked(key), *great_marks, *negative_marks, rating(key), notes(key)]


def computed_names(categories: Iterable[str], version: int = VERSION) -> list[str]:
    """The Summary's formula cells, in order: each category's figures, then the overall score and recommendation."""
    per_category = [category_figure(c, figure) for c in categories for figure in category_figures(version)]
    return [*per_category, OVERALL_SCORE, RECOMMENDATION]


def label_from_id(category_id: str) -> str:
    """A category's label for a card that does not carry it: its id made readable, ``team-member`` → "Team
    member"."""
    return category_id.replace("-", " ").replace("_", " ").capitalize()


def loop_description(seat: LoopSeat) -> dict[str, Any]:
    """The hidden sheet's ``loop`` key: the loop's name, this slot, and every slot with its id and interviewer."""
    return {
        "name": seat.loop,
        "slot": seat.slot,
        "slots": [{"number": s.number, "id": s.id, "interviewer": s.interviewer} for s in seat.slots],
    }


def loop_problem(loop: Any) -> str | None:
    """What is wrong with a described ``loop`` key (None outside a loop, and when it is sound)."""
    if loop is None:
        return None
    slots = loop.get("slots") if isinstance(loop, dict) else None
    if not isinstance(loop, dict) or not isinstance(loop.get("name"), str) or not isinstance(slots, list):
        return f"loop is {_short(loop)}; it should hold the loop's name, its slot and its slots"
    if not 0 < len(slots) <= MAX_SLOTS:
        return f"loop.slots holds {len(slots)} slots; a loop has 1–{MAX_SLOTS}"
    numbers = []
    for i, slot in enumerate(slots):
        number = slot.get("number") if isinstance(slot, dict) else None
        sound = isinstance(number, int) and not isinstance(number, bool) and 0 < number <= MAX_SLOTS
        if not sound or not all(isinstance(slot.get(key), str) for key in ("id", "interviewer")):
            return f"loop.slots[{i}] is {_short(slot)}; it should hold a slot's number, id and interviewer"
        numbers.append(number)
    if loop.get("slot") not in numbers or len(set(numbers)) != len(numbers):
        return f"loop.slot is {_short(loop.get('slot'))}; it should be the number of one of loop.slots"
    return None


def _short(value: Any) -> str:
    """A described value as it stands in the cell, cut short: the cell may hold anything."""
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 40 else shown[:39] + "…"


# -- the fingerprint -------------------------------------------------------------------------------------------

FINGERPRINT_PART = "docProps/core.xml"
_FINGERPRINT_HEAD = b"packet-blank:sha256:"
_UNSEALED = _FINGERPRINT_HEAD + b"0" * 64
FINGERPRINT_PLACEHOLDER = _UNSEALED.decode()
"""What the writer puts in the document properties' identifier; :func:`seal` replaces it."""

_FINGERPRINT = re.escape(_FINGERPRINT_HEAD) + rb"[0-9a-f]{64}"


def _digest(parts: Iterable[tuple[str, bytes]]) -> bytes:
    sha = hashlib.sha256()
    for name, data in sorted(parts, key=lambda part: part[0]):
        sha.update(f"{name}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest().encode()


def seal(parts: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """``parts`` (a package's part names and bytes) with the placeholder replaced by their fingerprint."""
    sealed = _FINGERPRINT_HEAD + _digest(parts)
    return [(name, data.replace(_UNSEALED, sealed) if name == FINGERPRINT_PART else data) for name, data in parts]


def as_made(parts: Sequence[tuple[str, bytes]]) -> bool | None:
    """True when ``parts`` are exactly what :func:`seal` sealed; False when anything changed since (a part
    given twice included); None when they carry no fingerprint (an earlier ``packet``, or a program that
    rewrote the document properties)."""
    cores = [data for name, data in parts if name == FINGERPRINT_PART]
    found = re.findall(_FINGERPRINT, cores[0]) if len(cores) == 1 else []
    if len(found) != 1:
        return None
    if len({name for name, _ in parts}) != len(parts):
        return False
    unsealed = [(name, data.replace(found[0], _UNSEALED) if name == FINGERPRINT_PART else data) for name, data in parts]
    return _FINGERPRINT_HEAD + _digest(unsealed) == found[0]


def description(packet: Packet) -> dict[str, Any]:
    """The packet as a scorecard's hidden sheet describes it (and a marks file names it): all that reading a
    marked copy back and scoring it needs, so neither ``tally`` nor ``fill`` ever opens the bank."""
    thresholds = packet.layout.thresholds
    described: dict[str, Any] = {
        "role": packet.role,
        "title": packet.title,
        "identity": packet.identity,
        "bank": packet.bank.digest,
        "layout": packet.layout.digest,
        "version": packet.version,
        "thresholds": {"strong_yes": thresholds.strong_yes, "yes": thresholds.yes, "no": thresholds.no},
        "categories": [c.id for c in packet.categories],
        # What tally prints: the labels as the guide and Summary show them.
        "category_labels": {c.id: c.label for c in packet.categories},
        "rating_choices": [rating_choice(level.score, level.label) for level in packet.layout.rating_scale],
        "questions": [
            {
                "number": pq.number,
                "label": pq.label,
                "id": pq.question.id,
                "title": pq.question.title,
                "categories": dict(pq.question.categories),
                "great": len(pq.question.great_signals),
                "negative": len(pq.question.negative_signals),
            }
            for pq in packet.questions
        ],
    }
    if packet.loop is not None:
        described["loop"] = loop_description(packet.loop)
    return described


def category_labels(described: Mapping[str, Any], categories: Sequence[str]) -> dict[str, str]:
    """Each category's label as a card (or marks file) describes it; a card made before labels were kept shows
    the id as words (:func:`label_from_id`)."""
    labels = described.get("category_labels", {})
    return {c: str(labels.get(c) or label_from_id(c)) for c in categories}


def loop_seat(described: Mapping[str, Any]) -> LoopSeat | None:
    """The loop and slot a card describes (checked by :func:`loop_problem`), or None for a packet of its own."""
    from .model import LoopSeat, LoopSlotName

    loop = described.get("loop")
    if loop is None:
        return None
    slots = tuple(LoopSlotName(s["number"], s["id"], s["interviewer"]) for s in loop["slots"])
    return LoopSeat(loop["name"], loop["slot"], slots)


def question_facts(described: Mapping[str, Any]) -> dict[str, Any]:
    """What a card's description says of one question (number, label, id, title, category weights), as the
    read-back records of a scorecard and of a marks file both hold it."""
    return {
        "number": described["number"],
        "label": described["label"],
        "id": described["id"],
        "title": described["title"],
        "categories": {str(k): float(w) for k, w in described["categories"].items()},
    }
