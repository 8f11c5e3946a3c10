"""`packet lint`: the quality rules the hiring manager stated, as warnings with file and place.

Each rule is a function yielding :class:`LintWarning`\\ s; :data:`QUESTION_RULES` run on bank entries,
:data:`LAYOUT_RULES` on layouts. Loops (several interviews for one candidate) are linted by
:func:`exporter.loops.lint_loops`, which :func:`lint_files` runs as well, so a new loop rule belongs there.
Every threshold is a named constant below (MIN_QUESTION_MINUTES, shared with `packet suggest`, `make` and
`show`, is in :mod:`exporter.packet`) and is explained in docs/planning.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .coverage import layout_coverage
from .loading import load_bank, load_layout, validate
from .loops import lint_loops, list_loops
from .model import Bank, Layout, Question
from .packet import MIN_QUESTION_MINUTES

NEGATION_OVERLAP_THRESHOLD = 0.6
"""A negative signal is "merely the negation" of a great signal when, after negation words and filler
words are removed, at least this share of its words also appear in that great signal."""

NEGATION_WORDS = frozenset({
    "no", "not", "non", "none", "nor", "never", "without", "lack", "lacks", "lacking", "lacked", "absence",
    "absent", "missing", "fail", "fails", "failed", "failing", "failure", "unable", "inability", "cannot",
    "can't", "don't", "doesn't", "didn't", "isn't", "aren't", "won't", "insufficient"
})  # fmt: skip
"""Words that only negate: "Lack of team involvement" is "team involvement" with one of them."""

FILLER_WORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "to", "for", "and", "or", "with", "by", "at", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "their",
    "them", "they", "his", "her", "any", "some", "how", "what", "when", "where", "which", "who", "why",
    "into", "about", "over", "such", "e", "g", "eg", "etc", "do", "does", "did", "has", "have", "had"
})  # fmt: skip
"""Words that carry no meaning of their own for the overlap."""

TEAM_LEAN_THRESHOLD = 0.7
"""A layout leans to one team when that team's share of its questions is above this (a question probing both
teams counts half to each): with four questions, 3 to 1 is a lean, 2.5 to 1.5 is not."""


@dataclass(frozen=True)
class LintWarning:
    """One finding: where it is (as the loader names places) and what to do about it."""

    file: str
    place: str
    message: str
    rule: str  # negation, repeated-domain, uncovered-category, team-lean, short-section

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.message}"


# ------------------------------------------------------------------------------------------ questions

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _stem(word: str) -> str:
    """Plural to singular, roughly: "teams" and "team", "policies" and "policy" count as one word."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _meaning(words: Sequence[str]) -> set[str]:
    return {_stem(w) for w in words if w not in NEGATION_WORDS and w not in FILLER_WORDS}


def negation_overlap(negative: str, great: str) -> float:
    """The share of the negative signal's words found in the great signal, once negation and filler words
    are removed; 0 when the negative signal has no negation word (then it says something of its own)."""
    words = _words(negative)
    if not any(w in NEGATION_WORDS for w in words):
        return 0.0
    meaning = _meaning(words)
    return len(meaning & _meaning(_words(great))) / len(meaning) if meaning else 0.0


def negation_pairs(question: Question, file: str, place: str) -> Iterator[LintWarning]:
    """Negative signals that only negate a great signal of the same question (the seed: "the negatives
    should not just be negations of the positive")."""
    for n, negative in enumerate(question.negative_signals):
        overlaps = [(negation_overlap(negative, great), g) for g, great in enumerate(question.great_signals)]
        overlap, g = max(overlaps, key=lambda item: (item[0], -item[1]))
        if overlap >= NEGATION_OVERLAP_THRESHOLD:
            yield LintWarning(
                file,
                f"{place}.negative[{n}]",
                f"'{negative}' only negates great[{g}] '{question.great_signals[g]}' ({overlap:.0%} of its words "
                f"are in it; the limit is {NEGATION_OVERLAP_THRESHOLD:.0%}); name a distinct behaviour that shows "
                "a problem, not the absence of the great signal",
                "negation",
            )


QUESTION_RULES: tuple[Callable[[Question, str, str], Iterator[LintWarning]], ...] = (negation_pairs,)


# -------------------------------------------------------------------------------------------- layouts


def _question_sections(layout: Layout) -> list[tuple[int, str]]:
    """(index in the layout's sections, question id) of each main question."""
    return [(i, s.question) for i, s in enumerate(layout.sections) if s.kind == "question" and s.question]


def repeated_domains(layout: Layout, bank: Bank) -> Iterator[LintWarning]:
    """Two main questions with the same primary domain, unless the layout allows it (lint.allow_repeated_domains).

    Backups are not counted: they stand in for their question rather than join it."""
    first: dict[str, tuple[int, str]] = {}
    for index, question_id in _question_sections(layout):
        domain = bank.questions[question_id].primary_domain
        if domain not in first:
            first[domain] = (index, question_id)
        elif domain not in layout.allow_repeated_domains:
            other_index, other_id = first[domain]
            yield LintWarning(
                layout.path,
                f"sections[{index}].question",
                f"'{question_id}' probes the same domain, {bank.domain_name(domain)}, as '{other_id}' in "
                f"sections[{other_index}]; choose a question from another domain, or list {domain} under "
                "lint.allow_repeated_domains if the layout means it",
                "repeated-domain",
            )


def uncovered_categories(layout: Layout, bank: Bank) -> Iterator[LintWarning]:
    """A category no main question of the layout has a weight in."""
    for category in layout_coverage(layout, bank).uncovered:
        yield LintWarning(
            layout.path,
            "sections",
            f"no question covers '{category.label}' ({category.id}); swap in a question with a weight in it "
            "(`packet list --questions` shows the weights)",
            "uncovered-category",
        )


def team_lean(layout: Layout, bank: Bank) -> Iterator[LintWarning]:
    """A layout whose questions lean to one team beyond TEAM_LEAN_THRESHOLD, unless the layout allows that
    team (lint.allow_team_lean), e.g. an onsite slot given to one team on purpose."""
    coverage = layout_coverage(layout, bank)
    shares = coverage.team_shares
    total = len(coverage.rows)
    if len(shares) < 2 or not total:
        return
    team_id = max(shares, key=lambda t: shares[t])
    share = shares[team_id] / total
    if share > TEAM_LEAN_THRESHOLD and team_id not in layout.allow_team_lean:
        others = " or ".join(coverage.team_name(t) for t in shares if t != team_id)
        yield LintWarning(
            layout.path,
            "sections",
            f"leans to {coverage.team_name(team_id)}: {shares[team_id]:g} of {total} questions ({share:.0%}; the "
            f"limit is {TEAM_LEAN_THRESHOLD:.0%}); swap a question for one that probes {others}, or list "
            f"{team_id} under lint.allow_team_lean if the layout means it",
            "team-lean",
        )


def short_sections(layout: Layout, bank: Bank) -> Iterator[LintWarning]:
    """A question section with fewer than MIN_QUESTION_MINUTES minutes."""
    for index, section in enumerate(layout.sections):
        if section.kind == "question" and section.minutes < MIN_QUESTION_MINUTES:
            yield LintWarning(
                layout.path,
                f"sections[{index}].minutes",
                f"{section.minutes} minutes for '{section.question}'; a question and its follow-ups need at "
                f"least {MIN_QUESTION_MINUTES}: take minutes from another section or drop a question",
                "short-section",
            )


LAYOUT_RULES: tuple[Callable[[Layout, Bank], Iterator[LintWarning]], ...] = (
    repeated_domains,
    uncovered_categories,
    team_lean,
    short_sections,
)


# ------------------------------------------------------------------------------------------ together


def lint(bank: Bank, layouts: Sequence[Layout], question_ids: Sequence[str] | None = None) -> list[LintWarning]:
    """Every warning for the bank's questions (or only ``question_ids``) and for ``layouts``."""
    warnings: list[LintWarning] = []
    for question_id in question_ids if question_ids is not None else list(bank.questions):
        file, place = bank.places.get(question_id, ("bank", f"question '{question_id}'"))
        for question_rule in QUESTION_RULES:
            warnings += question_rule(bank.questions[question_id], file, place)
    for layout in layouts:
        scored = bank.for_role(layout.category_set, layout.leads_teams)  # no team rule for a role leading none
        for layout_rule in LAYOUT_RULES:
            warnings += layout_rule(layout, scored)
    return warnings


@dataclass(frozen=True)
class LintReport:
    warnings: tuple[str, ...]
    questions: int  # how many questions were checked
    layouts: int
    loops: int


def lint_files(role: str | None = None, bank_dir: Path | None = None, layouts_dir: Path | None = None) -> LintReport:
    """Lint one role's layout and the questions it asks, or the whole bank, every layout and every loop."""
    if role is not None:
        bank = load_bank(bank_dir)
        layout = load_layout(role, layouts_dir, bank=bank)
        asked = [qid for s in layout.sections for qid in (s.question, s.backup) if qid]
        found = [str(w) for w in lint(bank, [layout], asked)]
        return LintReport(tuple(found), len(asked), 1, 0)
    bank, layouts = validate(bank_dir, layouts_dir)
    found = [str(w) for w in lint(bank, layouts)] + lint_loops(layouts_dir, bank=bank)
    return LintReport(tuple(found), len(bank.questions), len(layouts), len(list_loops(layouts_dir)))
