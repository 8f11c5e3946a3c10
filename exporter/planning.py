"""Coverage of the four categories, teams and domains by a set of questions, and the search for good sets.

One computation serves `packet coverage`, `packet lint`, `packet suggest` and the Word guide's
question × category table. The rules it follows (see docs/planning.md):

- A question *covers* a category when it has a weight in it; a category's total is the sum of those weights.
- A question's *primary domain* is the first of its domains. Two questions probe the same domain when they
  share a primary domain; secondary domains are what a question touches on and may overlap freely.
- *Team balance*: each question counts once, shared equally among the teams it probes, so a question
  probing both release & deployment and dev infra counts half to each.
- `packet suggest` maximises, in this order: categories covered; category weight (per category the set's
  weight up to CATEGORY_WEIGHT_CAP, summed); distinct primary domains; team balance (the smallest gap between
  the most- and the least-probed team); and, last, how many categories the questions can each be asked for.
  Sets are found one after another: the best set, then the best set of the questions no earlier set used,
  and so on.
"""

import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .budget import default_split
from .errors import OutputExists, PlanningError, warn
from .listing import short_label, wrap_captions
from .loading import SLUG, did_you_mean, list_roles, load_bank, load_layout
from .model import Bank, Category, Domain, Layout, Packet, Question, Team
from .output import write_atomic
from .packet import MIN_QUESTION_MINUTES, make_packet

# ---------------------------------------------------------------------------------------------- coverage

# The records here are NamedTuples rather than dataclasses, and annotations are evaluated rather than strings:
# both would be compiled at import, on every start of `packet` that writes a guide (see exporter.model).


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
    """A layout's main questions as written, numbered like the packet's, with the minutes it gives them."""
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


# ------------------------------------------------------------------------------------ coverage, printed


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def _share(coverage: Coverage, team_id: str, share: float) -> str:
    total = len(coverage.rows)
    return f"{coverage.team_name(team_id)} {_number(share)} ({share / total:.0%})" if total else ""


def _summary_lines(coverage: Coverage) -> list[tuple[str, str]]:
    """The lines under the matrix, as (heading, text)."""
    repeated = coverage.domains_repeated
    main = coverage.main_domains
    others = [d for d in coverage.domains_covered if d not in main]
    return [
        ("Teams", " · ".join(_share(coverage, t, s) for t, s in coverage.team_shares.items())),
        (f"Main domains ({len(main)})", ", ".join(coverage.domain_name(d) for d in main) or "none"),
        ("Also touched on", ", ".join(coverage.domain_name(d) for d in others) or "none"),
        (
            "Main domains repeated",
            "; ".join(f"{coverage.domain_name(d)} ({', '.join(labels)})" for d, labels in repeated.items()) or "none",
        ),
        ("Categories not covered", ", ".join(c.label for c in coverage.uncovered) or "none"),
    ]


ASKED_MARK = "*"  # after the weight of the category a question is asked for


def _by_id(coverage: Coverage) -> bool:
    """Rows labelled with bank ids (not packet numbers) need no separate title column."""
    return all(r.label == r.question.id for r in coverage.rows)


def _text_columns(coverage: Coverage, titles: bool) -> int:
    """The matrix's text columns: the packet number and title; or the bank id, with its title if ``titles``."""
    return 2 if titles or not _by_id(coverage) else 1


def _matrix(coverage: Coverage, titles: bool = True) -> tuple[list[str], list[list[str]]]:
    """Header and body (question lines, then totals) of the question × category matrix, as text cells.

    The first one or two columns (see ``_text_columns``) are text; the rest are figures, under each category's
    short label. The min column's total is on the Minutes line, the minutes' own line."""
    text_columns = _text_columns(coverage, titles)
    header = ["Question", "Title"][:text_columns] if _by_id(coverage) else ["#", "Question"]
    header += [short_label(c.label) for c in coverage.categories]
    if coverage.has_minutes:
        header.append("min")
    body = []
    for row in coverage.rows:
        cells = [row.label, row.question.title][:text_columns]
        for c in coverage.categories:
            weight = _number(row.weights[c.id]) if row.weights[c.id] else "·"
            cells.append(weight + (ASKED_MARK if c.id == row.asked_for else ""))
        if coverage.has_minutes:
            cells.append(str(row.minutes or ""))
        body.append(cells)
    blank = [""] * (text_columns - 1)
    totals = coverage.totals
    body.append([*blank, "Total weight", *(_number(totals[c.id]) for c in coverage.categories)])
    if coverage.has_minutes:
        body[-1].append("")
        by_category = coverage.minutes_by_category
        minutes = [f"{by_category[c.id]:.1f}" for c in coverage.categories]
        body.append([*blank, "Minutes", *minutes, str(sum(r.minutes or 0 for r in coverage.rows))])
    return header, body


def _legend(coverage: Coverage) -> list[str]:
    if any(r.asked_for for r in coverage.rows):
        return [f"{ASKED_MARK} the category the question is asked for"]
    return []


TITLE_WIDTH = 42  # question titles are cut to this in the terminal table, so a line fits 100 columns


def coverage_text(coverage: Coverage) -> str:
    """The matrix as a terminal table, with teams, domains and uncovered categories under it.

    Bank questions are listed with their titles first: beside the ids, the titles leave the table no room."""
    header, body = _matrix(coverage, titles=False)
    text_columns = _text_columns(coverage, titles=False)
    for cells in body:
        if len(cells[text_columns - 1]) > TITLE_WIDTH:
            cells[text_columns - 1] = cells[text_columns - 1][: TITLE_WIDTH - 1] + "…"
    widths = [max(len(cells[i]) for cells in body) for i in range(len(header))]
    widths, header_lines = wrap_captions(header, widths)

    def line(cells: list[str]) -> str:
        # A figure with the asked-for mark sticks out by the mark, so plain figures line up with each other.
        figures = [
            (c if c.endswith(ASKED_MARK) else c + " ").rjust(w + 1)
            for c, w in zip(cells[text_columns:], widths[text_columns:])
        ]
        left = [c.ljust(w) for c, w in zip(cells[:text_columns], widths)]
        return "  ".join(left + figures).rstrip()

    lines = []
    if _by_id(coverage):
        width = max(len(r.label) for r in coverage.rows)
        lines += [f"{r.label:{width}}  {r.question.title}" for r in coverage.rows] + [""]
    lines += [*map(line, header_lines), *(line(cells) for cells in body), *_legend(coverage), ""]
    lines += [f"{heading}: {text}" for heading, text in _summary_lines(coverage)]
    return "\n".join(lines)


def coverage_markdown(coverage: Coverage) -> str:
    header, body = _matrix(coverage)
    text_columns = _text_columns(coverage, titles=True)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("*", "\\*") for c in cells) + " |"

    rule = ["---"] * text_columns + ["---:"] * (len(header) - text_columns)
    lines = [line(header), "|" + "|".join(rule) + "|", *(line(cells) for cells in body), ""]
    lines += [text.replace(ASKED_MARK, "\\" + ASKED_MARK, 1) for text in _legend(coverage)]
    lines += [""] if _legend(coverage) else []
    lines += [f"- **{heading}:** {text}" for heading, text in _summary_lines(coverage)]
    return "\n".join(lines)


def coverage_csv(coverage: Coverage) -> str:
    """One line per question (and the totals), with every figure as a plain number for a spreadsheet."""
    import csv  # here, not at the top: only `packet coverage --format csv` needs it, and `packet make` imports this

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cats = [c.id for c in coverage.categories]
    writer.writerow(["label", "id", "title", *cats, "asked_for", "minutes", "teams", "domains"])
    for row in coverage.rows:
        writer.writerow(
            [
                row.label,
                row.question.id,
                row.question.title,
                *(_number(row.weights[c]) for c in cats),
                row.asked_for or "",
                row.minutes if row.minutes is not None else "",
                " ".join(row.question.teams),
                " ".join(row.question.domains),
            ]
        )
    totals = coverage.totals
    writer.writerow(["total", "", "Total weight", *(_number(totals[c]) for c in cats), "", "", "", ""])
    if coverage.has_minutes:
        by_category = coverage.minutes_by_category
        writer.writerow(["minutes", "", "Minutes", *(_number(by_category[c]) for c in cats), "", "", "", ""])
    return out.getvalue()


def coverage_for(
    role: str | None, question_ids: str | None, bank_dir: Path | None = None, layouts_dir: Path | None = None
) -> tuple[str, Coverage]:
    """A heading and the coverage of ``role``'s packet (its minutes included) or of the listed questions."""
    if role is not None:
        packet = make_packet(role, bank_dir=bank_dir, layouts_dir=layouts_dir)
        return f"{packet.role}: {packet.title}, {packet.level} ({packet.minutes} min)", packet_coverage(packet)
    bank = load_bank(bank_dir)
    ids = parse_ids(bank, question_ids, "--questions")
    if not ids:
        raise PlanningError("--questions: name at least one question id, e.g. --questions toil,planning")
    return f"{len(ids)} question{'' if len(ids) == 1 else 's'}", questions_coverage(bank, ids)


def format_coverage(coverage: Coverage, output_format: str, heading: str = "") -> str:
    """``coverage`` as text (the terminal table), md, csv or json."""
    if output_format == "json":
        return json.dumps(coverage_dict(coverage), indent=2, ensure_ascii=False)
    if output_format == "csv":
        return coverage_csv(coverage).rstrip("\n")
    if output_format == "md":
        return (f"## Coverage of {heading}\n\n" if heading else "") + coverage_markdown(coverage)
    return (f"Coverage of {heading}\n\n" if heading else "") + coverage_text(coverage)


def coverage_dict(coverage: Coverage) -> dict[str, Any]:
    """Everything `packet coverage` shows, for programs; numbers as numbers, ids as in the bank."""
    return {
        "categories": [{"id": c.id, "label": c.label} for c in coverage.categories],
        "rows": [
            {
                "label": row.label,
                "id": row.question.id,
                "title": row.question.title,
                "weights": dict(row.weights),
                "asked_for": row.asked_for,
                "minutes": row.minutes,
                "teams": list(row.question.teams),
                "domains": list(row.question.domains),
            }
            for row in coverage.rows
        ],
        "totals": coverage.totals,
        "minutes_by_category": (
            {k: round(v, 2) for k, v in coverage.minutes_by_category.items()} if coverage.has_minutes else None
        ),
        "team_shares": coverage.team_shares,
        "domains_covered": list(coverage.domains_covered),
        "domains_repeated": {d: list(labels) for d, labels in coverage.domains_repeated.items()},
        "uncovered": [c.id for c in coverage.uncovered],
    }


# ------------------------------------------------------------------------------------- the set search

WEIGHT_UNITS = 1_000_000
"""Weights are summed as whole millionths, so the search compares sums exactly (no float drift)."""

CATEGORY_WEIGHT_CAP = 1.0
"""The most weight one category counts for in a set's category weight: a full question's worth.

Weight piled onto a category already covered at 1 adds nothing, so four questions that each cover a
different category fully beat four questions that all lean on the same one (the seed's "broad coverage").
"""

_CAP = round(CATEGORY_WEIGHT_CAP * WEIGHT_UNITS)

MAX_SETS = 20
"""The most sets `packet suggest` finds. The search is exact per set, and once the bank's unused questions
run out each further set searches the whole bank again: a thousand sets took minutes, for sets that add
nothing a hiring manager would read."""


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


class _Candidate(NamedTuple):
    """A question as the search sees it: bit sets and whole numbers, cheap to add up."""

    id: str
    order: int  # place in the bank, for a deterministic order among equals
    categories: int  # bit per category covered
    weights: tuple[int, ...]  # weight per bank category, in WEIGHT_UNITS
    weight: int  # their sum: the most this question can add to any set's category weight
    domain: int  # the bit of its primary domain
    teams: tuple[int, ...]  # share of each bank team, in 1/team_scale of a question


class _State(NamedTuple):
    """A partial set: what its questions cover so far."""

    categories: int
    weights: tuple[int, ...]  # per category, uncapped
    weight: int  # category weight: the per-category weights capped at _CAP, summed
    domains: int
    teams: tuple[int, ...]

    def add(self, c: _Candidate) -> "_State":
        weights = tuple(a + b for a, b in zip(self.weights, c.weights))
        return _State(
            self.categories | c.categories,
            weights,
            sum(min(_CAP, w) for w in weights),
            self.domains | c.domain,
            tuple(a + b for a, b in zip(self.teams, c.teams)),
        )

    @property
    def imbalance(self) -> int:
        return max(self.teams) - min(self.teams) if len(self.teams) > 1 else 0

    @property
    def key(self) -> tuple[int, int, int, int]:
        """The objective's first four parts as a tuple to maximise (categories asked needs the whole set)."""
        return (self.categories.bit_count(), self.weight, self.domains.bit_count(), -self.imbalance)


class _Encoder:
    """Turns bank questions into search candidates and search states back into an :class:`Objective`."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.category_ids = [c.id for c in bank.categories]
        domain_ids = [d.id for d in bank.domains]
        domain_ids += sorted({q.primary_domain for q in bank.questions.values()} - set(domain_ids))
        self.domain_bits = {d: 1 << i for i, d in enumerate(domain_ids)}
        self.team_ids = [t.id for t in bank.teams]
        # Shares are whole numbers of 1/scale of a question: with two teams, halves.
        self.team_scale = math.lcm(*range(1, len(self.team_ids) + 1)) if self.team_ids else 1
        self.order = {qid: i for i, qid in enumerate(bank.questions)}

    def candidate(self, question_id: str) -> _Candidate:
        q = self.bank.questions[question_id]
        probed = [t for t in q.teams if t in self.team_ids]
        weights = tuple(round(q.categories.get(c, 0.0) * WEIGHT_UNITS) for c in self.category_ids)
        return _Candidate(
            id=q.id,
            order=self.order[q.id],
            categories=sum(1 << i for i, w in enumerate(weights) if w),
            weights=weights,
            weight=sum(weights),
            domain=self.domain_bits[q.primary_domain],
            teams=tuple(self.team_scale // len(probed) if t in probed else 0 for t in self.team_ids),
        )

    def start(self) -> _State:
        return _State(0, (0,) * len(self.category_ids), 0, 0, (0,) * len(self.team_ids))

    def state(self, question_ids: Iterable[str]) -> _State:
        state = self.start()
        for qid in question_ids:
            state = state.add(self.candidate(qid))
        return state

    def objective(self, question_ids: Sequence[str]) -> Objective:
        state = self.state(question_ids)
        return Objective(
            categories_covered=state.categories.bit_count(),
            category_weight=state.weight / WEIGHT_UNITS,
            distinct_domains=state.domains.bit_count(),
            team_imbalance=state.imbalance / self.team_scale,
            categories_asked=_categories_asked([self.candidate(q).categories for q in question_ids]),
        )


def objective(bank: Bank, question_ids: Sequence[str]) -> Objective:
    """The objective value of any set of bank questions."""
    return _Encoder(bank).objective(question_ids)


def _match(options: Sequence[Sequence[int]]) -> dict[int, int]:
    """Question index -> category: as many questions as possible each asked for a different category of its
    ``options`` (tried in order, so the first is kept where it can be). A maximum bipartite matching, found by
    augmenting paths."""
    asker: dict[int, int] = {}  # category -> index of the question asked for it

    def place(index: int, seen: set[int]) -> bool:
        for category in options[index]:
            if category not in seen:
                seen.add(category)
                if category not in asker or place(asker[category], seen):
                    asker[category] = index
                    return True
        return False

    for index in range(len(options)):
        place(index, set())
    return {index: category for category, index in asker.items()}


def _categories_asked(categories: Sequence[int]) -> int:
    """How many questions can each be asked for a different category they cover (``categories`` are bit sets)."""
    return len(_match([[bit for bit in range(c.bit_length()) if c >> bit & 1] for c in categories]))


def _best_set(
    pool: list[_Candidate],
    base: list[_Candidate],
    start: _State,
    picks: int,
    forbidden: set[frozenset[str]],
    team_scale: int,
) -> list[_Candidate] | None:
    """The ``picks`` candidates of ``pool`` that, added to ``base``, maximise the objective.

    Branch and bound. Candidates are sorted by their total weight, heaviest first, so the next ``r``
    candidates bound the weight any ``r`` more can add. A branch is cut when even its upper bound (see
    ``bound``) does not beat the best set found so far; a greedy set is the first to beat.
    ``base`` are the questions every set has (``--must``), ``start`` their state. ``forbidden`` holds the
    sets already suggested.
    """
    pool = sorted(pool, key=lambda c: (-c.weight, -c.categories.bit_count(), c.order))
    n = len(pool)
    prefix = [0]
    for c in pool:
        prefix.append(prefix[-1] + c.weight)
    # For every start position: what pool[start:] can still offer.
    later_categories, later_domains, widest = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    teams = range(len(start.teams))
    least_share = [tuple(team_scale for _ in teams)] * (n + 1)  # per team, the least any candidate gives it
    most_share = [tuple(0 for _ in teams)] * (n + 1)  # per team, the most any candidate gives it
    heaviest: list[list[list[int]]] = [[[] for _ in start.weights]] * (n + 1)  # per category, top weights
    top_sums: list[list[list[int]]] = [[[0] * (picks + 1) for _ in start.weights]] * (n + 1)
    for i in range(n - 1, -1, -1):
        c = pool[i]
        later_categories[i] = later_categories[i + 1] | c.categories
        later_domains[i] = later_domains[i + 1] | c.domain
        widest[i] = max(widest[i + 1], c.categories.bit_count())
        least_share[i] = tuple(min(a, b) for a, b in zip(least_share[i + 1], c.teams))
        most_share[i] = tuple(max(a, b) for a, b in zip(most_share[i + 1], c.teams))
        heaviest[i] = [sorted([*top, w], reverse=True)[:picks] for top, w in zip(heaviest[i + 1], c.weights)]
        top_sums[i] = [[sum(top[:r]) for r in range(picks + 1)] for top in heaviest[i]]

    best: list[_Candidate] | None = None
    best_key: tuple[int, ...] | None = None
    most_asked = min(len(start.weights), len(base) + picks)

    def bound(state: _State, first: int, r: int) -> tuple[int, ...]:
        """No choice of ``r`` more candidates from ``pool[first:]`` gives ``state`` a better key.

        Categories: those the remaining candidates cover, and no more than the widest of them covers per
        pick. Category weight: per category, the ``r``
        heaviest weights left, up to the room under the cap, and no more than the ``r`` heaviest candidates
        weigh in all. Domains: one new domain per pick. Team gap: the most-probed team gets at least its
        least share per pick, the least-probed at most its largest share per pick. Categories asked: one
        per question.
        """
        covered = state.categories.bit_count()
        sums = top_sums[first]
        gain = sum(min(_CAP - w, sums[k][r]) for k, w in enumerate(state.weights) if w < _CAP)
        floor = max(t + r * s for t, s in zip(state.teams, least_share[first]))
        ceiling = min(t + r * s for t, s in zip(state.teams, most_share[first]))
        return (
            min((state.categories | later_categories[first]).bit_count(), covered + r * widest[first]),
            state.weight + min(gain, prefix[first + r] - prefix[first]),
            state.domains.bit_count() + min(r, (later_domains[first] & ~state.domains).bit_count()),
            -max(0, floor - ceiling) if len(state.teams) > 1 else 0,
            most_asked,
        )

    def offer(state: _State, chosen: list[_Candidate]) -> None:
        nonlocal best, best_key
        if best_key is not None and state.key < best_key[:4]:
            return
        key = (*state.key, _categories_asked([c.categories for c in (*base, *chosen)]))
        if (best_key is None or key > best_key) and frozenset(c.id for c in chosen) not in forbidden:
            best, best_key = list(chosen), key

    def visit(state: _State, first: int, r: int, chosen: list[_Candidate]) -> None:
        for i in range(first, n - r + 1):
            # The bound at i holds for every candidate from i on, so the rest of the loop can go.
            if best_key is not None and bound(state, i, r) <= best_key:
                return
            child = state.add(pool[i])
            chosen.append(pool[i])
            if r == 1:
                offer(child, chosen)
            elif best_key is None or bound(child, i + 1, r - 1) > best_key:
                visit(child, i + 1, r - 1, chosen)
            chosen.pop()

    # A greedy set first gives the bound something to beat from the start.
    state, chosen, rest = start, [], list(pool)
    for _ in range(picks):
        scored = [(state.add(c).key, -c.order, c) for c in rest]
        pick = max(scored, key=lambda item: item[:2])[2]
        rest.remove(pick)
        state = state.add(pick)
        chosen.append(pick)
    offer(state, chosen)
    visit(start, 0, picks, [])
    return best


def _assign_categories(bank: Bank, question_ids: Sequence[str]) -> dict[str, str]:
    """The category each question is asked for: as many different categories as the set can cover, each
    question keeping its heaviest category where it can, and its primary category when none is left."""
    position = {c.id: i for i, c in enumerate(bank.categories)}
    options = []
    for qid in question_ids:
        weights = bank.questions[qid].categories
        options.append([position[c] for c in sorted(weights, key=lambda c: -weights[c])])
    matched = _match(options)
    return {
        qid: bank.categories[matched[i]].id if i in matched else bank.questions[qid].primary_category
        for i, qid in enumerate(question_ids)
    }


def _interview_order(bank: Bank, question_ids: Sequence[str], exclude: Sequence[str]) -> SuggestedSet:
    """A set in the order the taxonomy lists its categories (world-class first), each with its category
    and its backup."""
    categories = _assign_categories(bank, question_ids)
    position = {c.id: i for i, c in enumerate(bank.categories)}
    order = {qid: i for i, qid in enumerate(bank.questions)}
    ordered = sorted(question_ids, key=lambda q: (position[categories[q]], order[q]))
    backups: dict[str, str] = {}
    for q in bank.questions.values():
        if q.backup_for is not None and q.backup_for in question_ids and q.id not in exclude:
            backups.setdefault(q.backup_for, q.id)
    return SuggestedSet(tuple(ordered), {q: categories[q] for q in ordered}, objective(bank, ordered), backups)


def suggest(
    bank: Bank, size: int, sets: int = 1, must: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[SuggestedSet]:
    """``sets`` alternative sets of ``size`` questions, each the best under :class:`Objective`.

    Sequential and disjoint where the bank allows: set 1 is the best set; set 2 the best of the
    questions set 1 did not use; and so on. Once too few unused questions are left, a set may reuse
    questions but never repeats an earlier set; when no new set exists, fewer sets come back.
    ``must`` questions are in every set; ``exclude`` and backups (questions with ``backup_for``) in none.
    """
    for qid in must:
        question = bank.questions[qid]
        if question.backup_for is not None:
            raise PlanningError(
                f"--must: '{qid}' is a backup for '{question.backup_for}' and is not asked on its own; "
                f"name '{question.backup_for}' instead"
            )
        if qid in exclude:
            raise PlanningError(f"--must and --exclude both name '{qid}'; keep it in one of them")
    if size < 1:
        raise PlanningError(f"--size {size}: a set needs at least one question")
    if sets > MAX_SETS:
        raise PlanningError(
            f"--sets {sets}: at most {MAX_SETS} sets; ask for {MAX_SETS} or fewer (once the bank's questions are "
            "used up, each further set reuses them, adds little and takes longer to find)"
        )
    if len(must) > size:
        raise PlanningError(f"--must names {len(must)} questions but --size is {size}; raise --size or drop some")
    encoder = _Encoder(bank)
    candidates = [
        encoder.candidate(q.id)
        for q in bank.questions.values()
        if q.backup_for is None and q.id not in must and q.id not in exclude
    ]
    picks = size - len(must)
    if len(candidates) < picks:
        raise PlanningError(
            f"--size {size}: only {len(candidates) + len(must)} questions can be asked on their own"
            f"{' after --exclude' if exclude else ''}; choose a smaller --size"
        )
    if picks == 0:
        return [_interview_order(bank, must, exclude)]  # --must fills the set: there is nothing to choose
    base = [encoder.candidate(q) for q in must]
    found: list[SuggestedSet] = []
    used: set[str] = set()
    forbidden: set[frozenset[str]] = set()
    for _ in range(sets):
        fresh = [c for c in candidates if c.id not in used]
        pool = fresh if len(fresh) >= picks else candidates
        chosen = _best_set(pool, base, encoder.state(must), picks, forbidden, encoder.team_scale)
        if chosen is None:
            break
        ids = [c.id for c in chosen]
        used.update(ids)
        forbidden.add(frozenset(ids))
        found.append(_interview_order(bank, [*must, *ids], exclude))
    return found


# ------------------------------------------------------------------------------------- suggest, printed


def suggestion_dict(found: Sequence[SuggestedSet]) -> dict[str, Any]:
    """``{"sets": [{"questions": [ids...], "objective": {...}}, ...]}``, as `packet suggest --json` prints."""
    return {"sets": [{"questions": list(s.questions), "objective": s.objective.as_dict()} for s in found]}


def set_summary(chosen: SuggestedSet, coverage: Coverage) -> str:
    """What a suggested set's objective says, in a hiring manager's words (docs/planning.md):
    "covers all 4 categories fully · each question asked for a different category · 4 different main domains ·
    balanced between the teams (2 / 2)"."""
    o = chosen.objective
    count, total = o.categories_covered, len(coverage.categories)
    covered = f"covers all {total} categories" if count == total else f"covers {count} of {total} categories"
    fully = len(coverage.fully_covered)
    covered += " fully" if fully == count else f", {fully} of them fully"
    asked = len(chosen.questions)
    if o.categories_asked == asked:
        asked_for = "each question asked for a different category"
    elif o.categories_asked == total:
        asked_for = "every category has a question asked for it"
    else:
        asked_for = f"questions asked for only {o.categories_asked} of the {total} categories"
    parts = [
        covered,
        asked_for,
        "1 main domain" if o.distinct_domains == 1 else f"{o.distinct_domains} different main domains",
    ]
    shares = coverage.team_shares
    if len(shares) > 1:
        if o.team_imbalance == 0:
            parts.append(f"balanced between the teams ({' / '.join(_number(n) for n in shares.values())})")
        else:
            team = max(shares, key=lambda t: shares[t])
            questions = f"{asked} question{'' if asked == 1 else 's'}"
            parts.append(f"leans to {coverage.team_name(team)} ({_number(shares[team])} of {questions})")
    return SEPARATOR.join(parts)


SEPARATOR = " · "


def _wrap_parts(text: str, width: int = 100) -> list[str]:
    """A line of parts joined by SEPARATOR, broken between parts only, the next line starting with the separator."""
    lines = [""]
    for part in text.split(SEPARATOR):
        if lines[-1] and len(lines[-1]) + len(SEPARATOR) + len(part) > width:
            lines.append(f"  {SEPARATOR.strip()} {part}")
        else:
            lines[-1] += (SEPARATOR if lines[-1] else "") + part
    return lines


def suggestion_text(bank: Bank, found: Sequence[SuggestedSet], minutes: int | None = None) -> str:
    """Each set with its objective and its coverage matrix; with ``minutes``, its time budget."""
    blocks = []
    for number, chosen in enumerate(found, start=1):
        split = default_split(minutes, len(chosen.questions)) if minutes else None
        coverage = questions_coverage(bank, chosen.questions, split[1:-1] if split else None, chosen.categories)
        head = f"Set {number} of {len(found)}: {set_summary(chosen, coverage)}"
        lines = [*_wrap_parts(head), "", coverage_text(coverage)]
        if chosen.backups:
            lines.append("Backups: " + ", ".join(f"{b} for {q}" for q, b in chosen.backups.items()))
        if split:
            lines.append(
                f"Time budget ({minutes} min): opening {split[0]}, {split[1]} per question, closing {split[-1]}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ------------------------------------------------------------------------------------- --write-layout


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
    return {
        "title": f"{template.title.partition(' — ')[0]} — {SUGGESTED_TITLE}",
        "level": template.level,
        "team_context": template.team_context,
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
                f"different main domains; "
                + ", ".join(f"{bank.team_name(t)} {_number(n)}" for t, n in shares.items())
                + " questions."
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
    if not SLUG.match(name):
        raise PlanningError(f"--write-layout: '{name}' is not a role name; use lower-case letters, digits and hyphens")
    target = folder / f"{name}.yaml"
    if target.exists() and not force:
        raise OutputExists(f"{target} exists; use --force to overwrite it, or choose another --write-layout name")
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
    import yaml  # only here: the guide imports this module, and its runs need no YAML

    class LayoutDumper(yaml.SafeDumper):
        """Indents lists under their key, as the shipped layouts are written."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    text = header + yaml.dump(data, Dumper=LayoutDumper, sort_keys=False, allow_unicode=True, width=100)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(target, write, force)
    return target
