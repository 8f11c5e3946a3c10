"""Reading YAML text the way every bank and layout file is read: YAML 1.2 words and numbers, repeated keys
and absurd nesting reported, libyaml when it is there.

Imported only for a file whose data is not in the cache (:mod:`exporter.cache`), so a warm run does not
import PyYAML at all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .loading import Problems


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


def _yaml_1_2(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` with YAML 1.2 booleans and integers: only true/false, so `yes:` and `no:` stay words, and no
    base-60 numbers, so `start: 10:00` stays the time "10:00" instead of the number 600; and with repeated
    keys noted (:class:`_NotesDuplicateKeys`)."""
    loader: Any = type(f"YAML12{base.__name__}", (_NotesDuplicateKeys, base), {})
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


def parse(text: str, shown: str, problems: Problems) -> tuple[Any, bool]:
    """The data of a file's ``text`` and whether it read cleanly (no key written twice); ``(None, False)``
    after adding why it cannot be read to ``problems``. A file that cannot be parsed is one problem: its
    other problems show once it parses."""
    too_deep = f"nested more than {MAX_NESTING} levels deep; a bank file never needs that"
    deep_at = _too_deep(text)
    if deep_at is not None:
        problems.add(shown, deep_at, too_deep)
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
    except RecursionError:  # deep nesting the cheap count missed
        problems.add(shown, "", too_deep)
        return None, False
    for mark, key, first in sorted(duplicate_keys, key=lambda found: (found[0].line, found[0].column)):
        problems.add(shown, _where(mark), f"duplicate key '{key}' (first at line {first.line + 1}); keep one")
    return data, not duplicate_keys


def _load(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[Any, list[tuple[Any, Any, Any]]]:
    """The data of ``text`` and the repeated keys the loader noted."""
    loader: Any = loader_class(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()
