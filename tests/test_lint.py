"""`packet lint`: planted problems are found with their file and place; the shipped bank and layouts are clean."""

from __future__ import annotations

import re
import shutil

import pytest

from exporter.cli import main
from exporter.errors import BankError
from exporter.lint import NEGATION_OVERLAP_THRESHOLD, TEAM_LEAN_THRESHOLD, lint, lint_files, negation_overlap
from exporter.loading import load_bank, load_layout, validate

from .conftest import FIXTURES

LINT_BANK = FIXTURES / "lint" / "bank"
LINT_LAYOUTS = FIXTURES / "lint" / "layouts"
LINT = ["--bank", str(LINT_BANK), "--layouts", str(LINT_LAYOUTS)]
QUESTIONS = f"{LINT_BANK}/questions/planted.yaml"


def where(layout: str) -> str:
    return f"{LINT_LAYOUTS}/{layout}.yaml"


def found() -> list[tuple[str, str, str]]:
    bank, layouts = validate(LINT_BANK, LINT_LAYOUTS)
    return [(w.rule, w.file, w.place) for w in lint(bank, layouts)]


def test_every_planted_problem_is_found_and_nothing_else():
    assert sorted(found()) == sorted(
        [
            ("negation", QUESTIONS, "questions[0].negative[0]"),
            ("negation", QUESTIONS, "questions[1].negative[1]"),
            ("repeated-domain", where("repeated"), "sections[2].question"),
            ("uncovered-category", where("uncovered"), "sections"),
            ("team-lean", where("lean"), "sections"),
            ("short-section", where("short"), "sections[1].minutes"),
        ]
    )


def test_negation_overlap():
    assert negation_overlap("Lack of team involvement.", "Team involvement in the pipeline design.") == 1.0
    assert negation_overlap("No rollback plans", "A rollback plan for every release.") == 1.0  # plural folded
    assert negation_overlap("Doesn't measure outcomes", "Measure outcomes") == 1.0  # ’ or ' both negate
    assert negation_overlap("Doesn\u2019t measure outcomes", "Measure outcomes") == 1.0
    # A negative without a negation word says something of its own.
    assert negation_overlap("Team involvement only on paper.", "Team involvement.") == 0.0
    # Half its words are new: a distinct behaviour, below the threshold.
    overlap = negation_overlap("Never asks the team for estimates before committing", "Asks the team")
    assert overlap < NEGATION_OVERLAP_THRESHOLD


def test_the_messages_say_where_and_what_to_do():
    report = lint_files(None, LINT_BANK, LINT_LAYOUTS)
    assert (
        f"{where('repeated')}: sections[2].question: 'release-train' probes the same domain, Build & release, as "
        "'team-pipeline' in sections[1]; choose a question from another domain, or list build-release under "
        "lint.allow_repeated_domains if the layout means it" in report.warnings
    )
    assert (
        f"{QUESTIONS}: questions[0].negative[0]: 'Lack of team involvement.' only negates great[0] 'Team "
        "involvement in the pipeline design.' (100% of its words are in it; the limit is 60%); name a distinct "
        "behaviour that shows a problem, not the absence of the great signal" in report.warnings
    )
    assert (
        f"{where('lean')}: sections: leans to Release & deployment: 3 of 4 questions (75%; the limit is "
        f"{TEAM_LEAN_THRESHOLD:.0%}); swap a question for one that probes Dev infra, or list release-deployment "
        "under lint.allow_team_lean if the layout means it" in report.warnings
    )
    assert (
        f"{where('short')}: sections[1].minutes: 3 minutes for 'incident-lead'; a question and its follow-ups "
        "need at least 5: take minutes from another section or drop a question" in report.warnings
    )
    assert (
        f"{where('uncovered')}: sections: no question covers 'Strategic direction' (strategic); swap in a "
        "question with a weight in it (`packet list --questions` shows the weights)" in report.warnings
    )


def test_a_layout_may_repeat_a_domain_or_lean_on_purpose():
    bank = load_bank(LINT_BANK)
    for role in ("repeated-allowed", "lean-allowed", "clean"):
        assert lint(bank, [load_layout(role, LINT_LAYOUTS, LINT_BANK)], []) == []


def test_role_lints_its_layout_and_the_questions_it_asks():
    report = lint_files("repeated", LINT_BANK, LINT_LAYOUTS)
    assert (report.questions, report.layouts) == (4, 1)
    assert [w.split(": ")[1] for w in report.warnings] == [
        "questions[0].negative[0]",
        "questions[1].negative[1]",
        "sections[2].question",
    ]


def test_an_unknown_team_or_domain_in_the_lint_section_is_a_load_error(tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(LINT_LAYOUTS, layouts)
    path = layouts / "lean-allowed.yaml"
    path.write_text(path.read_text().replace("[release-deployment]", "[release-deploy]"), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_layout("lean-allowed", layouts, LINT_BANK)
    assert caught.value.problems == [
        f"{path}: lint.allow_team_lean[0]: unknown team 'release-deploy' (did you mean 'release-deployment'?)"
    ]


def test_cli_exit_codes(runner):
    result = runner.invoke(main, ["lint", *LINT])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    assert lines[-1] == "6 warnings in 8 questions, 7 layouts, 0 loops"

    result = runner.invoke(main, ["lint", "--strict", *LINT])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == lines[:-1]
    assert result.stderr == "Error: 6 lint warnings in 8 questions, 7 layouts, 0 loops (--strict)\n"

    result = runner.invoke(main, ["lint", "--role", "clean", "--strict", *LINT])
    assert result.exit_code == 0
    assert result.stdout == "OK: no warnings in 4 questions, 1 layout\n"

    result = runner.invoke(main, ["lint", "--role", "short", "--strict", *LINT])
    assert result.exit_code == 1
    assert result.stderr == "Error: 1 lint warning in 4 questions, 1 layout (--strict)\n"


def test_shipped_bank_layouts_and_loops_lint_clean_under_strict(runner):
    result = runner.invoke(main, ["lint", "--strict"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"OK: no warnings in \d+ questions, \d+ layouts, [1-9]\d* loops?\n", result.stdout)
