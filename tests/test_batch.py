"""Batches from a candidates CSV: one packet (or loop) per row, bad rows reported by line, same bytes as alone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exporter.batch
from exporter.budget import parse_clock, parse_date
from exporter.cli import main
from exporter.errors import BudgetError, DateError
from exporter.output import slug

from .conftest import FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS

LOOP = ["--bank", str(MINI_BANK), "--layouts", str(FIXTURES / "loop" / "layouts")]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def make(runner, csv_path: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["make", "--candidates", str(csv_path), "-o", str(out), *args])


def test_a_bad_row_is_reported_with_its_line_and_the_others_are_made(runner, tmp_path):
    source = write_csv(
        tmp_path / "week.csv",
        "candidate,interviewer,date,start\n"
        "Zoë Ødegård,Sam Lee,2026-12-01,14:00\n"
        "Bad Date,Kim Park,2026-13-01,10:00\n"
        "\n"  # blank lines are skipped but still counted
        ",Kim Park,,\n"
        '"Quoted, Name",Kim Park,,25:00\n'
        "Al Smith,,2026-12-02,\n"
        "Zoë Ødegård,Sam Lee,,\n",
    )
    out = tmp_path / "out"
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json", "--interviewer", "Default Person")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{out / 'mini-zoe-odegard-sam-lee-packet.json'}\n{out / 'mini-al-smith-default-person-packet.json'}\n"
    )
    assert result.stderr == (
        "Error: 4 problems in the candidates file (the other 2 rows were made):\n"
        f"  {source}: line 3: date: '2026-13-01' is not a date (month must be in 1..12); write it as YYYY-MM-DD, "
        "e.g. 2026-12-02\n"
        f"  {source}: line 5: candidate: is empty; write the candidate's name\n"
        f"  {source}: line 6: start: '25:00' is not a time of day; write it as HH:MM or with am/pm (2:30 pm)\n"
        f"  {source}: line 8: candidate: same candidate and interviewer as line 2, so the files would overwrite each "
        "other; make one row of them\n"
    )
    al = json.loads((out / "mini-al-smith-default-person-packet.json").read_text(encoding="utf-8"))
    assert [al["candidate"], al["interviewer"], al["date"], al["start"]] == [
        "Al Smith",
        "Default Person",
        "2026-12-02",
        None,
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "mini-al-smith-default-person-packet.json",
        "mini-zoe-odegard-sam-lee-packet.json",
    ]


def test_a_row_that_fails_while_being_made_is_reported_and_the_others_are_made(runner, tmp_path):
    source = write_csv(tmp_path / "c.csv", "candidate\nAl Smith\nBo Chen\nCy Diaz\n")
    out = tmp_path / "out"
    out.mkdir()
    in_the_way = out / "mini-bo-chen-packet.json"
    in_the_way.mkdir()
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json", "--jobs", "2")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(out / "mini-al-smith-packet.json"), str(out / "mini-cy-diaz-packet.json")]
    assert result.stderr == (
        "Error: 1 problem in the candidates file (the other 2 rows were made):\n"
        f"  {source}: line 3: {in_the_way}: is a folder, not a file; move it away or choose another --out\n"
    )
    assert in_the_way.is_dir()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_output_is_byte_identical_to_making_each_row_alone(runner, tmp_path, epoch, jobs):
    rows = [
        ("Zoë Ødegård", "Sam Lee", "2026-12-01", "14:00"),
        ("Al Smith", "Kim Park", "", ""),
        ("Бора Ким", "", "2026-12-03", "09:30"),
    ]
    text = io.StringIO()
    csv.writer(text).writerows([("candidate", "interviewer", "date", "start"), *rows])
    source = write_csv(tmp_path / "c.csv", text.getvalue())
    result = make(runner, source, tmp_path / "batch", "--role", "mini", *MINI, "--jobs", jobs)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    for candidate, interviewer, date, start in rows:
        args = ["--candidate", candidate, "--interviewer", interviewer]
        args += ["--date", date] if date else []
        args += ["--start", start] if start else []
        alone = runner.invoke(main, ["make", "--role", "mini", *MINI, *args, "-o", str(tmp_path / "alone")])
        assert alone.exit_code == 0, alone.output
    batch = sorted(p.name for p in (tmp_path / "batch").iterdir())
    assert batch == sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert len(batch) == 3 * 5  # docx, pdf, xlsx, json and html per row
    for name in batch:
        assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name
    assert result.stdout.splitlines()[:4] == [
        str(tmp_path / "batch" / f"mini-zoe-odegard-sam-lee-{kind}")
        for kind in ("guide.docx", "cheatsheet.pdf", "scorecard.xlsx", "packet.json")
    ]


def test_rows_are_spread_over_worker_processes(runner, tmp_path, monkeypatch):
    pools = []

    class RecordingPool(exporter.batch.ProcessPoolExecutor):
        def __init__(self, max_workers, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(exporter.batch, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(exporter.batch, "cores", lambda: 2)
    source = write_csv(tmp_path / "c.csv", "candidate\n" + "".join(f"Candidate {n}\n" for n in range(5)))
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert result.exit_code == 0, result.output
    assert pools == [2]
    assert result.stdout.splitlines() == [str(tmp_path / "out" / f"mini-candidate-{n}-packet.json") for n in range(5)]
    # One row, or one core: no pool at all.
    single = write_csv(tmp_path / "one.csv", "candidate\nOnly One\n")
    assert make(runner, single, tmp_path / "out", "--role", "mini", *MINI, "-f", "json").exit_code == 0
    monkeypatch.setattr(exporter.batch, "cores", lambda: 1)
    assert make(runner, source, tmp_path / "serial", "--role", "mini", *MINI, "-f", "json").exit_code == 0
    assert pools == [2]


def test_a_loop_per_row_makes_a_folder_per_candidate(runner, tmp_path):
    source = write_csv(tmp_path / "loops.csv", "Candidate;Date\nZoë Ødegård;2026-12-01\nAl Smith;\n")  # Excel's ';'
    out = tmp_path / "out"
    result = make(runner, source, out, "--loop", "pair", *LOOP, "-f", "json", "--date", "2026-12-07")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["al-smith", "zoe-odegard"]
    for folder, date in (("zoe-odegard", "2026-12-01"), ("al-smith", "2026-12-07")):
        names = sorted(p.name for p in (out / folder).iterdir())
        assert names == [
            "0-pair-overview.md",
            "0-pair-overview.pdf",
            "1-1400-sam-lee-first-packet.json",
            "2-1430-zoe-odegard-second-packet.json",
        ]
        packet = json.loads((out / folder / "1-1400-sam-lee-first-packet.json").read_text(encoding="utf-8"))
        assert packet["date"] == date


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "candiate,date\nAl,2026-01-01\n",
            ["--role", "mini"],
            "Error: 2 problems in the candidates file:\n"
            "  {csv}: line 1: unknown column 'candiate' (did you mean 'candidate'?); the columns are: candidate, "
            "interviewer, date, start (a column far from these is ignored)\n"
            "  {csv}: line 1: no 'candidate' column; the header needs one\n",
        ),
        (
            "candidate,interviewer\nAl,Kim\n",
            ["--loop", "pair"],
            "Error: 1 problem in the candidates file:\n"
            "  {csv}: line 1: column 'interviewer': a loop's slots set each interviewer and start time; remove the "
            "column, or use --role; name a slot’s interviewer in a column interviewer:<slot>\n",
        ),
        (
            "\n\n",
            ["--role", "mini"],
            "Error: 1 problem in the candidates file:\n  {csv}: is empty; write a header "
            "line `candidate,interviewer,date,start`\n",
        ),
        (
            "candidate\n",
            ["--role", "mini"],
            "Error: 1 problem in the candidates file:\n  {csv}: has a header but no "
            "candidates; add one row per candidate\n",
        ),
    ],
)
def test_a_candidates_file_that_cannot_be_used_writes_nothing(runner, tmp_path, content, args, message):
    source = write_csv(tmp_path / "c.csv", content)
    result = make(runner, source, tmp_path / "out", *args, *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.output == message.format(csv=source)
    assert not (tmp_path / "out").exists()


def test_a_spreadsheet_saved_as_latin_1_is_refused_and_a_byte_order_mark_is_fine(runner, tmp_path):
    latin = write_csv(tmp_path / "latin.csv", "candidate\nZoë\n", encoding="latin-1")
    result = make(runner, latin, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: 1 problem in the candidates file:\n  {latin}: is not UTF-8 text (byte 12); save it as CSV UTF-8\n"
    )
    bom = write_csv(tmp_path / "bom.csv", "candidate\nZoë\n", encoding="utf-8-sig")
    result = make(runner, bom, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'out' / 'mini-zoe-packet.json'}\n"


def test_candidate_and_candidates_exclude_each_other(runner, tmp_path):
    source = write_csv(tmp_path / "c.csv", "candidate\nAl\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "--candidate", "Bo")
    assert result.exit_code == 2
    assert "Error: --candidate and --candidates exclude each other; the names come from the CSV" in result.output


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters="\u0085"),
    min_size=1,
    max_size=30,
).filter(lambda name: name.strip() != "")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(candidates=st.lists(names, min_size=1, max_size=5))
def test_any_names_round_trip_through_the_csv(runner, tmp_path_factory, candidates):
    """Whatever a spreadsheet quotes (commas, quotes, accents), each name reaches its packet as written, but on
    one line with single spaces and its accents composed (:func:`exporter.text.given_name`)."""
    tmp = tmp_path_factory.mktemp("names")
    text = io.StringIO()
    csv.writer(text).writerows([("candidate",), *[(name,) for name in candidates]])
    source = write_csv(tmp / "c.csv", text.getvalue())
    result = make(runner, source, tmp / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "1")
    first_with_slug: dict[str, str] = {}
    for name in candidates:
        written = " ".join(unicodedata.normalize("NFC", name).split())
        first_with_slug.setdefault(slug(written), written)
    made = [json.loads(Path(line).read_text(encoding="utf-8"))["candidate"] for line in result.stdout.splitlines()]
    assert made == list(first_with_slug.values())
    assert result.exit_code == (0 if len(first_with_slug) == len(candidates) else 1)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_quote_doubled_in_a_cell_is_one_quote_whatever_the_delimiter(runner, tmp_path, delimiter):
    """As Excel and every spreadsheet write a cell holding quotes: the header line alone shows the delimiter, not
    how quotes are written."""
    text = io.StringIO()
    rows = [("candidate", "interviewer", "start"), ("Ben & Jerry", 'Tom "Q" <T>', "10:00"), ('"Al"', "", "")]
    csv.writer(text, delimiter=delimiter).writerows(rows)
    source = write_csv(tmp_path / "c.csv", text.getvalue())
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "1")
    made = [json.loads(Path(line).read_text(encoding="utf-8")) for line in result.stdout.splitlines()]
    assert [(p["candidate"], p["interviewer"]) for p in made] == [("Ben & Jerry", 'Tom "Q" <T>'), ('"Al"', "")]


def test_an_unforeseen_fault_in_one_row_is_reported_and_the_others_are_made(runner, tmp_path, monkeypatch):
    from exporter.render.json import JsonRenderer

    original = JsonRenderer.render

    def fragile(self, packet, path, memo=None):
        if packet.candidate == "Bo":
            raise ValueError("something this row's data broke")
        original(self, packet, path, memo)

    monkeypatch.setattr(JsonRenderer, "render", fragile)
    csv_file = tmp_path / "week.csv"
    csv_file.write_text("candidate\nAl\nBo\nCy\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(out), "--candidates",
                                  str(csv_file), "--jobs", "1"])  # fmt: skip
    assert result.exit_code == 1
    assert f"{csv_file}: line 3: could not be made (ValueError: something this row's data broke)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["mini-al-packet.json", "mini-cy-packet.json"]


def test_an_open_quote_that_swallows_rows_is_reported(runner, tmp_path):
    csv_file = tmp_path / "week.csv"
    csv_file.write_text('candidate,date\n"Smith,2026-12-01\nAl Jones,2026-12-02\n', encoding="utf-8")
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path / "out"),
                                  "--candidates", str(csv_file)])  # fmt: skip
    assert result.exit_code == 1
    assert f'{csv_file}: line 2: candidate: runs over several lines; is a quote (") left open?' in result.output


def test_a_very_long_name_still_makes_every_format(runner, tmp_path):
    name = "Ana " + "B" * 300
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-o", str(tmp_path), "--candidate", name])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5


def test_a_batch_makes_its_rows_with_the_collector_on(runner, tmp_path, monkeypatch):
    """One packet is made with the collector paused (exporter.cli.collector_paused); a hundred rows need it."""
    import gc

    from exporter import batch

    collecting = []
    make_row = batch.make_row

    def recording(job, row):
        collecting.append((gc.isenabled(), gc.get_freeze_count() > frozen_before))
        return make_row(job, row)

    monkeypatch.setattr(batch, "make_row", recording)
    source = write_csv(tmp_path / "c.csv", "candidate\nOne\nTwo\n")
    frozen_before = gc.get_freeze_count()
    assert make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "-j", "1").exit_code == 0
    assert collecting == [(True, True), (True, True)]  # on, with what was loaded before the rows frozen
    assert gc.get_freeze_count() == frozen_before  # and nothing more left frozen once the batch is over


def test_a_batch_scorecard_is_the_same_bytes_as_one_made_alone(runner, tmp_path, epoch):
    """In a batch, scorecards of one layout differ only in their header, and are the same bytes as alone."""
    rows = [  # with and without an interviewer, and text Excel might take for a formula
        ("Zoë Ødegård", "Sam Lee", "2026-12-01"),
        ("Al Smith", "", ""),  # dated today
        ("=Бора Ким", "Kim Park", "2026-12-03"),
        ("Li Wei", "Sam Lee", ""),
        ("A. N. Other With A Much Longer Name Than The Others", "", "2026-12-04"),
    ]
    text = io.StringIO()
    csv.writer(text).writerows([("candidate", "interviewer", "date"), *rows])
    source = write_csv(tmp_path / "c.csv", text.getvalue())
    result = make(runner, source, tmp_path / "batch", "--role", "mini", *MINI, "-f", "xlsx", "--jobs", "1")
    assert result.exit_code == 0, result.output
    for candidate, interviewer, date in rows:
        args = ["--candidate", candidate, "--interviewer", interviewer, *(["--date", date] if date else [])]
        alone = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "xlsx", *args, "-o", str(tmp_path / "alone")])
        assert alone.exit_code == 0, alone.output
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "batch").iterdir()) and len(names) == len(rows)
    for name in names:
        assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


def test_rows_whose_files_would_overwrite_each_other_are_found_before_any_is_written(runner, tmp_path):
    source = write_csv(
        tmp_path / "c.csv",
        "candidate,interviewer\n"
        "Sam Lee,\n"  # mini-sam-lee-…
        "Sam,Lee\n"  # mini-sam-lee-… as well
        "Al Smith,Kim Park\n"
        "sam,LEE\n"  # the same again
        "Al-Smith,Kim  Park\n",  # the same people as line 4, written differently
    )
    out = tmp_path / "out"
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json,pdf", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        str(out / "mini-sam-lee-packet.json"),
        str(out / "mini-sam-lee-cheatsheet.pdf"),
        str(out / "mini-al-smith-kim-park-packet.json"),
        str(out / "mini-al-smith-kim-park-cheatsheet.pdf"),
    ]
    clash = (
        "candidate: the files would have the same names ({place}-*) as those of line 2, and overwrite them; tell "
        "the two rows' names apart (e.g. with a middle initial)"
    )
    assert result.stderr == (
        "Error: 3 problems in the candidates file (the other 2 rows were made):\n"
        f"  {source}: line 3: {clash.format(place=out / 'mini-sam-lee')}\n"
        f"  {source}: line 5: {clash.format(place=out / 'mini-sam-lee')}\n"
        f"  {source}: line 6: candidate: same candidate and interviewer as line 4, so the files would overwrite each "
        "other; make one row of them\n"
    )
    assert json.loads((out / "mini-sam-lee-packet.json").read_text(encoding="utf-8"))["interviewer"] == ""


def test_two_names_whose_files_clash_are_told_apart_from_one_name_written_twice(runner, tmp_path):
    source = write_csv(tmp_path / "c.csv", "candidate,interviewer\nZoë,Sam Lee\nZoe,Sam Lee\nzoë,sam-lee\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert result.exit_code == 1
    place = tmp_path / "out" / "mini-zoe-sam-lee"
    assert f"line 3: candidate: the files would have the same names ({place}-*) as those of line 2" in result.stderr
    assert "line 4: candidate: same candidate and interviewer as line 2" in result.stderr


def test_a_loop_batch_refuses_two_rows_for_one_candidate_folder(runner, tmp_path):
    source = write_csv(tmp_path / "c.csv", "candidate\nSam Lee\nSam-Lee\nAl\n")
    out = tmp_path / "out"
    result = make(runner, source, out, "--loop", "pair", *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 problem in the candidates file (the other 2 rows were made):\n"
        f"  {source}: line 3: candidate: same candidate as line 2, so the files would overwrite each other; make one "
        "row of them\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["al", "sam-lee"]


def test_every_row_of_a_batch_shares_one_render_memo_and_a_single_packet_has_none(runner, tmp_path, monkeypatch):
    from exporter.render.json import JsonRenderer

    original = JsonRenderer.render
    memos = []

    def recording(self, packet, path, memo=None):  # type: ignore[no-untyped-def]
        memos.append(memo)
        original(self, packet, path, memo)

    monkeypatch.setattr(JsonRenderer, "render", recording)
    source = write_csv(tmp_path / "c.csv", "candidate\nAl\nBo\nCy\n")
    assert make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "1").exit_code == 0
    assert len(memos) == 3 and memos[0] is not None and all(memo is memos[0] for memo in memos)
    loop = make(runner, source, tmp_path / "loops", "--loop", "pair", *LOOP, "-f", "json", "--jobs", "1")
    assert loop.exit_code == 0, loop.output
    assert len(memos) == 3 + 3 * 2 and memos[3] is not memos[0] and all(memo is memos[3] for memo in memos[3:])
    alone = runner.invoke(main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path / "alone")])
    assert alone.exit_code == 0
    assert memos[-1] is None


def test_a_candidates_path_that_is_no_regular_file_is_refused_not_read(tmp_path):
    """A named pipe would wait for a writer forever: a process of its own, so a regression times out."""
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    (tmp_path / "link.csv").symlink_to(pipe)
    for path in (pipe, tmp_path / "link.csv"):
        result = subprocess.run(
            [sys.executable, "-m", "exporter", "make", "--role", "mini", *MINI, "--candidates", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert (result.returncode, result.stderr) == (
            1,
            f"Error: 1 problem in the candidates file:\n  {path}: is not a regular file; give the path of a CSV file\n",
        )


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` and that still run (a zombie has ended)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat_file.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


WITHOUT_PRCTL = (
    "import exporter.batch, exporter.cli; exporter.batch._kill_on_parent_death = lambda: False; exporter.cli.run()"
)
"""`packet` as on a system where a process cannot ask to die with its parent: its workers watch the parent."""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
@pytest.mark.parametrize("program", [["-m", "exporter"], ["-c", WITHOUT_PRCTL]], ids=["prctl", "watching"])
def test_workers_of_a_batch_killed_outright_die_with_it_and_write_nothing_after(tmp_path, program):
    rows = 400
    source = write_csv(tmp_path / "c.csv", "candidate\n" + "".join(f"Candidate {n}\n" for n in range(rows)))
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [sys.executable, *program, "make", "--role", "mini", *MINI, "--candidates", str(source)]
        + ["-o", str(out), "-f", "json,xlsx", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (out.is_dir() and any(out.iterdir())) or len(_children(batch.pid)) < 2:
            assert batch.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch wrote nothing in two minutes"
            time.sleep(0.01)
        workers = _children(batch.pid)
    finally:
        batch.kill()  # SIGKILL: the batch has no chance to stop its workers itself
        batch.wait()
    written = sorted(p.name for p in out.iterdir())
    assert len(written) < rows * 2, "the batch was done before it was killed"
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [pid for pid in workers if _running(pid)] == []
    if program != ["-m", "exporter"]:  # a watching worker may still place the file it was placing
        written = sorted(p.name for p in out.iterdir())
    time.sleep(1)  # a survivor would write its next row meanwhile
    assert sorted(p.name for p in out.iterdir()) == written


def test_an_unreadable_candidates_file_says_how_to_fix_it(runner, tmp_path, monkeypatch):
    source = write_csv(tmp_path / "c.csv", "candidate\nAl\n")
    real = Path.read_bytes

    def read_bytes(path):  # type: ignore[no-untyped-def]
        if path == source:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert (result.exit_code, result.output) == (
        1,
        "Error: 1 problem in the candidates file:\n"
        f"  {source}: cannot be read (Permission denied); allow reading it (chmod u+r)\n",
    )


def test_columns_a_spreadsheet_carries_are_ignored_with_one_note(runner, tmp_path):
    source = write_csv(
        tmp_path / "week.csv",
        'candidate,Email,phone,notes\nAl Smith,al@example.com,555,"Prefers\nmornings"\nBo Chen,,,\n',
    )
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: {source}: line 1: ignored the columns packet does not use: 'email', 'phone', 'notes'; it reads "
        "candidate, interviewer, date, start\n"
    )
    assert len(result.stdout.splitlines()) == 2
    loop = make(runner, source, tmp_path / "loop", "--loop", "pair", *LOOP, "-f", "json", "--jobs", "1")
    assert loop.stderr.endswith("it reads candidate, date and interviewer:<slot>\n"), loop.stderr


def test_dates_and_times_as_spreadsheets_write_them(runner, tmp_path):
    source = write_csv(
        tmp_path / "week.csv",
        "candidate,date,start\n"
        "Al Smith,2 Dec 2026,10:00 AM\n"
        '"Bo Chen","December 3, 2026",2:30 pm\n'
        "Cy Diaz,2026-12-04,12:15 pm\n",
    )
    out = tmp_path / "out"
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    packets = [json.loads(Path(line).read_text(encoding="utf-8")) for line in result.stdout.splitlines()]
    assert [(p["date"], p["start"]) for p in packets] == [
        ("2026-12-02", "10:00"),
        ("2026-12-03", "14:30"),
        ("2026-12-04", "12:15"),
    ]
    single = runner.invoke(
        main, ["make", "--role", "mini", *MINI, "-f", "json", "-o", str(tmp_path / "one"), "--start", "2:30 PM"]
    )
    assert single.exit_code == 0, single.output
    assert json.loads(Path(single.stdout.strip()).read_text(encoding="utf-8"))["start"] == "14:30"


@pytest.mark.parametrize(
    ("date", "why"),
    [
        (
            "12/02/2026",
            "'12/02/2026' could be 2026-02-12 (12 Feb 2026) or 2026-12-02 (2 Dec 2026): spreadsheets read day and "
            "month in the order of their country; write it as YYYY-MM-DD or 2 Dec 2026",
        ),
        (
            "25/12/2026",
            "'25/12/2026' is a date in numbers only, which spreadsheets read in the order of their country; write it "
            "as YYYY-MM-DD (here 2026-12-25) or 2 Dec 2026",
        ),
        ("2 Dex 2026", "'2 Dex 2026': 'dex' is not a month; write the date as YYYY-MM-DD or 2 Dec 2026"),
    ],
)
def test_a_date_that_could_be_misread_says_why_and_how_to_write_it(runner, tmp_path, date, why):
    source = write_csv(tmp_path / "week.csv", f"candidate,date\nAl Smith,{date}\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: 1 problem in the candidates file (no row was made):\n  {source}: line 2: date: {why}\n"
    )


def test_a_rerun_after_fixing_a_row_makes_only_the_missing_rows(runner, tmp_path):
    out = tmp_path / "out"
    source = write_csv(tmp_path / "week.csv", "candidate,date\nAl Smith,2026-12-01\nBo Chen,12/02/2026\nCy Diaz,\n")
    assert make(runner, source, out, "--role", "mini", *MINI, "-f", "json,docx").exit_code == 1
    made = {p: p.stat().st_mtime_ns for p in out.iterdir()}
    assert len(made) == 4
    write_csv(source, "candidate,date\nAl Smith,2026-12-01\nBo Chen,2 Dec 2026\nCy Diaz,\n")
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json,docx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "mini-bo-chen-packet.json"), str(out / "mini-bo-chen-guide.docx")]
    assert result.stderr == f"Warning: {source}: lines 2 and 4: already made (use --force to remake)\n"
    assert {p: p.stat().st_mtime_ns for p in made} == made
    again = make(runner, source, out, "--role", "mini", *MINI, "-f", "json,docx")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == f"Warning: {source}: lines 2\u20134: already made (use --force to remake)\n"
    forced = make(runner, source, out, "--role", "mini", *MINI, "-f", "json,docx", "--force")
    assert (forced.exit_code, len(forced.stdout.splitlines()), forced.stderr) == (0, 6, "")


def test_a_rerun_names_each_row_made_before_with_other_details(runner, tmp_path):
    out = tmp_path / "out"
    source = write_csv(tmp_path / "week.csv", "candidate,date,start\nAl Smith,2026-12-01,\nBo Chen,2026-12-02,10:00\n")
    assert make(runner, source, out, "--role", "mini", *MINI, "-f", "json,pdf").exit_code == 0
    made = {p: p.read_bytes() for p in out.iterdir()}
    write_csv(source, "candidate,date,start\nAl Smith,9 Dec 2026,9:00\nBo Chen,2026-12-02,10:00\n")
    result = make(runner, source, out, "--role", "mini", *MINI, "-f", "json,pdf")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"Warning: {source}: line 3: already made (use --force to remake)\n"
        f"Warning: {source}: line 2: made before with other details (date 2026-12-01 \u2192 2026-12-09, start none "
        "\u2192 09:00); not made again: use --force to remake it (a filled-in scorecard is kept)\n"
    )
    assert {p: p.read_bytes() for p in out.iterdir()} == made
    # Without a JSON file there is nothing to compare with: the row is only said to be made.
    pdf_only = make(runner, source, out, "--role", "mini", *MINI, "-f", "pdf")
    assert pdf_only.stderr == f"Warning: {source}: lines 2 and 3: already made (use --force to remake)\n"


def test_a_rerun_over_a_damaged_packet_json_only_says_the_row_was_made(runner, tmp_path):
    source = write_csv(tmp_path / "week.csv", "candidate\nAl Smith\n")
    out = tmp_path / "out"
    assert make(runner, source, out, "--role", "mini", *MINI, "-f", "json").exit_code == 0
    (made,) = out.iterdir()
    for damaged in ("[" * 100_000, "\xff not text", "[1, 2]"):
        made.write_bytes(damaged.encode("latin-1"))
        again = make(runner, source, out, "--role", "mini", *MINI, "-f", "json")
        assert (again.exit_code, again.stderr) == (
            0,
            f"Warning: {source}: line 2: already made (use --force to remake)\n",
        )


def test_the_same_name_typed_with_a_combining_accent_is_the_same_name(runner, tmp_path):
    source = write_csv(tmp_path / "c.csv", "candidate\nZo\u00eb\nZoe\u0308\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json")
    assert "line 3: candidate: same candidate and interviewer as line 2" in result.stderr


def test_a_name_typed_another_way_is_the_same_name_on_a_rerun(runner, tmp_path):
    out = tmp_path / "out"
    source = write_csv(tmp_path / "week.csv", "candidate,interviewer\nZoe\u0308 Lind,Kim  Park\n")
    assert make(runner, source, out, "--role", "mini", *MINI, "-f", "json").exit_code == 0
    (made,) = out.iterdir()
    packet = json.loads(made.read_text(encoding="utf-8"))
    assert (packet["candidate"], packet["interviewer"]) == ("Zo\u00eb Lind", "Kim Park")
    write_csv(source, "candidate,interviewer\nZo\u00eb Lind,Kim Park\n")
    again = make(runner, source, out, "--role", "mini", *MINI, "-f", "json")
    assert again.stderr == f"Warning: {source}: line 2: already made (use --force to remake)\n"


def test_a_rerun_after_the_bank_changed_says_so(runner, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    options = ["--role", "mini", "--bank", str(bank), "--layouts", str(MINI_LAYOUTS), "-f", "json"]
    source = write_csv(tmp_path / "week.csv", "candidate\nAl Smith\n")
    assert make(runner, source, tmp_path / "out", *options).exit_code == 0
    questions = bank / "questions" / "mini.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("Toil", "Toil and trouble", 1), encoding="utf-8")
    again = make(runner, source, tmp_path / "out", *options)
    assert "line 2: made before with other details (other questions or weights (the bank or the layout " in again.stderr


def test_a_loop_rerun_names_what_changed_for_its_slots(runner, tmp_path):
    out = tmp_path / "out"
    source = write_csv(tmp_path / "week.csv", "candidate,date\nAl Smith,2026-12-01\n")
    assert make(runner, source, out, "--loop", "pair", *LOOP, "-f", "json").exit_code == 0
    write_csv(source, "candidate,date\nAl Smith,2026-12-03\n")
    again = make(runner, source, out, "--loop", "pair", *LOOP, "-f", "json")
    assert (again.exit_code, again.stdout) == (0, "")
    assert "line 2: made before with other details (date 2026-12-01 \u2192 2026-12-03); not made again" in again.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_make_their_rows_from_what_the_batch_loaded(runner, tmp_path, monkeypatch):
    from exporter import batch

    parent, load_bank = os.getpid(), batch.load_bank

    def only_in_the_batch(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        assert os.getpid() == parent, "a worker read the bank again"
        return load_bank(*args, **kwargs)

    monkeypatch.setattr(batch, "load_bank", only_in_the_batch)
    source = write_csv(tmp_path / "c.csv", "candidate\nAl\nBo\nCy\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "2")
    assert (result.exit_code, len(result.stdout.splitlines())) == (0, 3), result.output


def test_a_worker_that_cannot_start_fails_its_rows_not_the_program(runner, tmp_path, monkeypatch):
    from exporter import batch

    def broken(*_args: object) -> None:
        raise RuntimeError("no start")

    monkeypatch.setattr(batch, "_start_worker", broken)
    source = write_csv(tmp_path / "c.csv", "candidate\nAl\nBo\n")
    result = make(runner, source, tmp_path / "out", "--role", "mini", *MINI, "-f", "json", "--jobs", "2")
    assert result.exit_code == 1
    assert f"{source}: line 2: could not be made: a worker process stopped (" in result.stderr
    assert "run the batch again with --jobs 1 to see why" in result.stderr


def test_a_loop_batch_names_each_rows_interviewers(runner, tmp_path):
    source = write_csv(
        tmp_path / "week.csv",
        "candidate,interviewer:sam-lee,Interviewer:2\nAl Smith,Ana Ruiz,Kim Park\nBo Chen,,\n",
    )
    out = tmp_path / "out"
    result = make(runner, source, out, "--loop", "pair", *LOOP, "-f", "json", "--interviewers", "2=Dee Fox")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "al-smith").glob("*.json")) == [
        "1-1400-ana-ruiz-first-packet.json",
        "2-1430-kim-park-second-packet.json",
    ]
    assert sorted(p.name for p in (out / "bo-chen").glob("*.json")) == [
        "1-1400-sam-lee-first-packet.json",
        "2-1430-dee-fox-second-packet.json",
    ]
    packet = json.loads((out / "al-smith" / "1-1400-ana-ruiz-first-packet.json").read_text(encoding="utf-8"))
    assert packet["interviewer"] == "Ana Ruiz (Sam Lee)"


def test_a_row_naming_a_slot_twice_says_so_once_with_its_line(runner, tmp_path):
    source = write_csv(
        tmp_path / "week.csv", "candidate,interviewer:sam-lee,interviewer:1\nAl Smith,Ana Ruiz,Kim Park\n"
    )
    result = make(runner, source, tmp_path / "out", "--loop", "pair", *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert (
        f"{source}: line 2: interviewer:<slot> columns: slot 1 (sam-lee) is named twice, as Ana Ruiz and as Kim "
        "Park; name each slot once" in result.stderr
    )


def test_a_column_naming_no_slot_of_the_loop_lists_its_slots(runner, tmp_path):
    source = write_csv(tmp_path / "week.csv", "candidate,interviewer:lead\nAl Smith,Ana Ruiz\n")
    result = make(runner, source, tmp_path / "out", "--loop", "pair", *LOOP, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 problem in the candidates file:\n"
        f"  {source}: line 1: column 'interviewer:lead': no slot 'lead' in loop pair; its slots are: 1 sam-lee, "
        "2 zoe-odegard\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("10:00 AM", 600), ("2:30 pm", 870), ("2pm", 840), ("2 p.m.", 840), ("12 am", 0), ("12:15 PM", 735)],
)
def test_twelve_hour_times(text, minutes):
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["13:00 pm", "0 am", "9:75 am"])
def test_twelve_hour_times_out_of_range(text):
    with pytest.raises(BudgetError) as failure:
        parse_clock(text)
    assert failure.value.message == (
        f"--start: '{text}' is not a time of day; with am or pm, hours run 1-12 and minutes 00-59"
    )


@pytest.mark.parametrize(
    "text",
    ["2026-12-02", "2 Dec 2026", "2 December 2026", "December 2, 2026", "Dec. 2, 2026", "Wed 2 Dec 2026",
     "Wednesday, December 2, 2026", "2nd December 2026", "  2  dec  2026 "],
)  # fmt: skip
def test_dates_spelt_out_are_read(text):
    assert parse_date(text) == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Mon 2 Dec 2026",
            "'Mon 2 Dec 2026': 2 Dec 2026 is a Wednesday, not a Monday; check which of the two is meant",
        ),
        ("Tuesday, December 2, 2026", "2 Dec 2026 is a Wednesday, not a Tuesday"),
        (
            "Jan 2 Dec 2026",
            "'Jan 2 Dec 2026': 'Jan' is not a day of the week; write the date as YYYY-MM-DD or 2 Dec 2026",
        ),
        ("hello 2 Dec 2026", "'hello' is not a day of the week"),
        ("We 2 Dec 2026", "'We' is not a day of the week"),
    ],
)
def test_a_weekday_in_front_must_be_the_dates_own(text, message):
    with pytest.raises(DateError) as failure:
        parse_date(text)
    assert message in failure.value.message


def test_a_two_digit_year_in_numbers_only_asks_for_the_full_year():
    with pytest.raises(DateError) as failure:
        parse_date("12-02-26")
    assert failure.value.message == (
        "'12-02-26' is a date in numbers only, which spreadsheets read in the order of their country; write it as "
        "YYYY-MM-DD, with the year in full, or 2 Dec 2026"
    )


@pytest.mark.parametrize(
    ("lines", "shown"),
    [
        ([4], "line 4"),
        ([2, 4], "lines 2 and 4"),
        ([2, 3], "lines 2 and 3"),
        ([4, 2, 3], "lines 2\u20134"),
        ([2, 3, 4, 5, 7, 9, 10, 11, 130], "lines 2\u20135, 7, 9\u201311 and 130"),
    ],
)
def test_many_lines_made_before_are_named_in_runs(lines, shown):
    from exporter.batch import line_list

    assert line_list(lines) == shown
