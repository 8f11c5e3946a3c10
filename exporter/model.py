"""The resolved interview packet and the bank it is made from, as immutable values.

Renderers receive one :class:`Packet` and never open YAML or re-derive minutes, numbers or
categories: everything they print is computed here or in :mod:`exporter.budget` once.
"""

import datetime as dt
import hashlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple


def frozen_map(mapping: Mapping[str, object] | None = None) -> Mapping:  # type: ignore[type-arg]
    """A read-only view of a copy of ``mapping``, so frozen models stay frozen."""
    return MappingProxyType(dict(mapping or {}))


EMPTY_MAP: Mapping = MappingProxyType({})  # type: ignore[type-arg]
"""The default of mapping fields: read-only, so every record can share it."""

# The records below are NamedTuples rather than dataclasses: a dataclass compiles its methods when the module
# is imported, about 1.5 ms each, on every start of `packet`. For the same reason this module does without
# `from __future__ import annotations`: NamedTuple would compile every field's annotation from its string.


class Category(NamedTuple):
    """One of the questions every hire is judged on, e.g. "world-class at running this team"."""

    id: str
    question: str
    label: str


class Team(NamedTuple):
    id: str
    name: str


class Domain(NamedTuple):
    id: str
    name: str


class Variant(NamedTuple):
    """An earlier wording of a question, kept so the rephrasing history is not lost."""

    label: str
    text: str


class Question(NamedTuple):
    """A bank entry: the question, how to judge the answer and what it covers."""

    id: str
    title: str
    text: str
    categories: Mapping[str, float]  # category id -> weight in (0, 1]
    teams: tuple[str, ...]
    domains: tuple[str, ...]  # the first is the primary domain
    goal: str
    great_signals: tuple[str, ...]
    negative_signals: tuple[str, ...]
    source: str  # "seed" or "authored"
    follow_ups: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    technologies: Mapping[str, tuple[str, ...]] = EMPTY_MAP
    backup_for: str | None = None
    backup_when: str | None = None
    # what a rating of 1, 2, 3 and 4 looks like for this question (Poor → Excellent); empty: the layout's scale
    rating_anchors: tuple[str, ...] = ()

    @property
    def primary_category(self) -> str:
        """The category with the highest weight; the first listed wins a tie."""
        return max(self.categories, key=lambda k: self.categories[k])

    @property
    def primary_domain(self) -> str:
        return self.domains[0]


DEFAULT_SET = "default"
"""The category set a taxonomy's ``categories:`` defines, and the one a layout is scored on unless it names another."""


class Bank(NamedTuple):
    """The whole question bank with its taxonomy, as loaded from ``bank/``; or the bank as one role sees it
    (:meth:`for_role`): scored on one category set, with or without teams."""

    categories: tuple[Category, ...]  # the set the bank is scored on (``category_set``), in display order
    teams: tuple[Team, ...]  # empty when the bank has none, or the role leads none
    domains: tuple[Domain, ...]
    questions: Mapping[str, Question]  # in file order
    digest: str  # hash of the bank's content, for telling versions apart
    # question id -> (file, place) as messages name them, e.g. ("bank/questions/x.yaml", "questions[4]")
    places: Mapping[str, tuple[str, str]] = EMPTY_MAP
    # every category set of the taxonomy by name, DEFAULT_SET first: name -> its categories
    category_sets: Mapping[str, tuple[Category, ...]] = EMPTY_MAP
    category_set: str = DEFAULT_SET  # the name of ``categories``

    def category(self, category_id: str) -> Category:
        """A category of any set, by id (ids are unique across the sets)."""
        every = (c for categories in (self.categories, *self.category_sets.values()) for c in categories)
        return next(c for c in every if c.id == category_id)

    def team_name(self, team_id: str) -> str:
        return next(t.name for t in self.teams if t.id == team_id)

    def domain_name(self, domain_id: str) -> str:
        return next(d.name for d in self.domains if d.id == domain_id)

    def for_role(self, category_set: str = DEFAULT_SET, leads_teams: bool = True) -> "Bank":
        """The bank as a role scored on ``category_set`` sees it: that set's categories; each question's weights
        only in them, and only the questions with one (no other can be asked for the role); and no teams when
        the role leads none. Its digest is the whole bank's, which the scorecard's identity is made from."""
        categories = self.category_sets.get(category_set, self.categories)
        ids = {c.id for c in categories}
        drop_teams = not leads_teams and bool(self.teams)
        weighted_elsewhere = any(not ids >= q.categories.keys() for q in self.questions.values())
        if categories == self.categories and not drop_teams and not weighted_elsewhere:
            return self
        questions = {}
        for question in self.questions.values():
            weights = {k: w for k, w in question.categories.items() if k in ids}
            if weights:
                teams = () if drop_teams else question.teams
                questions[question.id] = question._replace(categories=frozen_map(weights), teams=teams)
        return self._replace(
            categories=categories,
            teams=() if drop_teams else self.teams,
            questions=frozen_map(questions),
            category_set=category_set if category_set in self.category_sets else self.category_set,
        )


class RatingLevel(NamedTuple):
    score: int
    label: str
    anchor: str


class Thresholds(NamedTuple):
    """Overall-score thresholds for the recommendation; see :mod:`exporter.scoring`."""

    strong_yes: float
    yes: float
    no: float


class Rationale(NamedTuple):
    summary: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]


class LayoutSection(NamedTuple):
    """A section as the layout file states it, before the time budget places it."""

    kind: str  # "opening", "question" or "closing"
    minutes: int
    title: str | None = None
    question: str | None = None
    backup: str | None = None
    category: str | None = None


class Layout(NamedTuple):
    """A role's interview as written in ``layouts/<role>.yaml``."""

    role: str
    title: str
    level: str
    team_context: str
    minutes: int
    rating_scale: tuple[RatingLevel, ...]
    thresholds: Thresholds
    rationale: Rationale
    sections: tuple[LayoutSection, ...]
    allow_repeated_domains: tuple[str, ...] = ()  # domains `packet lint` lets its questions share
    allow_team_lean: tuple[str, ...] = ()  # teams `packet lint` lets it lean to
    category_set: str = DEFAULT_SET  # the taxonomy's category set the role is scored on
    leads_teams: bool = True  # False for a role that leads no team: no team rule applies to it
    font: str | None = None  # absolute path to a TrueType font for the PDF
    path: str = ""  # the file it came from, for messages
    digest: str = ""  # hash of the layout's content


class PacketQuestion(NamedTuple):
    """A question as it stands in one packet: numbered, with its category for this interview."""

    number: int  # 1, 2, ... in scorecard order (each question followed by its backup)
    label: str  # what the interviewer sees: "1", "2", ... and "1b" for the backup of question 1
    question: Question
    category: Category  # the category this interview asks it for
    backup_for: str | None = None  # the id of the question it stands in for, in this packet
    backup_when: str | None = None  # when to switch to it, for a backup


class Section(NamedTuple):
    """A slice of the slot with its place in time."""

    kind: str
    title: str
    minutes: int
    start: int  # offset in minutes from the start of the slot
    end: int
    clock_start: str | None = None  # "HH:MM" when the slot's start time is known
    clock_end: str | None = None
    question: PacketQuestion | None = None
    backup: PacketQuestion | None = None

    @property
    def time_range(self) -> str:
        """ "14:02–14:09" with a start time, else "0–7 min"."""
        if self.clock_start is not None:
            return f"{self.clock_start}\u2013{self.clock_end}"
        return f"{self.start}\u2013{self.end} min"


class LoopSlotName(NamedTuple):
    """One slot of an onsite loop as a scorecard records it: its number, its id and who asks it."""

    number: int
    id: str  # "release-engineer"
    interviewer: str  # the loop file's interviewer, usually a role: "Release engineer"


class LoopSeat(NamedTuple):
    """Where a packet sits in an onsite loop made with ``make --loop``: the loop, the slot, and every slot of
    the loop, so the debrief can name the slots whose scorecards have not come back."""

    loop: str  # the loop's name, e.g. "infra-m3-onsite"
    slot: int  # this packet's slot number
    slots: tuple[LoopSlotName, ...]


class Packet(NamedTuple):
    """Everything one interviewer needs for one candidate, resolved and ready to render."""

    role: str
    layout: Layout
    bank: Bank
    minutes: int
    sections: tuple[Section, ...]
    questions: tuple[PacketQuestion, ...]
    candidate: str = ""
    interviewer: str = ""
    date: dt.date | None = None
    start: str | None = None  # "HH:MM"
    paper: str = "letter"
    version: str = ""
    loop: LoopSeat | None = None  # set for a slot of a loop made with --loop

    @property
    def title(self) -> str:
        return self.layout.title

    @property
    def level(self) -> str:
        return self.layout.level

    @property
    def categories(self) -> tuple[Category, ...]:
        """The layout's category set: the packet's bank is the bank as its role sees it (:meth:`Bank.for_role`)."""
        return self.bank.categories

    @property
    def question_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "question")

    @property
    def identity(self) -> str:
        """A hash of the layout and bank content: two scorecards with equal identity are comparable."""
        return hashlib.sha256(f"{self.layout.digest}:{self.bank.digest}:{self.minutes}".encode()).hexdigest()[:16]
