"""Reading YAML text the way every bank and layout file is read: YAML 1.2 words and numbers, repeated keys
reported, libyaml when it is there; and no hang or traceback whatever the text: absurd nesting, aliases that
expand past a limit or into themselves, and values Python cannot make (a 30 February, a 5,000-digit number)
are problems with their place.

Imported only for a file whose data is not in the cache (:mod:`exporter.cache`), so a warm run does not
import PyYAML at all.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import yaml


class Problems(Protocol):
    """Where :func:`parse` puts what is wrong with a file (``exporter.loading.Problems`` is one)."""

    def add(self, file: str, place: str, message: str) -> None: ...


class _NotesDuplicateKeys:
    """A loader mix-in that notes each key written twice in one mapping instead of silently keeping the last.

    YAML drops the first value of a repeated key (a second `great:` would replace the first list of great
    signals), so each one becomes a problem; the file is still read, so its other problems are reported too.
    """

    duplicate_keys: list[tuple[Any, Any, Any]]  # (mark of the repeat, key, mark of the first)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.duplicate_keys = []
        self._checked: set[yaml.MappingNode] = set()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        # Checked here, before a merge (`<<: *base`) puts the base's keys into the node: overriding them is
        # what a merge is for. A merged node is flattened before its own turn comes, hence the set.
        if node not in self._checked:
            self._checked.add(node)
            first: dict[Any, Any] = {}
            for key_node, _value in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # other keys are not hashable: an error of their own
                key = self.construct_object(key_node)  # type: ignore[attr-defined]
                if key in first:
                    self.duplicate_keys.append((key_node.start_mark, key, first[key]))
                else:
                    first[key] = key_node.start_mark
        super().flatten_mapping(node)  # type: ignore[misc]


class _BadValue(Exception):
    """A value the loader cannot make; raised in place of whatever Python raised, with the value's place."""

    def __init__(self, node: yaml.Node, reason: str) -> None:
        super().__init__(reason)
        self.mark = node.start_mark
        tag = node.tag.rsplit(":", 1)[-1]
        what = _KINDS.get(tag, f"a valid '{tag}'")
        text = node.value if isinstance(node, yaml.ScalarNode) else "this value"
        shown = f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"
        because = f" ({reason})" if reason else ""
        self.message = f"{shown} is not {what}{because}; correct it, or quote it to keep it as text"


_KINDS = {"timestamp": "a date", "int": "a whole number", "float": "a number", "bool": "true or false"}


class _ReportsBadValues:
    """A loader mix-in that turns a value Python cannot make into :class:`_BadValue` at the value's place.

    PyYAML's constructors raise plain Python errors for some scalars that match a type's pattern: ValueError
    for `2026-02-30`, IndexError for `!!int ''`, KeyError for `!!bool maybe`, AttributeError for `!!timestamp
    soon`. Whole numbers are refused past MAX_DIGITS digits, before Python's conversion raises (3.11 and
    later) or takes quadratic time (3.10); a hexadecimal one is refused once made, past that many decimal
    digits, since Python could not print it.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        too_long = f"more than {MAX_DIGITS:,} digits"
        if node.tag == _YAML_INT and isinstance(node.value, str) and len(node.value) > MAX_DIGITS:
            raise _BadValue(node, too_long)
        try:
            value = super().construct_object(node, deep)  # type: ignore[misc]
        except ValueError as exc:
            detail = str(exc).split(";")[0]
            raise _BadValue(node, detail[:1].lower() + detail[1:]) from None
        except (IndexError, KeyError, AttributeError, TypeError, OverflowError):
            raise _BadValue(node, "") from None
        if type(value) is int and abs(value) >= _TOO_MANY_DIGITS:
            raise _BadValue(node, too_long)
        return value


MAX_DIGITS = 4300
"""Digits a whole number in a YAML file may have: Python's own limit for converting numbers from and to text."""
_TOO_MANY_DIGITS = 10**MAX_DIGITS


def _yaml_1_2(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` with YAML 1.2 booleans and integers: only true/false, so `yes:` and `no:` stay words, and no
    base-60 numbers, so `start: 10:00` stays the time "10:00" instead of the number 600; and with repeated
    keys noted (:class:`_NotesDuplicateKeys`) and values Python cannot make reported (:class:`_ReportsBadValues`)."""
    loader: Any = type(f"YAML12{base.__name__}", (_ReportsBadValues, _NotesDuplicateKeys, base), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", _YAML_INT)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    loader.add_implicit_resolver(
        _YAML_INT,
        re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
        list("-+0123456789"),
    )
    return loader


_YAML_INT = "tag:yaml.org,2002:int"
_SafeLoader = _yaml_1_2(yaml.SafeLoader)
# libyaml reads the bank ten times faster than the pure-Python parser and gives the same data; its error
# messages are worded differently, so a file it rejects is read again by the pure-Python one for the message.
_FastLoader = _yaml_1_2(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


MAX_NESTING = 64
"""Collections inside collections a YAML file may hold; a bank file needs about six. The parsers build
nested collections by recursion: deeper files crash the pure-Python one (RecursionError) and libyaml's
(a segmentation fault), so deeper files are refused before they are parsed."""


MAX_VALUES = 100_000
"""Values (each text, number, list and mapping) a YAML file may stand for once its aliases (`*name`) are
expanded; the largest bank file holds about 1,000. Aliases make a file stand for far more than it holds:
ten nested lines of ten aliases each stand for ten billion values, which everything after reading walks.
Only a file with an alias is counted: without one, a file holds no more values than it has characters."""


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _too_deep(text: str) -> str | None:
    """Where ``text`` nests collections more than MAX_NESTING deep, or None.

    A quick estimate from brackets and indentation comes first: flow collections open with `[` or `{`, and
    every second level of block collections is indented at least one column further (a sequence may sit at
    its mapping's column), counting `- `, `? ` and `: ` that open a collection on the same line. Only a file
    the estimate finds deep enough is counted exactly, by the parser's events, which need no recursion.
    """
    depth = flow = 0
    for bracket in re.findall(r"[\[\]{}]", text):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        flow = max(flow, depth)
    indent = max((len(m) for m in re.findall(r"(?m)^[ \t?:-]*", text)), default=0)
    if flow + 2 * indent + 2 <= MAX_NESTING:
        return None
    depth = 0
    try:
        # The pure-Python parser: its events need no recursion, and its count does not depend on the limits
        # a given libyaml build applies on its own.
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return _where(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # malformed before it got too deep: reading the file reports where
    return None


def _too_many_values(text: str) -> tuple[str, str] | None:
    """The place and the problem where ``text``'s aliases make it stand for more than MAX_VALUES values, or
    refer to a collection they are inside of (which would never end); None when neither.

    Counted from the parser's events, before anything is built: each value counts one, an alias counts the
    values of what it names, and a collection with an anchor (`&name`) learns its count when it ends.
    """
    if "*" not in text:
        return None
    counted = 0
    sizes: dict[str, int] = {}  # values each anchor stands for
    open_collections: list[tuple[str | None, int]] = []  # anchor and the count at the start, innermost last
    try:
        # libyaml's events when it is there: the depth check has already refused anything deep enough to crash it.
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_collections):
                    return _where(event.start_mark), (
                        f"the alias '*{event.anchor}' is inside the collection it names, which would never end; "
                        "write the values out instead"
                    )
                counted += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                counted += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                counted += 1
                open_collections.append((event.anchor, counted))
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, start = open_collections.pop()
                if anchor is not None:
                    sizes[anchor] = counted - start + 1
            if counted > MAX_VALUES:
                return _where(event.start_mark), (
                    f"its aliases make the file stand for more than {MAX_VALUES:,} values, where "
                    "a bank file holds about 1,000: write the values out, or use fewer aliases"
                )
    except yaml.YAMLError:
        pass  # malformed: reading the file reports where
    return None


def parse(text: str, shown: str, problems: Problems) -> tuple[Any, bool]:
    """The data of a file's ``text`` and whether it read cleanly (no key written twice); ``(None, False)``
    after adding why it cannot be read to ``problems``. A file that cannot be parsed is one problem: its
    other problems show once it parses."""
    too_deep = f"nested more than {MAX_NESTING} levels deep; a bank file never needs that"
    deep_at = _too_deep(text)
    if deep_at is not None:
        problems.add(shown, deep_at, too_deep)
        return None, False
    too_many = _too_many_values(text)
    if too_many is not None:
        problems.add(shown, *too_many)
        return None, False
    try:
        try:
            data, duplicate_keys = _load(text, _FastLoader)
        except yaml.YAMLError:
            data, duplicate_keys = _load(text, _SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        problems.add(
            shown, _where(mark) if mark else "", f"malformed YAML: {reason}; check the indentation and quoting there"
        )
        return None, False
    except _BadValue as bad:
        problems.add(shown, _where(bad.mark), bad.message)
        return None, False
    except RecursionError:  # deep nesting the cheap count missed
        problems.add(shown, "", too_deep)
        return None, False
    for mark, key, first in sorted(duplicate_keys, key=lambda found: (found[0].line, found[0].column)):
        problems.add(shown, _where(mark), f"duplicate key '{key}' (first at line {first.line + 1}); keep one")
    return _text_keys(data), not duplicate_keys


def _text_keys(data: Any) -> Any:
    """``data`` with every mapping key as text: in packet's files a key is a name, so ``1:`` (a rating level)
    is the key "1", and the data goes through the cache's JSON unchanged."""
    if isinstance(data, dict):
        return {str(key): _text_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_text_keys(item) for item in data]
    return data


def _load(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[Any, list[tuple[Any, Any, Any]]]:
    """The data of ``text`` and the repeated keys the loader noted."""
    loader: Any = loader_class(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()
