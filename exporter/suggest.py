"""The search behind `packet suggest`: the sets of bank questions that cover the most, best first.

A set is valued by its :class:`Objective` (docs/planning.md), maximised in this order: categories covered;
category weight (per category the set's weight up to CATEGORY_WEIGHT_CAP, summed); distinct primary domains;
team balance (the smallest gap between the most- and the least-probed team); and, last, how many categories
the questions can each be asked for. Sets are found one after another: the best set, then the best set of
the questions no earlier set used, and so on. The search is exact (branch and bound, :func:`_best_set`).

It searches the bank it is given on that bank's category set: a role's view of it (`--role R`,
:meth:`exporter.model.Bank.for_role`), where only the questions with a weight in R's set are candidates and
teams count only if R leads them; or the whole bank on its default set.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .coverage import CATEGORY_WEIGHT_CAP, Objective, SuggestedSet
from .errors import PlanningError
from .model import Bank

WEIGHT_UNITS = 1_000_000
"""Weights are summed as whole millionths, so the search compares sums exactly (no float drift)."""

_CAP = round(CATEGORY_WEIGHT_CAP * WEIGHT_UNITS)

MAX_SETS = 20
"""The most sets `packet suggest` finds. The search is exact per set, and once the bank's unused questions
run out each further set searches the whole bank again: a thousand sets took minutes, for sets that add
nothing a hiring manager would read."""


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

    def add(self, c: _Candidate) -> _State:
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
        floor = max((t + r * s for t, s in zip(state.teams, least_share[first])), default=0)  # no teams: no gap
        ceiling = min((t + r * s for t, s in zip(state.teams, most_share[first])), default=0)
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


def _check_request(bank: Bank, size: int, sets: int, must: Sequence[str], exclude: Sequence[str]) -> None:
    """Refuse a request no set can answer, naming the option to change."""
    for qid in must:
        question = bank.questions.get(qid)
        if question is None:
            raise PlanningError(
                f"--must: '{qid}' has no weight in the category set '{bank.category_set}' "
                f"({', '.join(c.id for c in bank.categories)}), so it scores nothing there; name another question"
            )
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


def _candidates(encoder: _Encoder, size: int, must: Sequence[str], exclude: Sequence[str]) -> list[_Candidate]:
    """The questions a set may add to ``must``: asked on their own (not backups) and not excluded."""
    bank = encoder.bank
    candidates = [
        encoder.candidate(q.id)
        for q in bank.questions.values()
        if q.backup_for is None and q.id not in must and q.id not in exclude
    ]
    if len(candidates) < size - len(must):
        raise PlanningError(
            f"--size {size}: only {len(candidates) + len(must)} questions can be asked on their own"
            f"{' after --exclude' if exclude else ''}; choose a smaller --size"
        )
    return candidates


def suggest(
    bank: Bank, size: int, sets: int = 1, must: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[SuggestedSet]:
    """``sets`` alternative sets of ``size`` questions, each the best under :class:`Objective`.

    Sequential and disjoint where the bank allows: set 1 is the best set; set 2 the best of the
    questions set 1 did not use; and so on. Once too few unused questions are left, a set may reuse
    questions but never repeats an earlier set; when no new set exists, fewer sets come back.
    ``must`` questions are in every set; ``exclude`` and backups (questions with ``backup_for``) in none.
    """
    bank = bank.for_role(bank.category_set)  # the whole bank: its default set, with no other set's weights
    _check_request(bank, size, sets, must, exclude)
    encoder = _Encoder(bank)
    candidates = _candidates(encoder, size, must, exclude)
    picks = size - len(must)
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
