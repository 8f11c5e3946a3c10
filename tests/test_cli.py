"""The command line as a user meets it: exit codes, exact messages, files written, the JSON packet."""

from __future__ import annotations

import json
import shutil

import pytest

from exporter import __version__
from exporter.cli import main

from .conftest import MINI, MINI_BANK, MINI_LAYOUTS


def test_version_and_help(runner):
    assert runner.invoke(main, ["--version"]).output == f"packet, version {__version__}\n"
    for command in ([], *([name] for name in main.commands)):
        for flag in ("-h", "--help"):
            result = runner.invoke(main, [*command, flag])
            assert result.exit_code == 0
            assert "Example" in result.output


def test_make_json_prints_the_path_and_writes_the_packet(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "make",
            "--role",
            "mini",
            *MINI,
            "-f",
            "json",
            "-o",
            str(tmp_path),
            "--candidate",
            "Zoë Ødegård",
            "--date",
            "2026-12-01",
            "--start",
            "23:50",
        ],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "mini-zoe-odegard-packet.json"
    assert result.stdout == f"{path}\n"
    packet = json.loads(path.read_text(encoding="utf-8"))
    assert packet["candidate"] == "Zoë Ødegård"
    assert packet["date"] == "2026-12-01"
    assert [s["kind"] for s in packet["sections"]] == ["opening", "question", "question", "question", "closing"]
    assert [(s["start"], s["end"]) for s in packet["sections"]] == [(0, 2), (2, 8), (8, 13), (13, 18), (18, 20)]
    assert packet["sections"][-1]["clock_end"] == "00:10"
    assert [(q["number"], q["label"], q["id"], q["backup_for"]) for q in packet["questions"]] == [
        (1, "1", "pipeline", None),
        (2, "1b", "pipeline-backup", "pipeline"),
        (3, "2", "toil", None),
        (4, "3", "planning", None),
    ]
    assert packet["questions"][0]["great"] == ["Concrete pipeline changes.", "Team ownership."]
    assert packet["questions"][0]["categories"] == {"world-class": 1.0, "operational": 0.5}


def test_refuses_to_overwrite_without_force(runner, tmp_path):
    args = ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    target = tmp_path / "mini-packet.json"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.output == f"Error: {target} exists; use --force to overwrite it, or choose another --out\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")


def test_no_partial_file_when_a_renderer_fails(runner, tmp_path, monkeypatch):
    from exporter.render.json import JsonRenderer

    def explode(self, packet, path):
        path.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(JsonRenderer, "render", explode)
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "mni"], "Error: unknown role 'mni' (did you mean 'mini'?); known roles: mini (in "),
        (["--role", "mini", "-f", "pdf,xls"], "Error: unknown format 'xls'; choose from: docx, pdf, xlsx, json, all\n"),
        (["--role", "mini", "--start", "2pm"], "Error: --start: '2pm' is not a time; write it as HH:MM, e.g. 14:00\n"),
        (
            ["--role", "mini", "--minutes", "3"],
            "Error: --minutes 3 is too short for 5 sections; give at least 5 minutes (one per section)\n",
        ),
        (
            ["--role", "mini", "--minutes", "0"],
            "Error: --minutes 0: give the slot's length in whole minutes, at least 1\n",
        ),
    ],
)
def test_user_mistakes_are_clear_errors(runner, tmp_path, args, message):
    result = runner.invoke(main, ["make", *args, *MINI, "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_date_is_an_error_in_the_house_style(runner, tmp_path):
    for date in ("2026-02-30", "1/12/2026", "tomorrow"):
        result = runner.invoke(main, ["make", "--role", "mini", *MINI, "--date", date, "-o", str(tmp_path)])
        assert (result.exit_code, result.output) == (
            1,
            f"Error: --date: '{date}' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01\n",
        )
    assert list(tmp_path.iterdir()) == []
    help_text = runner.invoke(main, ["make", "--help"]).output
    assert "--date YYYY-MM-DD" in help_text and "%Y" not in help_text


def test_paper_is_an_option_of_make_only(runner):
    help_text = " ".join(runner.invoke(main, ["make", "--help"]).output.split())
    assert "Paper size of the guide, the cheat sheet, the scorecard's print setup and a loop's overview." in help_text
    assert "--paper" not in runner.invoke(main, ["show", "--help"]).output
    result = runner.invoke(main, ["show", "--role", "mini", *MINI, "--paper", "a4"])
    assert result.exit_code == 2 and "No such option '--paper'" in result.output


@pytest.mark.parametrize(
    ("minutes", "warning"),
    [
        ("16", "--minutes 16 leaves questions 2 and 3 with 4 minutes each"),
        ("12", "--minutes 12 leaves question 1 with 4 minutes and questions 2 and 3 with 3 minutes each"),
    ],
)
def test_a_squeezed_slot_warns_about_short_questions(runner, tmp_path, minutes, warning):
    advice = " (at least 5 are advised for a question and its follow-ups); consider a longer slot or a layout with fewer questions\n"
    result = runner.invoke(
        main, ["make", "--role", "mini", *MINI, "--minutes", minutes, "-f", "json", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {warning}{advice}"
    assert result.stdout == f"{tmp_path / 'mini-packet.json'}\n"  # the packet is still made
    result = runner.invoke(main, ["show", "--role", "mini", *MINI, "--minutes", minutes])
    assert result.exit_code == 0 and result.stderr == f"Warning: {warning}{advice}"
    assert runner.invoke(main, ["show", "--role", "mini", *MINI, "--minutes", "20"]).stderr == ""


def test_a_layout_with_a_short_question_section_warns_too(runner, tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(MINI_LAYOUTS, layouts)
    layout = layouts / "mini.yaml"
    text = layout.read_text(encoding="utf-8")
    text = text.replace("question: toil, minutes: 5", "question: toil, minutes: 4")
    layout.write_text(text.replace("closing, minutes: 2", "closing, minutes: 3"), encoding="utf-8")
    result = runner.invoke(main, ["show", "--role", "mini", "--bank", str(MINI_BANK), "--layouts", str(layouts)])
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: layout mini leaves question 2 with 4 minutes (at least 5 are advised for a question and its "
        f"follow-ups); give it more minutes in {layout}\n"
    )


def test_list_aligns_the_columns_to_the_longest_name(runner, tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(MINI_LAYOUTS, layouts)
    long_name = "mini-with-a-name-longer-than-24"
    shutil.copy(layouts / "mini.yaml", layouts / f"{long_name}.yaml")
    result = runner.invoke(main, ["list", "--bank", str(MINI_BANK), "--layouts", str(layouts)])
    assert result.exit_code == 0
    assert result.output == (
        f"mini                             Test Manager, M3 (20 min)\n{long_name}  Test Manager, M3 (20 min)\n"
    )
    result = runner.invoke(main, ["list", "--questions", *MINI])
    assert result.output.splitlines()[:3] == [
        'pipeline         Pipelines & "Release" <Trains>  [World-class 1, Outstanding operationally 0.5] (authored)',
        "pipeline-backup  Smaller Pipeline  [World-class 1] (authored)",
        "toil             Toil  [Outstanding operationally 1, Effective team member 0.5] (authored)",
    ]


def test_usage_errors_keep_exit_code_2(runner):
    result = runner.invoke(main, ["make", *MINI])
    assert result.exit_code == 2
    assert "Missing option '--role'" in result.output
    result = runner.invoke(main, ["make", "--role", "mini", "--paper", "a5", *MINI])
    assert result.exit_code == 2


def test_minutes_rescales_and_show_prints_the_budget(runner):
    result = runner.invoke(main, ["show", "--role", "mini", *MINI, "--minutes", "45", "--start", "23:50"])
    assert result.exit_code == 0
    assert '23:55–00:09   14 min  Pipelines & "Release" <Trains>' in result.output
    assert "1b. Backup: Smaller Pipeline — The candidate has never owned a pipeline." in result.output


def test_list_questions_json(runner):
    result = runner.invoke(main, ["list", "--questions", "--json", *MINI])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows[0] == {
        "id": "pipeline",
        "title": 'Pipelines & "Release" <Trains>',
        "text": "Tell me about a build & release pipeline you and your team improved.",
        "categories": {"world-class": 1.0, "operational": 0.5},
        "teams": ["release-deployment"],
        "domains": ["build-release"],
        "source": "authored",
        "backup_for": None,
    }


def test_infra_m3_json_packet(runner, tmp_path):
    result = runner.invoke(main, ["make", "--role", "infra-m3", "--format", "json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    packet = json.loads((tmp_path / "infra-m3-packet.json").read_text(encoding="utf-8"))
    assert packet["minutes"] == 30
    assert sum(s["minutes"] for s in packet["sections"]) == 30
    assert packet["sections"][-1]["end"] == 30
    ids = [q["id"] for q in packet["questions"]]
    assert ids[:2] == ["hybrid-deployments", "build-release-pipeline"]
    assert len(ids) == 5
    assert [c["id"] for c in packet["categories"]] == ["world-class", "operational", "strategic", "team-member"]
    for q in packet["questions"]:
        assert set(q) >= {
            "number",
            "id",
            "title",
            "text",
            "follow_ups",
            "categories",
            "great",
            "negative",
            "technologies",
            "teams",
            "domains",
            "backup_for",
        }
        assert q["great"] and q["negative"]
