"""Reading Markdown line by line into drafts of questions, for `packet import` (:mod:`exporter.markdown_import`).

Headings and bold lines give titles or, when they are one of the bank's category questions, the category of the
questions under them; a ``Question:`` label, a quoted line or a list item ending in "?" starts a question; the
labels of :mod:`exporter.markdown_shape` fill its fields, their lists under them. A :class:`Reader` notes what it
cannot place (by line) and what is malformed; it knows the bank only through a :class:`Vocabulary`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .markdown_shape import LABELS, TEXT_FIELDS, field_of, words
from .model import Category, Domain, Team


class Vocabulary(NamedTuple):
    """What the bank already holds that an import refers to: its taxonomy and its questions' ids and titles."""

    categories: tuple[Category, ...]
    teams: tuple[Team, ...]
    domains: tuple[Domain, ...]
    ids: dict[str, str]  # question id -> the file that holds it
    titles: dict[str, str]  # question title, as words -> id

    def category(self, name: str) -> str | None:
        """The id of the category ``name`` means (its id, label or question, or every word of it in one of
        those), or None when it means none or several."""
        wanted = words(name)
        if not wanted:
            return None
        for c in self.categories:
            if wanted in (words(c.id), words(c.label), words(c.question)):
                return c.id
        found = [c.id for c in self.categories if set(wanted) <= set(words(f"{c.id} {c.label} {c.question}"))]
        return found[0] if len(found) == 1 else None


# --- lines -----------------------------------------------------------------------------------------------


class Line(NamedTuple):
    """One line of the Markdown, its marker taken off and its text tidied (:func:`tidy`)."""

    number: int
    kind: str  # blank, rule, heading, item, text or code
    indent: int
    content: str
    level: int = 0  # a heading's level
    ordered: bool = False  # an item of a numbered list


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00a0": " "})
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|\"'])")
_HEADING = re.compile(r"(#{1,6})\s+(.*?)(\s+#+)?")
_ITEM = re.compile(r"([-*+\u2022]|\d+[.)])\s+(.*)")
_RULE = re.compile(r"(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}")
_CONVERSATION = re.compile(r"(user|assistant|system|tool\b.*) - \d{4}-\d{2}-\d{2}.*", re.IGNORECASE)


def tidy(text: str) -> str:
    """Smart quotes made straight (the bank's texts are; the outputs curl them), Markdown escapes (``\\-``,
    as Google Docs writes) undone, a hard line break's backslash or spaces taken off."""
    return _ESCAPED.sub(r"\1", text.translate(_QUOTES)).rstrip().removesuffix("\\").rstrip()


def lex(markdown: str) -> list[Line]:
    """The document as :class:`Line` s; HTML comments (``<!-- … -->``) are left out, fenced code kept as
    ``code`` lines, which are never a question's."""
    markdown = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), markdown, flags=re.DOTALL)
    lines: list[Line] = []
    fenced = False
    for number, raw in enumerate(markdown.splitlines(), start=1):
        expanded = raw.expandtabs(4)
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        while stripped.startswith(">"):  # a quoted block reads as its content
            stripped = stripped[1:].strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            lines.append(Line(number, "code", indent, stripped))
        elif fenced:
            lines.append(Line(number, "code", indent, stripped))
        elif not stripped:
            lines.append(Line(number, "blank", indent, ""))
        elif _RULE.fullmatch(stripped):
            lines.append(Line(number, "rule", indent, ""))
        elif heading := _HEADING.fullmatch(stripped):
            lines.append(Line(number, "heading", indent, tidy(heading.group(2)), level=len(heading.group(1))))
        elif item := _ITEM.fullmatch(stripped):
            ordered = item.group(1)[0].isdigit()
            lines.append(Line(number, "item", indent, tidy(item.group(2)), ordered=ordered))
        else:
            lines.append(Line(number, "text", indent, tidy(stripped)))
    return lines


# --- the parts of a line's text --------------------------------------------------------------------------

_LABEL = re.compile(
    r"(?:\*\*(?P<a>[^*]+?):\*\*|\*\*(?P<b>[^*]+?)\*\*:|__(?P<c>[^_]+?):__|__(?P<d>[^_]+?)__:"
    r"|\*(?P<e>[^*]+?):\*|\*(?P<f>[^*]+?)\*:|_(?P<g>[^_]+?):_|(?P<plain>[A-Za-z][\w /&'()-]{0,60}?):)"
    r"(?:\s+(?P<rest>.*)|$)"
)
_WRAPPED = re.compile(r"(\*\*\*|\*\*|__|\*|_)(?P<inner>.+?)\1:?")
_NUMBER = re.compile(r"\d+[a-z]?[.)]\s+")
_PARENTHESIS = re.compile(r"(?P<head>.*?)\s*\((?P<note>[^()]*)\)")


def label_of(content: str) -> tuple[str, str, bool] | None:
    """``(label, rest, known_form)`` of ``**Label:** rest`` and its variants; a plain ``Label: rest`` only when
    its label names a field (``Note: …`` in prose is not one)."""
    match = _LABEL.fullmatch(content)
    if not match:
        return None
    plain = match.group("plain")
    label = plain or next(g for g in match.groups()[:7] if g is not None)
    if plain and field_of(plain)[0] is None:
        return None
    return label.strip(), (match.group("rest") or "").strip(), plain is None


def unwrap(text: str) -> str:
    """``text`` without emphasis around the whole of it: ``**"…"**`` → ``"…"``."""
    while match := _WRAPPED.fullmatch(text):
        text = match.group("inner").strip()
    return text


def bold_only(content: str) -> str | None:
    """The text of a line that is all bold or italic (a title, or a category question), else None."""
    if not _WRAPPED.fullmatch(content):
        return None
    return _NUMBER.sub("", unwrap(content), count=1).rstrip(":").strip()


def unquote(text: str) -> str:
    """A question as written in quotes, without them."""
    text = unwrap(text.strip())
    return text[1:-1].strip() if len(text) > 1 and text[0] == text[-1] == '"' else text


def quoted(content: str) -> str | None:
    """The question of a line that is one quotation (``"…"`` or ``**"…"**``), else None."""
    text = unwrap(content)
    return unquote(text) if len(text) > 2 and text[0] == text[-1] == '"' else None


def split_list(text: str) -> list[str]:
    """``Jenkins, GitLab CI; GitHub Actions`` as its names."""
    return [part.strip().rstrip(".") for part in re.split(r"[,;]", text) if part.strip().rstrip(".")]


# --- drafts ----------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """One statement of a question as the Markdown writes it, before statements of the same one are merged."""

    line: int
    title: str = ""
    text: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # field -> value, as written
    lines: dict[str, int] = field(default_factory=dict)  # field -> the line of its label
    category: str | None = None  # the category of the heading it stands under


@dataclass
class Collector:
    """A label's list (``A great answer will mention:`` and the items under it) while its items come."""

    field: str
    label: Line
    draft: Draft | None
    first: Line | None = None
    group: tuple[str, int] | None = None  # a technology group whose names are listed under it, and its indent

    def takes(self, line: Line) -> str:
        """``take`` an item of this list, ``pass`` one nested in a question of an ``Interview Questions`` list,
        or ``end`` the list."""
        if line.kind == "text":
            return "take" if self.field == "questions" and line.content.endswith("?") else "end"
        if line.kind != "item":
            return "end"
        if self.label.kind == "item" and line.indent <= self.label.indent:
            return "end"
        if line.indent < self.label.indent:
            return "end"
        if self.first is None:
            return "take"
        if line.indent > self.first.indent:
            return "pass" if self.field == "questions" else "take"
        same_list = line.indent == self.first.indent and line.ordered == self.first.ordered
        return "take" if same_list else "end"


CategoryNote = dict[str, float]


class Reader:
    """Reads :class:`Line` s into :class:`Draft` s, noting what it cannot place and what is malformed."""

    def __init__(self, shown: str, vocabulary: Vocabulary) -> None:
        self.shown, self.vocabulary = shown, vocabulary
        self.drafts: list[Draft] = []
        self.problems: list[tuple[int, str]] = []  # (line, message), said in the order of the lines
        self.unplaced: list[tuple[int, int, str]] = []  # first line, last line, its text
        self.current: Draft | None = None
        self.pending: tuple[str, CategoryNote | None] | None = None  # a title waiting for its question
        self.context: tuple[str, int] | None = None  # category of the heading, and the heading's level
        self.collector: Collector | None = None
        self.sink: tuple[Callable[[str], None], bool] | None = None  # where a wrapped line goes; still empty?
        self.open_run: list[Line] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, f"{self.shown}:{line}: {message}"))

    def problem_list(self) -> list[str]:
        return [message for _line, message in sorted(self.problems, key=lambda p: p[0])]

    # -- dispatch

    def read(self, lines: list[Line]) -> list[Draft]:
        for line in lines:
            self.feed(line)
        self.finish()
        self.close_run()
        return self.drafts

    def feed(self, line: Line) -> None:
        if line.kind == "blank":
            if self.sink and not self.sink[1]:
                self.sink = None
            return
        if line.kind in ("item", "text") and self.collector is not None:
            verdict = self.collector.takes(line)
            if verdict == "take":
                self.close_run()
                self.collect(self.collector, line)
                return
            if verdict == "end":
                self.collector = None
        if line.kind == "text" and self.sink is not None and not self.is_statement(line.content):
            self.close_run()
            self.sink[0](line.content)
            self.sink = (self.sink[0], False)
            return
        self.sink = None
        if line.kind == "code":
            self.leave_out(line)
        elif line.kind in ("rule", "heading"):
            self.close_run()
            self.finish()
            self.collector = None
            if line.kind == "heading":
                self.heading(line)
        else:
            self.statement(line)

    def is_statement(self, content: str) -> bool:
        """Whether a line starts something of its own rather than continuing the one before."""
        return label_of(content) is not None or self.category_note(content) is not None

    def leave_out(self, line: Line) -> None:
        self.open_run.append(line)

    def close_run(self) -> None:
        if self.open_run:
            first, last = self.open_run[0], self.open_run[-1]
            self.unplaced.append((first.number, last.number, first.content))
            self.open_run = []

    # -- structure

    def heading(self, line: Line) -> None:
        text = _NUMBER.sub("", unwrap(line.content), count=1).rstrip(":").strip()
        if _CONVERSATION.fullmatch(text):  # a chat export's "### User - 2024-10-05 21:51:47": a new message
            self.context, self.pending = None, None
            return
        if self.context is not None and line.level <= self.context[1]:
            self.context = None
        category = self.vocabulary.category(text)
        if category is not None:
            self.context, self.pending = (category, line.level), None
        else:
            self.pending = self.titled(text)

    def titled(self, text: str) -> tuple[str, CategoryNote | None]:
        """A title, and the category note in parentheses at its end if it has one."""
        match = _PARENTHESIS.fullmatch(text)
        note = self.category_note(f"({match.group('note')})") if match else None
        if match and note is not None:
            return unwrap(match.group("head")), note
        return text, None

    def finish(self) -> None:
        """Close the question being read: its problems are known once nothing more can come."""
        draft, self.current = self.current, None
        if draft is None:
            return
        if not draft.text:
            self.problem(draft.line, "the question has no text; write it after 'Question:'")
        elif draft.text.startswith('"') and '"' not in draft.text[1:]:
            self.problem(draft.line, "the question's quotation marks are not closed; end the question with '\"'")
        for name, number in draft.lines.items():
            if name not in TEXT_FIELDS and not draft.values.get(name):
                self.problem(number, f"'{name_of(name)}:' lists nothing; put its items under it as '- …' lines")
            elif name in TEXT_FIELDS and not draft.values.get(name):
                self.problem(number, f"'{name_of(name)}:' is empty; write its text after the colon")

    def start(self, text: str, line: Line, title: str | None = None) -> Draft:
        """A new question; a title waiting from a heading or bold line is its own unless it is in a numbered list
        (where the heading names the list)."""
        self.close_run()
        self.finish()
        draft = Draft(line.number, text=text, category=self.context[0] if self.context else None)
        if title is not None:
            draft.title = title
        elif self.pending is not None and not line.ordered:
            draft.title = self.pending[0]
            if self.pending[1] is not None:
                draft.values["categories"] = self.pending[1]
        self.pending = None
        self.current = draft
        self.drafts.append(draft)
        if not text:
            self.sink = (lambda more: self.extend_text(draft, more), True)
        return draft

    @staticmethod
    def extend_text(draft: Draft, more: str) -> None:
        draft.text = unquote(f"{draft.text} {more}".strip())

    # -- one line that is not in a list

    def statement(self, line: Line) -> None:
        content = line.content
        labelled = label_of(content)
        if labelled is not None and field_of(labelled[0])[0] is not None:
            self.close_run()
            self.labelled(labelled[0], labelled[1], line)
            return
        note = self.category_note(content)
        if note is not None and self.current is not None:
            self.close_run()
            self.set_value(self.current, "categories", note, line)
            return
        if self.placed(content, labelled, line):
            return
        self.leave_out(line)

    def placed(self, content: str, labelled: tuple[str, str, bool] | None, line: Line) -> bool:
        """Whether a line that is no known label is a title, a category, or a question."""
        bold = bold_only(content)
        if bold is not None and quoted(bold) is None:
            self.close_run()
            self.finish()
            category = self.vocabulary.category(bold) if bold.endswith("?") or len(words(bold)) < 4 else None
            if category is not None:
                self.context, self.pending = (category, 7), None
            else:
                self.pending = self.titled(bold)
            return True
        question = quoted(content)
        if question is not None:
            self.start(question, line)
            return True
        if content.endswith("?"):
            plain = _NUMBER.sub("", content, count=1)
            category = self.vocabulary.category(plain)
            if category is not None:
                self.close_run()
                self.finish()
                self.context, self.pending = (category, 7), None
                return True
            if line.kind == "item" or self.pending is not None:
                self.start(unquote(plain), line)
                return True
        if labelled is not None and labelled[2] and labelled[1].endswith("?"):
            self.start(unquote(labelled[1]), line, title=labelled[0])
            return True
        return False

    def labelled(self, label: str, rest: str, line: Line) -> None:
        name, note = field_of(label)
        if name == "question":
            self.start(unquote(rest), line)
            return
        if name == "questions":
            self.finish()
            self.collector = Collector("questions", line, None)
            if rest:
                self.start(unquote(rest), line)
            return
        if name == "title" and self.current is None:
            self.pending = self.titled(rest)
            return
        draft = self.current
        if draft is None:
            self.problem(line.number, f"'{label}:' comes before any question; put it under the question it is for")
            return
        assert name is not None
        if name in TEXT_FIELDS or name == "categories":
            if name in draft.lines or (name == "title" and draft.title):
                self.problem(line.number, f"a second '{label}:' for the question at line {draft.line}")
                return
            draft.lines[name] = line.number
            if name == "categories":
                self.categories(draft, rest, line)
            else:
                self.text_value(draft, name, rest)
            return
        draft.lines.setdefault(name, line.number)
        if rest:
            self.collect_text(draft, name, rest, note, line)
        self.collector = Collector(name, line, draft)

    def text_value(self, draft: Draft, name: str, rest: str) -> None:
        def add(more: str) -> None:
            if name == "title":
                draft.title = f"{draft.title} {more}".strip()
            else:
                draft.values[name] = f"{draft.values.get(name, '')} {more}".strip()

        add(rest)
        self.sink = (add, not rest)

    def categories(self, draft: Draft, rest: str, line: Line) -> None:
        if not rest:
            self.collector = Collector("categories", line, draft)
            draft.values["categories"] = {}
            return
        note = self.weights(rest, line)
        if note is None:
            del draft.lines["categories"]  # its problem is said already
        else:
            draft.values["categories"] = note

    # -- items of a list

    def collect(self, collector: Collector, line: Line) -> None:
        if collector.first is None:
            collector.first = line
        if collector.field == "questions":
            self.start(unquote(_NUMBER.sub("", line.content, count=1)), line)
            return
        draft = collector.draft
        assert draft is not None
        if collector.field == "technologies" and collector.group and line.indent > collector.group[1]:
            draft.values["technologies"][collector.group[0]] += split_list(line.content)
            return
        self.collect_text(draft, collector.field, line.content, "", line)

    def collect_text(self, draft: Draft, name: str, content: str, note: str, line: Line) -> None:
        """One item (or an inline value) of a list field."""
        values = draft.values
        if name == "technologies":
            labelled = label_of(content)
            group, names = (labelled[0], labelled[1]) if labelled else ("Technologies", content)
            values.setdefault("technologies", {}).setdefault(group, []).extend(split_list(names))
            if self.collector is not None:
                self.collector.group = (group, line.indent) if labelled and not names else None
        elif name == "categories":
            note_value = self.weights(content, line)
            if note_value is not None:
                values.setdefault("categories", {}).update(note_value)
        elif name in ("teams", "domains"):
            values.setdefault(name, []).extend((part, line.number) for part in split_list(content))
        elif name == "variants":
            labelled = label_of(content)
            label, text = (labelled[0], labelled[1]) if labelled else (note, content)
            variant = [label, unquote(text)]
            values.setdefault("variants", []).append(variant)
            self.sink = (lambda more: variant.__setitem__(1, unquote(f"{variant[1]} {more}")), False)
        else:
            items: list[str] = values.setdefault(name, [])
            if name == "rating_anchors":
                content = re.sub(r"^\**[1-4]\s*[:.)\u2013\u2014-]\**\s*", "", content)
            items.append(unquote(content) if name == "follow_ups" else content)
            self.sink = (lambda more: items.__setitem__(-1, unquote(f"{items[-1]} {more}")), False)

    # -- categories

    def category_note(self, content: str) -> CategoryNote | None:
        """The weights of ``(World-class: 1, Operational: 0.5)``, or None when it is no such note."""
        text = unwrap(content)
        if not (text.startswith("(") and text.endswith(")")):
            return None
        parts = split_list(text[1:-1])
        if not parts or any(self.vocabulary.category(re.sub(r"[:(]?\s*[0-9.]+\)?$", "", p)) is None for p in parts):
            return None
        return self.weights(text[1:-1], None)

    def weights(self, note: str, line: Line | None) -> CategoryNote | None:
        """``A: 1, B: 0.5`` or ``A, B`` (the first listed is the primary, weight 1; the others 0.5)."""
        weights: CategoryNote = {}
        for part in split_list(note):
            match = re.fullmatch(r"(?P<name>.+?)\s*(?::\s*|\(\s*|\s)(?P<weight>[0-9]*\.?[0-9]+)\s*\)?", part)
            name = match.group("name") if match else part
            category = self.vocabulary.category(name)
            if category is None:
                if line is not None:
                    known = ", ".join(c.label or c.id for c in self.vocabulary.categories)
                    self.problem(line.number, f"no category '{name}' in the bank; the categories are: {known}")
                return None
            weight = float(match.group("weight")) if match else (1.0 if not weights else 0.5)
            if not 0 < weight <= 1:
                if line is not None:
                    self.problem(
                        line.number, f"weight {weight:g} for '{name}' is outside (0, 1]; use 1 for the primary"
                    )
                return None
            weights[category] = weight
        return weights

    def set_value(self, draft: Draft, name: str, value: object, line: Line) -> None:
        if name in draft.lines:
            self.problem(line.number, f"a second category note for the question at line {draft.line}")
            return
        draft.lines[name] = line.number
        draft.values[name] = value


def name_of(field_name: str) -> str:
    return LABELS.get(field_name, field_name.replace("_", " ").capitalize())
