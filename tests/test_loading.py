"""The loader reports every problem at once, each with its file, place and fix; exit code 1, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exporter.cli import main
from exporter.errors import BankError
from exporter.loading import load_bank, validate

from .conftest import FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS, REPO

BROKEN = ["--bank", str(FIXTURES / "broken" / "bank"), "--layouts", str(FIXTURES / "broken" / "layouts")]
B = f"{FIXTURES}/broken/bank/questions/broken.yaml"
L = f"{FIXTURES}/broken/layouts"

EXPECTED_BROKEN = f"""Error: 18 problems in the bank or layouts:
  {B}: questions[0].folow_ups: unknown key 'folow_ups' (did you mean 'follow_ups'?); known keys: id, title, text, categories, teams, domains, goal, great, negative, source, follow_ups, variants, technologies, backup_for, backup_when, rating_anchors
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
    assert result.stdout.startswith("OK: ")


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


def test_a_problem_in_a_questions_teams_is_reported_once(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    edit(bank / "questions" / "mini.yaml", "teams: [release-deployment]", "teams: [release-deployment, 7]")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert result.output.count("questions[0].teams[1]: should be text, not a number") == 1, result.output


def test_control_characters_in_a_list_are_dropped_with_a_warning_naming_the_item(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    edit(bank / "questions" / "mini.yaml", "teams: [release-deployment]", 'teams: ["release-deployment\\x07"]')
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {bank}/questions/mini.yaml: questions[0].teams[0]: dropped 1 control character (U+0007)" in (
        result.stderr
    )


def test_a_layout_slot_longer_than_a_day_is_a_problem(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    edit(layouts / "mini.yaml", "minutes: 20\n", "minutes: 3000\n")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert f"{layouts}/mini.yaml: minutes: 3000 is not a slot length; give the slot's minutes, e.g. 30" in result.output


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


def test_a_repeated_key_is_a_problem_and_the_files_other_problems_still_show(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    questions = bank / "questions" / "mini.yaml"
    edit(
        questions,
        "    negative: [No specific example.]\n",
        "    negative: [No specific example.]\n    great: [Other.]\n",
    )
    edit(questions, "follow_ups:", "folow_ups:")
    edit(layouts / "mini.yaml", "title: Test Manager", "title: Test Manager\ntitle: Again")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: 3 problems in the bank or layouts:"
    assert lines[1] == f"  {questions}: line 12, column 5: duplicate key 'great' (first at line 10); keep one"
    assert lines[2].startswith(f"  {questions}: questions[0].folow_ups: unknown key 'folow_ups'")
    assert lines[3] == f"  {layouts}/mini.yaml: line 2, column 1: duplicate key 'title' (first at line 1); keep one"


def test_repeated_keys_are_reported_in_line_order_and_merge_keys_may_be_overridden(tmp_path):
    from exporter.loading import Problems, read_yaml

    path = tmp_path / "x.yaml"
    merges = "base: &b {x: 1}\nlist:\n  - &m\n    <<: *b\n    x: 2\nthing:\n  <<: *m\n  x: 3\n"
    path.write_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n" + merges, encoding="utf-8")
    problems = Problems()
    assert read_yaml(path, "x.yaml", problems, ("a",)) is not None
    assert problems.items == [
        "x.yaml: line 4, column 3: duplicate key 'c' (first at line 3); keep one",
        "x.yaml: line 5, column 1: duplicate key 'a' (first at line 1); keep one",
    ]


DEEP = "nested more than 64 levels deep; a bank file never needs that"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("questions: " + "[" * 500 + "a: b: c\n", "line 1, column 75: "),  # a syntax error inside, too
        ("questions: " + "{a: " * 100 + "1" + "}" * 100 + "\n", "line 1, column 264: "),
        ("questions:\n" + "- " * 600 + "x\n", "line 2, column 127: "),
        ("".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "v\n", "line 65, column 65: "),
        ("".join(" " * i + "-\n" + " " * (i + 1) + "k:\n" for i in range(0, 100, 2)), "line 65, column 65: "),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-mappings", "alternating"],
)
def test_deep_nesting_is_refused_before_parsing(runner, tmp_path, text, place):
    bank, layouts = copy_mini(tmp_path)
    (bank / "questions" / "zz.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/zz.yaml: {place}{DEEP}\n",
    )


def test_deep_nesting_that_crashed_libyaml_is_an_error(tmp_path):
    """30,000 nested `[` made libyaml's composer overflow the C stack (a segmentation fault, exit code 139);
    run in a process of its own so a regression fails this test instead of killing the test run."""
    bank, layouts = copy_mini(tmp_path)
    (bank / "questions" / "zz.yaml").write_text("questions: " + "[" * 30000 + "]" * 30000 + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "validate", "--bank", str(bank), "--layouts", str(layouts)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/zz.yaml: line 1, column 75: {DEEP}\n",
    )


def test_nesting_a_bank_uses_and_brackets_in_text_are_fine(tmp_path):
    bank, layouts = copy_mini(tmp_path)
    edit(bank / "questions" / "mini.yaml", "goal: Assess automation.", "goal: '" + "[" * 200 + " automation'")
    deep_but_allowed = "questions: " + "[" * 63 + "]" * 63 + "\n"
    (bank / "questions" / "zz.yaml").write_text(deep_but_allowed, encoding="utf-8")
    with pytest.raises(BankError) as failure:
        validate(bank, layouts)
    assert failure.value.problems == [f"{bank}/questions/zz.yaml: questions[0]: should be a mapping, not a list"]


def test_recursion_the_depth_check_missed_is_still_an_error(tmp_path, monkeypatch):
    """Should the quick depth check ever miss a deep file, the pure-Python parser's RecursionError (it reads
    a file libyaml rejected, for its messages) is a problem of that file, not a traceback."""
    import exporter.yamlfile

    monkeypatch.setattr(exporter.yamlfile, "MAX_NESTING", 10**6)
    bank, layouts = copy_mini(tmp_path)
    (bank / "questions" / "zz.yaml").write_text("questions: " + "[" * 2000 + "a: b: c\n", encoding="utf-8")
    with pytest.raises(BankError) as failure:
        validate(bank, layouts)
    assert failure.value.problems == [
        f"{bank}/questions/zz.yaml: nested more than 1000000 levels deep; a bank file never needs that"
    ]


def test_a_named_pipe_in_the_bank_is_reported_not_read(tmp_path):
    """Reading a named pipe waits for a writer forever; a process of its own, so a regression times out."""
    bank, layouts = copy_mini(tmp_path)
    os.mkfifo(bank / "questions" / "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "validate", "--bank", str(bank), "--layouts", str(layouts)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: 1 problem in the bank or layouts:\n  {bank}/questions/pipe.yaml: is not a regular file (a named "
        "pipe); move it away or replace it with a YAML file\n",
    )


def test_a_folder_or_broken_link_named_like_a_layout(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    (layouts / "folder.yaml").mkdir()
    (layouts / "broken.yaml").symlink_to("nowhere.yaml")
    options = ["--bank", str(bank), "--layouts", str(layouts)]
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 2 problems in the bank or layouts:\n"
        f"  {layouts}/broken.yaml: is a link to 'nowhere.yaml', which does not exist; fix the link or remove it\n"
        f"  {layouts}/folder.yaml: is not a regular file (a folder); move it away or replace it with a YAML file\n",
    )
    listed = runner.invoke(main, ["list", *options])
    assert (listed.exit_code, listed.output) == (0, "mini  Test Manager, M3 (20 min)\n")
    made = runner.invoke(main, ["make", "--role", "folder", *options, "-o", str(tmp_path / "out")])
    assert (made.exit_code, made.output) == (
        1,
        f"Error: {layouts}/folder.yaml: is not a regular file (a folder); move it away or replace it with a YAML file\n",
    )
    assert not (tmp_path / "out").exists()


def test_a_folder_named_taxonomy_yaml_is_one_problem(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    (bank / "taxonomy.yaml").unlink()
    (bank / "taxonomy.yaml").mkdir()
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        f"  {bank}/taxonomy.yaml: is not a regular file (a folder); move it away or replace it with a YAML file\n",
    )


@pytest.mark.parametrize(
    "command", [["list"], ["list", "--loops"], ["validate"], ["make", "--role", "mini", "-o", "out"]]
)
def test_layouts_that_is_not_a_folder(runner, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*command, "--bank", str(MINI_BANK), "--layouts", "nonexist"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        "  nonexist: is not a folder; --layouts needs the folder holding <role>.yaml files\n",
    )
    assert list(tmp_path.iterdir()) == []


LAYOUT_KEYS = "title, level, team_context, minutes, rating_scale, recommendation, rationale, sections"


@pytest.mark.parametrize("text", ["", "# to be written\n", "\n\n", "~\n"])
@pytest.mark.parametrize("command", [["validate"], ["list"], ["make", "--role", "empty", "-o", "out"]])
def test_an_empty_layout_is_an_error_naming_the_file_and_its_keys(runner, tmp_path, monkeypatch, text, command):
    bank, layouts = copy_mini(tmp_path)
    (layouts / "empty.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*command, "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        f"  {layouts}/empty.yaml: holds no data (it is empty or only comments); write its keys: {LAYOUT_KEYS}\n",
    )
    assert not (tmp_path / "out").exists()


def test_an_empty_question_file_is_an_error_too(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    (bank / "questions" / "later.yaml").write_text("# more questions soon\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        f"  {bank}/questions/later.yaml: holds no data (it is empty or only comments); write its keys: questions\n",
    )


@pytest.mark.parametrize("role", ["../outside", "/etc/passwd", "mini/../mini", "-mini", "mini.yaml", "mini\n"])
def test_a_role_must_be_a_name_not_a_path(runner, tmp_path, role):
    bank, layouts = copy_mini(tmp_path)
    shutil.copy(layouts / "mini.yaml", tmp_path / "outside.yaml")  # a layout that must not be reachable
    options = ["--bank", str(bank), "--layouts", str(layouts)]
    for command in (["make", "-o", str(tmp_path / "out")], ["show"], ["coverage"], ["lint"]):
        result = runner.invoke(main, [*command, "--role", role, *options])
        assert (result.exit_code, result.output) == (
            1,
            f"Error: '{role}' is not a role name (only letters, digits and hyphens); known roles: mini (in {layouts})\n",
        ), command
    assert not (tmp_path / "out").exists()


def test_role_names_may_have_capitals_and_digits(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    shutil.copy(layouts / "mini.yaml", layouts / "Infra-M3-2.yaml")
    result = runner.invoke(main, ["show", "--role", "Infra-M3-2", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 0, result.output


def test_a_layout_file_not_named_as_a_role_is_reported_and_not_listed(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    shutil.copy(layouts / "mini.yaml", layouts / "my layout.yaml")
    options = ["--bank", str(bank), "--layouts", str(layouts)]
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        f"  {layouts}/my layout.yaml: 'my layout' is not a role name; rename the file with only letters, digits "
        "and hyphens\n",
    )
    assert runner.invoke(main, ["list", *options]).output == "mini  Test Manager, M3 (20 min)\n"


def deny(monkeypatch, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Listing ``folder`` fails as it does for a folder without read permission (which root would still read)."""
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_questions_folder_is_permission_denied_not_empty(runner, tmp_path, monkeypatch):
    bank, layouts = copy_mini(tmp_path)
    deny(monkeypatch, bank / "questions")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output.splitlines()[:2]) == (
        1,
        [
            # then the layout's questions, unknown to a bank without questions
            f"Error: {len(result.output.splitlines()) - 1} problems in the bank or layouts:",
            f"  {bank}/questions: cannot be read (Permission denied); allow reading it (chmod u+rx), or choose "
            "another folder",
        ],
    )


def test_a_questions_file_in_place_of_the_folder(runner, tmp_path):
    bank, layouts = copy_mini(tmp_path)
    shutil.rmtree(bank / "questions")
    (bank / "questions").write_text("", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert f"  {bank}/questions: is not a folder\n" in result.output


@pytest.mark.parametrize(
    "command", [["list"], ["list", "--loops"], ["validate"], ["make", "--role", "mini", "-o", "out"]]
)
def test_an_unreadable_layouts_folder_is_an_error_not_an_empty_one(runner, tmp_path, monkeypatch, command):
    bank, layouts = copy_mini(tmp_path)
    deny(monkeypatch, layouts)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*command, "--bank", str(bank), "--layouts", str(layouts)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the bank or layouts:\n"
        f"  {layouts}: cannot be read (Permission denied); allow reading it (chmod u+rx), or choose another folder\n",
    )
    assert not (tmp_path / "out").exists()


def copy_loops(tmp_path: Path) -> tuple[list[str], Path]:
    """The loop fixture's layouts without its broken loops, so that `validate` passes, and its options."""
    layouts = tmp_path / "layouts"
    shutil.copytree(FIXTURES / "loop" / "layouts", layouts)
    for broken in ("broken", "clash"):
        (layouts / "loops" / f"{broken}.yaml").unlink()
    return ["--bank", str(MINI_BANK), "--layouts", str(layouts)], layouts


def test_the_loop_fixture_validates_without_its_broken_loops(runner, tmp_path):
    options, _layouts = copy_loops(tmp_path)
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (0, "OK: 4 questions, 3 layouts, 3 loops\n")


@pytest.mark.parametrize(
    "command", [["validate"], ["list", "--loops"], ["make", "--loop", "empty", "-o", "out"], ["lint"]]
)
def test_a_loop_file_holding_only_a_comment_is_an_error_naming_the_file(runner, tmp_path, monkeypatch, command):
    options, layouts = copy_loops(tmp_path)
    (layouts / "loops" / "empty.yaml").write_text("# the onsite, once we know who is in it\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*command, *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {layouts}/loops/empty.yaml: holds no data (it is empty or only comments); write its keys: title, slots\n",
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("loop", ["../first", "../loops/pair", "pair/", "-pair"])
def test_a_loop_must_be_a_name_or_a_yaml_path(runner, tmp_path, loop):
    options, _layouts = copy_loops(tmp_path)
    result = runner.invoke(main, ["make", "--loop", loop, *options, "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: '{loop}' is not a loop name (only letters, digits and hyphens); give a loop's name (see `packet "
        "list --loops`) or the path of a loop .yaml file\n",
    )
    assert not (tmp_path / "out").exists()


def test_what_in_the_loops_folder_is_not_a_loop_is_reported(runner, tmp_path):
    options, layouts = copy_loops(tmp_path)
    (layouts / "loops" / "folder.yaml").mkdir()
    (layouts / "loops" / "gone.yaml").symlink_to("nowhere.yaml")
    shutil.copy(layouts / "loops" / "pair.yaml", layouts / "loops" / "pair 2.yaml")
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 3 problems in the loop or its layouts:\n"
        f"  {layouts}/loops/folder.yaml: is not a regular file (a folder); move it away or replace it with a YAML "
        "file\n"
        f"  {layouts}/loops/gone.yaml: is a link to 'nowhere.yaml', which does not exist; fix the link or remove it\n"
        f"  {layouts}/loops/pair 2.yaml: 'pair 2' is not a loop name; rename the file with only letters, digits and "
        "hyphens\n",
    )
    made = runner.invoke(main, ["make", "--loop", "folder", *options, "-o", str(tmp_path / "out")])
    assert (made.exit_code, made.output) == (
        1,
        f"Error: {layouts}/loops/folder.yaml: is not a regular file (a folder); move it away or replace it with a "
        "YAML file\n",
    )


def test_an_unreadable_loops_folder_or_a_file_in_its_place_is_reported(runner, tmp_path, monkeypatch):
    options, layouts = copy_loops(tmp_path)
    deny(monkeypatch, layouts / "loops")
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {layouts}/loops: cannot be read (Permission denied); allow reading it (chmod u+rx), or choose another folder\n",
    )
    monkeypatch.undo()
    shutil.rmtree(layouts / "loops")
    (layouts / "loops").write_text("", encoding="utf-8")
    result = runner.invoke(main, ["validate", *options])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {layouts}/loops: is not a folder; loops go in a folder 'loops' beside the layouts, one <name>.yaml file "
        "each\n",
    )


def test_an_unreadable_layout_or_question_file_says_how_to_fix_it(runner, tmp_path, monkeypatch):
    bank, layouts = copy_mini(tmp_path)
    denied = {bank / "questions" / "mini.yaml", layouts / "mini.yaml"}
    real = Path.read_text

    def read_text(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    fix = "cannot be read (Permission denied); allow reading it (chmod u+r), or move it away"
    assert result.exit_code == 1
    assert result.output.splitlines()[1:2] == [f"  {bank}/questions/mini.yaml: {fix}"]
    assert result.output.splitlines()[-1] == f"  {layouts}/mini.yaml: {fix}"


ANCHORS = "    source: authored\n  - id: pipeline-backup"


def test_rating_anchors_are_read_in_order(tmp_path):
    bank, _ = copy_mini(tmp_path)
    anchors = "\n".join(f"      {level}: Level {level} looks like this." for level in (4, 2, 1, 3))
    edit(
        bank / "questions" / "mini.yaml",
        ANCHORS,
        f"    source: authored\n    rating_anchors:\n{anchors}\n  - id: pipeline-backup",
    )
    loaded = load_bank(bank)
    assert loaded.questions["pipeline"].rating_anchors == tuple(f"Level {n} looks like this." for n in (1, 2, 3, 4))
    assert loaded.questions["toil"].rating_anchors == ()


@pytest.mark.parametrize(
    "anchors",
    ["{1: a, 2: b, 3: c}", "{1: a, 2: b, 3: c, 4: d, 5: e}", "{one: a, 2: b, 3: c, 4: d}", "[a, b, c, d]"],
)
def test_rating_anchors_need_all_four_levels(runner, tmp_path, anchors):
    bank, layouts = copy_mini(tmp_path)
    edit(
        bank / "questions" / "mini.yaml",
        ANCHORS,
        f"    source: authored\n    rating_anchors: {anchors}\n  - id: pipeline-backup",
    )
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert "questions[0].rating_anchors: " in result.stderr
