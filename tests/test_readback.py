"""Scorecards that come back from other people: what `make --force` may replace, and files that must not hang
or swamp `packet tally` or `packet make`.

Hostile files are made here from a fresh scorecard: a zip that inflates far beyond its size, one that lies
about the sizes of its parts, an XML entity bomb, a flood of defined names, a named pipe or a device where a
scorecard should be.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from exporter import incoming, readback
from exporter import scorecard_format as form
from exporter.cli import main
from exporter.errors import ScorecardError

from .conftest import MINI

CARD = "mini-zoe-odegard-sam-lee-scorecard.xlsx"
MAKE = ["make", "-r", "mini", *MINI, "-f", "xlsx", "--candidate", "Zoë Ødegård", "--interviewer", "Sam Lee"]


@contextlib.contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    """Fail instead of waiting forever on a named pipe."""

    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_card(runner, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, [*MAKE, "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / CARD


def kept(runner, card: Path) -> str:  # type: ignore[no-untyped-def]
    """The error `make --force` gives over ``card``, which must be left exactly as it was."""
    before = card.read_bytes()
    result = runner.invoke(main, [*MAKE, "-o", str(card.parent), "--force"])
    assert result.exit_code == 1, result.output
    assert card.read_bytes() == before
    return result.stderr


def refused(card: Path, reason: str) -> str:
    return f"Error: {card}: {reason}; it was not overwritten. Move it away or choose another --out\n"


def rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """``path`` with each part's bytes replaced by ``change(name, data)``, everything else kept."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(info.filename, data))
    return path


# -- --force replaces only a scorecard exactly as packet made it ----------------------------------------------


def test_force_replaces_a_scorecard_exactly_as_made(runner, tmp_path):
    card = make_card(runner, tmp_path)
    assert readback.filled_reason(card) is None
    result = runner.invoke(main, [*MAKE, "-o", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda wb: wb["Scorecard"]["B2"].__setattr__("value", "Zoe Odegard, 2nd round"), "outside"),
        (lambda wb: wb["Summary"]["A60"].__setattr__("value", "Strong hire; ask about on-call."), "outside"),
        (lambda wb: wb.create_sheet("Notes")["A1"].__setattr__("value", "Long notes"), "sheet 'Notes' added"),
    ],
    ids=["a name typed in the header", "notes in the Summary", "an added notes sheet"],
)
def test_force_keeps_a_scorecard_filled_outside_its_named_cells(runner, tmp_path, change, where):
    card = make_card(runner, tmp_path)
    workbook = openpyxl.load_workbook(card)
    change(workbook)
    workbook.save(card)
    if where == "outside":
        where = "outside its marks, ratings and notes, e.g. a name typed in the header or a note on the Summary"
    reason = f"this scorecard has been changed since packet made it ({where}); it may hold an interview's notes"
    assert kept(runner, card) == refused(card, reason)


def test_force_keeps_a_scorecard_without_a_fingerprint(runner, tmp_path):
    card = rewrite(make_card(runner, tmp_path), lambda name, data: data.replace(b"packet-blank:sha256:", b"x"))
    reason = (
        "this scorecard may have been typed in outside its marks, ratings and notes (it carries no fingerprint "
        "of the blank card packet made); it may hold an interview's notes"
    )
    assert kept(runner, card) == refused(card, reason)


def test_the_fingerprint_covers_every_byte_of_every_part():
    parts = [("a.xml", b"<a/>"), (form.FINGERPRINT_PART, f"<id>{form.FINGERPRINT_PLACEHOLDER}</id>".encode())]
    sealed = form.seal(parts)
    assert form.as_made(sealed) is True
    assert sealed[1][1] != parts[1][1] and form.as_made(parts) is False  # the placeholder is no fingerprint
    assert form.as_made([("a.xml", b"<a />"), sealed[1]]) is False
    assert form.as_made([*sealed, ("b.xml", b"")]) is False
    assert form.as_made([*sealed, ("a.xml", b"<a/>")]) is False  # a part given twice
    assert form.as_made([("a.xml", b"<a/>")]) is None


# -- files that would hang or swamp the reader ---------------------------------------------------------------


@pytest.fixture
def no_parsing(monkeypatch):  # type: ignore[no-untyped-def]
    """Fail if openpyxl is asked to open the workbook: the checks must refuse it first."""

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(readback, "load_workbook", parse)


def zip_bomb(card: Path, megabytes: int) -> Path:
    """``card`` with a Scorecard sheet that inflates to ``megabytes`` MB, compressed to a thousandth of that."""
    with zipfile.ZipFile(card) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(card, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "xl/worksheets/sheet1.xml":
                with target.open(name, "w") as part:
                    part.write(data[:-14])
                    for _ in range(megabytes):
                        part.write(b" " * incoming.MB)
                    part.write(data[-14:])
            else:
                target.writestr(name, data)
    return card


def test_a_zip_bomb_is_refused_before_it_is_parsed(runner, tmp_path, no_parsing):
    card = zip_bomb(make_card(runner, tmp_path), 80)
    assert card.stat().st_size < incoming.MB
    why = '"xl/worksheets/sheet1.xml" unpacks to 80 MB, more than 8 MB'
    result = runner.invoke(main, ["tally", str(card)])
    assert result.exit_code == 1
    assert f"{card}: too large to be a scorecard: its part {why}; a scorecard is well under 1 MB" in result.stderr
    reason = f"this looks like a scorecard that cannot be read back (its part {why}); it may hold an interview's marks"
    assert kept(runner, card) == refused(card, reason)


def declare(path: Path, member: str, size: int) -> Path:
    """``path`` with ``member``'s uncompressed size in the zip's central directory changed to ``size``."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 1)
    path.write_bytes(bytes(data))
    return path


def test_declared_sizes_are_checked_and_bind(runner, tmp_path, no_parsing):
    many = declare(make_card(runner, tmp_path / "a"), "xl/styles.xml", 4_000_000_000)
    with pytest.raises(ScorecardError, match=r"its part \"xl/styles.xml\" unpacks to 3,815 MB, more than 8 MB"):
        readback.read_scorecard(many)
    parts = rewrite(make_card(runner, tmp_path / "b"), lambda name, data: data)
    with zipfile.ZipFile(parts, "a") as archive:
        for n in range(incoming.MAX_PARTS):
            archive.writestr(f"customXml/item{n}.xml", b"")
    with pytest.raises(ScorecardError, match=r"too large to be a scorecard: it holds 1,01\d parts, more than 1,000"):
        readback.read_scorecard(parts)
    total = make_card(runner, tmp_path / "c")
    for name in zipfile.ZipFile(total).namelist():
        declare(total, name, 7 * incoming.MB)
    with pytest.raises(ScorecardError, match=r"it unpacks to 77 MB, more than 64 MB"):
        readback.read_scorecard(total)


def test_a_part_that_understates_its_size_inflates_no_further(runner, tmp_path):
    """zipfile stops a part at its declared size and fails its checksum: the lie costs nothing."""
    # Declared shorter than the sheet's own rows, so that reading them runs into the declared end.
    card = declare(zip_bomb(make_card(runner, tmp_path), 40), "xl/worksheets/sheet1.xml", 8_000)
    with pytest.raises(ScorecardError, match=r"damaged Excel workbook, cannot be read \(BadZipFile: Bad CRC-32"):
        readback.read_scorecard(card)
    assert readback.filled_reason(card) == (
        "this looks like a scorecard that cannot be read back (not an Excel workbook, or damaged); "
        "it may hold an interview's marks"
    )


def test_a_file_too_large_to_be_a_scorecard_is_not_read(tmp_path, no_parsing):
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as file:
        file.write(b"PK\x03\x04")
        file.truncate(incoming.MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ScorecardError, match=r"too large to be a scorecard: the file is larger than 32 MB"):
        readback.read_scorecard(huge)
    assert readback.filled_reason(huge) == (
        "this looks like a scorecard that cannot be read back (the file is larger than 32 MB); "
        "it may hold an interview's marks"
    )


def test_an_entity_bomb_is_refused_by_the_parser(runner, tmp_path):
    entities = b"".join(b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, 10))
    bomb = b'<!DOCTYPE w [<!ENTITY e0 "lol">' + entities + b"]>"

    def explode(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        data = bomb + data[data.index(b"<workbook") :]
        return data.replace(b"<definedNames>", b'<definedNames><definedName name="x">&e9;</definedName>', 1)

    card = rewrite(make_card(runner, tmp_path), explode)
    with no_hang(), pytest.raises(ScorecardError, match="damaged Excel workbook, cannot be read .*amplification"):
        readback.read_scorecard(card)


def test_only_the_names_a_scorecard_has_are_resolved(runner, tmp_path, monkeypatch):
    """A flood of other defined names is parsed by openpyxl but never resolved (30 µs each)."""
    card = make_card(runner, tmp_path)
    workbook = openpyxl.load_workbook(card)
    expected = len(workbook.defined_names)
    flood = "".join(f'<definedName name="n{i}">Scorecard!$C${i}</definedName>' for i in range(1, 5001)).encode()
    rewrite(card, lambda name, data: data.replace(b"<definedNames>", b"<definedNames>" + flood, 1))
    resolved: list[str] = []
    destinations = openpyxl.workbook.defined_name.DefinedName.destinations

    def counted(self):  # type: ignore[no-untyped-def]
        resolved.append(self.name)
        return destinations.fget(self)

    monkeypatch.setattr(openpyxl.workbook.defined_name.DefinedName, "destinations", property(counted))
    assert readback.read_scorecard(card).candidate == "Zoë Ødegård"
    assert len(resolved) == expected


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")


@needs_fifo
def test_a_named_pipe_is_never_read(runner, tmp_path):
    folder = tmp_path / "cards"
    make_card(runner, folder)
    pipe = folder / "zz-pipe.xlsx"
    os.mkfifo(pipe)
    with no_hang():
        result = runner.invoke(main, ["tally", str(folder)])
        assert result.exit_code == 1
        assert f"{pipe}: a named pipe, not a file; give tally scorecard files or folders" in result.stderr
        assert "Zoë Ødegård" in result.stdout  # the scorecard beside it still tallies
        result = runner.invoke(main, ["tally", str(pipe)])
        assert result.exit_code == 1 and f"{pipe}: a named pipe, not a file" in result.stderr


@needs_fifo
def test_make_never_waits_on_a_named_pipe_where_its_scorecard_goes(runner, tmp_path):
    tmp_path.mkdir(exist_ok=True)
    pipe = tmp_path / CARD
    os.mkfifo(pipe)
    with no_hang():
        result = runner.invoke(main, [*MAKE, "-o", str(tmp_path), "--force"])
    assert result.exit_code == 1
    assert result.stderr == refused(pipe, "it is a named pipe, not a file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_never_read(tmp_path):
    device = tmp_path / "endless.xlsx"
    device.symlink_to("/dev/zero")
    with no_hang():
        assert readback.filled_reason(device) == "it is a device, not a file"
        with pytest.raises(ScorecardError, match=r"endless.xlsx: a device, not a file"):
            readback.read_scorecard(device)


# -- reading both versions of the format -------------------------------------------------------------------------

REPO = Path(__file__).parent.parent
VERSION_1 = sorted(REPO.glob("tests/fixtures/scorecards/version-1*/*.xlsx"))  # cards made before format 2


@pytest.mark.parametrize("path", VERSION_1, ids=lambda p: p.name)
def test_version_1_scorecards_still_read(path):
    """The samples were made before the vote: numbered by place (q2 is the backup of 1), ratings bare numbers."""
    import json

    description = json.loads(openpyxl.load_workbook(path)["Packet"]["B3"].value)
    assert openpyxl.load_workbook(path)["Packet"]["B2"].value == 1
    card = readback.read_scorecard(path)
    assert (card.format, card.vote, card.takeaways) == (1, None, "")
    assert [q.label for q in card.questions] == [q["label"] for q in description["questions"]]
    workbook = openpyxl.load_workbook(path)
    for question in card.questions:  # each read through its version-1 name, by number
        rating = readback.named_cell(workbook, f"q{question.number}_rating").value
        assert question.marks.rating == (float(rating) if rating is not None else None)


def test_version_2_reads_the_vote_the_takeaways_and_picked_ratings(runner, tmp_path):
    card = make_card(runner, tmp_path)
    values = {"q1_rating": "3 – Leaning yes", "q1b_rating": 2, "q3_asked": "Yes", "vote": "strong yes"}
    readback.fill_scorecard(card, card, {**values, "takeaways": "Strong hybrid story.\nAsk about on-call."})
    read = readback.read_scorecard(card)
    assert (read.format, read.vote, read.takeaways) == (2, "Strong yes", "Strong hybrid story.\nAsk about on-call.")
    assert [(q.label, q.number, q.marks.rating) for q in read.questions] == [
        ("1", 1, 3.0), ("1b", 2, 2.0), ("2", 3, None), ("3", 4, None),
    ]  # fmt: skip
    assert read.questions[3].marks.was_asked
    assert "a vote, take-aways" in (readback.filled_reason(card) or "")


def test_a_vote_off_the_list_is_named(runner, tmp_path):
    card = make_card(runner, tmp_path)
    readback.fill_scorecard(card, card, {"vote": "Maybe", "q2_rating": "3 – Good"})
    with pytest.raises(ScorecardError) as caught:
        readback.read_scorecard(card)
    workbook = openpyxl.load_workbook(card)
    vote, rating = (readback.named_cell(workbook, name).coordinate for name in ("vote", "q2_rating"))
    assert caught.value.message.splitlines()[1:] == [
        f"  Scorecard!{rating} (q2_rating) holds '3 – Good'; a rating is a whole number 1–4 or blank",
        f"  Scorecard!{vote} (vote) holds 'Maybe'; a vote is Strong no, No, Yes, Strong yes or blank "
        "(pick from the cell's list)",
    ]


def test_notes_filled_in_grow_their_row(runner, tmp_path):
    card = make_card(runner, tmp_path)
    long_notes = "Walked through the migration step by step, with numbers. " * 20
    readback.fill_scorecard(card, card, {"q1_notes": long_notes, "q2_notes": "Short."})
    workbook = openpyxl.load_workbook(card)
    ws = workbook["Scorecard"]
    short = ws.row_dimensions[readback.named_cell(workbook, "q2_notes").row].height
    grown = ws.row_dimensions[readback.named_cell(workbook, "q1_notes").row].height
    assert short >= 8 * 13 and grown > short
