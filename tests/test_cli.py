"""The command line as a user meets it: exit codes, exact messages, files written, the JSON packet."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter import __version__, errors, reproducible
from exporter.cli import DATE, collector_paused, main
from exporter.errors import BatchFailed, DateError, PacketError, ScorecardError
from exporter.output import slug
from exporter.packet import default_date

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

    def explode(self, packet, path, memo=None):
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
        (
            ["--role", "mini", "-f", "pdf,xls"],
            "Error: unknown format 'xls'; choose from: docx, pdf, xlsx, json, html, all\n",
        ),
        (["--role", "mini", "--start", "two"], "Error: --start: 'two' is not a time; write it as HH:MM, e.g. 14:00\n"),
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
    for date, why in (
        ("2026-02-30", "is not a date (day is out of range for month); write it as YYYY-MM-DD, e.g. 2026-12-02"),
        ("1/12/2026", "could be 2026-12-01 (1 Dec 2026) or 2026-01-12 (12 Jan 2026)"),
        ("tomorrow", "is not a date; write it as YYYY-MM-DD (e.g. 2026-12-02) or 2 Dec 2026"),
    ):
        result = runner.invoke(main, ["make", "--role", "mini", *MINI, "--date", date, "-o", str(tmp_path)])
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: --date: '{date}' {why}"), result.output
    assert list(tmp_path.iterdir()) == []
    help_text = runner.invoke(main, ["make", "--help"]).output
    assert "--date DATE" in help_text and "1 Dec 2026" in help_text and "%Y" not in help_text


@pytest.mark.parametrize("date", ["2026-12-01", "1 Dec 2026", "Tue, December 1, 2026"])
def test_the_date_is_taken_as_a_candidates_file_takes_it(runner, tmp_path, date):
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "--date", date, "-f", "json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (made,) = tmp_path.iterdir()
    assert json.loads(made.read_text(encoding="utf-8"))["date"] == "2026-12-01"
    with pytest.raises(DateError):
        DATE.convert("2026-02-30", None, None)


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


def test_list_prints_roles_and_loops_as_json_too_and_says_when_there_are_none(runner, tmp_path):
    roles = json.loads(runner.invoke(main, ["list", "--json", *MINI]).stdout)
    assert roles == [{"role": "mini", "title": "Test Manager", "level": "M3", "minutes": 20}]
    (loop,) = json.loads(runner.invoke(main, ["list", "--loops", "--json"]).stdout)  # the shipped one
    assert loop == {
        "loop": "infra-m3-onsite", "title": "Infrastructure Manager onsite", "slots": 4, "days": 1,
        "summary": "Infrastructure Manager onsite (4 slots, 10:00–14:00)",
    }  # fmt: skip
    empty = tmp_path / "layouts"
    empty.mkdir()
    for option, says in (([], f"no roles in {empty};"), (["--loops"], f"no loops in {empty / 'loops'};")):
        result = runner.invoke(main, ["list", *option, "--bank", str(MINI_BANK), "--layouts", str(empty)])
        assert (result.exit_code, result.stdout) == (0, "")
        assert says in result.stderr
    both = runner.invoke(main, ["list", "--loops", "--questions", *MINI])
    assert both.exit_code == 2 and "give --questions or --loops, not both" in both.output


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


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Zoë Ødegård", "zoe-odegard"),
        ("Straße Łódź", "strasse-lodz"),
        ("Иван Петров", "иван-петров"),
        ("王伟", "王伟"),
        ("محمد علي", "محمد-علي"),
        ("प्रिया शर्मा", "प्रिया-शर्मा"),
        ("김민준", "김민준"),
        ("O'Brien / ../etc", "o-brien-etc"),
        ("ＡＢＣ", "abc"),
    ],
)
def test_file_names_keep_every_scripts_letters(name, part):
    assert slug(name) == part


def test_names_with_no_letters_still_get_file_names_of_their_own():
    assert slug("") == slug("   ") == ""
    assert re.fullmatch(r"name-[0-9a-f]{8}", slug("🙂"))
    assert len({slug("🙂"), slug("🙂🙂"), slug("🎉")}) == 3
    assert slug("🙂") == slug(" 🙂 ")  # the same name gives the same file name


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_a_name_never_leaves_the_out_folder_or_grows_too_long(name):
    part = slug(name)
    assert not set(part) & set("/\\\0.") and not part.startswith("-")
    assert len(part.encode()) <= 60
    assert bool(part) == bool(name.strip())


def test_candidates_in_other_scripts_get_distinct_files(runner, tmp_path):
    for name in ("Иван Петров", "王伟", ""):
        result = runner.invoke(
            main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path), "--candidate", name]
        )
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mini-packet.json",
        "mini-иван-петров-packet.json",
        "mini-王伟-packet.json",
    ]


def test_the_start_is_stored_as_hh_mm(runner, tmp_path):
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path), "--start", " 9:05 "])
    assert result.exit_code == 0, result.output
    packet = json.loads((tmp_path / "mini-packet.json").read_text(encoding="utf-8"))
    assert (packet["start"], packet["sections"][0]["clock_start"]) == ("09:05", "09:05")
    superscript = runner.invoke(main, ["make", "-r", "mini", *MINI, "-o", str(tmp_path / "x"), "--start", "²3:00"])
    assert (superscript.exit_code, superscript.output) == (
        1,
        "Error: --start: '²3:00' is not a time; write it as HH:MM, e.g. 14:00\n",
    )


def test_a_folder_where_an_output_goes_is_not_replaced_even_with_force(runner, tmp_path):
    (tmp_path / "mini-packet.json").mkdir()
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path), "--force"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {tmp_path}/mini-packet.json: is a folder, not a file; move it away or choose another --out\n",
    )
    assert [p.name for p in tmp_path.iterdir()] == ["mini-packet.json"]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            "/proc",
            "cannot write in /proc: the folder takes no new files or folders (No such file or directory); "
            "choose another folder",
        ),
        (
            "/proc/sys/packets",
            "cannot make the folder /proc/sys/packets: /proc/sys takes no new files or folders (No such file or "
            "directory); choose another folder",
        ),
        (
            "{tmp}/a-file/packets",
            "cannot make the folder {tmp}/a-file/packets: {tmp}/a-file is a file, not a folder; choose another folder",
        ),
    ],
)
def test_an_out_folder_that_takes_no_files(runner, tmp_path, out, message):
    if out.startswith("/proc") and not Path("/proc/self").is_dir():
        pytest.skip("needs Linux's /proc")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = out.format(tmp=tmp_path)
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", out])
    assert (result.exit_code, result.output) == (1, f"Error: {message.format(tmp=tmp_path)}\n")


@pytest.mark.parametrize("formats", [[""], [","], ["", " "]])
def test_an_empty_format_is_an_error(runner, tmp_path, formats):
    options = [option for value in formats for option in ("-f", value)]
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, *options, "-o", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: --format: no format given; choose from: docx, pdf, xlsx, json, html, all\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["abc", "1e9", "253402300800", "-5", "12.5"])
def test_a_bad_source_date_epoch_is_ignored_with_one_warning(runner, tmp_path, monkeypatch, value):
    reproducible._parse.cache_clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "pdf,json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: SOURCE_DATE_EPOCH='{value}' is not a whole number of seconds since 1970 from 0 to "
        "253402300799; it is ignored, so the files record the current time\n"
    )
    packet = json.loads((tmp_path / "mini-packet.json").read_text(encoding="utf-8"))
    assert packet["date"] == dt.date.today().isoformat()
    assert (tmp_path / "mini-cheatsheet.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("value", "epoch", "moment"),
    [
        ("0", 315532800, dt.datetime(1980, 1, 1)),  # a zip file records nothing earlier
        (" 1767225600 ", 1767225600, dt.datetime(2026, 1, 1)),
        ("253402300799", 4354819199, dt.datetime(2107, 12, 31, 23, 59, 59)),  # nor later
        ("", None, None),
    ],
)
def test_the_build_time(monkeypatch, value, epoch, moment):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert reproducible.source_date_epoch() == epoch
    if moment is not None:
        assert reproducible.build_time() == moment
        assert default_date() == moment.date()
        reproducible.settle_environment()
        assert os.environ["SOURCE_DATE_EPOCH"] == str(epoch)  # what reportlab reads itself
    else:
        now = reproducible.build_time()
        assert now.tzinfo is None and now.microsecond == 0
        assert default_date() == dt.date.today()


def test_errors_are_plain_exceptions_that_the_command_line_prints(runner, monkeypatch):
    assert not issubclass(PacketError, click.ClickException)

    def failing(*args: object, **kwargs: object) -> None:
        raise errors.RenderError("cannot write in out: the disk is full; choose another folder")

    monkeypatch.setattr("exporter.output.write_packet", failing)
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: cannot write in out: the disk is full; choose another folder\n",
    )
    assert isinstance(result.exception, SystemExit) and result.exc_info is not None


def every_error() -> list[PacketError]:
    return [
        errors.BankError(["layouts/a.yaml: sections: missing", "bank/b.yaml: id: missing"]),
        errors.LayoutNotFound("unknown role 'x'"),
        errors.LoopNotFound("unknown loop 'x'"),
        errors.BudgetError("--start: 'x' is not a time"),
        errors.DateError("--date: 'x' is not a date"),
        errors.UnsupportedFormat("unknown format 'x'"),
        errors.RenderError("does not fit"),
        errors.OutputExists("exists"),
        errors.ScorecardError("a.xlsx: no such file"),
        errors.ScorecardError(["B4 is empty", "B5 is empty"], file="a.xlsx"),
        errors.NotAScorecard("a.xlsx: not a packet scorecard"),
        errors.PlanningError("--size 0"),
        errors.LintFailed("2 lint warnings"),
        errors.LoopError(["a loop problem"]),
        errors.CandidatesError(["c.csv: is empty"]),
        errors.BatchFailed(["c.csv: line 2: bad", "c.csv: line 3: bad"], made=3),
    ]


@pytest.mark.parametrize("error", every_error(), ids=lambda error: type(error).__name__)
def test_every_error_crosses_to_another_process_whole(error):
    """A batch's worker processes send errors back pickled."""
    import pickle

    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.message, vars(copy)) == (type(error), error.message, error.message, vars(error))


def test_a_scorecard_error_is_one_message_or_the_shared_list_of_problems():
    assert ScorecardError("a.xlsx: no such file").message == "a.xlsx: no such file"
    assert ScorecardError(["B4: empty", "B5: empty"], file="a.xlsx").message == (
        "a.xlsx: 2 problems:\n  B4: empty\n  B5: empty"
    )
    assert issubclass(ScorecardError, errors.ProblemsError)


def test_an_unknown_loop_is_not_an_unknown_role():
    from exporter.loops import load_loop

    with pytest.raises(errors.LoopNotFound, match="unknown loop 'nope'"):
        load_loop("nope", MINI_LAYOUTS, MINI_BANK)
    assert not issubclass(errors.LoopNotFound, errors.LayoutNotFound)


def test_a_warning_goes_to_the_stderr_of_the_moment(capsys):
    errors.warn("dropped 1 control character")
    assert capsys.readouterr() == ("", "Warning: dropped 1 control character\n")


def test_one_packet_is_made_with_the_collector_paused_and_restored(runner, tmp_path, monkeypatch):
    import gc

    from exporter import output

    collecting = []
    write_packet = output.write_packet

    def recording(*args: object, **kwargs: object) -> object:
        collecting.append(gc.isenabled())
        return write_packet(*args, **kwargs)

    monkeypatch.setattr(output, "write_packet", recording)
    from exporter import workspace

    resolve_folders = workspace.resolve_folders
    monkeypatch.setattr(
        workspace, "resolve_folders", lambda *args: collecting.append(gc.isenabled()) or resolve_folders(*args)
    )
    assert runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path)]).exit_code == 0
    assert collecting == [False, False] and gc.isenabled()  # from finding the folders on
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_one_row_made_is_said_in_the_singular():
    assert BatchFailed(["x.csv: line 3: bad"], made=1).message == (
        "1 problem in the candidates file (the other row was made):\n  x.csv: line 3: bad"
    )


SLOW_RENDER = """
import sys, time
import click
from exporter.cli import main
from exporter.render.json import JsonRenderer

def slow(self, packet, path, memo=None):
    path.write_text("half", encoding="utf-8")
    print("rendering", flush=True)
    try:
        time.sleep(120)
    except BaseException as exc:
        if sys.argv[1] == "swallowing":  # as reportlab does inside a paragraph
            raise click.ClickException("paragraph text '<para>' caused exception") from exc
        raise

JsonRenderer.render = slow
main(sys.argv[2:])
"""


@pytest.mark.parametrize(("sig", "renderer"), [(signal.SIGTERM, "plain"), (signal.SIGHUP, "swallowing")])
def test_sigterm_and_sighup_remove_temporary_files(tmp_path, sig, renderer):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_RENDER, renderer, "make", "-r", "mini", *MINI, "-f", "json", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline() == "rendering\n"  # the .part file is there, half-written
        assert [p.suffix for p in out.iterdir()] == [".part"]
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, stderr) == (128 + sig, "")
    assert not out.exists()  # nor the folder the run made for them


def packet_program(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`packet` as installed: `python -m exporter` runs the same entry point as the script."""
    return subprocess.run(
        [sys.executable, "-m", "exporter", *args], capture_output=True, text=True, timeout=120, **kwargs
    )  # type: ignore[call-overload]


def test_the_program_keeps_clicks_exit_codes_and_all_its_output(runner, tmp_path):
    made = packet_program("make", "-r", "mini", *MINI, "-f", "json,pdf", "-o", str(tmp_path))
    assert (made.returncode, made.stderr) == (0, "")
    assert made.stdout.splitlines() == [str(tmp_path / "mini-packet.json"), str(tmp_path / "mini-cheatsheet.pdf")]
    listed = packet_program("list", "--questions", *MINI)
    assert (listed.returncode, listed.stdout) == (0, runner.invoke(main, ["list", "--questions", *MINI]).stdout)
    wrong = packet_program("make", "-r", "nope", *MINI, "-o", str(tmp_path))
    assert wrong.returncode == 1 and wrong.stderr.startswith("Error: unknown role 'nope'")
    usage = packet_program("make", "--bogus")
    assert usage.returncode == 2 and "No such option '--bogus'" in usage.stderr
    assert packet_program("--version").stdout == f"packet, version {__version__}\n"
    for result in (made, listed, wrong, usage):
        assert "Traceback" not in result.stderr


AT_EXIT = """
import atexit, sys
atexit.register(lambda: print("atexit handler ran", flush=True))
from exporter.cli import run
sys.argv[1:] = sys.argv[2:]
run()
"""


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["make", "-r", "nope", *MINI], 1), (["--bogus"], 2)])
def test_the_program_runs_registered_atexit_handlers(args, code, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", AT_EXIT, "packet", *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == code
    assert done.stdout.endswith("atexit handler ran\n")


def test_a_reader_that_stops_early_gets_no_traceback():
    process = subprocess.Popen(
        [sys.executable, "-m", "exporter", "list", "--questions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `packet list --questions | head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=60) in (0, 1)
    assert "Traceback" not in stderr
