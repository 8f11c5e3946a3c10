"""The on-disk cache of parsed YAML: it only ever saves time, never runs code and never changes what is made,
whoever else can reach its folder."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from exporter import bank_data, cache, loading, yamlfile
from exporter.errors import BankError
from exporter.loading import load_bank

from .conftest import EPOCH, MINI_BANK, REPO

REFUSED = "Warning: not using the cache: "


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PACKET_CACHE_DIR", str(folder))
    return folder


def bank_copy(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    return bank


def no_yaml_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the YAML was parsed although the cache holds its data")

    monkeypatch.setattr(yamlfile, "parse", refuse)


def entries(own_cache: Path) -> list[Path]:
    return sorted((own_cache / "yaml").iterdir())


def read_again(bank_dir: Path) -> object:
    """The bank read again from its files' data in the cache: the bank kept whole, checked, is set aside."""
    folder = cache.folder()
    if folder is not None:
        shutil.rmtree(folder / loading.BANK_CACHE, ignore_errors=True)
    return load_bank(bank_dir)


def test_a_bank_checked_whole_is_kept_and_is_the_bank_read_and_checked(own_cache, tmp_path, monkeypatch):
    for bank_dir in (bank_copy(tmp_path), REPO / "bank"):
        checked = load_bank(bank_dir)
        monkeypatch.setattr(loading, "_read_bank", lambda *_: pytest.fail("the bank was read again"))
        kept = load_bank(bank_dir)
        monkeypatch.undo()
        monkeypatch.setenv("PACKET_CACHE_DIR", str(own_cache))
        assert repr(kept) == repr(checked)  # every field, in order: the questions, their weights, the places
    assert len(list((own_cache / loading.BANK_CACHE).iterdir())) == 2


def test_a_bank_whose_reading_warns_is_not_kept_so_the_warning_is_given_every_time(own_cache, tmp_path, capsys):
    bank_dir = bank_copy(tmp_path)
    question = bank_dir / "questions" / "mini.yaml"
    question.write_text(question.read_text().replace("goal: Assess automation.", 'goal: "Assess\\x07 automation."'))
    for _ in range(2):
        load_bank(bank_dir)
        assert "dropped 1 control character (U+0007)" in capsys.readouterr().err
    assert not (own_cache / loading.BANK_CACHE).exists()


@pytest.mark.parametrize("planted", [None, [], {}, {"questions": [["q"]]}, {"questions": "abc"}])
def test_a_kept_bank_of_another_shape_is_a_miss(planted):
    assert bank_data.bank_from(planted) is None
    data = bank_data.bank_data(load_bank(MINI_BANK))
    data["questions"][0][3] = [["planning", 2.0]]  # a weight out of range
    assert bank_data.bank_from(data) is None
    data["questions"][0][3] = [["planning", 1.0]]
    assert bank_data.bank_from(data) is not None


def test_a_bank_read_again_comes_from_the_cache_and_is_the_same(own_cache, tmp_path, monkeypatch):
    bank_dir = bank_copy(tmp_path)
    first = load_bank(bank_dir)
    assert entries(own_cache)
    no_yaml_parsing(monkeypatch)
    assert read_again(bank_dir) == first


def test_an_entry_is_plain_json_under_a_header_naming_its_source_and_payload(own_cache, tmp_path):
    load_bank(bank_copy(tmp_path))
    entry = entries(own_cache)[0]
    magic, source, payload_line, payload = entry.read_bytes().split(b"\n", 3)
    assert (magic, source) == (b"packet-cache 2", b"source " + entry.name.encode())
    assert payload_line == b"payload " + __import__("hashlib").sha256(payload).hexdigest().encode()
    assert isinstance(json.loads(payload), dict)


def test_an_edited_file_is_read_again(own_cache, tmp_path):
    bank_dir = bank_copy(tmp_path)
    load_bank(bank_dir)
    taxonomy = bank_dir / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: Dev infra}", "name: Developer infrastructure}"))
    assert "Developer infrastructure" in [t.name for t in read_again(bank_dir).teams]


def test_problems_are_reported_from_cached_data_too(own_cache, tmp_path, monkeypatch):
    bank_dir = bank_copy(tmp_path)
    question_file = next((bank_dir / "questions").glob("*.yaml"))
    question_file.write_text(question_file.read_text().replace("goal:", "gaol:", 1))
    with pytest.raises(BankError) as first:
        load_bank(bank_dir)
    no_yaml_parsing(monkeypatch)
    with pytest.raises(BankError) as again:
        read_again(bank_dir)
    assert "unknown key 'gaol'" in str(again.value)
    assert str(again.value) == str(first.value)


def test_files_with_repeated_keys_are_not_kept(own_cache, tmp_path):
    bank_dir = bank_copy(tmp_path)
    question_file = next((bank_dir / "questions").glob("*.yaml"))
    text = question_file.read_text()
    goal = next(line for line in text.splitlines() if line.strip().startswith("goal:"))
    question_file.write_text(text.replace(goal, goal + "\n" + goal, 1))
    for _ in range(2):  # the second time, from the cache if it had been kept: the repeat must still be reported
        with pytest.raises(BankError, match="duplicate key 'goal'"):
            read_again(bank_dir)


@pytest.mark.parametrize(
    "data",
    [
        {"when": datetime.date(2026, 1, 1)},
        {1: "a number as a key"},
        {"pair": (1, 2)},
        {"not a number": float("nan")},
        {"endless": float("inf")},
        {"bytes": b"\x00"},
        {"half a character": "\ud800"},
    ],
    ids=["date", "number-key", "tuple", "nan", "infinity", "bytes", "lone-surrogate"],
)
def test_data_json_cannot_give_back_exactly_is_not_kept(own_cache, data):
    cache.store("yaml", (b"source",), data)
    assert cache.load("yaml", (b"source",)) is None
    assert not (own_cache / "yaml").exists() or not entries(own_cache)


def test_plain_data_comes_back_with_its_types(own_cache):
    data = {"a": [1, 2.5, True, None, "x", -0.0, 10**30], "nested": {"yes": False, "é": ["ü"]}}
    cache.store("yaml", (b"v", b"source"), data)
    kept = cache.load("yaml", (b"v", b"source"))
    assert kept == data
    assert [type(v) for v in kept["a"]] == [int, float, bool, type(None), str, float, int]
    assert cache.load("yaml", (b"vsource",)) is None  # the parts of the source are kept apart


def test_bytes_kept_after_the_data_come_back_as_they_are_and_only_with_it(own_cache):
    raw = bytes(range(256)) * 3  # line breaks and every other byte
    cache.store("faces", (b"source",), {"at": [0, 768]}, raw=raw)
    data, kept = cache.load_raw("faces", (b"source",))
    assert data == {"at": [0, 768]} and bytes(kept) == raw
    assert cache.load("faces", (b"source",)) is None  # an entry with bytes is not data alone
    cache.store("faces", (b"plain",), [1, "two"])
    assert cache.load("faces", (b"plain",)) == [1, "two"] and bytes(cache.load_raw("faces", (b"plain",))[1]) == b""
    (entry,) = [e for e in (own_cache / "faces").iterdir() if e.name == cache._source_digest("faces", (b"source",))]
    whole = entry.read_bytes()
    for damage in DAMAGE.values():
        entry.write_bytes(damage(whole))
        assert cache.load_raw("faces", (b"source",)) is None


def test_an_entry_too_deeply_nested_to_read_is_a_miss(own_cache):
    """Not one this module wrote (it checks that what it writes reads back), but one with a consistent header."""
    cache.store("deep", (b"source",), [])
    (entry,) = (own_cache / "deep").iterdir()
    payload = b"[" * 100_000 + b"]" * 100_000
    name = cache._source_digest("deep", (b"source",))
    digest = hashlib.sha256(payload).hexdigest()
    entry.write_bytes(b"%s\nsource %s\npayload %s\n%s" % (cache.FORMAT, name.encode(), digest.encode(), payload))
    assert cache.load("deep", (b"source",)) is None


def test_a_kind_kept_to_a_number_of_entries_loses_the_ones_written_first(own_cache):
    for n in range(5):
        cache.store("big", (b"entry %d" % n,), n, keep=3)
        os.utime(own_cache / "big" / cache._source_digest("big", (b"entry %d" % n,)), ns=(n, n))
    (own_cache / "big" / ".a-temporary-file-of-another-run").write_bytes(b"")
    cache.store("big", (b"entry 5",), 5, keep=3)
    assert [cache.load("big", (b"entry %d" % n,)) for n in range(6)] == [None, None, None, 3, 4, 5]
    assert (own_cache / "big" / ".a-temporary-file-of-another-run").exists()


def test_an_entry_used_is_kept_before_one_written_later(own_cache):
    for n in range(3):
        cache.store("big", (b"entry %d" % n,), n, keep=3)
        os.utime(own_cache / "big" / cache._source_digest("big", (b"entry %d" % n,)), ns=(n, n))
    assert cache.load("big", (b"entry 0",), touch=True) == 0  # used now: the newest
    cache.store("big", (b"entry 3",), 3, keep=3)
    assert [cache.load("big", (b"entry %d" % n,)) for n in range(4)] == [0, None, 2, 3]


DAMAGE = {
    "empty": lambda entry: b"",
    "truncated": lambda entry: entry[: len(entry) - 5],
    "a byte changed": lambda entry: entry[:-3] + bytes([entry[-3] ^ 1]) + entry[-2:],
    "no header": lambda entry: entry.split(b"\n", 3)[3],
    "an older format": lambda entry: entry.replace(b"packet-cache 2", b"packet-cache 1", 1),
    "garbage": lambda entry: b"\x80\x05\x95garbage",
    "the header alone": lambda entry: entry.rsplit(b"\n", 1)[0],
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_a_miss(own_cache, tmp_path, damage):
    bank_dir = bank_copy(tmp_path)
    expected = load_bank(bank_dir)
    for entry in entries(own_cache):
        entry.write_bytes(damage(entry.read_bytes()))
    assert read_again(bank_dir) == expected


def test_a_planted_entry_does_not_replace_bank_text(own_cache, tmp_path):
    """Bank text changed in an entry's payload, by someone who did not (or could not) also fix the digest."""
    bank_dir = bank_copy(tmp_path)
    expected = load_bank(bank_dir)
    planted = 0
    for entry in entries(own_cache):
        stored = entry.read_bytes()
        if b"Assess depth in build" in stored:
            entry.write_bytes(stored.replace(b"Assess depth in build", b"Visit https://evil.example in build"))
            planted += 1
    assert planted == 1
    assert read_again(bank_dir) == expected


def test_an_entry_under_another_files_name_is_a_miss(own_cache, tmp_path):
    """A whole, valid entry copied over another file's: it names the source it was made from."""
    bank_dir = bank_copy(tmp_path)
    expected = load_bank(bank_dir)
    first, *others = entries(own_cache)
    for entry in others:
        shutil.copyfile(first, entry)
    assert read_again(bank_dir) == expected


def test_an_entry_that_is_a_link_or_a_pipe_is_a_miss_and_never_followed_or_waited_for(own_cache, tmp_path):
    bank_dir = bank_copy(tmp_path)
    expected = load_bank(bank_dir)
    first, second, *_ = entries(own_cache)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(first.read_bytes())
    first.unlink()
    first.symlink_to(elsewhere)
    second.unlink()
    os.mkfifo(second)
    assert read_again(bank_dir) == expected


def test_folders_are_made_0700_and_entries_0600_even_under_umask_000(tmp_path, monkeypatch):
    root = tmp_path / "made" / "for" / "cache"
    monkeypatch.setenv("PACKET_CACHE_DIR", str(root))
    previous = os.umask(0)
    try:
        cache.store("yaml", (b"source",), {"a": 1})
    finally:
        os.umask(previous)
    for folder in (tmp_path / "made", tmp_path / "made" / "for", root, root / "yaml"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    (entry,) = (root / "yaml").iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert cache.load("yaml", (b"source",)) == {"a": 1}


def refused_once(capsys: pytest.CaptureFixture[str], bank_dir: Path, reason: str) -> None:
    """Reading a bank twice with an unsafe cache: the bank is read, and one warning says why."""
    expected = read_again(bank_dir)
    assert read_again(bank_dir) == expected
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(REFUSED + reason)
    assert warnings[0].endswith(
        "Make it a folder of your own that only you can write to (chmod 700), or set PACKET_CACHE_DIR to one, "
        "or to nothing to turn the cache off"
    )


def test_a_symlinked_subfolder_is_not_followed(own_cache, tmp_path, capsys):
    bank_dir = bank_copy(tmp_path)
    target = tmp_path / "where-the-link-points"
    target.mkdir(mode=0o700)
    own_cache.mkdir(mode=0o700)
    (own_cache / "yaml").symlink_to(target)
    refused_once(capsys, bank_dir, f"{own_cache / 'yaml'} is a symbolic link.")
    assert list(target.iterdir()) == []


def test_a_symlinked_cache_folder_is_not_followed(own_cache, tmp_path, capsys):
    bank_dir = bank_copy(tmp_path)
    target = tmp_path / "where-the-link-points"
    target.mkdir(mode=0o700)
    own_cache.symlink_to(target)
    refused_once(capsys, bank_dir, f"{own_cache} is a symbolic link.")
    assert list(target.iterdir()) == []


@pytest.mark.parametrize(("where", "mode"), [("root", 0o770), ("root", 0o703), ("yaml", 0o720)])
def test_a_folder_others_can_write_to_is_not_used(own_cache, tmp_path, capsys, where, mode):
    bank_dir = bank_copy(tmp_path)
    load_bank(bank_dir)  # fills the cache, which someone then opens up
    folder = own_cache if where == "root" else own_cache / where
    folder.chmod(mode)
    for entry in entries(own_cache):
        entry.write_bytes(b"")  # would be rewritten by a run that used the cache
    refused_once(capsys, bank_dir, f"{folder} can be written to by other users.")
    assert {entry.read_bytes() for entry in entries(own_cache)} == {b""}


def test_a_folder_of_another_user_is_not_used(own_cache, tmp_path, capsys, monkeypatch):
    bank_dir = bank_copy(tmp_path)
    load_bank(bank_dir)
    someone_else = os.getuid() + 1
    monkeypatch.setattr(os, "getuid", lambda: someone_else)
    refused_once(capsys, bank_dir, f"{own_cache} belongs to another user.")


def test_a_cache_that_cannot_be_written_changes_nothing_and_says_nothing(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PACKET_CACHE_DIR", str(blocker / "cache"))
    assert load_bank(bank_copy(tmp_path)).questions
    assert capsys.readouterr().err == ""


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKET_CACHE_DIR", "")
    assert cache.folder() is None
    cache.store("yaml", (b"x",), {})
    assert cache.load("yaml", (b"x",)) is None


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PACKET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "packet"


def run_packet(*args: str, cache_dir: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACKET_CACHE_DIR": cache_dir, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "exporter", "make", "--role", "infra-m3", "-o", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, check=True)


def test_packets_are_the_same_bytes_with_a_cold_a_warm_an_unsafe_and_no_cache(tmp_path):
    unsafe = tmp_path / "open-to-all"
    unsafe.mkdir()
    unsafe.chmod(0o777)
    made, warnings = {}, {}
    runs = (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"), ("unsafe", unsafe), ("off", ""))
    for run, cache_dir in runs:
        warnings[run] = run_packet("--format", "all", cache_dir=str(cache_dir), out=tmp_path / run).stderr
        made[run] = {p.name: p.read_bytes() for p in (tmp_path / run).iterdir()}
    assert made["cold"] == made["warm"] == made["unsafe"] == made["off"]
    assert len(made["cold"]) == 5
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {
        "banks",
        "yaml",
        "font-faces",
        "sheet-bodies",
        "templates",
    }  # JSON entries only
    assert (warnings["cold"], warnings["warm"], warnings["off"]) == ("", "", "")
    assert warnings["unsafe"].count(REFUSED) == 1
    assert list(unsafe.iterdir()) == []


def test_a_warm_run_does_not_import_pyyaml(tmp_path):
    """When every bank and layout file's data comes from the cache, PyYAML is not needed, so not imported."""
    env = {**os.environ, "PACKET_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from exporter.packet import make_packet; make_packet('infra-m3'); print('yaml' in sys.modules)"
    )
    for expected in ("True", "False"):  # cold, then warm
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO)
        assert result.stdout.split() == [expected], result.stderr


def test_an_entry_is_synced_before_it_gets_its_name(own_cache, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (real_fsync(fd), events.append("sync")))
    monkeypatch.setattr(os, "replace", lambda *a, **k: (real_replace(*a, **k), events.append("place")))
    cache.store("yaml", (b"x",), {"a": 1})
    assert events == ["sync", "place"]
    assert cache.load("yaml", (b"x",)) == {"a": 1}


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit(143)], ids=["ctrl-c", "sigterm"])
def test_a_write_stopped_midway_leaves_no_temporary_file(own_cache, monkeypatch, stop):
    def stopped(_fd: int) -> None:
        raise stop

    monkeypatch.setattr(os, "fsync", stopped)
    with pytest.raises(type(stop) if isinstance(stop, BaseException) else stop):
        cache.store("yaml", (b"x",), {"a": 1})
    assert entries(own_cache) == []
