"""`packet export --markdown`: the bank, or one role's questions in interview order, as Markdown to review in a doc.

Each question is written in the shape `packet import` reads (:mod:`exporter.markdown_shape`): a numbered
heading with its title, the question in quotes, then the rubric in the labels of the conversation it was
drafted in, then what the bank needs besides (categories with weights, teams, domains, backup, id, source).
Imported again, it gives back the same questions.
"""

from __future__ import annotations

from pathlib import Path

from .loading import load_bank, load_layout
from .markdown_shape import LABELS, format_weights
from .model import Bank, Layout, Question
from .output import check_overwrite, write_atomic


def quote(text: str) -> str:
    return f'"{text}"'


def question_markdown(bank: Bank, question: Question, number: str) -> list[str]:
    """The lines of one question's block, ending with a blank line."""

    def item(field: str, value: str = "") -> str:
        return f"- **{LABELS[field]}:**{' ' + value if value else ''}"

    lines = [f"### {number}. {question.title}", "", f"**{LABELS['question']}:** {quote(question.text)}", ""]
    lines.append(item("goal", question.goal))
    for field, signals in (("great", question.great_signals), ("negative", question.negative_signals)):
        lines += [item(field), *(f"  - {signal}" for signal in signals)]
    if question.technologies:
        lines.append(item("technologies"))
        lines += [f"  - **{group}:** {', '.join(names)}" for group, names in question.technologies.items()]
    if question.follow_ups:
        lines += [item("follow_ups"), *(f"  - {quote(text)}" for text in question.follow_ups)]
    if question.variants:
        lines += [item("variants"), *(f"  - *{v.label}:* {quote(v.text)}" for v in question.variants)]
    if question.rating_anchors:
        lines += [item("rating_anchors"), *(f"  {n}. {text}" for n, text in enumerate(question.rating_anchors, 1))]
    labels = {cid: bank.category(cid).label for cid in question.categories}  # of any category set
    lines.append(item("categories", format_weights(dict(question.categories), labels)))
    lines.append(item("teams", ", ".join(bank.team_name(t) for t in question.teams)))
    lines.append(item("domains", ", ".join(bank.domain_name(d) for d in question.domains)))
    if question.backup_for:
        lines.append(item("backup_for", question.backup_for))
    if question.backup_when:
        lines.append(item("backup_when", question.backup_when))
    lines += [item("id", question.id), item("source", question.source), ""]
    return lines


def bank_markdown(bank: Bank) -> str:
    """Every question of the bank, in the bank's order."""
    lines = ["# Question bank", ""]
    for number, question in enumerate(bank.questions.values(), start=1):
        lines += question_markdown(bank, question, str(number))
    return "\n".join(lines)


def layout_markdown(bank: Bank, layout: Layout) -> str:
    """A role's questions in interview order, each followed by its backup (numbered as the packet does: 1b)."""
    lines = [f"# {layout.title} ({layout.level}): interview questions", ""]
    number = 0
    for section in layout.sections:
        if section.kind != "question" or section.question is None:
            continue
        number += 1
        lines += question_markdown(bank, bank.questions[section.question], str(number))
        if section.backup:
            lines += question_markdown(bank, bank.questions[section.backup], f"{number}b")
    return "\n".join(lines)


def export_markdown(role: str | None, bank_dir: Path | None, layouts_dir: Path | None) -> str:
    bank = load_bank(bank_dir)
    if role is None:
        return bank_markdown(bank)
    return layout_markdown(bank, load_layout(role, layouts_dir, bank=bank))


def write_markdown(text: str, target: Path, force: bool = False) -> Path:
    """Write the Markdown to ``target``, atomically; an existing file only with ``force``."""
    check_overwrite(target, force, lambda _path: None)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(target, write, force)
    return target
