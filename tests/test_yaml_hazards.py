"""YAML that would hang `packet` or end it with a traceback: each is a problem with its file, line and fix,
found in well under a second."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exporter import yamlfile
from exporter.cli import main

from .conftest import MINI_BANK, MINI_LAYOUTS

ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]\n" for level in range(1, 10)
)  # ten nested lines of ten aliases: ten billion values in about 500 bytes
NEVER_ENDS = "which would never end; write the values out instead"
QUOTE = "correct it, or quote it to keep it as text"


def bank_with(tmp_path: Path, text: str) -> tuple[Path, Path]:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    (bank / "questions" / "zz.yaml").write_text(text, encoding="utf-8")
    return bank, MINI_LAYOUTS


def problems_of(text: str) -> list[tuple[str, str]]:
    """What :func:`yamlfile.parse` says about ``text``: (place, message) pairs."""
    found: list[tuple[str, str]] = []

    class Collect:
        def add(self, file: str, place: str, message: str) -> None:
            found.append((place, message))

    yamlfile.parse(text, "zz.yaml", Collect())
    return found


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    """It used to take about four minutes (ten times more for each further line); a process of its own, so a
    regression fails on the timeout instead of holding up the test run."""
    assert len(ALIAS_BOMB.encode()) < 600
    bank, layouts = bank_with(tmp_path, ALIAS_BOMB)
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "validate", "--bank", str(bank), "--layouts", str(layouts)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/zz.yaml: line 5, column 45: its aliases make "
        "the file stand for more than 100,000 values, where a bank file holds about 1,000: write the values out, "
        "or use fewer aliases\n",
    )


def test_the_limit_counts_each_alias_as_what_it_stands_for(monkeypatch):
    eleven = "a: &a [x, y]\nb: *a\nc: d\n"  # the mapping, a, [x, y] with x and y, b, *a standing for 3, c, d
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 11)
    assert problems_of(eleven) == []
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 10)
    assert problems_of(eleven) == [
        (
            "line 3, column 4",
            "its aliases make the file stand for more than 10 values, where a bank file holds about 1,000: "
            "write the values out, or use fewer aliases",
        )
    ]


@pytest.mark.parametrize(
    ("text", "place", "alias"),
    [
        ("x: &a [*a]\n", "line 1, column 8", "a"),
        ("x: &loop {next: *loop}\n", "line 1, column 17", "loop"),
        ("x: &m\n  <<: *m\n  y: 1\n", "line 2, column 7", "m"),
        ("- &outer [1, [2, [3, *outer]]]\n", "line 1, column 22", "outer"),
    ],
    ids=["list", "mapping", "merge", "nested"],
)
def test_an_alias_inside_what_it_names_is_an_error(text, place, alias):
    """It built a list that holds itself, and the first walk through it ended in a RecursionError traceback."""
    assert problems_of(text) == [(place, f"the alias '*{alias}' is inside the collection it names, {NEVER_ENDS}")]


def test_aliases_a_bank_may_use_still_work():
    text = "base: &b {minutes: 5}\nsame: *b\nmore:\n  <<: *b\n  extra: true\nwords: [x*y, '*not an alias']\n"
    assert problems_of(text) == []


def test_an_impossible_date_names_its_file_and_line(runner, tmp_path):
    bank, layouts = bank_with(tmp_path, "questions:\n  - id: x\n    reviewed: 2026-02-30\n")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/zz.yaml: line 3, column 15: "
        f"'2026-02-30' is not a date (day is out of range for month); {QUOTE}\n",
    )


def test_a_5000_digit_number_names_its_file_and_line(runner, tmp_path):
    bank, layouts = bank_with(tmp_path, "questions:\n  - id: x\n    minutes: " + "7" * 5000 + "\n")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/zz.yaml: line 3, column 14: "
        f"'{'7' * 40}…' is not a whole number (more than 4,300 digits); {QUOTE}\n",
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-01-01 25:00:00", "'2026-01-01 25:00:00' is not a date (hour must be in 0..23)"),
        ("2026-13-01", "'2026-13-01' is not a date (month must be in 1..12)"),
        ("!!timestamp next week", "'next week' is not a date"),
        ("!!int ''", "'' is not a whole number"),
        ("!!int twelve", "'twelve' is not a whole number (invalid literal for int() with base 10: 'twelve')"),
        ("!!float ''", "'' is not a number"),
        ("!!float many", "'many' is not a number (could not convert string to float: 'many')"),
        ("!!bool maybe", "'maybe' is not true or false"),
        ("0x" + "f" * 4000, f"'0x{'f' * 38}…' is not a whole number (more than 4,300 digits)"),
        ("-" + "1" * 4300, f"'-{'1' * 39}…' is not a whole number (more than 4,300 digits)"),
    ],
    ids=["time", "month", "timestamp", "empty-int", "int", "empty-float", "float", "bool", "hex", "digits"],
)
def test_a_value_python_cannot_make_is_an_error_at_its_place(value, problem):
    assert problems_of(f"key: {value}\n") == [("line 1, column 6", f"{problem}; {QUOTE}")]


def test_a_bad_value_as_a_key_is_an_error_too():
    assert problems_of("ok: 1\n2026-02-30: x\n") == [
        ("line 2, column 1", f"'2026-02-30' is not a date (day is out of range for month); {QUOTE}")
    ]


def test_numbers_python_can_print_are_read():
    assert problems_of("big: " + "9" * 4300 + "\nhex: 0x" + "f" * 3000 + "\nhuge: 1.0e999\n") == []


@pytest.mark.parametrize(
    ("text", "place", "problem"),
    [
        ("a: {<<: [1, 2]}\n", "line 1, column 10", "expected a mapping for merging, but found scalar"),
        ("a: {<<: text}\n", "line 1, column 9", "expected a mapping or list of mappings for merging, but found scalar"),
        ("? [1]\n: 2\n", "line 1, column 3", "found unhashable key"),
        ("a: !!binary '@@'\nb: !!set [1]\n", "line 2, column 4", "expected a mapping node, but found sequence"),
        ("a: !!python/object:os.system x\n", "line 1, column 4", "could not determine a constructor for the tag "),
    ],
    ids=["merge-list-of-scalars", "merge-scalar", "unhashable-key", "set", "python-tag"],
)
def test_other_values_yaml_cannot_build_are_malformed_yaml(text, place, problem):
    ((found_place, message),) = problems_of(text)
    assert found_place == place
    assert message.startswith(f"malformed YAML: {problem}")
