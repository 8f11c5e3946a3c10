"""Marks files (``…-marks.json``, saved by the on-screen kit): read and checked like scorecards, tallied beside
them, and typed into a blank scorecard by ``packet fill``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exporter.cli import main
from exporter.errors import ScorecardError
from exporter.marks import FORMAT, read_as_scorecard, read_marks
from exporter.packet import make_packet
from exporter.readback import read_scorecard
from exporter.render.xlsx import ScorecardRenderer
from exporter.scorecard_format import description

from .conftest import MINI_BANK, MINI_LAYOUTS

CELLS = {
    "candidate": "Zoë Ødegård",
    "interviewer": "Sam Lee",
    "q1_asked": "Yes",
    "q1_great_1": "Yes",
    "q1_neg_1": "No",
    "q1_rating": 3,
    "q1_notes": "Clear on rollbacks.",
    "vote": "Yes",
    "takeaways": "Hire for release.",
}


def packet(**options: Any):  # type: ignore[no-untyped-def]
    return make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS, **options)


def wording() -> dict[str, dict[str, list[str]]]:
    """The signals' wording as the kit saves it with the marks."""
    return {
        pq.label: {"great": list(pq.question.great_signals), "negative": list(pq.question.negative_signals)}
        for pq in packet().questions
    }


def marks_file(folder: Path, cells: dict[str, object] | None = None, **document: Any) -> Path:
    path = folder / "mini-marks.json"
    content = {"format": FORMAT, "identity": description(packet()), "cells": CELLS if cells is None else cells}
    path.write_text(json.dumps({**content, **document}, ensure_ascii=False), encoding="utf-8")
    return path


def blank_card(folder: Path, name: str = "card.xlsx") -> Path:
    path = folder / name
    ScorecardRenderer().render(packet(candidate="Zoë Ødegård", interviewer="Sam Lee"), path)
    return path


def test_a_marks_file_reads_as_the_scorecard_it_stands_for(tmp_path):
    card = read_as_scorecard(marks_file(tmp_path))
    assert (card.candidate, card.interviewer) == ("Zoë Ødegård", "Sam Lee")
    first = card.questions[0]
    assert (first.marks.asked, first.marks.great[0], first.marks.negative[0], first.marks.rating) == (
        True,
        True,
        False,
        3.0,
    )
    assert first.notes == "Clear on rollbacks."
    assert card.identity == packet().identity


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"q1_great_9": "Yes"}, "cells.q1_great_9: no such cell on this packet's scorecard"),
        ({"q1_asked": "yes please"}, 'cells.q1_asked holds "yes please"; a mark is "Yes" or "No", or left out'),
        ({"q1_rating": 5}, "cells.q1_rating holds 5; a rating is a whole number 1–4, or left out"),
        ({"q1_rating": "3"}, 'cells.q1_rating holds "3"; a rating is a whole number 1–4, or left out'),
        ({"q1_rating": True}, "cells.q1_rating holds true; a rating is a whole number 1–4, or left out"),
        ({"vote": "Maybe"}, 'cells.vote holds "Maybe"; a vote is one of Strong no, No, Yes, Strong yes'),
        ({"q1_notes": 7}, "cells.q1_notes holds 7; it should be text"),
    ],
)
def test_every_bad_cell_is_named(tmp_path, cells, message):
    with pytest.raises(ScorecardError) as raised:
        read_marks(marks_file(tmp_path, cells))
    assert message in raised.value.message


def test_a_file_that_is_not_a_marks_file(tmp_path):
    path = marks_file(tmp_path, format="something-else")
    with pytest.raises(ScorecardError, match="not a packet marks file"):
        read_marks(path)
    damaged = marks_file(tmp_path, identity={"role": "mini"})
    with pytest.raises(ScorecardError, match="its identity is damaged"):
        read_marks(damaged)
    (tmp_path / "x.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ScorecardError, match="not JSON"):
        read_marks(tmp_path / "x.json")


def test_tally_reads_marks_files_beside_scorecards_and_names_a_bad_one(tmp_path, runner):
    good = marks_file(tmp_path)
    bad = tmp_path / "bad-marks.json"
    bad.write_text(good.read_text(encoding="utf-8").replace('"q1_rating": 3', '"q1_rating": 9'), encoding="utf-8")
    result = runner.invoke(main, ["tally", str(good), str(bad), "--json"])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "cells.q1_rating holds 9" in result.output
    assert [s["interviewer"] for s in json.loads(result.stdout.split("Error:")[0])["scorecards"]] == ["Sam Lee"]


def test_fill_types_the_marks_into_a_blank_scorecard(tmp_path, runner):
    card = blank_card(tmp_path)
    result = runner.invoke(main, ["fill", str(card), str(marks_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.output == f"{card}\n"
    read = read_scorecard(card)
    assert read.questions[0].marks.rating == 3.0 and read.questions[0].notes == "Clear on rollbacks."


def test_fill_never_overwrites_a_filled_scorecard(tmp_path, runner):
    card = blank_card(tmp_path)
    marks = marks_file(tmp_path)
    assert runner.invoke(main, ["fill", str(card), str(marks)]).exit_code == 0
    before = card.read_bytes()
    again = runner.invoke(main, ["fill", str(card), str(marks)])
    assert again.exit_code == 1
    assert f"Error: {card}: this scorecard has been filled in already; its marks were not overwritten." in again.output
    assert card.read_bytes() == before


def test_fill_writes_elsewhere_with_out_and_keeps_a_filled_target(tmp_path, runner):
    card = blank_card(tmp_path)
    marks = marks_file(tmp_path)
    out = tmp_path / "filled.xlsx"
    assert runner.invoke(main, ["fill", str(card), str(marks), "--out", str(out)]).exit_code == 0
    assert read_scorecard(card).questions[0].marks.rating is None
    refused = runner.invoke(main, ["fill", str(card), str(marks), "--out", str(out), "--force"])
    assert refused.exit_code == 1
    assert "this scorecard has been filled in" in refused.output and "it was not overwritten" in refused.output


def test_fill_refuses_marks_of_another_packet(tmp_path, runner):
    card = tmp_path / "other.xlsx"
    ScorecardRenderer().render(packet(minutes=45), card)
    result = runner.invoke(main, ["fill", str(card), str(marks_file(tmp_path))])
    assert result.exit_code == 1
    assert "its marks are for another packet" in result.output


def test_the_description_is_the_one_the_scorecard_keeps(tmp_path):
    from openpyxl import load_workbook

    card = blank_card(tmp_path)
    kept = json.loads(load_workbook(card)["Packet"]["B3"].value)
    assert description(packet(candidate="Zoë Ødegård", interviewer="Sam Lee")) == kept


def test_a_folder_of_scorecards_and_marks_files_tallies_both(tmp_path, runner):
    folder = tmp_path / "zoe"
    folder.mkdir()
    marks_file(folder)
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # other JSON in the folder is not a marks file
    result = runner.invoke(main, ["tally", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert [Path(card["file"]).name for card in json.loads(result.stdout)["scorecards"]] == ["mini-marks.json"]


def test_a_signal_two_interviewers_marked_is_worded_even_when_a_marks_file_is_read_first(tmp_path, runner):
    """A marks file carries no signal wording; the scorecard beside it does, whichever is read first."""
    card = blank_card(tmp_path, "ana.xlsx")
    ana = {**CELLS, "interviewer": "Ana Ruiz"}
    assert runner.invoke(main, ["fill", str(card), str(marks_file(tmp_path, ana))]).exit_code == 0
    sam = marks_file(tmp_path)
    result = runner.invoke(main, ["tally", str(sam), str(card), "--json"])
    assert result.exit_code == 0, result.output
    (shared,) = json.loads(result.stdout)["candidates"][0]["shared_signals"]
    assert shared["interviewers"] == ["Sam Lee", "Ana Ruiz"]
    assert shared["text"] == packet().questions[0].question.great_signals[0]


def test_the_signals_wording_saved_with_the_marks_is_what_the_debrief_quotes(tmp_path, runner):
    folder = tmp_path / "zoe"
    folder.mkdir()
    for name in ("Sam Lee", "Ana Ruiz"):
        path = marks_file(folder, {**CELLS, "interviewer": name}, signals=wording())
        path.rename(folder / f"{name.split()[0].lower()}-marks.json")
    assert read_as_scorecard(folder / "sam-marks.json").questions[0].great_signals == tuple(wording()["1"]["great"])
    result = runner.invoke(main, ["tally", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    (shared,) = json.loads(result.stdout)["candidates"][0]["shared_signals"]
    assert shared["text"] == wording()["1"]["great"][0]


@pytest.mark.parametrize(
    "signals",
    [[], {"1": {"great": ["only one"]}}, {"1": {"great": [1], "negative": []}}, {"1": "text"}],
)
def test_signal_wording_of_another_shape_is_named(tmp_path, signals):
    with pytest.raises(ScorecardError) as raised:
        read_marks(marks_file(tmp_path, signals=signals))
    assert "signals" in raised.value.message and "save the marks from the kit again" in raised.value.message
