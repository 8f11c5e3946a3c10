"""The on-disk cache of parsed YAML and font faces: it only ever saves time, never changes what is made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exporter import cache, fonts, loading, yamlfile
from exporter.errors import BankError
from exporter.loading import load_bank

from .conftest import EPOCH, MINI_BANK, REPO


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PACKET_CACHE_DIR", str(folder))
    load_bank.cache_clear()  # the per-process cache would hide the disk cache
    yield folder
    load_bank.cache_clear()


def bank_copy(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    return bank


def no_yaml_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the YAML was parsed although the cache holds its data")

    monkeypatch.setattr(yamlfile, "parse", refuse)


def test_a_bank_read_again_comes_from_the_cache_and_is_the_same(own_cache, tmp_path, monkeypatch):
    bank_dir = bank_copy(tmp_path)
    first = load_bank(bank_dir)
    assert list((own_cache / "yaml").iterdir())
    load_bank.cache_clear()
    no_yaml_parsing(monkeypatch)
    assert load_bank(bank_dir) == first


def test_an_edited_file_is_read_again(own_cache, tmp_path):
    bank_dir = bank_copy(tmp_path)
    load_bank(bank_dir)
    load_bank.cache_clear()
    taxonomy = bank_dir / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: Dev infra}", "name: Developer infrastructure}"))
    assert "Developer infrastructure" in [t.name for t in load_bank(bank_dir).teams]


def test_problems_are_reported_from_cached_data_too(own_cache, tmp_path, monkeypatch):
    bank_dir = bank_copy(tmp_path)
    question_file = next((bank_dir / "questions").glob("*.yaml"))
    question_file.write_text(question_file.read_text().replace("goal:", "gaol:", 1))
    with pytest.raises(BankError) as first:
        load_bank(bank_dir)
    load_bank.cache_clear()
    no_yaml_parsing(monkeypatch)
    with pytest.raises(BankError) as again:
        load_bank(bank_dir)
    assert "unknown key 'gaol'" in str(again.value)
    assert str(again.value) == str(first.value)


def test_files_with_repeated_keys_are_not_kept(own_cache, tmp_path):
    bank_dir = bank_copy(tmp_path)
    question_file = next((bank_dir / "questions").glob("*.yaml"))
    text = question_file.read_text()
    goal = next(line for line in text.splitlines() if line.strip().startswith("goal:"))
    question_file.write_text(text.replace(goal, goal + "\n" + goal, 1))
    for _ in range(2):  # the second time, from the cache if it had been kept: the repeat must still be reported
        load_bank.cache_clear()
        with pytest.raises(BankError, match="duplicate key 'goal'"):
            load_bank(bank_dir)


def test_data_the_cache_cannot_carry_exactly_is_not_kept(own_cache):
    loading._keep_data("dated", {"when": __import__("datetime").date(2026, 1, 1)})
    loading._keep_data("plain", {"a": [1, 2.5, True, None, "x"], 1: {"yes": False}})
    assert sorted(p.name for p in (own_cache / "yaml").iterdir()) == ["plain"]
    kept = loading._cached_data("plain")
    assert kept == {"a": [1, 2.5, True, None, "x"], 1: {"yes": False}}
    assert [type(v) for v in kept["a"]] == [int, float, bool, type(None), str]


@pytest.mark.parametrize("damage", [b"", b"{not marshal", b"[1, 2]", b"\xff\xfe", b"\xe9\x00\x00"])
def test_a_damaged_entry_is_passed_over(own_cache, tmp_path, damage):
    bank_dir = bank_copy(tmp_path)
    expected = load_bank(bank_dir)
    for entry in (own_cache / "yaml").iterdir():
        entry.write_bytes(damage)
    load_bank.cache_clear()
    assert load_bank(bank_dir) == expected


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PACKET_CACHE_DIR", str(blocker / "cache"))
    load_bank.cache_clear()
    try:
        assert load_bank(bank_copy(tmp_path)).questions
    finally:
        load_bank.cache_clear()


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKET_CACHE_DIR", "")
    assert cache.folder() is None
    cache.write("yaml", "x", b"{}")
    assert cache.read("yaml", "x") is None


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PACKET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform != "win32":
        assert cache.folder() == tmp_path / "packet"


def test_a_cached_font_face_measures_and_embeds_as_the_file_does(own_cache):
    family = fonts.font_family()
    if family.glyphs is None:
        pytest.skip("no TrueType font on this machine (the built-in Helvetica needs no cache)")
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics.getFont(family.regular)
    path = Path(registered.face.filename)
    parsed = fonts._parsed_font("packet-test-parsed", path)
    cached = fonts._cached_font("packet-test-parsed", path)
    assert cached is not None
    assert cached.face.__dict__.keys() == parsed.face.__dict__.keys()  # glyphToChar is left empty: unused
    for name in ("charWidths", "charToGlyph", "hmetrics", "glyphPos", "ascent", "descent", "_ttf_data"):
        assert getattr(cached.face, name) == getattr(parsed.face, name), name
    assert cached.stringWidth("Zoë Ødegård — 14:02–14:09", 9) == parsed.stringWidth("Zoë Ødegård — 14:02–14:09", 9)
    assert cached.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    assert cached.face.makeSubset([65, 66, 0x2610]) == parsed.face.makeSubset([65, 66, 0x2610])
    assert fonts._cached_font("another-name", path) is None  # registered under the name it was read for


def test_a_damaged_font_entry_is_passed_over(own_cache):
    family = fonts.font_family()
    if family.glyphs is None:
        pytest.skip("no TrueType font on this machine")
    from reportlab.pdfbase import pdfmetrics

    path = Path(pdfmetrics.getFont(family.regular).face.filename)
    fonts._parsed_font("packet-test-damaged", path)
    for entry in (own_cache / "fonts").iterdir():
        entry.write_bytes(b"\x80\x05garbage")
    assert fonts._cached_font("packet-test-damaged", path) is None


def run_packet(*args: str, cache_dir: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACKET_CACHE_DIR": cache_dir, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "exporter", "make", "--role", "infra-m3", "-o", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, check=True)


def test_packets_are_the_same_bytes_with_a_cold_a_warm_and_no_cache(tmp_path):
    made = {}
    for run, cache_dir in (("cold", str(tmp_path / "cache")), ("warm", str(tmp_path / "cache")), ("off", "")):
        run_packet("--format", "all", cache_dir=cache_dir, out=tmp_path / run)
        made[run] = {p.name: p.read_bytes() for p in (tmp_path / run).iterdir()}
    assert made["cold"] == made["warm"] == made["off"]
    assert len(made["cold"]) == 4
    assert {p.name for p in (tmp_path / "cache").iterdir()} >= {"yaml"}


def test_a_warm_run_does_not_import_pyyaml(tmp_path):
    """When every bank and layout file's data comes from the cache, PyYAML is not needed, so not imported."""
    env = {**os.environ, "PACKET_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from exporter.packet import make_packet; make_packet('infra-m3'); print('yaml' in sys.modules)"
    )
    for expected in ("True", "False"):  # cold, then warm
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO)
        assert result.stdout.split() == [expected], result.stderr
