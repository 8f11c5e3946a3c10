"""Coverage of a category set, teams and domains by a set of questions: the one computation behind
`packet coverage`, `packet lint`, `packet suggest`, the loop overview and the Word guide's question × category
table.

The rules it follows (see docs/planning.md):

- A question *covers* a category when it has a weight in it; a category's total is the sum of those weights.
  A category is *fully covered* by at least a full question's weight (CATEGORY_WEIGHT_CAP).
- A question's *primary domain* is the first of its domains. Two questions probe the same domain when they
  share a primary domain; secondary domains are what a question touches on and may overlap freely.
- *Team balance*: each question counts once, shared equally among the teams it probes, so a question
  probing both release & deployment and dev infra counts half to each. Only where the role leads teams: the
  bank as such a role sees it has none (:meth:`exporter.model.Bank.for_role`).
- The categories are the bank's: a layout's category set for a role, the default set for the bank itself.

It also holds the records a suggested set travels in (:class:`Objective`, :class:`SuggestedSet`), which the
search (:mod:`exporter.suggest`) makes and the views and the layout writer read. Everything here is a function
of models already loaded: callers load the bank or make the packet.
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .errors import PlanningError
from .loading import did_you_mean
from .model import Bank, Category, Domain, Layout, Packet, Question, Team

# The records here are NamedTuples rather than dataclasses, and annotations are evaluated rather than strings:
# both would be compiled at import, on every start of `packet` that writes a guide (see exporter.model).

CATEGORY_WEIGHT_CAP = 1.0
"""A full question's worth of weight: a category with this much is fully covered, and the most one category
counts for in a suggested set's category weight.

Weight piled onto a category already covered at 1 adds nothing, so four questions that each cover a
different category fully beat four questions that all lean on the same one (the seed's "broad coverage").
"""


class CoverageRow(NamedTuple):
    """One question's line in the question × category matrix."""

    label: str  # "1", "2", ... in a packet; the bank id otherwise
    question: Question
    weights: Mapping[str, float]  # category id -> weight (0 when not covered)
    minutes: int | None = None  # the section's minutes, in a packet
    asked_for: str | None = None  # the category id the question is asked for, when known


class Coverage(NamedTuple):
    """The question × category matrix of some questions, with what they cover between them."""

    categories: tuple[Category, ...]
    rows: tuple[CoverageRow, ...]
    teams: tuple[Team, ...] = ()  # the bank's teams, for names and a stable order
    domains: tuple[Domain, ...] = ()  # the bank's domains, for names

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

    @property
    def has_minutes(self) -> bool:
        return any(r.minutes for r in self.rows)

    @property
    def team_shares(self) -> dict[str, float]:
        """Questions per team: each question counts once, shared equally among the teams it probes."""
        shares = {t.id: 0.0 for t in self.teams}
        for row in self.rows:
            for team_id in row.question.teams:
                shares[team_id] = shares.get(team_id, 0.0) + 1 / len(row.question.teams)
        return shares

    @property
    def domains_covered(self) -> tuple[str, ...]:
        """Every domain some question probes, primary or not, in order of first appearance."""
        return tuple(dict.fromkeys(d for r in self.rows for d in r.question.domains))

    @property
    def main_domains(self) -> tuple[str, ...]:
        """The questions' primary domains, each once, in order of first appearance."""
        return tuple(dict.fromkeys(r.question.primary_domain for r in self.rows))

    @property
    def fully_covered(self) -> list[Category]:
        """Categories with at least a full question's weight (CATEGORY_WEIGHT_CAP) from the questions."""
        return [c for c in self.categories if self.totals[c.id] >= CATEGORY_WEIGHT_CAP]

    @property
    def domains_repeated(self) -> dict[str, tuple[str, ...]]:
        """Primary domains shared by two or more questions, with the labels of those questions."""
        by_domain: dict[str, list[str]] = {}
        for row in self.rows:
            by_domain.setdefault(row.question.primary_domain, []).append(row.label)
        return {d: tuple(labels) for d, labels in by_domain.items() if len(labels) > 1}

    def team_name(self, team_id: str) -> str:
        return next((t.name for t in self.teams if t.id == team_id), team_id)

    def domain_name(self, domain_id: str) -> str:
        return next((d.name for d in self.domains if d.id == domain_id), domain_id)


def _row(
    label: str,
    question: Question,
    categories: Sequence[Category],
    minutes: int | None = None,
    asked_for: str | None = None,
) -> CoverageRow:
    weights = {c.id: question.categories.get(c.id, 0.0) for c in categories}
    return CoverageRow(label, question, weights, minutes, asked_for)


def packet_coverage(packet: Packet) -> Coverage:
    """The packet's main questions (backups stand in for them, so they are not counted twice)."""
    rows = tuple(
        _row(s.question.label, s.question.question, packet.categories, s.minutes, s.question.category.id)
        for s in packet.question_sections
        if s.question is not None
    )
    return Coverage(packet.categories, rows, packet.bank.teams, packet.bank.domains)


def layout_coverage(layout: Layout, bank: Bank) -> Coverage:
    """A layout's main questions as written, numbered like the packet's, with the minutes it gives them, on
    the layout's category set (and its teams, if its role leads them)."""
    bank = bank.for_role(layout.category_set, layout.leads_teams)
    asked = [s for s in layout.sections if s.kind == "question" and s.question is not None]
    rows = tuple(
        _row(
            str(number),
            bank.questions[s.question],
            bank.categories,
            s.minutes,
            s.category or bank.questions[s.question].primary_category,  # as the packet asks it
        )
        for number, s in enumerate(asked, start=1)
        if s.question is not None
    )
    return Coverage(bank.categories, rows, bank.teams, bank.domains)


def questions_coverage(
    bank: Bank,
    question_ids: Sequence[str],
    minutes: Sequence[int] | None = None,
    asked_for: Mapping[str, str] | None = None,
) -> Coverage:
    """Bank questions by id, labelled with their ids; ``minutes`` gives each its section's minutes and
    ``asked_for`` the category it is asked for."""
    rows = tuple(
        _row(qid, bank.questions[qid], bank.categories, minutes[i] if minutes else None, (asked_for or {}).get(qid))
        for i, qid in enumerate(question_ids)
    )
    return Coverage(bank.categories, rows, bank.teams, bank.domains)


def parse_ids(bank: Bank, text: str | None, option: str) -> list[str]:
    """``"a, b,c"`` → ``["a", "b", "c"]``, each checked against the bank."""
    ids = list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))
    for qid in ids:
        if qid not in bank.questions:
            raise PlanningError(
                f"{option}: unknown question '{qid}'{did_you_mean(qid, bank.questions)}; "
                "see `packet list --questions` for the ids"
            )
    return ids


def coverage_for(source: Packet | Bank, question_ids: str | None = None) -> tuple[str, Coverage]:
    """A heading and the coverage of a role's packet (its minutes included), or of the bank questions
    ``question_ids`` lists (``--questions``)."""
    if isinstance(source, Packet):
        return f"{source.role}: {source.title}, {source.level} ({source.minutes} min)", packet_coverage(source)
    ids = parse_ids(source, question_ids, "--questions")
    if not ids:
        raise PlanningError("--questions: name at least one question id, e.g. --questions toil,planning")
    return f"{len(ids)} question{'' if len(ids) == 1 else 's'}", questions_coverage(source, ids)


def figure(value: float) -> str:
    """A weight or a team's share of questions as the planning commands print it: "1", "0.5", "2.33"."""
    return f"{round(value, 2):g}"


# ------------------------------------------------------------------------------- a suggested set


class Objective(NamedTuple):
    """How good a set is; compared in this order, each a tie-breaker for the one before."""

    categories_covered: int  # categories with a weight from some question; more is better
    category_weight: float  # per category the set's weight, up to CATEGORY_WEIGHT_CAP, summed; more is better
    distinct_domains: int  # distinct primary domains; more is better
    team_imbalance: float  # questions of the most- minus the least-probed team; less is better
    categories_asked: int  # categories the questions can be asked for, a different one each; more is better

    def as_dict(self) -> dict[str, float | int]:
        return {
            "categories_covered": self.categories_covered,
            "category_weight": self.category_weight,
            "distinct_domains": self.distinct_domains,
            "team_imbalance": self.team_imbalance,
            "categories_asked": self.categories_asked,
        }


class SuggestedSet(NamedTuple):
    """One suggested set: its questions in interview order, the category each is asked for, and its value."""

    questions: tuple[str, ...]
    categories: Mapping[str, str]  # question id -> the category the layout asks it for
    objective: Objective
    backups: Mapping[str, str]  # question id -> the bank's backup for it (the first, unless excluded)
