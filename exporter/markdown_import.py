"""`packet import`: questions drafted in Markdown, the way hiring managers write them, read into bank YAML.

:mod:`exporter.markdown_reading` reads the lines into drafts; here a question stated more than once (the same
first sentence, "you and your team" read as "you") becomes one question: its last wording is the text and the
earlier ones are kept as variants (:func:`merge`). Names of categories, teams, domains and backups become the
bank's ids, and each question gets an id of its own, never one the bank holds.

Nothing is dropped silently: what cannot be placed is a note by line, a malformed question (a label with nothing
under it, an unknown category, an id the bank already holds) an error by line, and then nothing is written.
The accepted shape: docs/formats.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .errors import MarkdownError, OutputExists
from .folders import default_bank_dir, display_path, yaml_files
from .loading import SLUG, SOURCES, Problems, read_yaml
from .markdown_reading import Draft, Reader, Vocabulary, lex
from .markdown_shape import words
from .model import Category, Domain, Team
from .output import check_overwrite, write_atomic
from .workspace import resolve_folders


def read_vocabulary(bank_dir: Path, replaced: Path | None) -> Vocabulary:
    """The bank's taxonomy and question ids, read leniently: a bank with a half-filled import still takes the
    next one. The questions of ``replaced`` (the --into file being overwritten) do not count."""
    problems = Problems()
    taxonomy = read_yaml(bank_dir / "taxonomy.yaml", display_path(bank_dir, bank_dir / "taxonomy.yaml"), problems, ())
    if taxonomy is None:
        raise MarkdownError([f"{problems.items[0]}; the import needs the bank's categories: give --bank FOLDER"], "")

    def entries(key: str, within: dict[str, Any] = taxonomy) -> list[dict[str, Any]]:
        return [e for e in within.get(key) or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]

    ids: dict[str, str] = {}
    titles: dict[str, str] = {}
    for path in yaml_files(bank_dir / "questions"):
        if replaced is not None and path.resolve() == replaced.resolve():
            continue
        data = read_yaml(path, display_path(bank_dir, path), Problems(), ())
        for question in (data or {}).get("questions") or []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                ids.setdefault(question["id"], display_path(bank_dir, path))
                titles.setdefault(" ".join(words(str(question.get("title", "")))), question["id"])
    sets = taxonomy.get("category_sets")
    sets = sets if isinstance(sets, dict) else {}  # a question may weigh categories of any set
    categories = [*entries("categories"), *(e for name in sets for e in entries(name, sets))]
    return Vocabulary(
        tuple(Category(e["id"], str(e.get("question", "")), str(e.get("label", ""))) for e in categories),
        tuple(Team(e["id"], str(e.get("name", ""))) for e in entries("teams")),
        tuple(Domain(e["id"], str(e.get("name", ""))) for e in entries("domains")),
        ids,
        titles,
    )


# --- statements of one question merged -------------------------------------------------------------------

# Words that tell nothing about what a question asks, left out of the ids made from its text.
_STOP_WORDS = (
    "a an and are as at be by can did do does for from had has have how i in is it me of on or our so that the "
    "whats their them they this through time to us was we were what when where which while who why will with "
    "you your yourself tell walk describe give example share"
)
_STOP = frozenset(_STOP_WORDS.split())


def opening(text: str) -> tuple[str, ...]:
    """The words of a question's first sentence, "you and your team" read as "you": what tells two
    statements of one question apart from two questions."""
    text = re.sub(r"\byou've\b", "you have", text.lower())
    text = re.sub(r"\byou and your team\b", "you", text)
    return tuple(words(re.split(r"(?<=[?.!])\s", text.strip(), maxsplit=1)[0]))


def same_question(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Equal first sentences, or one the other's start with a clause added (at least eight words in common)."""
    shorter = min(len(one), len(other))
    return one == other or (shorter >= 8 and one[:shorter] == other[:shorter])


def wordings(draft: Draft) -> list[str]:
    return [draft.text, *(text for _label, text in draft.values.get("variants", []))]


def grouped(drafts: list[Draft]) -> list[list[Draft]]:
    """Statements of the same question together, in the order each question was first stated. An ``Id:`` line
    decides: the same id is the same question, different ids are different questions."""
    groups: list[list[Draft]] = []
    for draft in drafts:
        own_id = draft.values.get("id")
        for group in groups:
            ids = {d.values.get("id") for d in group} - {None}
            if own_id and own_id in ids:
                break
            if own_id and ids:
                continue
            if any(same_question(opening(draft.text), opening(t)) for d in group for t in wordings(d)):
                break
        else:
            groups.append([])
            group = groups[-1]
        group.append(draft)
    return groups


def _same(one: str, other: str) -> bool:
    return " ".join(one.split()).lower() == " ".join(other.split()).lower()


@dataclass
class Merged:
    """One question: its statements merged, each part from the last statement that has it."""

    statements: list[int]  # the line of each statement
    title: str
    text: str
    values: dict[str, Any]
    lines: dict[str, int]


def merge(group: list[Draft]) -> Merged:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for draft in group:
        values.update({k: v for k, v in draft.values.items() if v and k != "variants"})
        lines.update(draft.lines)
    text = group[-1].text
    variants = merged_variants(group, text)
    if variants:
        values["variants"] = variants
    if "categories" not in values:
        context = next((d.category for d in reversed(group) if d.category), None)
        if context is not None:
            values["categories"] = {context: 1.0}
    title = next((d.title for d in reversed(group) if d.title), "")
    return Merged([d.line for d in group], title, text, values, lines)


def merged_variants(group: list[Draft], text: str) -> list[list[str]]:
    """The variants the statements list, then each earlier wording that is neither the text nor one of them:
    the first called ``original``."""
    variants: list[list[str]] = []
    for draft in group:
        variants += [v for v in draft.values.get("variants", []) if not any(_same(v[1], w[1]) for w in variants)]
    for draft in group[:-1]:
        if _same(draft.text, text) or any(_same(draft.text, v[1]) for v in variants):
            continue
        label = "original" if not any(v[0] == "original" for v in variants) else f"reworded {len(variants)}"
        variants.append([label, draft.text])
    return variants


# --- bank YAML -------------------------------------------------------------------------------------------


def id_from(title: str, text: str) -> str:
    """A question's id when the Markdown gives none: its title's words, or the telling words of its text."""
    if title:
        chosen = words(re.sub(r"\(.*?\)", "", title))[:6]
    else:
        chosen = [w for w in words(re.sub(r"\byou and your team\b", "you", text.lower())) if w not in _STOP][:5]
    return "-".join(chosen) or "question"


class Imported(NamedTuple):
    """The questions read from one Markdown file, as the bank's YAML holds them, and what to tell the user."""

    questions: list[dict[str, Any]]
    notes: list[str]  # Warning lines: what was left out, merged or left empty
    source: str  # the Markdown file as the user named it


def resolve(merged: list[Merged], reader: Reader) -> list[dict[str, Any]]:
    """Each question as the bank's YAML holds it; names of teams, domains and backups made ids."""
    vocabulary = reader.vocabulary
    ids = assign_ids(merged, reader)
    titles = {" ".join(words(m.title)): qid for m, qid in zip(merged, ids) if m.title}
    questions = []
    for m, qid in zip(merged, ids):
        values, line = m.values, m.statements[-1]
        data: dict[str, Any] = {"id": qid, "title": m.title, "text": m.text}
        if values.get("follow_ups"):
            data["follow_ups"] = values["follow_ups"]
        if values.get("variants"):
            data["variants"] = [{"label": label, "text": text} for label, text in values["variants"]]
        data["categories"] = {cid: _number(w) for cid, w in values.get("categories", {}).items()}
        data["teams"] = Flow(named(values.get("teams", []), vocabulary.teams, "team", reader))
        data["domains"] = Flow(named(values.get("domains", []), vocabulary.domains, "domain", reader))
        data["goal"] = values.get("goal", "")
        data["great"] = values.get("great", [])
        data["negative"] = values.get("negative", [])
        if values.get("technologies"):
            data["technologies"] = {group: Flow(names) for group, names in values["technologies"].items()}
        if values.get("backup_for"):
            where = m.lines.get("backup_for", line)
            data["backup_for"] = backup_id(values["backup_for"], set(ids) | set(vocabulary.ids), titles, reader, where)
        if values.get("backup_when"):
            data["backup_when"] = values["backup_when"]
        anchors = values.get("rating_anchors")
        if anchors:
            if len(anchors) != 4:
                reader.problem(m.lines.get("rating_anchors", line), f"{len(anchors)} rating anchors; give four, 1 to 4")
            data["rating_anchors"] = dict(enumerate(anchors, start=1))
        source = values.get("source", "authored").lower()
        if source not in SOURCES:
            reader.problem(m.lines.get("source", line), f"source '{source}' should be one of: {', '.join(SOURCES)}")
        data["source"] = source
        questions.append(data)
    return questions


def _number(weight: float) -> float | int:
    return int(weight) if weight == int(weight) else weight


def assign_ids(merged: list[Merged], reader: Reader) -> list[str]:
    """Each question's id: its ``Id:`` line, else made from its title or text (with ``-2``… where two would
    be the same). One the bank already holds is an error: an import never overwrites a bank question."""
    given = {m.values["id"] for m in merged if m.values.get("id")}
    ids: list[str] = []
    for m in merged:
        line = m.lines.get("id", m.statements[-1])
        qid = m.values.get("id")
        if qid is not None and not SLUG.fullmatch(qid):
            reader.problem(line, f"id '{qid}' is not a slug; use lower-case letters, digits and hyphens")
        if qid is None:
            base = qid = id_from(m.title, m.text)
            number = 2
            while qid in given or qid in ids:
                qid, number = f"{base}-{number}", number + 1
        if qid in reader.vocabulary.ids:
            reader.problem(
                line,
                f"id '{qid}' is already a question in {reader.vocabulary.ids[qid]}, which an import never overwrites; "
                "give this question another title, or an 'Id:' line with an id of its own",
            )
        ids.append(qid)
    return ids


def named(
    names: list[tuple[str, int]], known: tuple[Team, ...] | tuple[Domain, ...], kind: str, reader: Reader
) -> list[str]:
    """Team or domain names (or ids) as their ids."""
    found = []
    for name, line in names:
        match = next((k.id for k in known if words(name) in (words(k.id), words(k.name))), None)
        if match is None:
            listed = ", ".join(k.name for k in known) or "none"
            reader.problem(
                line, f"no {kind} '{name}' in the bank's taxonomy.yaml (its {kind}s: {listed}); add it there first"
            )
        elif match not in found:
            found.append(match)
    return found


def backup_id(value: str, ids: set[str], titles: dict[str, str], reader: Reader, line: int) -> str:
    """The question a backup stands in for, named by its id or its title."""
    if value in ids:
        return value
    title = " ".join(words(value))
    found = titles.get(title) or reader.vocabulary.titles.get(title)
    if found is None:
        reader.problem(line, f"backup for '{value}': no question of that id or title here or in the bank")
        return value
    return found


def notes(reader: Reader, merged: list[Merged], questions: list[dict[str, Any]]) -> list[str]:
    """What the user should know: lines left out, questions stated more than once, parts left empty."""
    shown = reader.shown
    said = []
    for first, last, text in reader.unplaced:
        where = f"{first}" if first == last else f"{first}-{last}"
        said.append(f"{shown}:{where}: not part of a question, left out: {snippet(text)}")
    for m in merged:
        if len(m.statements) > 1:
            where = ", ".join(map(str, m.statements))
            said.append(
                f"{shown}:{where}: one question stated {len(m.statements)} times ({snippet(m.text)}); the last "
                "wording is its text, earlier ones are variants, each part comes from the last statement that has it"
            )
    for m, data in zip(merged, questions):
        missing = [name for name in ("title", "goal", "great", "negative", "categories") if not data[name]]
        if missing:
            said.append(
                f"{shown}:{m.statements[-1]}: '{data['id']}' has no {', '.join(missing)}; left empty to fill in"
            )
    unplaced_teams = sum(1 for data in questions if not data["teams"] or not data["domains"])
    if unplaced_teams:
        said.append(
            f"{shown}: {unplaced_teams} question{'' if unplaced_teams == 1 else 's'} without teams or domains; "
            "name them from the bank's taxonomy.yaml"
        )
    return said


def snippet(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= size else f'"{text[: size - 1].rstrip()}\u2026"'


def import_markdown(path: Path, bank_dir: Path | None = None, into: Path | None = None) -> Imported:
    """The questions of the Markdown file ``path``, checked against the bank (``bank_dir``, or the bank
    ``into`` lies in, or the shipped one); a :class:`~exporter.errors.MarkdownError` lists every malformed
    line."""
    shown = str(path)
    try:
        markdown = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MarkdownError([f"{shown}: no such file"], shown) from None
    except UnicodeDecodeError as exc:
        raise MarkdownError([f"{shown}: is not UTF-8 text (byte {exc.start}); save it as UTF-8"], shown) from None
    except OSError as exc:
        raise MarkdownError([f"{shown}: cannot be read ({exc.strerror or exc})"], shown) from None
    vocabulary = read_vocabulary(bank_folder(bank_dir, into), into)
    reader = Reader(shown, vocabulary)
    drafts = reader.read(lex(markdown))
    merged = [merge(group) for group in grouped(drafts)]
    questions = resolve(merged, reader)
    if not questions and not reader.problems:
        shape = "docs/formats.md shows the shape `packet import` reads"
        raise MarkdownError([f"{shown}: holds no question; {shape}"], shown)
    if reader.problems:
        raise MarkdownError(reader.problem_list(), shown)
    return Imported(questions, notes(reader, merged, questions), shown)


def bank_folder(bank_dir: Path | None, into: Path | None) -> Path:
    """The bank an import is checked against: --bank, else the bank whose questions/ folder --into is in, else
    the workspace's bank (the nearest packet.toml), else the shipped bank."""
    if bank_dir is not None:
        return bank_dir
    if into is not None and into.parent.name == "questions" and (into.parent.parent / "taxonomy.yaml").is_file():
        return into.parent.parent
    return resolve_folders(None, None).bank or default_bank_dir()


class Flow(list):  # type: ignore[type-arg]
    """A short list the YAML writes on one line, as the shipped bank does: ``teams: [release-deployment]``."""


def questions_yaml(imported: Imported) -> str:
    """The bank file's text: a comment saying where it came from and what is left to do, then the questions."""
    import yaml  # only here: reading Markdown needs no YAML

    class BankDumper(yaml.SafeDumper):
        """Indents lists under their key and writes :class:`Flow` lists on one line, as the bank is written."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    BankDumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
    count = len(imported.questions)
    plural = "" if count == 1 else "s"
    header = f"# Imported by `packet import` from {Path(imported.source).name}: {count} question{plural}.\n"
    empty = any(
        not q[name]
        for q in imported.questions
        for name in ("title", "goal", "great", "negative", "categories", "teams", "domains")
    )
    if empty:
        header += (
            "# Left empty where the Markdown did not say: fill in each question's teams and domains (ids from\n"
            "# taxonomy.yaml) and any empty title, goal, signals or categories; `packet validate` lists them.\n"
        )
    body = yaml.dump(
        {"questions": imported.questions}, Dumper=BankDumper, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body


def write_questions(imported: Imported, into: Path, force: bool = False) -> Path:
    """Write the questions as the bank file ``into`` (``bank/questions/NAME.yaml``), atomically; an existing
    file only with ``force``."""
    check_into(into, force)
    text = questions_yaml(imported)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(into, write, force)
    return into


def check_into(into: Path, force: bool = False) -> None:
    """Refuse an --into the bank would not read, or an existing one without ``force``: before any reading."""
    if into.suffix != ".yaml":
        raise MarkdownError([f"--into {into}: the bank reads only *.yaml files; name it {into.stem}.yaml"], "")
    if into.is_file() and not force:
        raise OutputExists(f"{into} exists; use --force to replace it, or choose another --into file")
    check_overwrite(into, force, lambda _path: None)
