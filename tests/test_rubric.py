"""Per-role rubric: named category sets, optional teams, a layout's `category_set` and `leads_teams`.

The fixture tests/fixtures/ic/ is an individual contributor's bank without teams: the default set has two
categories, `ic` three (the senior SRE layout `sre-ic`, 30 minutes) and `wide` eight (the most a set may have).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from exporter.cli import main
from exporter.coverage import layout_coverage
from exporter.lint import lint_files
from exporter.loading import load_bank, load_layout, validate
from exporter.packet import make_packet
from exporter.readback import fill_scorecard, scorecard_questions
from exporter.suggest import suggest

from .conftest import FIXTURES, MINI_BANK, MINI_LAYOUTS, require_tool, soffice_convert
from .test_loading import edit
from .test_xlsx import example_filling, expected, named_value, same, special_fillings

IC_BANK = FIXTURES / "ic" / "bank"
IC_LAYOUTS = FIXTURES / "ic" / "layouts"
IC = ["--bank", str(IC_BANK), "--layouts", str(IC_LAYOUTS)]
IC_LABELS = ["Reliable design", "Production operations", "Influence without authority"]
DEFAULT_LABELS = ["Excellent at the core work", "Makes others effective"]


def copy_of(tmp_path: Path, bank: Path = IC_BANK, layouts: Path = IC_LAYOUTS) -> tuple[Path, Path]:
    shutil.copytree(bank, tmp_path / "bank")
    shutil.copytree(layouts, tmp_path / "layouts")
    return tmp_path / "bank", tmp_path / "layouts"


def validate_errors(runner, bank: Path, layouts: Path) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr


# --------------------------------------------------------------------------------------------- the model


def test_the_bank_keeps_every_set_and_a_role_sees_its_own():
    bank = load_bank(IC_BANK)
    assert list(bank.category_sets) == ["default", "ic", "wide"]
    assert [c.label for c in bank.categories] == DEFAULT_LABELS
    assert bank.teams == ()
    assert bank.category("influence").label == "Influence without authority"  # any set's category by id
    ic = bank.for_role("ic", leads_teams=False)
    assert ic.category_set == "ic" and [c.label for c in ic.categories] == IC_LABELS
    assert "seeing-inside" in ic.questions and dict(ic.questions["slo-design"].categories) == {
        "design": 1.0,
        "operations": 0.5,
    }
    default = bank.for_role()
    assert "seeing-inside" not in default.questions  # no weight in the default set: it cannot be asked there
    assert default.digest == bank.digest
    assert ic.for_role("ic") is ic


def test_the_shipped_bank_as_each_of_its_roles_sees_it():
    bank = load_bank()
    manager, sre = bank.for_role(), bank.for_role("sre", leads_teams=False)
    assert manager.teams == bank.teams and sre.teams == ()
    assert sorted([*manager.questions, *sre.questions]) == sorted(bank.questions)  # each question serves one
    without_teams = bank.for_role(leads_teams=False)
    assert without_teams.teams == () and all(q.teams == () for q in without_teams.questions.values())


def test_the_packet_carries_only_the_layouts_set():
    packet = make_packet("sre-ic", bank_dir=IC_BANK, layouts_dir=IC_LAYOUTS)
    assert [c.label for c in packet.categories] == IC_LABELS
    assert packet.layout.category_set == "ic" and packet.layout.leads_teams is False
    assert [q.category.id for q in packet.questions] == ["design", "design", "operations", "influence"]
    assert all(set(q.question.categories) <= {"design", "operations", "influence"} for q in packet.questions)
    assert packet.identity == make_packet("sre-ic", bank_dir=IC_BANK, layouts_dir=IC_LAYOUTS).identity


# ---------------------------------------------------------------------------------------------- the loader

IC_PROBLEMS = [
    (
        "bank/taxonomy.yaml",
        "  wide:\n",
        "  solo:\n    - {id: alone, question: A?, label: Alone}\n  wide:\n",
        "bank/taxonomy.yaml: category_sets.solo: has 1 category; a category set needs 2 to 8",
    ),
    (
        "bank/taxonomy.yaml",
        "    - {id: w-judgement,",
        "    - {id: w-extra, question: X?, label: Extra}\n    - {id: w-judgement,",
        "bank/taxonomy.yaml: category_sets.wide: has 9 categories; a category set needs 2 to 8",
    ),
    (
        "bank/taxonomy.yaml",
        "    - {id: influence,",
        "    - {id: craft, question: C?, label: C}\n    - {id: influence,",
        "bank/taxonomy.yaml: category_sets.ic[2].id: duplicate category id 'craft' "
        "(first at bank/taxonomy.yaml: categories[0])",
    ),
    (
        "bank/taxonomy.yaml",
        "  ic:\n",
        "  default:\n    - {id: d1, question: A?, label: A}\n    - {id: d2, question: B?, label: B}\n  ic:\n",
        "bank/taxonomy.yaml: category_sets.default: 'default' is the set `categories:` lists; give this set "
        "another name",
    ),
    (
        "layouts/sre-ic.yaml",
        "category_set: ic",
        "category_set: icc",
        "layouts/sre-ic.yaml: category_set: unknown category set 'icc' (did you mean 'ic'?); the taxonomy's sets: "
        "default, ic, wide",
    ),
    (
        "layouts/sre-ic.yaml",
        "question: changing-minds,",
        "question: seeing-inside, category: w-observability,",
        "layouts/sre-ic.yaml: sections[3].category: 'w-observability' is not in the category set 'ic' this layout "
        "is scored on; choose one of: design, operations, influence",
    ),
    (
        "layouts/pair.yaml",
        "question: changing-minds,",
        "question: seeing-inside,",
        "layouts/pair.yaml: sections[3].question: 'seeing-inside' has no weight in the category set 'default' "
        "(craft, collaboration) this layout is scored on; give it a weight in one of them under `categories:` in "
        "bank/questions/sre.yaml (questions[3]), or ask another question",
    ),
    (
        "layouts/sre-ic.yaml",
        "leads_teams: false",
        "leads_teams: no-team",
        "layouts/sre-ic.yaml: leads_teams: should be true or false, not text",
    ),
    (
        "bank/questions/sre.yaml",
        "    domains: [incidents]",
        "    teams: [payments]\n    domains: [incidents]",
        "bank/questions/sre.yaml: questions[2].teams[0]: unknown team 'payments'; the taxonomy names no teams, "
        "so leave teams out",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), IC_PROBLEMS, ids=[p[3][:60] for p in IC_PROBLEMS])
def test_each_rubric_mistake_names_file_place_and_fix(runner, tmp_path, file, old, new, message):
    bank, layouts = copy_of(tmp_path)
    edit(tmp_path / file, old, new)
    message = message.replace("first at bank/", f"first at {tmp_path}/bank/").replace(
        "in bank/", f"in {tmp_path}/bank/"
    )
    assert f"  {tmp_path}/{message}\n" in validate_errors(runner, bank, layouts)


def test_a_backup_needs_a_weight_in_the_set_too(runner, tmp_path):
    bank, layouts = copy_of(tmp_path)
    edit(bank / "questions" / "sre.yaml", "categories: {design: 1, craft: 1, w-judgement: 1}", "categories: {craft: 1}")
    assert (
        f"  {layouts}/sre-ic.yaml: sections[1].backup: 'slo-basics' has no weight in the category set 'ic' "
        "(design, operations, influence) this layout is scored on;"
    ) in validate_errors(runner, bank, layouts)


def test_a_bank_with_teams_still_needs_them_on_every_question(runner, tmp_path):
    bank, layouts = copy_of(tmp_path, MINI_BANK, MINI_LAYOUTS)
    edit(bank / "questions" / "mini.yaml", "    teams: [dev-infra]\n", "")
    assert f"  {bank}/questions/mini.yaml: questions[2].teams: missing; this field is required\n" in (
        validate_errors(runner, bank, layouts)
    )


def test_a_role_that_leads_no_team_allows_no_team_lean(runner, tmp_path):
    bank, layouts = copy_of(tmp_path, MINI_BANK, MINI_LAYOUTS)
    edit(layouts / "mini.yaml", "minutes: 20", "minutes: 20\nleads_teams: false\nlint: {allow_team_lean: [dev-infra]}")
    assert (
        f"  {layouts}/mini.yaml: lint.allow_team_lean: the role leads no team (leads_teams: false); "
        "remove allow_team_lean\n"
    ) in validate_errors(runner, bank, layouts)


def test_the_ic_fixture_validates_and_lints_clean(runner):
    bank, layouts = validate(IC_BANK, IC_LAYOUTS)
    assert [(layout.role, layout.category_set) for layout in layouts] == [
        ("pair", "default"),
        ("sre-ic", "ic"),
        ("wide", "wide"),
    ]
    result = runner.invoke(main, ["lint", "--strict", *IC])
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------------------------------- team rules


def test_team_rules_apply_only_where_the_role_leads_teams(tmp_path):
    leaning = lint_files("lean", FIXTURES / "lint" / "bank", FIXTURES / "lint" / "layouts").warnings
    assert any("leans to" in w for w in leaning)
    bank, layouts = copy_of(tmp_path, FIXTURES / "lint" / "bank", FIXTURES / "lint" / "layouts")
    edit(layouts / "lean.yaml", "minutes:", "leads_teams: false\nminutes:")
    assert not any("team" in w.lower() for w in lint_files("lean", bank, layouts).warnings)
    assert layout_coverage(load_layout("lean", layouts, bank), load_bank(bank)).team_shares == {}


def test_lint_and_coverage_of_a_no_team_role_say_nothing_about_teams(runner):
    for command in (["lint", "--role", "sre-ic"], ["coverage", "--role", "sre-ic"]):
        result = runner.invoke(main, [*command, *IC])
        assert result.exit_code == 0, result.output
        assert "team" not in result.output.lower(), result.output
    result = runner.invoke(main, ["coverage", "--role", "sre-ic", *IC])
    assert all(label.split()[0] in result.output for label in IC_LABELS)


# ------------------------------------------------------------------------------------------------ suggest


def test_suggest_searches_in_the_roles_set(runner, tmp_path):
    bank = load_bank(IC_BANK)
    (found,) = suggest(bank.for_role("ic", leads_teams=False), 3, 1)
    assert set(found.categories.values()) == {"design", "operations", "influence"}
    (default,) = suggest(bank, 2, 1)  # the whole bank: its default set
    assert set(default.categories.values()) <= {"craft", "collaboration"} and "seeing-inside" not in default.questions
    result = runner.invoke(main, ["suggest", "-k", "3", "-s", "1", "--role", "sre-ic", *IC])
    assert result.exit_code == 0, result.output
    assert "covers all 3 categories" in result.stdout and "team" not in result.stdout.lower()
    result = runner.invoke(main, ["suggest", "-k", "3", "--role", "sre-ic", "--must", "slo-basics,seeing-inside", *IC])
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: --must: 'slo-basics' is a backup for 'slo-design' and is not asked on its own; "
        "name 'slo-design' instead\n"
    )
    result = runner.invoke(main, ["suggest", "-k", "3", "--role", "pair", "--must", "seeing-inside", *IC])
    assert result.stderr == (
        "Error: --must: 'seeing-inside' has no weight in the category set 'default' (craft, collaboration), so it "
        "scores nothing there; name another question\n"
    )


def test_a_written_layout_keeps_the_roles_set(runner, tmp_path):
    _, layouts = copy_of(tmp_path)
    args = ["suggest", "-k", "3", "-s", "1", "--role", "sre-ic", "--write-layout", "sre-mine"]
    result = runner.invoke(main, [*args, "--bank", str(IC_BANK), "--layouts", str(layouts)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((layouts / "sre-mine.yaml").read_text(encoding="utf-8"))
    assert (data["category_set"], data["leads_teams"]) == ("ic", False)
    assert "team" not in data["rationale"]["summary"]
    packet = make_packet("sre-mine", bank_dir=IC_BANK, layouts_dir=layouts)
    assert [c.label for c in packet.categories] == IC_LABELS


# -------------------------------------------------------------------------------------------------- loops


def test_a_loop_mixing_category_sets_is_refused(runner, tmp_path):
    _, layouts = copy_of(tmp_path)
    (layouts / "seeing.yaml").write_text(
        (layouts / "wide.yaml").read_text(encoding="utf-8").replace("minutes: 38", "minutes: 14").split("sections:")[0]
        + "sections:\n  - {kind: opening, minutes: 3}\n  - {kind: question, question: seeing-inside, minutes: 8}\n"
        "  - {kind: closing, minutes: 3}\n",
        encoding="utf-8",
    )
    (layouts / "loops").mkdir()
    (layouts / "loops" / "mixed.yaml").write_text(
        "title: Mixed\nslots:\n"
        '  - {layout: pair, interviewer: Ana, start: "10:00"}\n'
        '  - {layout: seeing, interviewer: Bo, start: "11:00"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["make", "--loop", "mixed", "--bank", str(IC_BANK), "--layouts", str(layouts)])
    assert result.exit_code == 1
    assert (
        "loops/mixed.yaml: slots[1].layout: 'seeing' is scored on the category set 'wide', but 'pair' in "
        "slots[0] on 'default'; the debrief compares slots category by category, so give every slot a layout on "
        "the same set"
    ) in result.stderr


# ------------------------------------------------------------------------------------------- every format


@pytest.fixture(scope="module")
def ic_files(tmp_path_factory) -> dict[str, Path]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("ic")
    result = CliRunner().invoke(
        main, ["make", "--role", "sre-ic", *IC, "--format", "all", "--out", str(out), "--candidate", "Ana One"]
    )
    assert result.exit_code == 0, result.output
    return {path.suffix: path for path in out.iterdir()}


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_text(path: Path) -> str:
    workbook = openpyxl.load_workbook(path)
    return "\n".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )


def test_every_format_names_the_roles_categories_and_no_team(ic_files):
    require_tool("pdftotext")
    cheat_sheet = subprocess.run(
        ["pdftotext", "-layout", str(ic_files[".pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    texts = {
        "guide": docx_text(ic_files[".docx"]),
        "cheat sheet": " ".join(cheat_sheet.split()),
        "scorecard": xlsx_text(ic_files[".xlsx"]),
        "json": ic_files[".json"].read_text(encoding="utf-8"),
    }
    for name, text in texts.items():
        for label in IC_LABELS:
            assert label in text, (name, label)
        for label in DEFAULT_LABELS:
            assert label not in text, (name, label)
        assert "team" not in text.lower().replace('"teams": []', ""), name
    assert "Goal \u2014 Production operations:" in texts["cheat sheet"]
    assert "Goal \u2014 Influence without authority:" in texts["guide"]
    data = json.loads(texts["json"])
    assert [c["id"] for c in data["categories"]] == ["design", "operations", "influence"]
    with zipfile.ZipFile(ic_files[".xlsx"]) as archive:
        assert "World-class" not in archive.read("xl/workbook.xml").decode()


@pytest.mark.parametrize("role", ["pair", "sre-ic", "wide"])
def test_libreoffice_scores_each_set_as_the_scoring_model_does(tmp_path, role):
    packet = make_packet(role, bank_dir=IC_BANK, layouts_dir=IC_LAYOUTS)
    assert len(packet.categories) == {"pair": 2, "sre-ic": 3, "wide": 8}[role]
    from exporter.render.xlsx import ScorecardRenderer

    blank = tmp_path / "blank.xlsx"
    ScorecardRenderer().render(packet, blank)
    questions = scorecard_questions(blank)
    fillings = {"example": example_filling(questions), **special_fillings(questions)}
    files = []
    for index, values in enumerate(fillings.values()):
        fill_scorecard(blank, tmp_path / f"card-{index}.xlsx", values)
        files.append(tmp_path / f"card-{index}.xlsx")
    recalculated = soffice_convert(files, "xlsx", tmp_path / "recalculated")
    mismatches = []
    for (case, values), path in zip(fillings.items(), recalculated):
        workbook = openpyxl.load_workbook(path, data_only=True)
        result = expected(packet, values)
        for category in packet.categories:
            part = category.id.replace("-", "_")
            line = result.categories[category.id]
            for field, wanted in (("score", line.score), ("rating", line.rating)):
                if not same(named_value(workbook, f"cat_{part}_{field}"), wanted):
                    mismatches.append(f"{case}: cat_{part}_{field}")
            if named_value(workbook, f"cat_{part}_asked") != line.asked:
                mismatches.append(f"{case}: cat_{part}_asked")
        if not same(named_value(workbook, "overall_score"), result.overall):
            mismatches.append(f"{case}: overall_score")
        summary = [str(cell.value) for row in workbook["Summary"].iter_rows() for cell in row if cell.value]
        assert all(c.label in summary for c in packet.categories)
    assert not mismatches, mismatches
