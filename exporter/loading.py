"""YAML → models: reads ``bank/`` and ``layouts/``, checks everything, reports every problem at once.

Each problem names its file and its place in it (``layouts/infra-m3.yaml: sections[2].question:
unknown question 'hybrid-deploy' (did you mean 'hybrid-deployments'?)``); all of them are raised together
as one :class:`~exporter.errors.BankError`, so a hiring manager fixes a file in one pass.
"""

import contextlib
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from . import cache
from .budget import MAX_SLOT_MINUTES
from .errors import LayoutNotFound
from .folders import (
    NAME,
    NAME_RULE,
    default_bank_dir,
    default_layouts_dir,
    display_path,
    file_problem,
    folder_problem,
    known_names,
    layouts_folder,
    layouts_folder_problem,
    list_loops,
    list_roles,
    yaml_files,
)
from .model import (
    DEFAULT_SET,
    Bank,
    Category,
    Domain,
    Layout,
    LayoutSection,
    Question,
    RatingLevel,
    Rationale,
    Team,
    Thresholds,
    Variant,
    frozen_map,
)
from .reader import Problems, Reader, did_you_mean, read_yaml, type_name

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # whole names only: SLUG.fullmatch
SECTION_KINDS = ("opening", "question", "closing")
SOURCES = ("seed", "authored")
DEFAULT_TITLES = {"opening": "Introductions", "closing": "Candidate's questions"}


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode())
        with contextlib.suppress(OSError):  # an unreadable file is already a reported problem
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def _check_id(reader: Reader, seen: dict[str, str], what: str) -> str:
    value = reader.text("id")
    if value and not SLUG.fullmatch(value):
        reader.problem("id", f"'{value}' is not a slug; use lower-case letters, digits and hyphens")
    if value in seen:
        reader.problem("id", f"duplicate {what} id '{value}' (first at {seen[value]})")
    elif value:
        seen[value] = f"{reader.file}: {reader.place}"
    return value


TAXONOMY_KEYS = ("categories", "teams", "domains")
"""The keys of taxonomy.yaml, named when the file holds nothing; ``teams`` may be left out by a bank whose
roles lead no team."""
CATEGORY_SET_KEYS = ("category_sets",)
"""taxonomy.yaml's optional key for more category sets, by name, beside ``categories`` (the set DEFAULT_SET)."""
SET_SIZE = (2, 8)
"""The fewest and the most categories of a set: one category is no rubric, and a scorecard or cheat sheet with
more than eight columns of categories no longer reads at a glance."""


class Taxonomy(NamedTuple):
    category_sets: dict[str, tuple[Category, ...]]  # DEFAULT_SET first
    teams: tuple[Team, ...]
    domains: tuple[Domain, ...]


def _read_taxonomy(bank_dir: Path, problems: Problems) -> Taxonomy | None:
    """The category sets, teams and domains; None when taxonomy.yaml cannot be read at all."""
    path = bank_dir / "taxonomy.yaml"
    shown = display_path(bank_dir, path)
    if file_problem(path) == "is missing":
        problems.add(shown, "", "is missing; the bank needs its categories and domains")
        return None
    data = read_yaml(path, shown, problems, TAXONOMY_KEYS)
    if data is None:
        return None
    top = Reader(problems, shown, "", data)
    top.check_keys(("categories", "domains"), ("teams", *CATEGORY_SET_KEYS))
    seen: dict[str, str] = {}  # category ids are unique across all sets
    category_sets = {DEFAULT_SET: _read_category_set(top, "categories", seen)}
    named = top.mapping("category_sets")
    for name in named.data if named is not None else ():
        assert named is not None
        if not isinstance(name, str) or not SLUG.match(name):
            named.problem(str(name), f"'{name}' is not a set name; use lower-case letters, digits and hyphens")
        elif name == DEFAULT_SET:
            named.problem(name, f"'{DEFAULT_SET}' is the set `categories:` lists; give this set another name")
        else:
            category_sets[name] = _read_category_set(named, name, seen)
    teams, seen = [], {}  # other ids are unique per kind
    for r in top.mappings("teams"):
        r.check_keys(("id", "name"))
        teams.append(Team(_check_id(r, seen, "team"), r.text("name")))
    domains, seen = [], {}
    for r in top.mappings("domains"):
        r.check_keys(("id", "name"))
        domains.append(Domain(_check_id(r, seen, "domain"), r.text("name")))
    return Taxonomy(category_sets, tuple(teams), tuple(domains))


def _read_category_set(owner: Reader, key: str, seen: dict[str, str]) -> tuple[Category, ...]:
    """The categories listed under ``key``: SET_SIZE[0] to SET_SIZE[1] of them."""
    categories = []
    for r in owner.mappings(key):
        r.check_keys(("id", "question", "label"))
        categories.append(Category(_check_id(r, seen, "category"), r.text("question"), r.text("label")))
    fewest, most = SET_SIZE
    if key in owner.data and isinstance(owner.data[key], list) and not fewest <= len(owner.data[key]) <= most:
        count = len(owner.data[key])
        owner.problem(
            key, f"has {count} categor{'y' if count == 1 else 'ies'}; a category set needs {fewest} to {most}"
        )
    return tuple(categories)


QUESTION_REQUIRED = ("id", "title", "text", "categories", "teams", "domains", "goal", "great", "negative", "source")
QUESTION_OPTIONAL = ("follow_ups", "variants", "technologies", "backup_for", "backup_when", "rating_anchors")
RATING_LEVELS = ("1", "2", "3", "4")  # the keys of a question's rating_anchors


def _read_question(
    r: Reader, seen: dict[str, str], categories: set[str] | None, teams: set[str] | None, domains: set[str] | None
) -> Question:
    """One question; its ids are checked against the taxonomy's (None: taxonomy.yaml could not be read, and
    that one problem is reported instead of every id as unknown). In a bank without teams, ``teams`` may be
    left out."""
    required = QUESTION_REQUIRED if teams is None or teams else tuple(k for k in QUESTION_REQUIRED if k != "teams")
    r.check_keys(required, QUESTION_OPTIONAL)
    question_id = _check_id(r, seen, "question")
    weights = _read_weights(r, categories)
    listed: dict[str, tuple[str, ...]] = {}
    for key, known, what in (("teams", teams, "team"), ("domains", domains, "domain")):
        listed[key] = r.texts(key, non_empty=True)
        for i, value in enumerate(listed[key]):
            if known is not None and value not in known:
                fix = did_you_mean(value, known) if known else f"; the taxonomy names no {what}s, so leave {key} out"
                r.problems.add(r.file, f"{r.at(key)}[{i}]", f"unknown {what} '{value}'{fix}")
    technologies: dict[str, tuple[str, ...]] = {}
    tech = r.mapping("technologies")
    if tech is not None:
        for group in tech.data:
            technologies[str(group)] = tech.texts(str(group))
    variants = []
    for v in r.mappings("variants"):
        v.check_keys(("label", "text"))
        variants.append(Variant(v.text("label"), v.text("text")))
    source = r.text("source")
    if source and source not in SOURCES:
        r.problem("source", f"'{source}' should be one of: {', '.join(SOURCES)}")
    backup_for = r.optional_text("backup_for")
    backup_when = r.optional_text("backup_when")
    if backup_for and not backup_when:
        r.problem("backup_when", "missing; say when the interviewer should switch to this backup")
    return Question(
        id=question_id,
        title=r.text("title"),
        text=r.text("text"),
        categories=frozen_map(weights),
        teams=listed["teams"],
        domains=listed["domains"],
        goal=r.text("goal"),
        great_signals=r.texts("great", non_empty=True),
        negative_signals=r.texts("negative", non_empty=True),
        source=source,
        follow_ups=r.texts("follow_ups"),
        variants=tuple(variants),
        technologies=frozen_map(technologies),
        backup_for=backup_for,
        backup_when=backup_when,
        rating_anchors=_rating_anchors(r),
    )


def _read_weights(r: Reader, categories: set[str] | None) -> dict[str, float]:
    """A question's ``categories:``: category id (of any set) -> weight in (0, 1]."""
    weights: dict[str, float] = {}
    cats = r.mapping("categories")
    if cats is None:
        return weights
    for key, weight in cats.data.items():
        if categories is not None and key not in categories:
            cats.problem(str(key), f"unknown category '{key}'{did_you_mean(key, categories)}")
        elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
            cats.problem(str(key), f"weight should be a number in (0, 1], not {type_name(weight)}")
        elif not 0 < weight <= 1:
            cats.problem(str(key), f"weight {weight} is outside (0, 1]; use 1 for the primary category")
        else:
            weights[str(key)] = float(weight)
    if not cats.data:
        r.problem("categories", "is empty; give at least the primary category with weight 1")
    return weights


def _rating_anchors(r: Reader) -> tuple[str, ...]:
    """A question's ``rating_anchors``: what each of the four ratings looks like for it, 1 first; () if absent."""
    anchors = r.mapping("rating_anchors")
    if anchors is None:
        return ()
    if sorted(anchors.data) != list(RATING_LEVELS):
        levels = ", ".join(RATING_LEVELS)
        r.problem("rating_anchors", f"should say what each rating looks like, under the keys {levels} and no others")
        return ()
    return tuple(anchors.text(level) for level in RATING_LEVELS)


def load_bank(bank_dir: Path | None = None) -> Bank:
    """Read and check a bank folder. Nothing is kept here between calls: a caller that needs the bank again (a
    batch, a loop's slots) keeps the one it loaded and passes it on.

    A bank that checks out with no problem and no warning is kept in packet's cache, whole, under its files'
    exact bytes and names and the code that checks them (:mod:`exporter.bank_data`): the same files give the
    same bank without being checked again.
    """
    folder = Path(bank_dir) if bank_dir is not None else default_bank_dir()
    source = _bank_source(folder)
    if source is not None:
        from .bank_data import bank_from

        kept = bank_from(cache.load(BANK_CACHE, source))
        if kept is not None:
            return kept
    problems = Problems()
    bank = _read_bank(folder, problems)
    problems.raise_if_any()
    if source is not None and not problems.cleaned:
        from .bank_data import bank_data

        cache.store(BANK_CACHE, source, bank_data(bank), keep=BANKS_KEPT)
    return bank


BANK_CACHE = "banks"  # the cache's kind of entry: a bank checked whole
BANKS_KEPT = 16  # a user's own bank and the shipped one, as each was last edited, and a few of their versions


def _bank_source(folder: Path) -> tuple[bytes, ...] | None:
    """What a checked bank is worked out from: the name and bytes of each of its files, as reading it reads
    them, and the code that reads and checks them; None when a file cannot be read (the check says why)."""
    from . import bank_data, folders, model, reader, text

    files = [folder / "taxonomy.yaml", *yaml_files(folder / "questions")]
    if not folder.is_dir() or any(file_problem(path) for path in files):
        return None
    parser = str(Path(__file__).with_name("yamlfile.py"))  # named, not imported: it imports PyYAML
    code = cache.code_stamps((__file__, bank_data, folders, model, reader, text, parser))
    parts = [reader.YAML_CACHE_VERSION, repr(code).encode()]
    try:
        for path in files:
            parts += [display_path(folder, path).encode(), path.read_bytes()]
    except (OSError, UnicodeEncodeError):
        return None
    return tuple(parts)


def _question_files(bank_dir: Path, problems: Problems) -> list[Path]:
    """The files of ``questions/``; when there are none, why is added to ``problems``."""
    folder = bank_dir / "questions"
    files = yaml_files(folder)
    unlisted = folder_problem(folder)
    if unlisted and unlisted != "is missing":
        problems.add(display_path(bank_dir, folder), "", unlisted)
    elif not files:
        problems.add(display_path(bank_dir, folder), "", "holds no *.yaml files; the bank has no questions")
    return files


def _read_bank(bank_dir: Path, problems: Problems) -> Bank:
    """The bank, as far as it could be read; its problems are added to ``problems``."""
    if not bank_dir.is_dir():
        problems.add(str(bank_dir), "", "is not a folder; --bank needs the folder holding taxonomy.yaml and questions/")
        return Bank((), (), (), frozen_map(), "")
    taxonomy = _read_taxonomy(bank_dir, problems)
    category_sets, teams, domains = taxonomy or ({}, (), ())
    every_category = [c for categories in category_sets.values() for c in categories]
    files = _question_files(bank_dir, problems)
    questions: dict[str, Question] = {}
    seen: dict[str, str] = {}
    places: dict[str, tuple[str, str]] = {}
    category_ids, team_ids, domain_ids = (
        ({c.id for c in every_category}, {t.id for t in teams}, {d.id for d in domains})
        if taxonomy
        else (None, None, None)
    )
    for path in files:
        shown = display_path(bank_dir, path)
        data = read_yaml(path, shown, problems, ("questions",))
        if data is None:
            continue
        top = Reader(problems, shown, "", data)
        top.check_keys(("questions",))
        for r in top.mappings("questions"):
            question = _read_question(r, seen, category_ids, team_ids, domain_ids)
            if question.id and question.id not in questions:
                questions[question.id] = question
                places[question.id] = (r.file, r.place)
    for question in questions.values():
        if question.backup_for is None:
            continue
        file, place = places[question.id]
        if question.backup_for == question.id:
            problems.add(
                file, f"{place}.backup_for", "a question cannot be its own backup; name the question it stands in for"
            )
        elif question.backup_for not in questions:
            problems.add(
                file,
                f"{place}.backup_for",
                f"unknown question '{question.backup_for}'{did_you_mean(question.backup_for, questions)}",
            )
    return Bank(
        categories=category_sets.get(DEFAULT_SET, ()),
        teams=teams,
        domains=domains,
        questions=frozen_map(questions),
        digest=_digest([p for p in (bank_dir / "taxonomy.yaml", *files) if file_problem(p) is None]),
        places=frozen_map(places),
        category_sets=frozen_map(category_sets),
    )


LAYOUT_REQUIRED = (
    "title",
    "level",
    "team_context",
    "minutes",
    "rating_scale",
    "recommendation",
    "rationale",
    "sections",
)
LAYOUT_OPTIONAL = ("font", "lint")
LAYOUT_CATEGORY_SET_KEYS = ("category_set", "leads_teams")
"""A layout's optional keys for its rubric: the category set it is scored on and whether its role leads teams."""


def _read_layout(path: Path, shown: str, bank: Bank, problems: Problems) -> Layout | None:
    data = read_yaml(path, shown, problems, LAYOUT_REQUIRED)
    if data is None:
        return None
    top = Reader(problems, shown, "", data)
    top.check_keys(LAYOUT_REQUIRED, LAYOUT_OPTIONAL + LAYOUT_CATEGORY_SET_KEYS)
    minutes = top.integer("minutes")
    if isinstance(data.get("minutes"), int) and not 0 < minutes <= MAX_SLOT_MINUTES:
        top.problem("minutes", f"{minutes} is not a slot length; give the slot's minutes, e.g. 30")
    category_set = _read_category_set_name(top, bank)
    leads_teams = top.flag("leads_teams", default=True)
    # The sections are checked against the layout's set: the bank's questions, with its categories.
    scored = bank._replace(categories=bank.category_sets.get(category_set, bank.categories), category_set=category_set)
    # Read in this order, so the problems are listed in the order of a layout file.
    scale = _read_rating_scale(top)
    thresholds = _read_thresholds(top)
    rationale = _read_rationale(top)
    allowed_repeats, allowed_lean = _read_lint_allowances(top, bank, leads_teams)
    font = _read_font(top, path)
    sections = _read_sections(top, scored, minutes)
    return Layout(
        role=path.stem,
        title=top.text("title"),
        level=top.text("level"),
        team_context=top.text("team_context"),
        minutes=minutes,
        rating_scale=scale,
        thresholds=thresholds,
        rationale=rationale,
        sections=sections,
        allow_repeated_domains=allowed_repeats,
        allow_team_lean=allowed_lean,
        category_set=category_set,
        leads_teams=leads_teams,
        font=font,
        path=shown,
        digest=_digest([path]),
    )


def _read_category_set_name(top: Reader, bank: Bank) -> str:
    """The category set the layout is scored on: DEFAULT_SET unless it names one of the taxonomy's."""
    name = top.text("category_set", DEFAULT_SET)
    sets = list(bank.category_sets)
    if sets and name not in sets:  # no sets: taxonomy.yaml is reported instead
        top.problem(
            "category_set",
            f"unknown category set '{name}'{did_you_mean(name, sets)}; the taxonomy's sets: {', '.join(sets)}",
        )
        return DEFAULT_SET
    return name


def _read_rating_scale(top: Reader) -> tuple[RatingLevel, ...]:
    scale = []
    for r in top.mappings("rating_scale"):
        r.check_keys(("score", "label", "anchor"))
        scale.append(RatingLevel(r.integer("score"), r.text("label"), r.text("anchor")))
    if "rating_scale" in top.data and [level.score for level in scale] != [1, 2, 3, 4]:
        top.problem("rating_scale", "should have exactly four levels with scores 1, 2, 3, 4 in that order")
    return tuple(scale)


def _read_thresholds(top: Reader) -> Thresholds:
    rec = top.mapping("recommendation")
    if rec is None:
        return Thresholds(0.0, 0.0, 0.0)
    rec.check_keys(("strong_yes", "yes", "no"))
    thresholds = Thresholds(rec.number("strong_yes"), rec.number("yes"), rec.number("no"))
    if not -1 <= thresholds.no < thresholds.yes < thresholds.strong_yes <= 1:
        top.problem(
            "recommendation",
            "thresholds should satisfy -1 <= no < yes < strong_yes <= 1 (they apply to the overall score)",
        )
    return thresholds


def _read_rationale(top: Reader) -> Rationale:
    rat = top.mapping("rationale")
    if rat is None:
        return Rationale("", (), ())
    rat.check_keys(("summary", "pros", "cons"))
    return Rationale(rat.text("summary"), rat.texts("pros"), rat.texts("cons"))


def _read_lint_allowances(top: Reader, bank: Bank, leads_teams: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The domains a layout may repeat and the teams it may lean towards, without a lint warning."""
    lint = top.mapping("lint")
    if lint is None:
        return (), ()
    lint.check_keys((), ("allow_repeated_domains", "allow_team_lean"))
    allowed_repeats = lint.texts("allow_repeated_domains")
    allowed_lean = lint.texts("allow_team_lean")
    if allowed_lean and not leads_teams:
        lint.problem("allow_team_lean", "the role leads no team (leads_teams: false); remove allow_team_lean")
        return allowed_repeats, ()
    for key, values, what, ids in (
        ("allow_repeated_domains", allowed_repeats, "domain", [d.id for d in bank.domains]),
        ("allow_team_lean", allowed_lean, "team", [t.id for t in bank.teams]),
    ):
        for i, value in enumerate(values):
            if bank.category_sets and value not in ids:  # no sets: taxonomy.yaml is reported instead
                fix = did_you_mean(value, ids) if ids else f"; the taxonomy names no {what}s"
                lint.problems.add(lint.file, f"{lint.at(key)}[{i}]", f"unknown {what} '{value}'{fix}")
    return allowed_repeats, allowed_lean


def _read_font(top: Reader, path: Path) -> str | None:
    font = top.optional_text("font")
    if font is None:
        return None
    font_path = (path.parent / font).resolve()
    if not font_path.is_file():
        top.problem("font", f"no file at '{font_path}'; give a .ttf path relative to the layout")
    return str(font_path)


def _read_sections(top: Reader, bank: Bank, minutes: int) -> tuple[LayoutSection, ...]:
    sections = []
    asked: dict[str, int] = {}
    for index, r in enumerate(top.mappings("sections")):
        sections.append(_read_section(r, index, bank, asked))
    if "sections" in top.data and not any(s.kind == "question" for s in sections):
        top.problem("sections", "has no question section; add at least one `kind: question`")
    total = sum(s.minutes for s in sections)
    if sections and minutes > 0 and all(s.minutes > 0 for s in sections) and total != minutes:
        top.problem(
            "sections",
            f"minutes add up to {total}, but the slot is {minutes}; make them add up to {minutes}",
        )
    return tuple(sections)


def _check_backup(
    r: Reader, backup_id: str, question_id: str | None, bank: Bank, asked: dict[str, int], index: int
) -> None:
    """A section's backup: a question of the bank that stands in for the section's own, asked nowhere else."""
    backup = bank.questions.get(backup_id)
    if backup is None:
        r.problem("backup", f"unknown question '{backup_id}'{did_you_mean(backup_id, bank.questions)}")
    elif backup_id == question_id:
        r.problem("backup", "a question cannot be its own backup; name another question")
    elif question_id in bank.questions and backup.backup_for != question_id:
        r.problem(
            "backup",
            f"'{backup_id}' is not a backup for '{question_id}'; set `backup_for: {question_id}` "
            "(and backup_when) on it in the bank",
        )
    elif backup_id in asked:
        r.problem("backup", f"'{backup_id}' is already asked in sections[{asked[backup_id]}]")
    else:
        asked[backup_id] = index


def _check_category(r: Reader, category: str, question_id: str | None, bank: Bank) -> None:
    """The category a section asks its question for: one of the layout's set, and one the question has a
    weight in. ``bank.categories`` is the layout's set."""
    ids = [c.id for c in bank.categories]
    question = bank.questions.get(question_id) if question_id else None
    every = [c.id for categories in bank.category_sets.values() for c in categories]
    if category in every and category not in ids:
        r.problem(
            "category",
            f"'{category}' is not in the category set '{bank.category_set}' this layout is scored on; "
            f"choose one of: {', '.join(ids)}",
        )
    elif category not in ids:
        r.problem("category", f"unknown category '{category}'{did_you_mean(category, ids)}")
    elif question is not None and category not in question.categories:
        r.problem(
            "category",
            f"question '{question_id}' has no weight in '{category}'; choose one of: "
            + ", ".join(c for c in question.categories if c in ids),
        )


def _check_weighted(r: Reader, key: str, question_id: str, bank: Bank) -> None:
    """A question a layout asks needs a weight in the layout's set (``bank.categories``): without one it scores
    nothing on the role's scorecard."""
    question = bank.questions.get(question_id)
    ids = [c.id for c in bank.categories]
    if question is None or not ids or any(c in question.categories for c in ids):
        return
    file, place = bank.places.get(question_id, ("the bank", f"question '{question_id}'"))
    r.problem(
        key,
        f"'{question_id}' has no weight in the category set '{bank.category_set}' ({', '.join(ids)}) this layout "
        f"is scored on; give it a weight in one of them under `categories:` in {file} ({place}), or ask another "
        "question",
    )


def _read_section(r: Reader, index: int, bank: Bank, asked: dict[str, int]) -> LayoutSection:
    kind = r.text("kind")
    if kind and kind not in SECTION_KINDS:
        r.problem("kind", f"'{kind}' should be one of: {', '.join(SECTION_KINDS)}{did_you_mean(kind, SECTION_KINDS)}")
    if kind == "question":
        r.check_keys(("kind", "question", "minutes"), ("title", "backup", "category"))
    else:
        r.check_keys(("kind", "minutes"), ("title",))
    minutes = r.integer("minutes")
    if isinstance(r.data.get("minutes"), int) and minutes <= 0:
        r.problem("minutes", f"{minutes} should be at least 1")
    question_id = r.optional_text("question")
    backup_id = r.optional_text("backup")
    category = r.optional_text("category")
    questions = bank.questions
    question = questions.get(question_id) if question_id else None
    if question_id and question is None:
        r.problem("question", f"unknown question '{question_id}'{did_you_mean(question_id, questions)}")
    if question_id and question_id in asked:
        r.problem(
            "question", f"'{question_id}' is already asked in sections[{asked[question_id]}]; ask each question once"
        )
    elif question_id:
        asked[question_id] = index
    if backup_id:
        _check_backup(r, backup_id, question_id, bank, asked, index)
    for key, asked_id in (("question", question_id), ("backup", backup_id)):
        if asked_id:
            _check_weighted(r, key, asked_id, bank)
    if category and bank.categories:  # no categories: taxonomy.yaml is reported, not each use of them
        _check_category(r, category, question_id, bank)
    return LayoutSection(
        kind=kind,
        minutes=minutes,
        title=r.optional_text("title") or DEFAULT_TITLES.get(kind),
        question=question_id,
        backup=backup_id,
        category=category,
    )


def load_layout(
    role: str, layouts_dir: Path | None = None, bank_dir: Path | None = None, bank: Bank | None = None
) -> Layout:
    """Read and check one role's layout against the bank: ``bank`` when the caller has loaded it, else the one
    in ``bank_dir``."""
    layouts_dir = layouts_folder(layouts_dir)
    bank = load_bank(bank_dir) if bank is None else bank
    path = _layout_file(role, layouts_dir)
    problems = Problems()
    layout = _read_layout(path, display_path(layouts_dir, path), bank, problems)
    problems.raise_if_any()
    assert layout is not None  # read_yaml names the reason whenever it has no data
    return layout


def _layout_file(role: str, layouts_dir: Path) -> Path:
    """The file of ``role``'s layout, or a :class:`~exporter.errors.LayoutNotFound` saying why none can be read."""
    if not NAME.fullmatch(role):
        raise LayoutNotFound(
            f"'{role}' is not a role name ({NAME_RULE}); {known_names('role', list_roles(layouts_dir), layouts_dir)}"
        )
    path = layouts_dir / f"{role}.yaml"
    unreadable = file_problem(path)
    if unreadable and unreadable != "is missing":
        raise LayoutNotFound(f"{display_path(layouts_dir, path)}: {unreadable}")
    if unreadable:
        roles = list_roles(layouts_dir)
        if role in list_loops(layouts_dir):
            raise LayoutNotFound(
                f"'{role}' is a loop, not a role: use --loop {role} with `packet make`; "
                f"{known_names('role', roles, layouts_dir)}"
            )
        raise LayoutNotFound(
            f"unknown role '{role}'{did_you_mean(role, roles)}; {known_names('role', roles, layouts_dir)}"
        )
    return path


def validate(bank_dir: Path | None = None, layouts_dir: Path | None = None) -> tuple[Bank, list[Layout]]:
    """Check the bank and every layout, reporting all problems of all files at once."""
    problems = Problems()
    bank = _read_bank(Path(bank_dir) if bank_dir is not None else default_bank_dir(), problems)
    layouts_dir = Path(layouts_dir) if layouts_dir is not None else default_layouts_dir()
    layouts = []
    unlisted = layouts_folder_problem(layouts_dir)
    if unlisted:
        problems.add(str(layouts_dir), "", unlisted)
    for path in sorted(yaml_files(layouts_dir), key=lambda p: p.stem):
        shown = display_path(layouts_dir, path)
        if not NAME.fullmatch(path.stem):
            problems.add(shown, "", f"'{path.stem}' is not a role name; rename the file with {NAME_RULE}")
            continue
        layout = _read_layout(path, shown, bank, problems)
        if layout is not None:
            layouts.append(layout)
    problems.raise_if_any()
    return bank, layouts
