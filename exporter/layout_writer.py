"""`packet suggest --write-layout`: a suggested set saved as a layout file that `packet make` can use.

The layout copies its title, level, rating scale and thresholds from a template layout (``--like``), gives the
set the default time budget (:func:`exporter.budget.default_split`) and explains itself in its rationale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .budget import default_split
from .coverage import SuggestedSet, figure, questions_coverage
from .errors import PlanningError, warn
from .loading import SLUG, list_roles, load_layout
from .model import DEFAULT_SET, Bank, Layout
from .output import check_overwrite, write_atomic
from .packet import MIN_QUESTION_MINUTES


def time_budget(minutes: int, questions: int) -> list[int]:
    """The minutes of a suggested layout (see :func:`exporter.budget.default_split`), with a warning when
    each question would get fewer than MIN_QUESTION_MINUTES."""
    split = default_split(minutes, questions)
    if split[1] < MIN_QUESTION_MINUTES:
        warn(
            f"--minutes {minutes} leaves {split[1]} minute{'' if split[1] == 1 else 's'} per question; a question "
            f"and its follow-ups need at least {MIN_QUESTION_MINUTES}: give a longer slot or a smaller --size"
        )
    return split


DEFAULT_SLOT_MINUTES = 30
"""The slot a written layout gets without ``--minutes``: the seed's 30-minute interview."""

SUGGESTED_TITLE = "suggested set"


def layout_data(bank: Bank, chosen: SuggestedSet, template: Layout, minutes: int) -> dict[str, Any]:
    """A layout file's content for ``chosen``: the template's title, level, team, rating scale and
    thresholds; the opening, one section per question (with its bank backup, if any) and the closing."""
    split = default_split(minutes, len(chosen.questions))
    o = chosen.objective
    shares = questions_coverage(bank, chosen.questions).team_shares
    sections: list[dict[str, Any]] = [{"kind": "opening", "title": "Introductions", "minutes": split[0]}]
    for qid, length in zip(chosen.questions, split[1:-1]):
        section: dict[str, Any] = {"kind": "question", "question": qid}
        if qid in chosen.backups:
            section["backup"] = chosen.backups[qid]
        section["category"] = chosen.categories[qid]
        section["minutes"] = length
        sections.append(section)
    sections.append({"kind": "closing", "title": "Candidate's questions", "minutes": split[-1]})
    uncovered = [c.label for c in bank.categories if c.id not in set(chosen.categories.values())]
    rubric: dict[str, Any] = {}  # the searched set, as `make` must score it; today's default says nothing
    if bank.category_set != DEFAULT_SET:
        rubric["category_set"] = bank.category_set
    if not template.leads_teams:
        rubric["leads_teams"] = False
    teams = ", ".join(f"{bank.team_name(t)} {figure(n)}" for t, n in shares.items())
    return {
        "title": f"{template.title.partition(' — ')[0]} — {SUGGESTED_TITLE}",
        "level": template.level,
        "team_context": template.team_context,
        **rubric,
        "minutes": minutes,
        "rating_scale": [{"score": r.score, "label": r.label, "anchor": r.anchor} for r in template.rating_scale],
        "recommendation": {
            "strong_yes": template.thresholds.strong_yes,
            "yes": template.thresholds.yes,
            "no": template.thresholds.no,
        },
        "rationale": {
            "summary": (
                f"Suggested by `packet suggest`: {len(chosen.questions)} questions covering "
                f"{o.categories_covered} of {len(bank.categories)} categories, from {o.distinct_domains} "
                f"different main domains" + (f"; {teams} questions." if teams else ".")
            ),
            "pros": [
                f"{bank.questions[qid].title}: asked for {bank.category(cid).label}."
                for qid, cid in chosen.categories.items()
            ],
            "cons": [
                "Chosen by coverage, not by judgment: check the order and the time budget before the interview.",
                *(f"No question is asked for {label}." for label in uncovered),
            ],
        },
        "sections": sections,
    }


def template_layout(like: str | None, folder: Path, bank_dir: Path | None) -> Layout:
    """The layout a written layout copies its title, level, team, rating scale and thresholds from: ``like``,
    or else the first role, looked for in ``folder`` (where the layout is written) and then among the
    shipped layouts."""
    for place in (folder, None):
        roles = list_roles(place)
        role = like if like is not None else (roles[0] if roles else None)
        if role in roles:
            return load_layout(role, place, bank_dir)
    if like is not None:
        raise PlanningError(f"--like: no layout '{like}' in {folder} or the shipped layouts; see `packet list`")
    raise PlanningError(f"--write-layout: no layout in {folder} or the shipped layouts to copy; give --like ROLE")


def layout_target(name: str, folder: Path, force: bool = False) -> Path:
    """Where ``--write-layout NAME`` writes; checked before the search, so a refusal costs nothing."""
    if not SLUG.fullmatch(name):
        raise PlanningError(f"--write-layout: '{name}' is not a role name; use lower-case letters, digits and hyphens")
    target = folder / f"{name}.yaml"
    check_overwrite(target, force, option="--write-layout name")
    return target


def write_layout(
    bank: Bank, chosen: SuggestedSet, template: Layout, target: Path, minutes: int, force: bool = False
) -> Path:
    """Save ``chosen`` as the layout file ``target``, which `packet make --role <its name>` can use."""
    data = layout_data(bank, chosen, template, minutes)
    header = (
        f"# Suggested by `packet suggest --size {len(chosen.questions)}`, with the title, level, rating scale and "
        f"thresholds of '{template.role}'.\n"
        f"# Check it with: packet lint --role {target.stem} --layouts {target.parent}\n"
    )
    import yaml  # only here: `packet suggest` without --write-layout needs no YAML when its bank is cached

    class LayoutDumper(yaml.SafeDumper):
        """Indents lists under their key, as the shipped layouts are written."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    text = header + yaml.dump(data, Dumper=LayoutDumper, sort_keys=False, allow_unicode=True, width=100)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(target, write, force)
    return target
