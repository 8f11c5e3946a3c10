"""How files are placed: never over another run's file without --force, all of a set or none, synced to disk
before and after they get their names, and long names that stay distinct."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exporter import output
from exporter.cli import main
from exporter.errors import OutputExists
from exporter.output import SLUG_BYTES, place, slug

from .conftest import EPOCH, FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS, REPO

RUNS = 8
SCORECARDS = [str(p) for p in sorted((REPO / "samples" / "loop").glob("*-scorecard.xlsx"))]


def race_message(target: Path) -> str:
    return (
        f"Error: {target} was written by another run while this one was writing it; this run kept none of its "
        "files. Use --force to overwrite it, or choose another file name or folder\n"
    )


def another_run_places(monkeypatch: pytest.MonkeyPatch, name: str, content: bytes = b"theirs") -> None:
    """Another run places ``name`` just before this one does, after this one checked it was free."""
    move = output._move_to_new_name

    def first_theirs(temporary: Path, target: Path) -> None:
        if target.name == name:
            target.write_bytes(content)
        move(temporary, target)

    monkeypatch.setattr(output, "_move_to_new_name", first_theirs)


# --- concurrent runs ----------------------------------------------------------------------------------------

AT_ONCE = """
import os, sys, time
from pathlib import Path
from exporter import output
from exporter.cli import main

barrier, runs = Path(sys.argv[1]), int(sys.argv[2])
place_set = output.FileSet._place

def place_when_all_are_ready(self):
    # Every run has checked that the names are free and rendered its files: they all place at once.
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < runs and time.monotonic() < deadline:
        time.sleep(0.005)
    place_set(self)

output.FileSet._place = place_when_all_are_ready
main(sys.argv[3:])
"""


def run_at_once(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    try:
        results = []
        for process, command in zip(processes, commands):
            stdout, stderr = process.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
        return results
    finally:
        for process in processes:
            process.kill()


def reference_packet(folder: Path) -> dict[str, bytes]:
    made = run_at_once(
        [[sys.executable, "-m", "exporter", "make", "-r", "infra-m3", "-f", "json,pdf", "-o", str(folder)]]
    )
    assert made[0].returncode == 0, made[0].stderr
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_parallel_makes_into_one_folder_leave_one_whole_packet(tmp_path):
    """Real runs at once: some find the names taken when they check, some when they place; one wins."""
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "exporter",
        "make",
        "--role",
        "infra-m3",
        "--format",
        "json,pdf",
        "--out",
        str(out),
    ]
    results = run_at_once([command] * RUNS)
    assert sorted(r.returncode for r in results) == [0] + [1] * (RUNS - 1)
    json_file, pdf_file = out / "infra-m3-packet.json", out / "infra-m3-cheatsheet.pdf"
    for result in results:
        if result.returncode == 0:
            assert (result.stdout, result.stderr) == (f"{json_file}\n{pdf_file}\n", "")
        else:
            assert result.stdout == ""
            assert result.stderr in (
                race_message(json_file),
                f"Error: {json_file} exists; use --force to overwrite it, or choose another --out\n",
            )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == reference_packet(tmp_path / "reference")


def test_runs_placing_at_the_same_moment_let_exactly_one_win(tmp_path):
    """Every run checks the names free and renders before any places: the file system picks the winner."""
    out, barrier = tmp_path / "out", tmp_path / "barrier"
    barrier.mkdir()
    make = ["make", "-r", "infra-m3", "-f", "json,pdf", "-o", str(out)]
    results = run_at_once([[sys.executable, "-c", AT_ONCE, str(barrier), str(RUNS), *make]] * RUNS)
    assert len(list(barrier.iterdir())) == RUNS  # all of them got as far as placing
    assert sorted(r.returncode for r in results) == [0] + [1] * (RUNS - 1)
    # Each run places the JSON first, so every loser loses on it and placed nothing.
    losers = [r.stderr for r in results if r.returncode == 1]
    assert losers == [race_message(out / "infra-m3-packet.json")] * (RUNS - 1)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == reference_packet(tmp_path / "reference")


def test_a_run_that_loses_a_later_file_removes_the_files_it_placed(runner, tmp_path, monkeypatch):
    another_run_places(monkeypatch, "mini-cheatsheet.pdf")
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json,xlsx,pdf", "-o", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == race_message(tmp_path / "mini-cheatsheet.pdf")
    # Its JSON and scorecard were placed, then taken back; the other run's file is untouched; no temporary file.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"mini-cheatsheet.pdf": b"theirs"}


def test_taking_back_spares_a_file_another_run_put_in_its_place(runner, tmp_path, monkeypatch):
    """Between placing its JSON and losing the PDF, a --force run replaced the JSON: that file is theirs."""
    move = output._move_to_new_name

    def forced_run_meanwhile(temporary: Path, target: Path) -> None:
        if target.suffix == ".pdf":
            for name in ("mini-packet.json", "mini-cheatsheet.pdf"):
                (tmp_path / f"{name}.theirs").write_bytes(b"theirs")
                os.replace(tmp_path / f"{name}.theirs", tmp_path / name)
        move(temporary, target)

    monkeypatch.setattr(output, "_move_to_new_name", forced_run_meanwhile)
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json,pdf", "-o", str(tmp_path)])
    assert result.stderr == race_message(tmp_path / "mini-cheatsheet.pdf")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "mini-packet.json": b"theirs",
        "mini-cheatsheet.pdf": b"theirs",
    }


def test_force_still_replaces_a_file(runner, tmp_path):
    args = ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path)]
    (tmp_path / "mini-packet.json").write_text("old", encoding="utf-8")
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert (tmp_path / "mini-packet.json").read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini-packet.json"]


def test_a_loop_that_loses_its_last_file_leaves_none_of_its_own(runner, tmp_path, monkeypatch):
    another_run_places(monkeypatch, "0-pair-overview.md")  # the overview's Markdown is placed last
    layouts = ["--bank", str(MINI_BANK), "--layouts", str(FIXTURES / "loop" / "layouts")]
    result = runner.invoke(main, ["make", "--loop", "pair", *layouts, "-f", "json,xlsx", "-o", str(tmp_path)])
    folder = tmp_path / "pair"
    assert (result.exit_code, result.stderr) == (1, race_message(folder / "0-pair-overview.md"))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"0-pair-overview.md": b"theirs"}


# --- where the file system has no hard links ----------------------------------------------------------------


def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_source: object, _target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_without_hard_links_a_rename_that_never_replaces_places_the_file(runner, tmp_path, monkeypatch):
    no_hard_links(monkeypatch)
    args = ["make", "-r", "mini", *MINI, "-f", "json,xlsx", "-o", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini-packet.json", "mini-scorecard.xlsx"]
    temporary, target = tmp_path / "mine.part", tmp_path / "mini-packet.json"
    temporary.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExists, match="^" + re.escape(f"{target} was written by another run")):
        place(temporary, target)
    assert temporary.read_text(encoding="utf-8") == "mine"  # its set removes it
    assert target.read_text(encoding="utf-8").startswith("{")


def test_where_no_rename_can_refuse_to_replace_the_run_says_so(runner, tmp_path, monkeypatch):
    no_hard_links(monkeypatch)
    monkeypatch.setattr(sys, "platform", "darwin")
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot write in {tmp_path}: its file system has no hard links, which placing a new file safely "
        "needs; choose another folder\n",
    )
    assert list(tmp_path.iterdir()) == []


# --- durability ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_files_are_synced_before_they_get_their_names_and_the_folder_after(runner, tmp_path, monkeypatch, force):
    events: list[tuple[str, ...]] = []
    opened: dict[int, str] = {}
    real_open, real_fsync, real_link, real_replace = os.open, os.fsync, os.link, os.replace

    def recording_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        fd = real_open(path, flags, *args, **kwargs)
        opened[fd] = os.fspath(path)
        return fd

    def recording_fsync(fd: int) -> None:
        real_fsync(fd)
        events.append(("sync", opened[fd]))

    def recording(kind, real):  # type: ignore[no-untyped-def]
        def move(source, target):  # type: ignore[no-untyped-def]
            real(source, target)
            events.append((kind, os.fspath(source), os.fspath(target)))

        return move

    monkeypatch.setattr(os, "open", recording_open)
    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "link", recording("place", real_link))
    monkeypatch.setattr(os, "replace", recording("place", real_replace))
    args = ["make", "-r", "mini", *MINI, "-f", "json,pdf", "-o", str(tmp_path)]
    result = runner.invoke(main, [*args, "--force"] if force else args)
    assert result.exit_code == 0, result.output
    json_tmp, pdf_tmp = (event[1] for event in events[:2])
    assert [Path(p).name.split(".")[1:2] for p in (json_tmp, pdf_tmp)] == [["mini-packet"], ["mini-cheatsheet"]]
    assert events == [
        ("sync", json_tmp),
        ("sync", pdf_tmp),
        ("place", json_tmp, str(tmp_path / "mini-packet.json")),
        ("place", pdf_tmp, str(tmp_path / "mini-cheatsheet.pdf")),
        ("sync", str(tmp_path)),
    ]


# --- long names ---------------------------------------------------------------------------------------------


def test_long_names_that_start_alike_get_names_of_their_own():
    common = "Maximiliana Alexandra Konstantinopoulou-Papadimitriou Wolfeschlegel"
    assert len(common.encode()) > SLUG_BYTES
    first, second = slug(common + " Anna"), slug(common + " Berta")
    assert first != second
    for name in (first, second):
        assert len(name.encode()) <= SLUG_BYTES
        assert re.fullmatch(r"maximiliana-alexandra-konstantinopoulou-papadimitri-[0-9a-f]{8}", name)
    assert slug(common + " Anna") == first  # the same name, the same file name


def test_names_that_fit_keep_the_names_they_had():
    fits = "Ana " + "b" * (SLUG_BYTES - 4)
    assert slug(fits) == "ana-" + "b" * (SLUG_BYTES - 4)
    assert slug("王" * (SLUG_BYTES // 3)) == "王" * (SLUG_BYTES // 3)


@pytest.mark.parametrize("lead", ["", "a", "ab"])
def test_cjk_names_cut_at_a_character_boundary(lead):
    """Three-byte characters across the cut: whatever the offset, whole characters, distinct names."""
    first, second = slug(lead + "王" * 30), slug(lead + "王" * 29 + "伟")
    assert first != second
    for name in (first, second):
        assert len(name.encode()) <= SLUG_BYTES
        assert re.fullmatch(lead + "王+-[0-9a-f]{8}", name)
        assert len(name.encode()) > SLUG_BYTES - 3 - 9  # no more cut than a split character


def test_long_candidate_names_get_separate_packets(runner, tmp_path):
    common = "Maximiliana Alexandra Konstantinopoulou-Papadimitriou Wolfeschlegel "
    for given in ("Anna", "Berta"):
        result = runner.invoke(
            main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path), "--candidate", common + given]
        )
        assert result.exit_code == 0, result.output
    assert len(list(tmp_path.iterdir())) == 2


# --- other commands that write files -----------------------------------------------------------------------


def test_a_debrief_written_meanwhile_by_another_run_is_kept(runner, tmp_path, monkeypatch):
    out = tmp_path / "debrief.md"
    another_run_places(monkeypatch, out.name)
    result = runner.invoke(main, ["tally", *SCORECARDS, "--out", str(out)])
    assert (result.exit_code, result.stderr) == (1, race_message(out))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"debrief.md": b"theirs"}


def test_a_debrief_is_replaced_with_force(runner, tmp_path):
    out = tmp_path / "debrief.md"
    out.write_text("last week's", encoding="utf-8")
    result = runner.invoke(main, ["tally", *SCORECARDS, "--out", str(out), "--force"])
    assert (result.exit_code, result.stdout) == (0, f"{out}\n")
    assert out.read_text(encoding="utf-8").startswith("#")


def test_write_layout_keeps_a_layout_written_meanwhile_and_replaces_one_with_force(runner, tmp_path, monkeypatch):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    shutil.copy(MINI_LAYOUTS / "mini.yaml", layouts)
    target = layouts / "mine.yaml"
    args = ["suggest", "-k", "2", *MINI[:2], "--like", "mini", "--layouts", str(layouts), "--write-layout", "mine"]
    with monkeypatch.context() as patched:
        another_run_places(patched, target.name, b"# theirs\n")
        result = runner.invoke(main, args)
    assert (result.exit_code, result.stderr) == (1, race_message(target))
    assert sorted(p.name for p in layouts.iterdir()) == ["mine.yaml", "mini.yaml"]
    assert target.read_text(encoding="utf-8") == "# theirs\n"
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Suggested by")


def test_a_symbolic_link_in_the_way_is_a_file_and_force_replaces_the_link_only(runner, tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mini-packet.json").symlink_to(elsewhere)
    (out / "mini-scorecard.xlsx").symlink_to(tmp_path / "nowhere.xlsx")  # a broken link is there too
    args = ["make", "-r", "mini", *MINI, "-f", "xlsx,json", "-o", str(out)]
    result = runner.invoke(main, args)
    assert (
        result.stderr
        == f"Error: {out / 'mini-scorecard.xlsx'} exists; use --force to overwrite it, or choose another --out\n"
    )
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert not any(p.is_symlink() for p in out.iterdir())
    assert elsewhere.read_text(encoding="utf-8") == "keep"


def test_a_folder_in_the_way_is_refused_even_with_force(runner, tmp_path):
    (tmp_path / "mini-packet.json").mkdir()
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json", "-o", str(tmp_path), "--force"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {tmp_path / 'mini-packet.json'}: is a folder, not a file; move it away or choose another --out\n",
    )
    assert [p.name for p in tmp_path.iterdir()] == ["mini-packet.json"]


def test_a_debrief_to_several_files_is_placed_all_or_none(runner, tmp_path, monkeypatch):
    """The Markdown is placed first; when the workbook's name is taken meanwhile, the Markdown is taken back."""
    another_run_places(monkeypatch, "debrief.xlsx")
    outs = ["--out", str(tmp_path / "debrief.md"), "--out", str(tmp_path / "debrief.xlsx")]
    result = runner.invoke(main, ["tally", *SCORECARDS, *outs])
    assert (result.exit_code, result.stderr) == (1, race_message(tmp_path / "debrief.xlsx"))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"debrief.xlsx": b"theirs"}


def test_folders_a_run_makes_are_synced_into_their_parents(runner, tmp_path, monkeypatch):
    synced: list[Path] = []
    monkeypatch.setattr(output, "_sync_folder", synced.append)
    out = tmp_path / "week" / "monday"
    result = runner.invoke(main, ["make", "-r", "mini", *MINI, "-f", "json,pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert synced == [out, tmp_path / "week", tmp_path]  # the files' folder, then each new folder's parent


def test_a_set_that_fails_leaves_no_folder_it_made_and_keeps_ones_it_found(tmp_path):
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError), output.FileSet() as files:
        files.enter_context(output.atomic_path(tmp_path / "kept" / "new" / "deeper" / "a.pdf"))
        raise RuntimeError("a renderer failed")
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*")] == [Path("kept")]


def test_write_layout_over_a_broken_link_is_refused_without_force(runner, tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    shutil.copy(MINI_LAYOUTS / "mini.yaml", layouts)
    (layouts / "mine.yaml").symlink_to(tmp_path / "nowhere.yaml")
    args = ["suggest", "-k", "2", *MINI[:2], "--like", "mini", "--layouts", str(layouts), "--write-layout", "mine"]
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {layouts / 'mine.yaml'} exists; use --force to overwrite it, or choose another --write-layout name\n",
    )
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert not (layouts / "mine.yaml").is_symlink()
    assert not (tmp_path / "nowhere.yaml").exists()
