"""Coverage of the four categories, teams and domains by a set of questions.

One computation serves `packet coverage`, `packet lint`, `packet suggest` and the Word guide's
question × category table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Bank, Category, Packet, Question


@dataclass(frozen=True)
class CoverageRow:
    """One question's line in the question × category matrix."""

    label: str  # "1", "2", ... in a packet; the bank id otherwise
    question: Question
    weights: Mapping[str, float]  # category id -> weight (0 when not covered)
    minutes: int | None = None  # the section's minutes, in a packet


@dataclass(frozen=True)
class Coverage:
    categories: tuple[Category, ...]
    rows: tuple[CoverageRow, ...]

    @property
    def totals(self) -> dict[str, float]:
        """Total weight per category over all rows."""
        return {c.id: sum(r.weights[c.id] for r in self.rows) for c in self.categories}

    @property
    def minutes_by_category(self) -> dict[str, float]:
        """Each section's minutes shared among its question's categories in proportion to weight."""
        shares = {c.id: 0.0 for c in self.categories}
        for row in self.rows:
            total = sum(row.weights.values())
            if row.minutes and total:
                for category_id, weight in row.weights.items():
                    shares[category_id] += row.minutes * weight / total
        return shares

    @property
    def uncovered(self) -> list[Category]:
        return [c for c in self.categories if not self.totals[c.id]]


def _row(label: str, question: Question, categories: Sequence[Category], minutes: int | None = None) -> CoverageRow:
    return CoverageRow(label, question, {c.id: question.categories.get(c.id, 0.0) for c in categories}, minutes)


def packet_coverage(packet: Packet) -> Coverage:
    """The packet's main questions (backups stand in for them, so they are not counted twice)."""
    rows = tuple(
        _row(s.question.label, s.question.question, packet.categories, s.minutes)
        for s in packet.question_sections
        if s.question is not None
    )
    return Coverage(packet.categories, rows)


def questions_coverage(bank: Bank, question_ids: Sequence[str]) -> Coverage:
    rows = tuple(_row(qid, bank.questions[qid], bank.categories) for qid in question_ids)
    return Coverage(bank.categories, rows)
