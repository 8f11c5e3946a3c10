"""Reading YAML files the way every `packet` file is read: each problem recorded with its file and place,
none raised until the caller has seen the whole file.

:class:`Problems` collects; :class:`Reader` gives typed access to one mapping and records what is wrong with
it; :func:`read_yaml` reads a file's top-level mapping (through the parse cache). :mod:`exporter.loading`
gives these meaning for the bank and layouts, :mod:`exporter.loops` for loops.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import cache
from .errors import BankError
from .folders import cannot_read, file_problem
from .text import clean, has_forbidden


def did_you_mean(word: str, choices: object) -> str:
    import difflib  # only when something is misspelt: not on every start

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)  # type: ignore[attr-defined]
    return f" (did you mean '{close[0]}'?)" if close else ""


def type_name(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


class Problems:
    """Collects problems with their place; raised once at the end."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.cleaned = False  # whether a text was read without characters XML cannot hold (with a warning)

    def add(self, file: str, place: str, message: str) -> None:
        self.items.append(f"{file}: {place}: {message}" if place else f"{file}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise BankError(self.items)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_list(value: object) -> bool:
    return isinstance(value, list)


def _is_mapping(value: object) -> bool:
    return isinstance(value, dict)


class Reader:
    """Typed access to one YAML mapping that records a problem instead of raising."""

    def __init__(self, problems: Problems, file: str, place: str, data: dict[str, Any]) -> None:
        self.problems, self.file, self.place, self.data = problems, file, place, data

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.place}[{key}]"
        return f"{self.place}.{key}" if self.place else key

    def problem(self, key: str | int, message: str) -> None:
        self.problems.add(self.file, self.at(key), message)

    def check_keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        known = required + optional
        fine = True
        for key in self.data:
            if key not in known:
                self.problems.add(
                    self.file,
                    self.at(str(key)),
                    f"unknown key '{key}'{did_you_mean(key, known)}; known keys: {', '.join(known)}",
                )
                fine = False
        for key in required:
            if key not in self.data or self.data[key] is None:
                self.problems.add(self.file, self.at(key), "missing; this field is required")
                fine = False
        return fine

    def _typed(self, key: str, check: Callable[[Any], bool], wanted: str, default: Any) -> Any:
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if not check(value):
            self.problem(key, f"should be {wanted}, not {type_name(value)}")
            return default
        return value

    def text(self, key: str, default: str = "") -> str:
        value = self._typed(key, _is_text, "text", default)
        if value is None:
            return default
        stripped = str(value).strip()
        if not stripped and isinstance(value, str) and key in self.data:
            self.problem(key, "is empty; write the text")
        # clean() only where there is something to drop: the bank's thousand texts are read on every run
        return self._cleaned(stripped, f"{self.file}: {self.at(key)}") if has_forbidden(stripped) else stripped

    def _cleaned(self, text: str, field: str) -> str:
        self.problems.cleaned = True
        return clean(text, field)

    def optional_text(self, key: str) -> str | None:
        value = self.text(key, "")
        return value or None

    def integer(self, key: str) -> int:
        value = self._typed(key, lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number", 0)
        return int(value)

    def flag(self, key: str, default: bool) -> bool:
        return bool(self._typed(key, lambda v: isinstance(v, bool), "true or false", default))

    def number(self, key: str) -> float:
        value = self._typed(key, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a number", 0.0)
        return float(value)

    def texts(self, key: str, non_empty: bool = False) -> tuple[str, ...]:
        value = self._typed(key, _is_list, "a list of texts", [])
        items = []
        for i, item in enumerate(value):
            stripped = item.strip() if isinstance(item, str) else ""
            if not stripped:
                self.problems.add(self.file, f"{self.at(key)}[{i}]", f"should be text, not {type_name(item)}")
            elif has_forbidden(stripped):
                items.append(self._cleaned(stripped, f"{self.file}: {self.at(key)}[{i}]"))
            else:
                items.append(stripped)
        if non_empty and key in self.data and not value:
            self.problem(key, "is empty; give at least one")
        return tuple(items)

    def mappings(self, key: str) -> list[Reader]:
        value = self._typed(key, _is_list, "a list", [])
        readers = []
        for i, item in enumerate(value):
            place = f"{self.at(key)}[{i}]"
            if isinstance(item, dict):
                readers.append(Reader(self.problems, self.file, place, item))
            else:
                self.problems.add(self.file, place, f"should be a mapping, not {type_name(item)}")
        return readers

    def mapping(self, key: str) -> Reader | None:
        value = self._typed(key, _is_mapping, "a mapping", None)
        return Reader(self.problems, self.file, self.at(key), value) if value is not None else None


def read_yaml(path: Path, shown: str, problems: Problems, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The top-level mapping of a YAML file, or None after adding why it cannot be had to ``problems``.

    A file that cannot be parsed is one problem: its other problems show once it parses. ``keys`` are the
    ones the file needs, named when it holds nothing.
    """
    unreadable = file_problem(path)
    if unreadable:
        problems.add(shown, "", unreadable)
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(shown, "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return None
    except OSError as exc:
        problems.add(shown, "", cannot_read(exc))
        return None
    source = (YAML_CACHE_VERSION, text.encode())
    cached = cache.load("yaml", source)
    if isinstance(cached, dict):
        return cached
    from .yamlfile import parse  # PyYAML only for a file not read before: a warm run never imports it

    data, clean = parse(text, shown, problems)
    if data is None:
        if clean:  # nothing to parse: blank, only comments, or a lone `null`
            problems.add(shown, "", f"holds no data (it is empty or only comments); write its keys: {', '.join(keys)}")
        return None
    if not isinstance(data, dict):
        problems.add(shown, "", f"should hold a mapping at the top level, not {type_name(data)}")
        return None
    if clean:
        cache.store("yaml", source, data)
    return data


YAML_CACHE_VERSION = b"yaml-1.2"  # the YAML rules of exporter.yamlfile: change it when they change
