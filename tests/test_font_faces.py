"""Parsed font faces kept in the cache: a face built from the cache is the face parsed from the file, and the
cheat sheet is the same bytes whether its fonts come from the cache, are parsed and stored, or the cache is off.

The adapter in exporter/fonts.py leans on how reportlab keeps a parsed face; these tests are what it was
checked with, against the release named in :data:`exporter.fonts.CHECKED_REPORTLAB`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from exporter import cache, fonts

from .conftest import EPOCH, REPO

FACES = ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Oblique.ttf")


def font_file(name: str) -> Path:
    """A shipped font file of the system; skip without it, or fail in CI."""
    for folder in fonts.FONT_DIRS:
        path = Path(os.path.expanduser(folder)) / name
        if path.is_file():
            return path
    message = f"{name} is not installed (apt-get install fonts-dejavu-core)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PACKET_CACHE_DIR", str(folder))
    return folder


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the face was parsed although the cache holds it")

    monkeypatch.setattr(TTFontFile, "extractInfo", refuse)


def assert_same_font(built: TTFont, parsed: TTFont) -> None:
    """The same font, attribute for attribute, once the face's glyph → characters table, made when first asked
    for, has been asked for."""
    assert built.face.glyphToChar == parsed.face.glyphToChar
    assert set(vars(built)) == set(vars(parsed))
    assert (built.fontName, built._asciiReadable, built.shapable) == (
        parsed.fontName,
        parsed._asciiReadable,
        parsed.shapable,
    )
    assert type(built.encoding) is type(parsed.encoding)
    face, expected = vars(built.face), vars(parsed.face)
    assert set(face) == set(expected)
    for key in set(expected) - {"_pdfScale", "_pos"}:  # _pos: where the parser stopped reading
        # The numbers by glyph are read by position, as reportlab reads them: each in full, as a list.
        value = list(face[key]) if key in ("hmetrics", "glyphPos") else face[key]
        assert repr(value) == repr(expected[key]), key  # repr: 1 and 1.0, a list and a tuple differ
    for units in (0, 1, 1024, 2048, -918):
        assert repr(built.face._pdfScale(units)) == repr(parsed.face._pdfScale(units))


def test_the_face_adapter_was_checked_against_the_installed_reportlab():
    # With another release packet parses every face (always right, only slower). To use the cache with it,
    # run this file against it; when every test passes, set CHECKED_REPORTLAB to its version.
    assert reportlab.Version == fonts.CHECKED_REPORTLAB, (
        f"the font face adapter was checked against reportlab {fonts.CHECKED_REPORTLAB}, "
        f"not {reportlab.Version}: check it again (see this test)"
    )


@pytest.mark.parametrize("name", FACES)
def test_a_face_from_the_cache_is_the_face_parsed_from_the_file(own_cache, monkeypatch, name):
    path = font_file(name)
    parsed = TTFont("packet-test", str(path))
    stored = fonts.load_font("packet-test", fonts.FontFile.read(path))  # parses and keeps the facts
    assert_same_font(stored, parsed)
    assert len(list((own_cache / fonts.FONT_CACHE).iterdir())) == 1
    with monkeypatch.context() as refusing:
        no_parsing(refusing)
        built = fonts.load_font("packet-test", fonts.FontFile.read(path))
    assert_same_font(built, parsed)  # asking for the glyph → characters table parses the file, as it should


def test_the_facts_are_plain_data_and_the_face_is_built_from_them_alone(own_cache):
    path = font_file(FACES[0])
    facts = fonts.stored_facts(TTFont("packet-test", str(path)).face)
    assert facts is not None
    json.dumps(facts[0])  # names and numbers; the lists of numbers packed in the bytes that follow
    face = fonts.face_from(facts, path, path.read_bytes())
    assert face is not None
    assert_same_font(fonts.font_of("packet-test", face), TTFont("packet-test", str(path)))


def test_the_glyph_to_characters_table_is_not_stored_but_parsed_when_asked_for(own_cache):
    path = font_file(FACES[0])
    facts = fonts.stored_facts(TTFont("packet-test", str(path)).face)
    assert facts is not None and "glyphToChar" not in facts[0]
    face = fonts.face_from(facts, path, path.read_bytes())
    assert isinstance(face, fonts.StoredFace) and "glyphToChar" not in vars(face)
    assert face.glyphToChar[face.charToGlyph[ord("A")]] == [ord("A")]
    assert "glyphToChar" in vars(face) and fonts._DEFERRED not in vars(face)
    with pytest.raises(AttributeError):
        face.no_such_table  # noqa: B018 - other missing attributes stay missing


SHAPE = {"names": ["a"] * 5, "numbers": [1] * 12, "fontRevision": [1, 0], "bbox": [0, 0, 1, 1]}


@pytest.mark.parametrize(
    ("planted", "raw"),
    [
        ({"names": 1}, b""),
        ({}, b"x"),
        ([], b"x"),
        ("text", b"x"),
        ({**SHAPE, "mappings": [[["!", "!"]] * 2] * 2}, b"x"),
        (
            {**SHAPE, "mappings": [[[0, 1, 0], [0, 1, 0]]] * 2, "hmetrics": [[0, 1, 0]] * 2, "glyphPos": [0, 9, 0]},
            b"x" * 8,
        ),
        (
            {**SHAPE, "mappings": [[[0, -1, 0], [0, 1, 0]]] * 2, "hmetrics": [[0, 1, 0]] * 2, "glyphPos": [0, 1, 0]},
            b"x" * 8,
        ),
        (
            {**SHAPE, "mappings": [[[0, "1", 0], [0, 1, 0]]] * 2, "hmetrics": [[0, 1, 0]] * 2, "glyphPos": [0, 1, 0]},
            b"x" * 8,
        ),
    ],
)
def test_facts_of_another_shape_are_a_miss_and_the_face_is_parsed(own_cache, planted, raw):
    path = font_file(FACES[0])
    file = fonts.FontFile.read(path)
    cache.store(fonts.FONT_CACHE, fonts.cache_source(file), planted, raw=raw)
    assert fonts.face_from((planted, raw), path, file.data) is None
    assert_same_font(fonts.load_font("packet-test", fonts.FontFile.read(path)), TTFont("packet-test", str(path)))


@pytest.mark.parametrize(("number", "value"), [("numGlyphs", 100), ("numGlyphs", 10**6), ("unitsPerEm", 0)])
def test_facts_whose_glyphs_do_not_add_up_are_a_miss(number, value):
    """A character map naming a glyph past the widths or positions kept, or a face with no units per em, would
    fail while the sheet is saved: such facts build no face."""
    path = font_file(FACES[0])
    facts, raw = fonts.stored_facts(TTFont("packet-test", str(path)).face)
    facts["numbers"][fonts._NUMBERS.index(number)] = value
    assert fonts.face_from((facts, raw), path, path.read_bytes()) is None


def test_two_font_files_of_one_name_are_two_fonts(tmp_path):
    """Say, two layouts of one loop naming fonts in different folders under the same file name."""
    regular = font_file(FACES[0])
    other = tmp_path / regular.name
    other.write_bytes(font_file(FACES[1]).read_bytes())  # another face under the same name
    first, second = fonts.font_family(str(regular)), fonts.font_family(str(other))
    assert first.regular != second.regular and first.faces != second.faces
    assert fonts.font_family(str(regular)).regular == first.regular  # the same file: the same font


def test_facts_whose_numbers_fit_their_bytes_build_a_face(own_cache):
    """The last three cases above are misses for their places alone: this one, with places that fit (one glyph,
    glyph 0, its widths, and where it starts and ends), is not."""
    path = font_file(FACES[0])
    facts = {**SHAPE, "mappings": [[[0, 1, 0], [0, 1, 0]]] * 2, "hmetrics": [[0, 1, 0]] * 2, "glyphPos": [0, 2, 0]}
    assert fonts.face_from((facts, bytes(8)), path, path.read_bytes()) is not None


def test_a_damaged_entry_is_a_miss_and_the_face_is_parsed(own_cache, monkeypatch):
    path = font_file(FACES[0])
    fonts.load_font("packet-test", fonts.FontFile.read(path))
    (entry,) = (own_cache / fonts.FONT_CACHE).iterdir()
    entry.write_bytes(entry.read_bytes().replace(b'"names":["', b'"names":["X'))
    parsed = []
    real = TTFontFile.extractInfo
    monkeypatch.setattr(TTFontFile, "extractInfo", lambda face, *args: parsed.append(1) or real(face, *args))
    assert_same_font(fonts.load_font("packet-test", fonts.FontFile.read(path)), TTFont("packet-test", str(path)))
    assert len(parsed) == 2  # load_font parsed, as did the face it is compared with


def test_with_another_reportlab_the_faces_are_parsed_and_not_kept(own_cache, monkeypatch):
    monkeypatch.setattr(fonts, "CHECKED_REPORTLAB", "0.0")
    path = font_file(FACES[0])
    assert_same_font(fonts.load_font("packet-test", fonts.FontFile.read(path)), TTFont("packet-test", str(path)))
    assert not (own_cache / fonts.FONT_CACHE).exists()


def test_the_cheat_sheet_is_the_same_bytes_cold_warm_and_without_the_cache(tmp_path):
    font_file(FACES[0])
    made = []
    for run, cache_dir in (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"), ("off", "")):
        out = tmp_path / run
        env = {**os.environ, "PACKET_CACHE_DIR": str(cache_dir), "SOURCE_DATE_EPOCH": EPOCH}
        command = [sys.executable, "-m", "exporter", "make", "--role", "infra-m3", "-f", "pdf", "-o", str(out)]
        subprocess.run([*command, "--candidate", "Zoë Ødegård"], cwd=REPO, env=env, check=True, capture_output=True)
        (sheet,) = out.iterdir()
        made.append(sheet.read_bytes())
        if run == "cold":
            assert len(list((tmp_path / "cache" / fonts.FONT_CACHE).iterdir())) == 2  # the regular and bold faces
    assert made[0] == made[1] == made[2]
