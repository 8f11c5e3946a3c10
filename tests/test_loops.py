"""Onsite loops: the loop file's checks, the shipped loop, the candidate's folder and its overview."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter.cli import main
from exporter.errors import RenderError
from exporter.loading import load_bank
from exporter.loop_model import breaks
from exporter.loops import lint_loop, lint_loops, load_loop, slots_per_category
from exporter.loops import make_loop as make_loop_files
from exporter.readback import fill_scorecard
from exporter.render import RenderMemo

from .conftest import EPOCH, FIXTURES, MINI_BANK, REPO, pdftotext

LOOP_LAYOUTS = FIXTURES / "loop" / "layouts"
LOOP = ["--bank", str(MINI_BANK), "--layouts", str(LOOP_LAYOUTS)]
SHIPPED_LOOP_FILES = [
    "0-infra-m3-onsite-overview.pdf",
    "0-infra-m3-onsite-overview.md",
    "1-1000-hiring-manager-infra-m3-packet.json",
    "2-1045-release-engineer-infra-m3-onsite-release-packet.json",
    "3-1130-dev-infra-engineer-infra-m3-onsite-dev-infra-packet.json",
    "4-1330-peer-manager-infra-m3-people-packet.json",
]


def make_loop(runner, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["make", *args, "-o", str(tmp_path)])


def test_shipped_loop_writes_every_slot_into_the_candidates_folder(runner, tmp_path):
    args = ["--loop", "infra-m3-onsite", "--candidate", "Zoë Ødegård", "--date", "2026-12-01", "-f", "json"]
    result = make_loop(runner, tmp_path, *args)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "zoe-odegard"
    assert result.stdout == "".join(f"{folder / name}\n" for name in SHIPPED_LOOP_FILES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(SHIPPED_LOOP_FILES)
    packets = [json.loads((folder / name).read_text(encoding="utf-8")) for name in SHIPPED_LOOP_FILES[2:]]
    assert [(p["interviewer"], p["start"], p["date"], p["minutes"]) for p in packets] == [
        ("Hiring manager", "10:00", "2026-12-01", 30),
        ("Release engineer", "10:45", "2026-12-01", 30),
        ("Dev infra engineer", "11:30", "2026-12-01", 30),
        ("Peer manager", "13:30", "2026-12-01", 30),
    ]
    assert {p["candidate"] for p in packets} == {"Zoë Ødegård"}


def test_shipped_loop_asks_no_question_twice_and_covers_each_category_in_two_slots(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "infra-m3-onsite", "-f", "json")
    assert result.exit_code == 0, result.output
    asked = Counter(
        question["id"]
        for path in sorted((tmp_path / "infra-m3-onsite").glob("*-packet.json"))
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]  # backups included
    )
    assert len(asked) == 17  # four slots of four questions, and the first one's backup
    assert [qid for qid, count in asked.items() if count > 1] == []
    loop = load_loop("infra-m3-onsite")
    assert len(loop.slots) == 4
    assert all(slot.layout.minutes == 30 for slot in loop.slots)
    covering = slots_per_category(loop, load_bank())
    assert {category: len(slots) for category, slots in covering.items()} == {
        "world-class": 4,
        "operational": 4,
        "strategic": 4,
        "team-member": 4,
    }
    assert lint_loops() == []


def test_overview_is_one_page_naming_who_asks_what_when(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "infra-m3-onsite", "--candidate", "Zoë Ødegård", "-f", "json")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "zoe-odegard" / "0-infra-m3-onsite-overview.pdf"
    assert len(PdfReader(pdf).pages) == 1
    text = " ".join(pdftotext(pdf).split())
    for expected in (
        "Infrastructure Manager onsite",
        "Zoë Ødegård",
        "1 10:00–10:30 Hiring manager Infrastructure 1. Technical Leadership and Team 1 1.5 1 1 Manager Management (7 min)",
        "1b. Backup: Build and Release Pipeline",
        "10:30–10:45 Break — 15 min 2 10:45–11:15",
        "12:00–13:30 Lunch — 90 min 4 13:30–14:00 Peer manager Infrastructure 1. Inheriting or Building a Team "
        "(6 min) 3 2.5 1.5 1",
        "Slots covering the category 4 4 4 4",
    ):
        assert expected in text
    assert "the slot\u2019s questions" in text  # typeset as the cheat sheets beside it
    markdown = (tmp_path / "zoe-odegard" / "0-infra-m3-onsite-overview.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Infrastructure Manager onsite\n\nZoë Ødegård · ")
    assert "| 2 | 10:45–11:15 | Release engineer | Infrastructure Manager — release & deployment" in markdown


def test_loop_files_are_named_by_slot_time_and_interviewer(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "pair", *LOOP, "--candidate", "Al Smith", "-f", "json,xlsx")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "al-smith"
    assert result.stdout.splitlines() == [
        str(folder / name)
        for name in (
            "0-pair-overview.pdf",
            "0-pair-overview.md",
            "1-1400-sam-lee-first-packet.json",
            "1-1400-sam-lee-first-scorecard.xlsx",
            "2-1430-zoe-odegard-second-packet.json",
            "2-1430-zoe-odegard-second-scorecard.xlsx",
        )
    ]
    # Unquoted 14:00 in the loop file is a time, not YAML 1.1's base-60 number 840.
    assert json.loads((folder / "1-1400-sam-lee-first-packet.json").read_text(encoding="utf-8"))["start"] == "14:00"


def test_a_later_day_moves_the_date_and_names_the_day(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "two-days", *LOOP, "--date", "2026-12-31", "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # 09:10 on day 2 does not overlap 09:00 on day 1
    second = tmp_path / "two-days" / "2-d2-0910-kim-park-second-packet.json"
    assert json.loads(second.read_text(encoding="utf-8"))["date"] == "2027-01-01"
    markdown = (tmp_path / "two-days" / "0-two-days-overview.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[2] == "Candidate not named · Thursday 31 December 2026"
    # Bank text shows as itself in Markdown: "<Trains>" is not an HTML tag.
    assert (
        '| 1 | Thu 31 Dec, 09:00–09:20 | Sam Lee | First Interview (first, 20 min) | 1. Pipelines & "Release" '
        "\\<Trains\\>\u00a0(8\u00a0min)<br>1b. Backup: Smaller Pipeline<br>2. Planning\u00a0(8\u00a0min) | 1 | 0.5 | 1 | — |"
    ) in markdown
    assert "| Fri 1 Jan, 09:10–09:25 | Kim Park |" in markdown


def test_a_loop_file_can_be_given_by_path(runner, tmp_path):
    path = LOOP_LAYOUTS / "loops" / "pair.yaml"
    result = make_loop(runner, tmp_path, "--loop", str(path), *LOOP, "-f", "json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pair" / "1-1400-sam-lee-first-packet.json").is_file()


def test_a_question_asked_in_two_slots_is_refused(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "clash", *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {LOOP_LAYOUTS / 'loops' / 'clash.yaml'}: slots[1].layout: 'third' asks 'toil', which 'second' already "
        "asks in slots[0]; ask each question once in a loop (choose layouts without shared questions)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_every_problem_of_a_loop_file_is_reported_at_once(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "broken", *LOOP, "-f", "json")
    assert result.exit_code == 1
    where = LOOP_LAYOUTS / "loops" / "broken.yaml"
    assert result.output == (
        "Error: 5 problems in the loop or its layouts:\n"
        f"  {where}: slots[0].layout: unknown layout 'frist' (did you mean 'first'?); known layouts: first, second, "
        "third\n"
        f"  {where}: slots[1].room: unknown key 'room'; known keys: layout, interviewer, start, day, id\n"
        f"  {where}: slots[1].interviewer: missing; this field is required\n"
        f"  {where}: slots[1].start: '25:00' is not a time of day; write it as HH:MM, e.g. 14:00\n"
        f"  {where}: slots[2].day: 0 should be from 1 (the loop's date) to 365: the day of the loop this slot is on\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_overlapping_slots_warn_and_the_loop_is_still_made(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "overlap", *LOOP, "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: {LOOP_LAYOUTS / 'loops' / 'overlap.yaml'}: slots[1].start: 09:10–09:25 overlaps slots[0] "
        "(09:00–09:20, Sam Lee); move one of them\n"
    )
    assert len(result.stdout.splitlines()) == 4


def test_lint_warns_about_categories_covered_by_fewer_than_two_slots():
    warnings = lint_loop(load_loop("pair", LOOP_LAYOUTS, MINI_BANK), load_bank(MINI_BANK))
    where = LOOP_LAYOUTS / "loops" / "pair.yaml"
    assert warnings == [
        f"{where}: slots: category 'world-class' is covered by 1 slot (slots[0]); cover every category in at least "
        "2 slots",
        f"{where}: slots: category 'strategic' is covered by 1 slot (slots[0]); cover every category in at least 2 slots",
        f"{where}: slots: category 'team-member' is covered by 1 slot (slots[1]); cover every category in at least "
        "2 slots",
    ]


def test_an_existing_loop_is_not_overwritten_without_force(runner, tmp_path):
    args = ["--loop", "pair", *LOOP, "-f", "json"]
    assert make_loop(runner, tmp_path, *args).exit_code == 0
    overview = tmp_path / "pair" / "0-pair-overview.pdf"
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "pair").iterdir()}
    result = make_loop(runner, tmp_path, *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {overview} exists; use --force to overwrite it, or choose another --out\n"
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "pair").iterdir()} == before
    assert make_loop(runner, tmp_path, *args, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loop", "pair", "--role", "first"], "Error: --role and --loop exclude each other; give one of them"),
        (["--loop", "pair", "--interviewer", "Kim"], "Error: --interviewer comes from the loop's slots; leave it out"),
        (["--loop", "pair", "--start", "09:00"], "Error: --start comes from the loop's slots; leave it out"),
        ([], "Error: Missing option '--role' / '-r' (or --loop)."),
    ],
)
def test_options_that_do_not_go_with_a_loop_are_usage_errors(runner, tmp_path, args, message):
    result = make_loop(runner, tmp_path, *args, *LOOP)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_unknown_loop_lists_the_known_ones(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--loop", "infra-m3-onsight")
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown loop 'infra-m3-onsight' (did you mean 'infra-m3-onsite'?); known loops: infra-m3-onsite "
        f"(in {REPO / 'layouts' / 'loops'})\n"
    )


def test_a_loop_given_as_a_role_says_to_use_loop(runner, tmp_path):
    result = runner.invoke(main, ["make", "--role", "infra-m3-onsite", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: 'infra-m3-onsite' is a loop, not a role: use --loop infra-m3-onsite with `packet make`; "
        "known roles: infra-m3, "
    )
    assert list(tmp_path.iterdir()) == []


def test_list_and_validate_include_loops(runner):
    result = runner.invoke(main, ["list", "--loops"])
    assert result.exit_code == 0
    assert result.stdout == "infra-m3-onsite  Infrastructure Manager onsite (4 slots, 10:00–14:00)\n"
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.stdout.endswith(", 1 loop\n")


def test_a_loop_is_byte_identical_from_run_to_run(runner, tmp_path, epoch):
    for out in ("a", "b"):
        result = make_loop(runner, tmp_path / out, "--loop", "pair", *LOOP, "--candidate", "Zoë Ødegård")
        assert result.exit_code == 0, result.output
    first = sorted((tmp_path / "a" / "zoe-odegard").iterdir())
    assert len(first) == 2 + 2 * 5
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / "zoe-odegard" / path.name).read_bytes(), path.name
    assert epoch == EPOCH


# -- a loop is made whole or not at all ------------------------------------------------------------------------


def fail_for(monkeypatch, interviewer: str, error: BaseException) -> None:  # type: ignore[no-untyped-def]
    """The JSON of ``interviewer``'s slot fails half-way, as a cheat sheet that does not fit or a crash would."""
    from exporter.render.json import JsonRenderer

    render = JsonRenderer.render

    def half_then_fail(self, packet, path, memo=None):  # type: ignore[no-untyped-def]
        if packet.interviewer != interviewer:
            return render(self, packet, path, memo)
        path.write_text('{"half', encoding="utf-8")
        raise error

    monkeypatch.setattr(JsonRenderer, "render", half_then_fail)


def test_a_failing_slot_writes_no_file_of_the_loop(runner, tmp_path, monkeypatch):
    """Slot 2 fails: not slot 1's files without an overview, not even the candidate's folder."""
    fail_for(monkeypatch, "Zoë Ødegård", RenderError("layouts/second.yaml: cheat sheet does not fit on one page"))
    result = make_loop(runner, tmp_path, "--loop", "pair", *LOOP, "-f", "json", "--candidate", "Al Smith")
    assert (result.exit_code, result.output) == (
        1,
        "Error: layouts/second.yaml: cheat sheet does not fit on one page\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_failing_slot_leaves_the_last_loop_as_it_was(runner, tmp_path, monkeypatch):
    args = ["--loop", "pair", *LOOP, "-f", "json,xlsx", "--candidate", "Al Smith", "--force"]
    assert make_loop(runner, tmp_path, *args).exit_code == 0
    folder = tmp_path / "al-smith"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 2 + 2 * 2
    fail_for(monkeypatch, "Zoë Ødegård", KeyboardInterrupt())
    result = make_loop(runner, tmp_path, *args, "--date", "2027-01-04")
    assert (result.exit_code, result.output) == (1, "\nAborted!\n")  # Ctrl-C, as Click reports it
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no .part file left either


def loop_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_day_far_away_is_a_problem_of_the_loop_file(runner, tmp_path):
    path = loop_file(
        tmp_path,
        "title: Far\nslots:\n  - {layout: first, interviewer: Sam Lee, start: '09:00', day: 100000000}\n",
    )
    result = make_loop(runner, tmp_path / "out", "--loop", str(path), *LOOP, "-f", "json")
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {path}: slots[0].day: 100000000 should be from 1 (the loop's date) to 365: the day of the loop this "
        "slot is on\n",
    )
    assert not (tmp_path / "out").exists()
    path.write_text(path.read_text(encoding="utf-8").replace("100000000", "365"), encoding="utf-8")
    assert make_loop(runner, tmp_path / "out", "--loop", str(path), *LOOP, "-f", "json").exit_code == 0


def test_a_day_past_the_last_date_names_the_slot(runner, tmp_path):
    two_days = LOOP_LAYOUTS / "loops" / "two-days.yaml"
    args = ["--loop", "two-days", *LOOP, "-f", "json", "--date", "9999-12-31"]
    result = make_loop(runner, tmp_path / "out", *args)
    message = (
        f"{two_days}: slots[1].day: day 2 of a loop on 9999-12-31 falls after 9999-12-31, the last date there is; "
        "choose an earlier date"
    )
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    assert not (tmp_path / "out").exists()
    # The same from a row of a --candidates file: the row named, the other rows made.
    rows = tmp_path / "candidates.csv"
    rows.write_text("candidate,date\nAl Smith,9999-12-31\nZoë Ødegård,2026-12-01\n", encoding="utf-8")
    result = make_loop(runner, tmp_path / "out", *args[:-2], "--candidates", str(rows))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 1 problem in the candidates file (the other row was made):\n  {rows}: line 2: {message}\n"
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["zoe-odegard"]


# -- the overview builds on the loop's records, not on this module ---------------------------------------------

ABOVE_RENDER = {
    "cli",
    "batch",
    "loops",
    "tally",
    "debrief",
    "lint",
    "suggest",
    "planning_views",
    "layout_writer",
    "output",
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file under exporter/render/ imports, anywhere in it, as ``exporter.<name>…``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = {0: "", 1: "exporter.render", 2: "exporter"}[node.level]
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from .. import loops` too
    return found


def test_nothing_under_render_imports_a_module_above_it():
    """Imports inside functions count too: a lazy import still ties the layers together."""
    found = sorted(
        f"{path.name} imports {module}"
        for path in (REPO / "exporter" / "render").glob("*.py")
        for module in imported_modules(path)
        if module.startswith("exporter.") and module.split(".")[1] in ABOVE_RENDER
    )
    assert found == []


def test_the_overview_is_made_without_loops_or_the_cheat_sheet(tmp_path):
    script = f"""
import datetime as dt, sys
from pathlib import Path
from exporter.loading import load_layout
from exporter.loop_model import Loop, LoopPackets, Slot
from exporter.packet import make_packet
from exporter.render.overview import render_overview_pdf

bank, layouts = Path({str(MINI_BANK)!r}), Path({str(LOOP_LAYOUTS)!r})
slot = Slot(number=1, layout=load_layout("first", layouts, bank), interviewer="Sam Lee", start="14:00")
packet = make_packet("first", bank_dir=bank, layouts_dir=layouts, interviewer="Sam Lee", start="14:00")
loop = Loop(name="one", title="One slot", slots=(slot,))
render_overview_pdf(LoopPackets(loop, "Al Smith", dt.date(2026, 12, 1), (packet,)), Path({str(tmp_path / "o.pdf")!r}))
print(sorted(m for m in ("exporter.loops", "exporter.render.pdf") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"
    assert len(PdfReader(tmp_path / "o.pdf").pages) == 1


def test_a_batch_memo_makes_the_same_loop_files(tmp_path, epoch):
    memo = RenderMemo()
    options = {"layouts_dir": LOOP_LAYOUTS, "bank_dir": MINI_BANK, "date": dt.date(2026, 12, 1)}
    for candidate in ("Al Smith", "Bo Two"):
        with_memo = make_loop_files(
            "pair", ["pdf", "docx"], tmp_path / "memo", candidate=candidate, memo=memo, **options
        )
        alone = make_loop_files("pair", ["pdf", "docx"], tmp_path / "alone", candidate=candidate, **options)
        assert [p.read_bytes() for p in with_memo] == [p.read_bytes() for p in alone]


NAMED = ["--interviewers", "hiring-manager=Sam Lee,2=Ana Ruiz"]


def test_named_interviewers_go_on_their_slots_packets_and_file_names(runner, tmp_path):
    args = ["--loop", "infra-m3-onsite", "--candidate", "Zoë Ødegård", "-f", "json", *NAMED]
    result = make_loop(runner, tmp_path, *args)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "zoe-odegard"
    names = [
        "1-1000-sam-lee-infra-m3-packet.json",
        "2-1045-ana-ruiz-infra-m3-onsite-release-packet.json",
        "3-1130-dev-infra-engineer-infra-m3-onsite-dev-infra-packet.json",
        "4-1330-peer-manager-infra-m3-people-packet.json",
    ]
    assert result.stdout.splitlines()[2:] == [str(folder / name) for name in names]
    interviewers = [json.loads((folder / name).read_text(encoding="utf-8"))["interviewer"] for name in names]
    assert interviewers == [
        "Sam Lee (Hiring manager)",
        "Ana Ruiz (Release engineer)",
        "Dev infra engineer",
        "Peer manager",
    ]
    markdown = (folder / "0-infra-m3-onsite-overview.md").read_text(encoding="utf-8")
    assert "| 1 | 10:00–10:30 | Sam Lee (Hiring manager) | Infrastructure Manager (infra-m3, 30 min) |" in markdown
    text = " ".join(pdftotext(folder / "0-infra-m3-onsite-overview.pdf").split())
    assert "1 10:00–10:30 Sam Lee Infrastructure" in text
    assert "Hiring manager Manager Management (7 min)" in text  # the role under the name


@pytest.mark.parametrize(
    ("interviewers", "message"),
    [
        (
            "hiring-manger=Sam Lee",
            "Error: --interviewers: no slot 'hiring-manger' in loop infra-m3-onsite (did you mean 'hiring-manager'?); "
            "its slots are: 1 hiring-manager, 2 release-engineer, 3 dev-infra-engineer, 4 peer-manager\n",
        ),
        (
            "5=Sam Lee",
            "Error: --interviewers: no slot '5' in loop infra-m3-onsite; its slots are: 1 hiring-manager, "
            "2 release-engineer, 3 dev-infra-engineer, 4 peer-manager\n",
        ),
        (
            "1=Sam Lee,hiring-manager=Ana Ruiz",
            "Error: --interviewers: slot 1 (hiring-manager) is named twice, as Sam Lee and as Ana Ruiz; name each slot "
            "once\n",
        ),
        (
            "Sam Lee",
            "Error: --interviewers: 'Sam Lee' is not slot=name; write each slot's id or number, '=' and the name, "
            'separated by commas: --interviewers "hiring-manager=Sam Lee,2=Ana Ruiz"\n',
        ),
    ],
)
def test_an_unknown_or_doubly_named_slot_is_an_error_listing_the_slots(runner, tmp_path, interviewers, message):
    result = make_loop(runner, tmp_path, "--loop", "infra-m3-onsite", "-f", "json", "--interviewers", interviewers)
    assert result.exit_code == 1
    assert result.stderr == message
    assert not (tmp_path / "infra-m3-onsite").exists()


def test_interviewers_without_a_loop_is_a_usage_error(runner, tmp_path):
    result = make_loop(runner, tmp_path, "--role", "infra-m3", "--interviewers", "1=Sam Lee")
    assert result.exit_code == 2
    assert "Error: --interviewers names the slots of a loop; give it with --loop" in result.output


def write_loop_file(tmp_path: Path, slots: str) -> Path:
    path = tmp_path / "ids.yaml"
    path.write_text(f"title: Ids\nslots:\n{slots}", encoding="utf-8")
    return path


def test_a_slot_id_defaults_to_its_interviewer_and_may_be_given(runner, tmp_path):
    loop_file = write_loop_file(
        tmp_path,
        '  - {layout: first, interviewer: Sam Lee, start: "09:00", id: Lead}\n'
        '  - {layout: second, interviewer: Zoë Ødegård, start: "09:30"}\n',
    )
    loop = load_loop(str(loop_file), LOOP_LAYOUTS, MINI_BANK)
    assert [slot.id for slot in loop.slots] == ["lead", "zoe-odegard"]
    result = make_loop(
        runner, tmp_path, "--loop", str(loop_file), *LOOP, "-f", "json", "--interviewers", "LEAD=Kim Park"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ids" / "1-0900-kim-park-first-packet.json").exists()


def test_slot_ids_that_clash_or_are_numbers_are_problems_of_the_loop_file(runner, tmp_path):
    clash = write_loop_file(
        tmp_path,
        '  - {layout: first, interviewer: Engineer, start: "09:00"}\n'
        '  - {layout: second, interviewer: engineer, start: "09:30"}\n',
    )
    result = make_loop(runner, tmp_path, "--loop", str(clash), *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {clash}: slots[1].id: 'engineer' is also the id of slots[0]; give each slot its own `id:` (by default a "
        "slot's id is its interviewer as a file name)\n"
    )
    number = write_loop_file(tmp_path, '  - {layout: first, interviewer: Engineer, start: "09:00", id: "3"}\n')
    result = make_loop(runner, tmp_path, "--loop", str(number), *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 problem in the loop or its layouts:\n"
        f"  {number}: slots[0].id: '3' is not a slot id; use only letters, digits and hyphens, not digits alone "
        "(those number the slots)\n"
    )


def test_breaks_and_lunch_between_slots():
    loop = load_loop("infra-m3-onsite")
    assert [(n, b.start, b.end, b.label) for n, b in breaks(loop.slots).items()] == [
        (1, "10:30", "10:45", "Break — 15 min"),
        (2, "11:15", "11:30", "Break — 15 min"),
        (3, "12:00", "13:30", "Lunch — 90 min"),
    ]
    # Thirty-minute slots: 14 minutes is no break; 46 minutes from 10:14 is a break, not lunch; 60 from 11:30 is.
    starts = ("09:00", "09:44", "11:00", "12:30")
    day = tuple(dataclasses.replace(slot, start=start) for slot, start in zip(loop.slots, starts))
    assert [(n, b.label) for n, b in breaks(day).items()] == [(2, "Break — 46 min"), (3, "Lunch — 60 min")]
    next_day = (loop.slots[0], dataclasses.replace(loop.slots[1], start="13:00", day=2))
    assert breaks(next_day) == {}


def test_no_minutes_stand_alone_on_a_line_of_the_overview(runner, tmp_path):
    for paper in ("letter", "a4"):
        args = ["--loop", "infra-m3-onsite", "--candidate", "Zoë Ødegård", "-f", "json", "--paper", paper, *NAMED]
        assert make_loop(runner, tmp_path / paper, *args).exit_code == 0
        pdf = tmp_path / paper / "zoe-odegard" / "0-infra-m3-onsite-overview.pdf"
        lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert [line for line in lines.splitlines() if re.fullmatch(r"\(\d+ min\)", line.strip())] == []
        assert "Lunch — 90 min" in lines


def test_force_over_a_filled_scorecard_names_the_formats_that_would_go_through(runner, tmp_path):
    args = ["--loop", "pair", *LOOP, "-f", "docx,xlsx,json"]
    assert make_loop(runner, tmp_path, *args).exit_code == 0
    card = tmp_path / "pair" / "2-1430-zoe-odegard-second-scorecard.xlsx"
    fill_scorecard(card, card, {"q1_rating": 3})
    result = make_loop(runner, tmp_path, *args, "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {card}: this scorecard has been filled in (1 rating); it was not overwritten. Move it away or "
        "choose another --out, or make the other files alone: --format docx,json\n"
    )
