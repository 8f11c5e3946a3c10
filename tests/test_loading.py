"""The loader reports every problem at once, each with its file, place and fix; exit code 1, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exporter.cli import main
from exporter.loading import load_bank, validate

from .conftest import FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS, REPO

BROKEN = ["--bank", str(FIXTURES / "broken" / "bank"), "--layouts", str(FIXTURES / "broken" / "layouts")]
B = f"{FIXTURES}/broken/bank/questions/broken.yaml"
L = f"{FIXTURES}/broken/layouts"

EXPECTED_BROKEN = f"""Error: 18 problems in the bank or layouts:
  {B}: questions[0].folow_ups: unknown key 'folow_ups' (did you mean 'follow_ups'?); known keys: id, title, text, categories, teams, domains, goal, great, negative, source, follow_ups, variants, technologies, backup_for, backup_when
  {B}: questions[0].categories.operatonal: unknown category 'operatonal' (did you mean 'operational'?)
  {B}: questions[1].id: duplicate question id 'hybrid-deployments' (first at {B}: questions[0])
  {B}: questions[1].categories.world-class: weight 1.5 is outside (0, 1]; use 1 for the primary category
  {B}: questions[1].negative: is empty; give at least one
  {B}: questions[2].teams[0]: unknown team 'platform'
  {B}: questions[2].source: 'guessed' should be one of: seed, authored
  {B}: questions[3].title: missing; this field is required
  {B}: questions[3].backup_when: missing; say when the interviewer should switch to this backup
  {B}: questions[2].backup_for: unknown question 'nothing-here'
  {B}: questions[3].backup_for: a question cannot be its own backup; name the question it stands in for
  {L}/bad-yaml.yaml: line 4, column 13: malformed YAML: mapping values are not allowed here; check the indentation and quoting there
  {L}/broken.yaml: rating_scale: should have exactly four levels with scores 1, 2, 3, 4 in that order
  {L}/broken.yaml: sections[1].question: unknown question 'hybrid-deploy' (did you mean 'hybrid-deployments'?)
  {L}/broken.yaml: sections[2].backup: a question cannot be its own backup; name another question
  {L}/broken.yaml: sections[3].kind: 'questoin' should be one of: opening, question, closing (did you mean 'question'?)
  {L}/broken.yaml: sections[4].minutes: should be a whole number, not text
  {L}/not-a-mapping.yaml: should hold a mapping at the top level, not a list
"""


def test_every_problem_of_every_file_reported_at_once(runner):
    result = runner.invoke(main, ["validate", *BROKEN])
    assert result.exit_code == 1
    assert result.output == EXPECTED_BROKEN
    assert "Traceback" not in result.output


def test_shipped_bank_and_layouts_validate(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


def test_mini_fixture_validates():
    bank, layouts = validate(MINI_BANK, MINI_LAYOUTS)
    assert list(bank.questions) == ["pipeline", "pipeline-backup", "toil", "planning"]
    assert [layout.role for layout in layouts] == ["mini"]


def copy_mini(tmp_path: Path) -> tuple[Path, Path]:
    bank, layouts = tmp_path / "bank", tmp_path / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    return bank, layouts


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "layouts/mini.yaml",
            "question: toil,",
            "question: toill,",
            "layouts/mini.yaml: sections[2].question: unknown question 'toill' (did you mean 'toil'?)",
        ),
        (
            "layouts/mini.yaml",
            "minutes: 20",
            "minutes: 30",
            "layouts/mini.yaml: sections: minutes add up to 20, but the slot is 30; make them add up to 30",
        ),
        (
            "layouts/mini.yaml",
            "backup: pipeline-backup",
            "backup: toil",
            "layouts/mini.yaml: sections[1].backup: 'toil' is not a backup for 'pipeline'; "
            "set `backup_for: pipeline` (and backup_when) on it in the bank",
        ),
        (
            "layouts/mini.yaml",
            "category: strategic",
            "category: operational",
            "layouts/mini.yaml: sections[3].category: question 'planning' has no weight in 'operational'; "
            "choose one of: strategic",
        ),
        (
            "layouts/mini.yaml",
            "title: Test Manager",
            "titel: Test Manager",
            "layouts/mini.yaml: titel: unknown key 'titel' (did you mean 'title'?)",
        ),
        (
            "layouts/mini.yaml",
            "question: toil,",
            "question: pipeline,",
            "layouts/mini.yaml: sections[2].question: 'pipeline' is already asked in sections[1]; ask each question once",
        ),
        (
            "layouts/mini.yaml",
            "strong_yes: 0.5",
            "strong_yes: 0.1",
            "layouts/mini.yaml: recommendation: thresholds should satisfy -1 <= no < yes < strong_yes <= 1",
        ),
        (
            "bank/questions/mini.yaml",
            "teams: [dev-infra]\n",
            "teams: dev-infra\n",
            "bank/questions/mini.yaml: questions[2].teams: should be a list of texts, not text",
        ),
        (
            "bank/questions/mini.yaml",
            "great: [Measured the toil first.]",
            "great: []",
            "bank/questions/mini.yaml: questions[2].great: is empty; give at least one",
        ),
        (
            "bank/questions/mini.yaml",
            "categories: {strategic: 1}",
            "categories: {strategic: 0}",
            "bank/questions/mini.yaml: questions[3].categories.strategic: weight 0 is outside (0, 1]",
        ),
        (
            "bank/questions/mini.yaml",
            "backup_for: pipeline",
            "backup_for: pipelin",
            "bank/questions/mini.yaml: questions[1].backup_for: unknown question 'pipelin' (did you mean 'pipeline'?)",
        ),
        (
            "bank/taxonomy.yaml",
            "categories:",
            "categories: [",
            "bank/taxonomy.yaml: line 2, column 3: malformed YAML:",
        ),
    ],
)
def test_each_bad_input_names_file_place_and_fix(runner, tmp_path, file, old, new, message):
    bank, layouts = copy_mini(tmp_path)
    edit(tmp_path / file, old, new)
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert f"  {tmp_path}/{message}" in result.output, result.output
    assert "Traceback" not in result.output


def test_yes_and_no_stay_words(tmp_path):
    """YAML 1.1 would read `yes:` and `no:` as booleans; the thresholds use them as keys."""
    bank, layouts = copy_mini(tmp_path)
    _, [layout] = validate(bank, layouts)
    assert (layout.thresholds.yes, layout.thresholds.no) == (0.2, -0.2)


def test_top_level_must_be_a_mapping(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    (layouts / "mini.yaml").write_text("- a\n- b\n", encoding="utf-8")
    result = runner.invoke(main, ["make", "--role", "mini", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: 1 problem in the bank or layouts:\n  {layouts}/mini.yaml: should hold a mapping at the top level, not a list\n"
    )


def test_unsafe_yaml_is_rejected(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    (layouts / "mini.yaml").write_text("!!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert "malformed YAML: could not determine a constructor" in result.output


def test_control_characters_dropped_with_warning(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    edit(bank / "questions" / "mini.yaml", "goal: Assess automation.", 'goal: "Assess\\x07 automation."')
    load_bank.cache_clear()
    result = runner.invoke(main, ["show", "--role", "mini", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 0
    assert (
        f"Warning: {bank}/questions/mini.yaml: questions[2].goal: dropped 1 control character (U+0007)" in result.stderr
    )
    assert "Assess automation." in result.stdout


def test_missing_folders(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--bank", str(tmp_path / "nope"), "--layouts", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        f"{tmp_path}/nope: is not a folder; --bank needs the folder holding taxonomy.yaml and questions/"
        in result.output
    )


def test_shipped_data_found_from_any_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    assert "infra-m3 " in result.output
    assert (REPO / "bank" / "taxonomy.yaml").is_file()


def test_mini_options_constant_is_usable(runner):
    result = runner.invoke(main, ["list", *MINI])
    assert result.exit_code == 0
    assert result.output.startswith("mini ")
