"""Resolving a layout against the bank into one :class:`~exporter.model.Packet` for one interview.

Numbers questions (each question followed by its backup), fixes the category each question is asked for
(from the layout's category set), and places every section in time through :mod:`exporter.budget`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import __version__
from .budget import clock_time, place, rescale
from .errors import warn
from .loading import load_bank, load_layout
from .model import Bank, Layout, Packet, PacketQuestion, Section
from .reproducible import build_time, source_date_epoch

MIN_QUESTION_MINUTES = 5
"""The fewest minutes a question section needs for the question, its follow-ups and an answer worth
scoring. `packet lint` warns about a layout below it, `packet suggest --minutes` about a set, and
`packet make` and `show` about a packet (see :func:`warn_short_questions`)."""


def default_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set, so reproducible builds stay so."""
    return build_time().date() if source_date_epoch() is not None else dt.date.today()


def resolve(
    layout: Layout,
    bank: Bank,
    *,
    candidate: str = "",
    interviewer: str = "",
    date: dt.date | None = None,
    start: str | None = None,
    minutes: int | None = None,
    paper: str = "letter",
) -> Packet:
    """The packet for one interview of ``layout``; ``minutes`` rescales the slot. The packet holds the bank as
    the layout's role sees it: scored on its category set, with teams only if it leads them."""
    bank = bank.for_role(layout.category_set, layout.leads_teams)
    lengths = [s.minutes for s in layout.sections]
    if minutes is not None:
        lengths = rescale(lengths, minutes)
    start = clock_time(start) if start is not None else None
    placed = place(lengths, start)
    sections = []
    questions: list[PacketQuestion] = []
    for spec, length, (begin, end, clock_start, clock_end) in zip(layout.sections, lengths, placed):
        question = backup = None
        if spec.kind == "question" and spec.question is not None:
            entry = bank.questions[spec.question]
            category = bank.category(spec.category or entry.primary_category)
            question = PacketQuestion(
                number=len(questions) + 1,
                label=str(sum(1 for q in questions if q.backup_for is None) + 1),
                question=entry,
                category=category,
            )
            questions.append(question)
            if spec.backup is not None:
                spare = bank.questions[spec.backup]
                backup = PacketQuestion(
                    number=len(questions) + 1,
                    label=f"{question.label}b",
                    question=spare,
                    category=bank.category(spare.primary_category),
                    backup_for=entry.id,
                    backup_when=spare.backup_when,
                )
                questions.append(backup)
        title = spec.title or (question.question.title if question is not None else spec.kind.title())
        sections.append(
            Section(
                kind=spec.kind,
                title=title,
                minutes=length,
                start=begin,
                end=end,
                clock_start=clock_start,
                clock_end=clock_end,
                question=question,
                backup=backup,
            )
        )
    return Packet(
        role=layout.role,
        layout=layout,
        bank=bank,
        minutes=sum(lengths),
        sections=tuple(sections),
        questions=tuple(questions),
        candidate=candidate,
        interviewer=interviewer,
        date=date or default_date(),
        start=start,
        paper=paper,
        version=__version__,
    )


def make_packet(
    role: str,
    *,
    bank_dir: Path | None = None,
    layouts_dir: Path | None = None,
    **details: object,
) -> Packet:
    """Load and resolve ``role``'s packet, reading the bank once; ``details`` are those of :func:`resolve`."""
    bank = load_bank(bank_dir)
    layout = load_layout(role, layouts_dir, bank=bank)
    return resolve(layout, bank, **details)  # type: ignore[arg-type]


def warn_short_questions(packet: Packet, minutes: int | None = None) -> None:
    """Warn when a question section of ``packet`` has fewer than MIN_QUESTION_MINUTES, e.g. after ``--minutes``
    squeezed the slot: the packet is still made, but the interviewer will have to rush."""
    by_length: dict[int, list[str]] = {}
    for section in packet.question_sections:
        if section.question is not None and section.minutes < MIN_QUESTION_MINUTES:
            by_length.setdefault(section.minutes, []).append(section.question.label)
    if not by_length:
        return
    parts = [
        f"question {labels[0]} with {_minutes(length)}"
        if len(labels) == 1
        else f"questions {_and(labels)} with {_minutes(length)} each"
        for length, labels in by_length.items()
    ]
    if minutes is not None:
        cause, advice = f"--minutes {minutes}", "consider a longer slot or a layout with fewer questions"
    else:
        them = "it" if sum(map(len, by_length.values())) == 1 else "them"
        cause, advice = f"layout {packet.role}", f"give {them} more minutes in {packet.layout.path}"
    warn(
        f"{cause} leaves {_and(parts)} (at least {MIN_QUESTION_MINUTES} are advised for a question and its "
        f"follow-ups); {advice}"
    )


def _minutes(count: int) -> str:
    return f"{count} minute{'' if count == 1 else 's'}"


def _and(items: list[str]) -> str:
    """'2, 3 and 4'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
