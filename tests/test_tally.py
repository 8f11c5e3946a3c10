"""`packet tally` and reading scorecards back: the debrief's numbers, bad files, and no filled scorecard lost.

The central check: tally's figures equal what LibreOffice computes in the same workbooks — random fillings,
the special cases, a scorecard with a row inserted above the first question block, and one whose sheets were
renamed and reordered — all recalculated by one batched LibreOffice call.

Bad files are made here from a fresh `packet make -f xlsx`, so they follow the scorecard as it changes; the
few truly foreign files (a workbook another tool made, a damaged one) live in tests/fixtures/scorecards/.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.worksheet.cell_range import MultiCellRange

from exporter import readback
from exporter.cli import main
from exporter.debrief import WRITERS, get_writer, markdown, tables, write_debrief
from exporter.debrief import xlsx as debrief_xlsx
from exporter.debrief.reading import tally
from exporter.errors import NotAScorecard, ScorecardError
from exporter.packet import make_packet
from exporter.readback import fill_scorecard, named_cell, scorecard_questions
from exporter.render.xlsx import ScorecardRenderer
from exporter.scoring import mark_value, rating_value
from exporter.text import markdown_text

from .conftest import FIXTURES, MINI, MINI_BANK, MINI_LAYOUTS, REPO, SHIPPED_ROLES, soffice_convert
from .test_xlsx import random_filling, special_fillings

ROLE = "infra-m3" if "infra-m3" in SHIPPED_ROLES else "mini"
LOOP_ROLE = "infra-m3-people" if "infra-m3-people" in SHIPPED_ROLES else "mini"
FOREIGN = FIXTURES / "scorecards"


# -- making and changing scorecards as people and other programs do ---------------------------------------------


def blank(folder: Path, role: str = "mini", candidate: str = "Zoë Ødegård", interviewer: str = "Sam Lee", **kw) -> Path:
    """A fresh scorecard from the packet code, as `packet make -f xlsx` writes it."""
    mini = role == "mini"
    packet = make_packet(
        role,
        bank_dir=kw.pop("bank_dir", MINI_BANK if mini else None),
        layouts_dir=kw.pop("layouts_dir", MINI_LAYOUTS if mini else None),
        candidate=candidate,
        interviewer=interviewer,
        **kw,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{role}-{interviewer.lower().replace(' ', '-') or 'nobody'}-{len(list(folder.iterdir()))}.xlsx"
    ScorecardRenderer().render(packet, path)
    return path


def filled(folder: Path, values: Mapping[str, object], **kw: Any) -> Path:
    path = blank(folder, **kw)
    fill_scorecard(path, path, values)
    return path


def where(path: Path, name: str) -> str:
    """A named cell as the errors show it, e.g. "Scorecard!C21"."""
    workbook = openpyxl.load_workbook(path)
    ((sheet, ref),) = workbook.defined_names[name].destinations
    quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{ref.replace('$', '')}"


CELL = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)\b")


def _shift(ref: str, at: int) -> str:
    return CELL.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{int(m[4]) + (int(m[4]) >= at)}", ref)


def _sheet_prefix(title: str) -> str:
    return title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"


def _rewrite(formula: str, own_sheet: str | None, change) -> str:  # type: ignore[no-untyped-def]
    """``formula`` with every cell reference passed through ``change(sheet, ref) -> (sheet, ref)``."""
    tokens = Tokenizer(formula if formula.startswith("=") else "=" + formula)
    for token in tokens.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE and CELL.search(token.value):
            prefix, bang, ref = token.value.rpartition("!")
            sheet = prefix.strip("'").replace("''", "'") if bang else own_sheet
            new_sheet, new_ref = change(sheet, ref)
            token.value = f"{_sheet_prefix(new_sheet)}!{new_ref}" if bang or new_sheet != own_sheet else new_ref
    rendered = tokens.render()
    return rendered if formula.startswith("=") else rendered[1:]


def edit_like_excel(src: Path, dst: Path, insert_at: int | None = None, rename: str | None = None) -> None:
    """Insert a row into the Scorecard sheet and/or rename it, updating what Excel would update with it.

    openpyxl's insert_rows moves cells only, and a sheet's new title changes nothing else, whereas Excel
    and LibreOffice also move every reference to the moved cells: defined names, formulas on every sheet,
    data validation ranges, merged cells. This does the same, so the result is the workbook a recruiter
    would save after inserting a row (or renaming the sheet) in Excel, and LibreOffice's figures for it
    are the real ones. A second check that it is realistic: LibreOffice's figures must still equal tally's,
    which cannot happen if a formula was left pointing at the old rows.
    """
    workbook = openpyxl.load_workbook(src)
    target = "Scorecard"
    ws = workbook[target]
    new_title = rename or target

    def change(sheet: str | None, ref: str) -> tuple[str | None, str]:
        if sheet != target:
            return sheet, ref
        return new_title, _shift(ref, insert_at) if insert_at else ref

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.value = _rewrite(cell.value, sheet.title, change)
    for defined in workbook.defined_names.values():
        defined.attr_text = _rewrite(defined.attr_text, None, change)
    if insert_at:
        merged = [str(r) for r in ws.merged_cells.ranges]
        for ref in merged:
            ws.unmerge_cells(ref)
        ws.insert_rows(insert_at)
        for ref in merged:
            ws.merge_cells(_shift(ref, insert_at))
        for validation in ws.data_validations.dataValidation:
            validation.sqref = MultiCellRange(" ".join(_shift(str(r), insert_at) for r in validation.sqref.ranges))
        ws.cell(insert_at, 2, "Panel interview, with Ana Ruiz taking notes")  # what a recruiter might type there
    if rename:
        ws.title = rename
        workbook.move_sheet(workbook["Summary"], offset=-workbook.index(workbook["Summary"]))
    workbook.save(dst)


def first_block_row(path: Path) -> int:
    """The title row of the first question block: two rows above question 1's Asked cell."""
    workbook = openpyxl.load_workbook(path)
    ((_, ref),) = workbook.defined_names["q1_asked"].destinations
    asked = int(ref.split("$")[-1])
    column_a = workbook["Scorecard"]
    return next(r for r in range(asked, 0, -1) if column_a.cell(r, 1).value == "1")


# -- tally against LibreOffice --------------------------------------------------------------------------------


def named(workbook, name: str) -> Any:
    return named_cell(workbook, name).value


def same(actual: Any, wanted: float | None) -> bool:
    if wanted is None:
        return actual in (None, "")
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and abs(actual - wanted) <= 1e-9


# Each edit is made to a copy of one random filling; the sheet is renamed where a new title is given.
EDITED_FROM = {
    "row inserted": "random 0",
    "sheet renamed and moved": "random 1",
    "row inserted, sheet renamed": "random 2",
}
RENAMED = {"sheet renamed and moved": "Sam's notes", "row inserted, sheet renamed": "Notes (Sam)"}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Filled scorecards, some edited as a recruiter would, and LibreOffice's recalculation of all of them."""
    folder = tmp_path_factory.mktemp("loop")
    files: list[tuple[str, Path]] = []
    main_blank = blank(folder / "blanks", ROLE)
    loop_blank = blank(folder / "blanks", LOOP_ROLE, interviewer="Ana Ruiz")
    rng = random.Random("tally")
    cases: list[tuple[str, Path, dict[str, object]]] = []
    for name, values in special_fillings(scorecard_questions(main_blank)).items():
        cases.append((name, main_blank, values))
    cases += [(f"random {i}", main_blank, random_filling(scorecard_questions(main_blank), rng)) for i in range(10)]
    cases += [(f"loop {i}", loop_blank, random_filling(scorecard_questions(loop_blank), rng)) for i in range(4)]
    cases.append(("lower-case marks", main_blank, {"q1_great_1": "yes", "q1_neg_1": "YES", "q1_asked": "no"}))
    for index, (name, source, values) in enumerate(cases):
        path = folder / f"card-{index:02d}.xlsx"
        fill_scorecard(source, path, values)
        files.append((name, path))
    at = first_block_row(main_blank)
    for k, (name, source_case) in enumerate(EDITED_FROM.items()):
        source = next(path for case, path in files if case == source_case)
        path = folder / f"edited-{k}.xlsx"
        edit_like_excel(source, path, insert_at=at if "inserted" in name else None, rename=RENAMED.get(name))
        files.append((name, path))
    converted = soffice_convert([p for _, p in files], "xlsx", folder / "recalculated")
    return [(name, path, lo) for (name, path), lo in zip(files, converted)]


def test_tally_equals_what_libreoffice_computes(recalculated):
    debrief = tally([path for _, path, _ in recalculated])
    assert not debrief.unread
    by_file = {r.scorecard.path: r for r in debrief.results}
    mismatches = []
    recommendations = set()
    for case, path, lo in recalculated:
        workbook = openpyxl.load_workbook(lo, data_only=True)
        result = by_file[path].result
        for category_id, line in result.categories.items():
            part = category_id.replace("-", "_")
            for field in ("score", "rating"):
                actual, wanted = named(workbook, f"cat_{part}_{field}"), getattr(line, field)
                if not same(actual, wanted):
                    mismatches.append(f"{case}: cat_{part}_{field} LibreOffice {actual!r}, tally {wanted!r}")
            for field in ("flags", "asked"):
                actual, wanted = named(workbook, f"cat_{part}_{field}"), getattr(line, field)
                if actual != wanted or isinstance(actual, str):
                    mismatches.append(f"{case}: cat_{part}_{field} LibreOffice {actual!r}, tally {wanted!r}")
        if not same(named(workbook, "overall_score"), result.overall):
            mismatches.append(
                f"{case}: overall_score LibreOffice {named(workbook, 'overall_score')!r}, tally {result.overall!r}"
            )
        if (named(workbook, "recommendation") or "") != result.recommendation:
            mismatches.append(f"{case}: recommendation LibreOffice {named(workbook, 'recommendation')!r}")
        recommendations.add(result.recommendation)
    assert not mismatches, "\n".join(mismatches)
    assert recommendations == {"", "Strong yes", "Yes", "No", "Strong no"}  # the comparison could have failed


def test_the_edited_workbooks_read_the_same_marks(recalculated):
    """Readback follows the names: an inserted row or a renamed, moved sheet changes no mark."""
    by_case = {case: path for case, path, _ in recalculated}
    for edited, source in EDITED_FROM.items():
        original = readback.read_scorecard(by_case[source])
        again = readback.read_scorecard(by_case[edited])
        assert [q.marks for q in again.questions] == [q.marks for q in original.questions], edited
        assert [q.great_signals for q in again.questions] == [q.great_signals for q in original.questions]
        assert any(q.marks.was_asked for q in again.questions)  # there were marks to lose
    inserted = openpyxl.load_workbook(by_case["row inserted"])
    ((_, ref),) = inserted.defined_names["q1_asked"].destinations
    ((_, before),) = openpyxl.load_workbook(by_case[EDITED_FROM["row inserted"]]).defined_names["q1_asked"].destinations
    assert int(ref.split("$")[-1]) == int(before.split("$")[-1]) + 1  # the edit really moved the cells


def test_libreoffice_saved_scorecards_read_back_the_same(recalculated):
    """A scorecard a recruiter opened and saved in LibreOffice (new cached values, its own XML) tallies the same."""
    for case, path, lo in recalculated[:6]:
        original, saved = readback.read_scorecard(path), readback.read_scorecard(lo)
        assert [q.marks for q in saved.questions] == [q.marks for q in original.questions], case
        assert (saved.candidate, saved.interviewer, saved.identity) == (
            original.candidate,
            original.interviewer,
            original.identity,
        )


# -- reading back: what each cell means, and every bad file ------------------------------------------------------


def test_blank_scorecard_reads_as_blank(tmp_path):
    card = readback.read_scorecard(blank(tmp_path))
    assert (card.role, card.candidate, card.interviewer) == ("mini", "Zoë Ødegård", "Sam Lee")
    assert [(q.number, q.label, q.id) for q in card.questions] == [
        (1, "1", "pipeline"),
        (2, "1b", "pipeline-backup"),
        (3, "2", "toil"),
        (4, "3", "planning"),
    ]
    assert card.questions[0].great_signals == ("Concrete pipeline changes.", "Team ownership.")
    assert card.questions[0].categories == {"world-class": 1.0, "operational": 0.5}
    for q in card.questions:
        assert q.marks.asked is None and q.marks.rating is None and not q.notes
        assert set(q.marks.great) == set(q.marks.negative) == {None}
    assert readback.filled_reason(card.path) is None


def test_marks_read_as_entered(tmp_path):
    path = filled(
        tmp_path,
        {"q1_asked": "Yes", "q1_great_1": "Yes", "q1_great_2": "no", "q1_neg_1": "YES", "q1_rating": 3,
         "q2_rating": 4.0, "q2_notes": "  Measured toil first.  ", "q3_asked": "No", "q1b_great_1": "   "},
    )  # fmt: skip
    card = readback.read_scorecard(path)
    first, backup, toil, planning = card.questions
    assert (first.marks.asked, first.marks.great, first.marks.negative, first.marks.rating) == (
        True,
        (True, False),
        (True,),
        3,
    )
    assert backup.marks.great == (None,)  # spaces only: blank, as COUNTIF sees it
    assert (toil.marks.rating, toil.notes, planning.marks.asked) == (4, "Measured toil first.", False)


MARK_VALUES = ["Yes", "No", "yes", "NO", None, "", "   ", "maybe", "Yes ", "x", 1, True, "=1+1"]
RATING_VALUES = [1, 2, 3, 4, 4.0, None, "", " ", 0, 5, 2.5, "3", -1, True]
INPUTS = ["q1_asked", "q1_great_1", "q1_great_2", "q1_neg_1", "q2_great_1", "q3_neg_1"]


@pytest.fixture(scope="module")
def mini_blank(tmp_path_factory) -> Path:
    return blank(tmp_path_factory.mktemp("blank"))


@settings(max_examples=40, deadline=None)
@given(
    marks=st.fixed_dictionaries({name: st.sampled_from(MARK_VALUES) for name in INPUTS}),
    ratings=st.fixed_dictionaries({f"q{n}_rating": st.sampled_from(RATING_VALUES) for n in (1, 3)}),
)
def test_any_cell_content_is_read_as_the_formulas_read_it_or_named(mini_blank, marks, ratings):
    """Whatever an interviewer typed: the marks the formulas see, or an error naming each cell they would
    misread; never a silent difference between tally and the workbook."""
    path = mini_blank.parent / "card.xlsx"
    fill_scorecard(mini_blank, path, {**marks, **ratings})

    def blank_text(v: object) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    bad_marks = {
        n for n, v in marks.items() if not blank_text(v) and not (isinstance(v, str) and v.lower() in ("yes", "no"))
    }
    bad_ratings = {
        n for n, v in ratings.items()
        if not blank_text(v) and not (type(v) in (int, float) and v in (1, 2, 3, 4))
    }  # fmt: skip
    bad = bad_marks | bad_ratings
    if bad:
        named_in_error = set(re.findall(r"\((q\d+b?_\w+)\)", problems(path)))
        assert named_in_error == bad
        return
    card = readback.read_scorecard(path)
    by_label = {q.label: q.marks for q in card.questions}
    for name, value in marks.items():
        n, kind, index = re.fullmatch(r"q(\d+b?)_(asked|great|neg)_?(\d?)", name).groups()  # type: ignore[union-attr]
        mark = by_label[n]
        read = mark.asked if kind == "asked" else (mark.great if kind == "great" else mark.negative)[int(index) - 1]
        assert read == mark_value(value), name
    for name, value in ratings.items():
        assert by_label[name[1 : name.index("_")]].rating == rating_value(value), name


def problems(path: Path) -> str:
    with pytest.raises(ScorecardError) as caught:
        readback.read_scorecard(path)
    return caught.value.message


def test_every_bad_cell_is_named_with_its_sheet_and_cell(tmp_path):
    path = filled(
        tmp_path,
        {"q1_great_2": "maybe", "q1_neg_1": True, "q1_rating": 7, "q2_rating": 2.5, "q3_rating": "3",
         "q1b_asked": "=1+1"},
    )  # fmt: skip
    assert problems(path) == (
        f"{path}: 6 problems:\n"
        f"  {where(path, 'q1_great_2')} (q1_great_2) holds 'maybe'; a mark must be Yes, No or blank (pick from the cell's list)\n"
        f"  {where(path, 'q1_neg_1')} (q1_neg_1) holds True; a mark must be Yes, No or blank (pick from the cell's list)\n"
        f"  {where(path, 'q1_rating')} (q1_rating) holds 7; a rating is a whole number 1–4 or blank\n"
        f"  {where(path, 'q1b_asked')} (q1b_asked) holds the formula =1+1; a mark must be Yes, No or blank (pick from the cell's list)\n"
        f"  {where(path, 'q2_rating')} (q2_rating) holds 2.5; a rating is a whole number 1–4 or blank\n"
        f"  {where(path, 'q3_rating')} (q3_rating) holds the text '3'; type the number 3 itself (a rating is a whole number 1–4 or blank)"
    )
    assert where(path, "q1_great_2").startswith("Scorecard!C")


def test_a_formula_typed_over_is_an_error(tmp_path):
    path = filled(tmp_path, {"q1_asked": "Yes", "cat_world_class_score": 0.9, "recommendation": "Strong yes"})
    assert problems(path) == (
        f"{path}: 2 problems:\n"
        f"  {where(path, 'cat_world_class_score')} (cat_world_class_score) holds the value 0.9 where its formula "
        "belongs: a figure was typed over and may not match the marks; ask the interviewer which is right\n"
        f"  {where(path, 'recommendation')} (recommendation) holds the value 'Strong yes' where its formula "
        "belongs: a figure was typed over and may not match the marks; ask the interviewer which is right"
    )


def edited(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def test_a_deleted_name_or_cell_is_named(tmp_path):
    def delete(workbook) -> None:  # type: ignore[no-untyped-def]
        del workbook.defined_names["q2_rating"]
        workbook.defined_names["q1_notes"].attr_text = "Scorecard!#REF!"

    path = edited(blank(tmp_path), delete)
    assert problems(path) == (
        f"{path}: 2 problems:\n"
        "  the defined name q1_notes points to Scorecard!#REF!; its cell was deleted or the name removed\n"
        "  the defined name q2_rating is missing; its cell was deleted or the name removed"
    )


def test_workbooks_that_are_not_scorecards(tmp_path):
    no_identity = edited(blank(tmp_path), lambda wb: wb.remove(wb["Packet"]))
    assert problems(no_identity) == (
        f"{no_identity}: not a packet scorecard (no hidden 'Packet' sheet marked 'packet-scorecard'); "
        "tally reads only scorecards made by `packet make --format xlsx`"
    )
    newer = edited(blank(tmp_path), lambda wb: wb["Packet"].cell(2, 2, 3))
    assert problems(newer) == (
        f"{newer}: scorecard format 3, but this packet reads formats 1 or 2; tally it with the packet version that "
        "made it"
    )
    damaged = edited(blank(tmp_path), lambda wb: wb["Packet"].cell(3, 2, '{"role": "mini"'))
    assert problems(damaged) == (
        f"{damaged}: the hidden 'Packet' sheet is damaged (cell B3: it does not hold the packet's description); "
        "make a fresh scorecard"
    )
    no_format = edited(blank(tmp_path), lambda wb: wb["Packet"].cell(2, 2, "one"))
    assert problems(no_format) == (
        f"{no_format}: the hidden 'Packet' sheet is damaged (cell B2 holds \"one\", not a format number); "
        "make a fresh scorecard"
    )
    foreign = FOREIGN / "other-tool.xlsx"
    assert problems(foreign).startswith(f"{foreign}: not a packet scorecard")
    with pytest.raises(NotAScorecard):
        readback.read_scorecard(foreign)


def test_files_that_are_not_workbooks(tmp_path):
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(blank(tmp_path).read_bytes()[:3000])  # an interrupted copy
    assert problems(truncated) == (f"{truncated}: not an Excel workbook (the file is damaged, or is not a spreadsheet)")
    assert problems(FOREIGN / "not-a-workbook.xlsx") == (
        f"{FOREIGN / 'not-a-workbook.xlsx'}: not an Excel workbook (the file is damaged, or is not a spreadsheet)"
    )
    encrypted = FOREIGN / "password-protected.xlsx"
    assert problems(encrypted) == (
        f"{encrypted}: not an .xlsx workbook: it is an old-style .xls file or was saved with a password to open; "
        "open it in Excel and save it as an .xlsx workbook without a password"
    )
    assert problems(tmp_path / "missing.xlsx") == f"{tmp_path / 'missing.xlsx'}: no such file"
    broken_sheet = tmp_path / "broken-sheet.xlsx"
    _replace_in_zip(blank(tmp_path), broken_sheet, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>")
    assert problems(broken_sheet).startswith(f"{broken_sheet}: damaged Excel workbook, cannot be read (")


def tamper(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """``path`` with the hidden sheet's packet description (B3) changed by ``change(description)``."""
    workbook = openpyxl.load_workbook(path)
    description = json.loads(workbook["Packet"]["B3"].value)
    workbook["Packet"]["B3"].value = json.dumps(change(description))
    workbook.save(path)
    return path


def _question(description: dict, key: str, value: Any) -> dict:  # type: ignore[type-arg]
    description["questions"][0][key] = value
    return description


TAMPERED = [  # (change to the description, what the error says about cell B3)
    (lambda d: {"questions": 5}, "role is null; it should be text"),
    (lambda d: _question(d, "great", 100_000_000), "questions[0].great is 100000000; it should be a whole number 0–200"),
    (lambda d: _question(d, "negative", 1.5), "questions[0].negative is 1.5; it should be a whole number 0–200"),
    (lambda d: _question(d, "number", "abc"), 'questions[0].number is "abc"; it should be a whole number 1–200, each '
     "used once"),
    (lambda d: _question(d, "number", 2), "questions[1].number is 2; it should be a whole number 1–200, each used once"),
    (lambda d: _question(d, "label", 1), "questions[0].label is 1; it should be text"),
    (lambda d: _question(d, "categories", ["operational"]), 'questions[0].categories is ["operational"]; it should '
     "map category ids to weights"),
    (lambda d: {**d, "questions": [{"number": 1}] * 201}, "201 questions; a scorecard has at most 200"),
    (lambda d: {**d, "questions": {}}, "questions is {}; it should be a list of questions"),
    (lambda d: {**d, "categories": "operational"}, 'categories is "operational"; it should be a list of category ids'),
    (lambda d: {**d, "thresholds": {"yes": 0.2}}, 'thresholds is {"yes": 0.2}; it should hold the numbers '
     "strong_yes, yes and no"),
    (lambda d: {**d, "thresholds": {"strong_yes": 1, "yes": 0, "no": float("nan")}}, 'thresholds is {"strong_yes": '
     '1, "yes": 0, "no": NaN}; it should hold the numbers strong_yes, yes and no'),
    (lambda d: [d], "it does not hold the packet's description"),
    (lambda d: {**d, "category_labels": ["x"]}, 'category_labels is ["x"]; it should map category ids to labels'),
    (lambda d: {**d, "loop": "onsite"}, 'loop is "onsite"; it should hold the loop\'s name, its slot and its slots'),
    (lambda d: {**d, "loop": {"name": "x", "slot": 1, "slots": [{"number": 1}]}}, 'loop.slots[0] is {"number": '
     "1}; it should hold a slot's number, id and interviewer"),
    (lambda d: {**d, "loop": {"name": "x", "slot": 2, "slots": [{"number": 1, "id": "a", "interviewer": "A"}]}},
     "loop.slot is 2; it should be the number of one of loop.slots"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "problem"), TAMPERED)
def test_a_tampered_description_is_named_not_followed(tmp_path, change, problem):
    """A description typed over by hand is an error at once (``great: 100000000`` used to read for minutes)."""
    path = tamper(filled(tmp_path, SAM), change)
    assert problems(path) == (
        f"{path}: the hidden 'Packet' sheet is damaged (cell B3: {problem}); make a fresh scorecard"
    )
    assert readback.filled_reason(path) == (
        "this looks like a scorecard that cannot be read back (its hidden 'Packet' sheet is damaged, cell B3: "
        f"{problem}); it may hold an interview's marks"
    )


def _replace_in_zip(source: Path, target: Path, member: str, data: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, data if info.filename == member else old.read(info.filename))


# -- filled_reason: what `packet make` refuses to overwrite ---------------------------------------------------


def test_filled_reason_says_what_is_in_it(tmp_path):
    path = filled(
        tmp_path,
        {"q1_great_1": "Yes", "q1_great_2": "No", "q2_neg_1": "Yes", "q1_rating": 3, "q1_asked": "Yes",
         "q1b_notes": "Used the backup.", "q3_notes": "Ran out of time."},
    )  # fmt: skip
    assert readback.filled_reason(path) == (
        "this scorecard has been filled in (3 marks, 1 rating, 1 Asked answer, notes on questions 1b and 3)"
    )
    one = filled(tmp_path, {"q2_notes": "x"})
    assert readback.filled_reason(one) == "this scorecard has been filled in (notes on question 2)"
    # Whatever is in a cell counts, even what tally would refuse: the interviewer typed it.
    odd = filled(tmp_path, {"q1_great_1": "maybe", "q1_rating": 9})
    assert readback.filled_reason(odd) == "this scorecard has been filled in (1 mark, 1 rating)"
    # A name typed in the header is kept too: only a card exactly as packet made it is replaced.
    assert readback.filled_reason(filled(tmp_path, {"candidate": "Someone else"})) == (
        "this scorecard has been changed since packet made it (outside its marks, ratings and notes, e.g. a name "
        "typed in the header or a note on the Summary); it may hold an interview's notes"
    )


def unreadable(cause: str) -> str:
    return f"this looks like a scorecard that cannot be read back ({cause}); it may hold an interview's marks"


def test_filled_reason_replaces_only_what_is_provably_safe(tmp_path):
    """Missing, empty, not a spreadsheet at all, or a whole blank scorecard: --force may replace it."""
    assert readback.filled_reason(tmp_path / "missing.xlsx") is None
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert readback.filled_reason(tmp_path / "empty.xlsx") is None
    assert readback.filled_reason(FOREIGN / "not-a-workbook.xlsx") is None  # CSV text under an .xlsx name
    assert readback.filled_reason(blank(tmp_path)) is None
    (tmp_path / "folder.xlsx").mkdir()
    assert readback.filled_reason(tmp_path / "folder.xlsx") == "it is a folder"


def test_filled_reason_keeps_every_other_workbook(tmp_path):
    """A workbook that is not a whole packet scorecard may be one whose marks cannot be read: kept."""
    assert readback.filled_reason(FOREIGN / "other-tool.xlsx") == unreadable(
        "no hidden 'Packet' sheet marked 'packet-scorecard'"
    )
    assert readback.filled_reason(FOREIGN / "password-protected.xlsx") == unreadable(
        "an old-style .xls file, or saved with a password to open"
    )
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(filled(tmp_path, SAM).read_bytes()[:3000])  # an interrupted copy
    assert readback.filled_reason(truncated) == unreadable("not an Excel workbook, or damaged")
    newer = edited(blank(tmp_path), lambda wb: wb["Packet"].cell(2, 2, 3))
    assert readback.filled_reason(newer) == unreadable("scorecard format 3, not 1 or 2")
    # A blank scorecard that lost a name is not provably blank any more.
    lost_name = edited(blank(tmp_path), lambda wb: wb.defined_names.pop("q2_rating"))
    assert readback.filled_reason(lost_name) == unreadable("its defined name q2_rating is missing or points nowhere")


def remove_names(workbook) -> None:  # type: ignore[no-untyped-def]
    for name in list(workbook.defined_names):
        del workbook.defined_names[name]


def test_a_filled_scorecard_stays_protected_when_damaged(tmp_path):
    """The tester's cases: marks in the cells, but the names or the hidden sheet gone, or the identity typed over."""
    no_names = edited(filled(tmp_path, SAM), remove_names)
    count = len(openpyxl.load_workbook(blank(tmp_path)).defined_names) - 4  # all but the header's four names
    assert readback.filled_reason(no_names) == unreadable(
        f"{count} of its defined names are missing or point nowhere, e.g. q1_asked"
    )
    no_sheet = edited(filled(tmp_path, SAM), lambda wb: wb.remove(wb["Packet"]))
    assert readback.filled_reason(no_sheet) == unreadable("no hidden 'Packet' sheet marked 'packet-scorecard'")
    questions_five = tamper(filled(tmp_path, SAM), lambda d: {"questions": 5})
    assert readback.filled_reason(questions_five) == unreadable(
        "its hidden 'Packet' sheet is damaged, cell B3: role is null; it should be text"
    )
    typed_over = edited(blank(tmp_path), lambda wb: named_cell(wb, "overall_score").__setattr__("value", 0.5))
    assert readback.filled_reason(typed_over) == "this scorecard has been filled in (1 figure typed over)"


def test_filled_reason_never_raises(tmp_path, monkeypatch):
    """Whatever fails while looking at the file, the answer is "keep it", never a traceback."""
    path = filled(tmp_path, SAM)

    def crash(path: Path, data: bytes) -> None:
        raise RuntimeError("openpyxl fell over")

    monkeypatch.setattr(readback, "_read", crash)
    assert readback.filled_reason(path) == unreadable("RuntimeError: openpyxl fell over")


# -- the debrief: grouping, the loop's view, what to talk about -------------------------------------------------

# Two interviewers who marked the mini packet (q1 pipeline: world-class 1, operational 0.5; q2 its backup;
# q3 toil: operational 1, team-member 0.5; q4 planning: strategic 1), and one who has not filled in yet.
SAM = {"q1_great_1": "Yes", "q1_great_2": "Yes", "q1_rating": 4, "q2_asked": "Yes", "q3_neg_1": "Yes"}
ANA = {"q1_great_1": "Yes", "q1_neg_1": "Yes", "q3_great_1": "Yes", "q1_rating": 2}


@pytest.fixture
def loop(tmp_path) -> list[Path]:
    return [
        filled(tmp_path, SAM, interviewer="Sam Lee"),
        filled(tmp_path, ANA, candidate="zoë  ødegård", interviewer="Ana Ruiz"),  # typed differently
        blank(tmp_path, interviewer="Kim Park"),
        filled(tmp_path, ANA, candidate="Alex Kim", interviewer="Ana Ruiz"),
    ]


def test_the_loop_per_category(loop):
    debrief = tally(loop)
    assert [c.candidate for c in debrief.candidates] == ["Zoë Ødegård", "Alex Kim"]
    zoe = debrief.candidates[0]
    assert [r.interviewer for r in zoe.results] == ["Sam Lee", "Ana Ruiz", "Kim Park"]
    sam, ana, _ = (r.result for r in zoe.results)
    # Sam: q1 all great (+1), q3 asked with nothing heard (0), q4 a red flag (-1). Ana: q1 half great and its
    # red flag (-0.5), q4 great (+1).
    assert sam.categories["operational"].score == pytest.approx((0.5 * 1 + 1 * 0) / 1.5)
    assert (ana.categories["world-class"].score, ana.categories["team-member"].score) == (-0.5, None)
    by_id = {c.id: c for c in zoe.categories}
    world = by_id["world-class"]
    assert (world.scores.mean, world.scores.lowest, world.scores.highest, world.scores.spread) == (0.25, -0.5, 1, 1.5)
    assert (world.flags, world.ratings.mean, world.calibrate) == (1, 3.0, True)
    assert by_id["strategic"].scores.spread == 2 and by_id["strategic"].flags == 1
    assert by_id["team-member"].scores.values == (0.0,) and not by_id["team-member"].calibrate
    # Only assessed categories count: Sam's team-member (0.5 of toil) and Ana's operational (0.5 of q1) are
    # indirect evidence, left out of the overall score.
    assert sam.categories["team-member"].evidence == ana.categories["operational"].evidence == "indirect"
    assert zoe.overall.values == (pytest.approx(1 / 9), 0.25)
    assert [(s.label, s.kind, s.index, s.text, s.interviewers) for s in zoe.shared_signals] == [
        ("1", "great", 1, "Concrete pipeline changes.", ("Sam Lee", "Ana Ruiz"))
    ]
    assert zoe.not_asked == ()  # only the backup 1b was left, and a backup is there in case it is needed
    assert [r.interviewer for r in zoe.empty] == ["Kim Park"]
    assert zoe.warnings == ()


def test_figures_read_as_the_spreadsheets_show_them():
    """Half away from zero, from 15 significant digits, as Excel and LibreOffice display a cell."""
    shown = [tables.percent(v) for v in (0.625, -0.625, 0.615, 0.6249999999999999, 0.004, -0.004, 0.0, None)]
    assert shown == ["+63%", "\u221263%", "+62%", "+63%", "+0%", "\u22120%", "0%", "–"]
    assert [tables.one_decimal(v) for v in (3.25, 2.0, 8 / 3)] == ["3.3", "2.0", "2.7"]
    assert tables.points(0.835) == "84\u00a0pts"


def test_questions_nobody_asked(tmp_path):
    # Sam used the backup 1b instead of question 1 and ran out of time before question 3; Ana wrote notes only.
    sam = filled(tmp_path, {"q1b_great_1": "Yes", "q2_asked": "Yes"}, interviewer="Sam Lee")
    ana = filled(tmp_path, {"q3_notes": "Could not stay for the whole slot."}, interviewer="Ana Ruiz")
    (zoe,) = tally([sam, ana]).candidates
    assert [(q.label, q.title) for q in zoe.not_asked] == [("3", "Planning")]
    assert [r.interviewer for r in zoe.empty] == ["Ana Ruiz"]
    assert dict(tables.findings(zoe))["Empty scorecards"] == [
        f"Ana Ruiz: nothing marked, rated or asked yet (only notes) — {ana}"
    ]


def test_terminal_table(loop, runner):
    result = runner.invoke(main, ["tally", *map(str, loop[:3])])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:4] == ["Zoë Ødegård — Test Manager — 3 scorecards", "=" * 41, "", "Verdict:"]
    at = lines.index("Scores") - 3  # the rows below are counted as if the Scores table came first
    cells = [re.split(r" {2,}", line.strip()) for line in lines[at:]]
    # The categories' labels, not their ids, cut to their first words and wrapped onto two lines.
    assert cells[4] == ["Outstanding", "Strategic", "Effective"]
    assert cells[5] == [
        "Interviewer",
        "World-class",
        "operationally",
        "direction",
        "team member",
        "Overall",
        "Recommendation",
    ]
    # Sam's team-member score rests on half a weight: indirect, in brackets.
    assert cells[6] == ["Sam Lee", "+100%", "+33%", "\u2212100%", "(0%)", "+11%", "No"]
    assert cells[8] == ["Kim Park (empty)", "–", "–", "–", "–", "–", "–"]
    assert cells[9] == ["-" * len("Kim Park (empty)"), "-" * 11, "-" * 13, "-" * 9, "-" * 11, "-" * 7, "-" * 14]
    assert cells[13] == ["Spread", "150\u00a0pts*", "83\u00a0pts*", "200\u00a0pts*", "0\u00a0pts", "14\u00a0pts"]
    lines = lines[at:]
    flags = lines.index("Red flags")
    # Ana's one red flag is on question 1, which counts for world-class and operational: in both columns,
    # and once in the total.
    assert cells[flags + 3 : flags + 5] == [["Sam Lee", "0", "0", "1", "0", "1"], ["Ana Ruiz", "1", "1", "0", "0", "1"]]
    assert cells[flags + 7] == ["All", "1", "1", "1", "0", "2"]
    assert lines[flags + 8 : flags + 10] == [
        "A question that counts for two categories shows its red flags in both columns; the total counts each",
        "red flag once.",
    ]
    text = re.sub(r"\n {4}", " ", result.stdout)  # long items are wrapped with an indent
    assert (
        "Where the interviewers disagree:\n"
        "  World-class at running this team: spread 150\u00a0pts — Ana Ruiz \u221250%, Sam Lee +100%\n"
    ) in text
    assert (
        "Signals marked by more than one interviewer:\n"
        '  Great signal on 1. Pipelines & "Release" <Trains>: “Concrete pipeline changes.” — Sam Lee, Ana Ruiz\n'
    ) in text
    assert "Questions not asked" not in text  # only the backup was, and that is what backups are for
    assert f"Empty scorecards:\n  Kim Park: nothing marked, rated or asked yet — {loop[2]}\n" in text


def test_json_for_scripts(loop, runner):
    result = runner.invoke(main, ["tally", "--json", *map(str, loop)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["scorecards", "candidates", "unread"]
    first = data["scorecards"][0]
    assert list(first) == [
        "file", "candidate", "interviewer", "date", "role", "identity", "format", "loop", "categories", "red_flags",
        "overall_score", "recommendation", "vote", "takeaways", "vote_conflict", "questions", "empty",
    ]  # fmt: skip
    # Red flags each counted once: Ana's one flag on a question counting for two categories is in both.
    ana = data["scorecards"][1]
    assert (ana["categories"]["world-class"]["flags"], ana["categories"]["operational"]["flags"]) == (1, 1)
    assert [s["red_flags"] for s in data["scorecards"]] == [1, 1, 0, 1]
    assert [s["file"] for s in data["scorecards"]] == list(map(str, loop))  # in the order given
    world_class = {"label": "World-class at running this team", "evidence": "assessed"}
    assert first["categories"]["world-class"] == {**world_class, "score": 1.0, "flags": 0, "rating": 4.0, "asked": 1}
    assert first["categories"]["team-member"]["evidence"] == "indirect"
    assert (first["vote"], first["takeaways"], first["format"], first["loop"]) == (None, "", 2, None)
    assert first["questions"][0] == {
        "label": "1", "question": "pipeline", "title": 'Pipelines & "Release" <Trains>', "asked": True,
        "rating": 4.0, "notes": "",
    }  # fmt: skip
    assert (first["overall_score"], first["recommendation"]) == (pytest.approx(1 / 9), "No")
    assert data["scorecards"][2]["recommendation"] is None and data["scorecards"][2]["empty"] is True
    zoe = data["candidates"][0]
    assert list(zoe) == [
        "candidate", "files", "categories", "red_flags", "overall_score", "verdict", "evidence_checks",
        "shared_signals", "not_asked", "empty", "warnings",
    ]  # fmt: skip
    assert zoe["red_flags"] == 2
    assert zoe["categories"]["world-class"] == {
        "label": "World-class at running this team", "evidence": "assessed", "mean": 0.25, "lowest": -0.5, "highest": 1.0, "spread": 1.5, "count": 2, "flags": 1, "rating": 3.0,
        "calibrate": True,
    }  # fmt: skip
    assert zoe["shared_signals"][0]["interviewers"] == ["Sam Lee", "Ana Ruiz"]
    assert zoe["not_asked"] == []
    assert zoe["empty"] == [str(loop[2])]
    assert data["candidates"][1]["candidate"] == "Alex Kim" and data["unread"] == []


def test_bad_files_are_named_and_the_rest_still_tally(loop, runner, tmp_path):
    bad = filled(tmp_path, {"q1_great_1": "maybe"}, interviewer="Lee Chan")
    foreign = FOREIGN / "other-tool.xlsx"
    result = runner.invoke(main, ["tally", str(loop[0]), str(bad), str(foreign), str(loop[1])])
    assert result.exit_code == 1
    assert result.stdout.startswith("Zoë Ødegård — Test Manager — 2 scorecards\n")
    assert result.stdout.endswith(f"Not read, so not in the figures above: {bad}, {foreign} (see the error below)\n")
    assert result.stderr == (
        "Error: 2 files were not read and left out of the tally:\n"
        f"  {bad}: 1 problem:\n"
        f"    {where(bad, 'q1_great_1')} (q1_great_1) holds 'maybe'; a mark must be Yes, No or blank (pick from the cell's list)\n"
        f"  {foreign}: not a packet scorecard (no hidden 'Packet' sheet marked 'packet-scorecard'); "
        "tally reads only scorecards made by `packet make --format xlsx`\n"
    )
    none = runner.invoke(main, ["tally", str(bad)])
    assert (none.exit_code, none.stdout) == (1, "")
    assert none.stderr.startswith("Error: 1 file was not read and left out of the tally:\n")


def test_a_folder_of_scorecards(loop, runner, tmp_path):
    shutil.copy(FOREIGN / "other-tool.xlsx", tmp_path / "debrief.xlsx")  # e.g. last week's debrief
    (tmp_path / "~$mini-sam-lee-0.xlsx").write_bytes(b"Excel's lock file")
    result = runner.invoke(main, ["tally", "--json", str(tmp_path), str(loop[0])])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Warning: {tmp_path / 'debrief.xlsx'}: not a packet scorecard; skipped\n"
    files = [s["file"] for s in json.loads(result.stdout)["scorecards"]]
    assert sorted(files) == sorted(map(str, loop))  # loop[0] given twice, read once
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = runner.invoke(main, ["tally", str(empty)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: 1 file was not read and left out of the tally:\n  {empty}: no .xlsx files in this folder\n",
    )


def test_versions_that_do_not_compare_are_warned_about(tmp_path, runner):
    layouts = tmp_path / "layouts"
    shutil.copytree(MINI_LAYOUTS, layouts)
    layout = layouts / "mini.yaml"
    layout.write_text(
        layout.read_text(encoding="utf-8").replace("Pipelines first.", "Pipelines first, always."), encoding="utf-8"
    )
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    questions = bank / "questions" / "mini.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace("{world-class: 1, operational: 0.5}", "{world-class: 1}"),
        encoding="utf-8",
    )
    cards = tmp_path / "cards"
    same_a = filled(cards, SAM, interviewer="Sam Lee")
    same_b = filled(cards, ANA, interviewer="Ana Ruiz")
    other_layout = filled(cards, ANA, interviewer="Kim Park", layouts_dir=layouts)
    other_bank = filled(cards, ANA, interviewer="Lee Chan", bank_dir=bank)
    rescaled = filled(cards, ANA, interviewer="Pat Diaz", minutes=25)  # same questions, a longer slot: no warning
    copy = cards / "copy.xlsx"
    shutil.copy(same_a, copy)  # the same bytes: counted once
    again = filled(cards, ANA, interviewer="Sam Lee")  # another card of Sam's
    given = (same_a, same_b, other_layout, other_bank, rescaled, copy, again)
    result = runner.invoke(main, ["tally", *map(str, given)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: {copy}: the same file as {same_a}, so counted once; skipped\n"
        f"Warning: {other_bank}: made from a different version of the question bank than the other scorecards "
        "for Zoë Ødegård; its questions or weights may differ, so compare its numbers with care\n"
        f"Warning: {other_layout}: made from a different version of layout mini than the other mini scorecards "
        "for Zoë Ødegård; its questions may differ, so compare its numbers with care\n"
        f"Warning: {same_a}: Sam Lee has more than one scorecard for Zoë Ødegård; check it is not a copy counted twice\n"
        f"Warning: {again}: Sam Lee has more than one scorecard for Zoë Ødegård; check it is not a copy counted twice\n"
    )
    assert "Check before the debrief:" in result.stdout


def test_a_scorecard_without_a_candidate_name(tmp_path, runner):
    card = filled(tmp_path, SAM, candidate="")
    result = runner.invoke(main, ["tally", str(card)])
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {card}: the candidate cell is empty; tallied under (no candidate name)\n"
    assert result.stdout.startswith("(no candidate name) — Test Manager — 1 scorecard\n")


def test_a_loop_of_different_layouts_compares_without_warnings(tmp_path, runner):
    if LOOP_ROLE == "mini":
        pytest.skip("the shipped layouts are not there yet")
    cards = [
        filled(tmp_path, {"q1_great_1": "Yes"}, role=ROLE, interviewer="Sam Lee"),
        filled(tmp_path, {"q1_great_1": "Yes"}, role=LOOP_ROLE, interviewer="Ana Ruiz"),
    ]
    result = runner.invoke(main, ["tally", *map(str, cards)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Questions not asked:" in result.stdout and "(on the scorecard of Ana Ruiz)" in result.stdout


# -- the debrief files -------------------------------------------------------------------------------------------


def test_debrief_files_markdown_and_excel(loop, runner, tmp_path, epoch):
    out = tmp_path / "out"
    args = ["tally", *map(str, loop[:3]), "--out", str(out / "debrief.md"), "-o", str(out / "debrief.xlsx")]
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stdout) == (0, f"{out / 'debrief.md'}\n{out / 'debrief.xlsx'}\n"), (
        result.output,
        result.exception,
    )
    text = (out / "debrief.md").read_text(encoding="utf-8")
    assert text.startswith("# Interview debrief\n\n")
    assert "## Zoë Ødegård — Test Manager — 3 scorecards\n" in text
    assert (
        "| Interviewer | World-class | Outstanding operationally | Strategic direction | Effective team member | "
        "Overall | Recommendation |\n"
    ) in text
    assert (
        "| Ana Ruiz | 1 | 1 | 0 | 0 | 1 |\n| Kim Park (empty) | 0 | 0 | 0 | 0 | 0 |\n| *All* | 1 | 1 | 1 | 0 | 2 |\n"
        in text
    )
    assert "\nA question that counts for two categories shows its red flags in both columns; the total" in text
    assert (
        "| *Spread* | **150\u00a0pts** \\* | **83\u00a0pts** \\* | **200\u00a0pts** \\* | 0\u00a0pts | 14\u00a0pts |  |\n"
        in text
    )
    assert 'Great signal on 1. Pipelines & "Release" \\<Trains\\>' in text  # Markdown-safe, still readable
    assert "| Sam Lee | +100% | +33% | \u2212100% | (0%) | +11% | No |\n" in text  # team-member: indirect
    workbook = openpyxl.load_workbook(out / "debrief.xlsx")
    assert workbook.sheetnames == ["Debrief", "Scorecards", "Categories", "Questions"]
    debrief = tally(loop[:3])
    sam_result = debrief.results[0].result
    header, *rows = list(workbook["Scorecards"].iter_rows(values_only=True))
    assert header == (
        "Candidate", "Interviewer", "Role", "Date", "Vote", "Signals say", "Overall score", "Red flags", "Take-aways",
    )  # fmt: skip
    assert rows[0][:2] + rows[0][4:] == (
        "Zoë Ødegård",
        "Sam Lee",
        None,
        "No",
        pytest.approx(sam_result.overall),
        1,
        None,
    )
    # One row per scorecard and category, as many categories as the scorecard has.
    header, *rows = list(workbook["Categories"].iter_rows(values_only=True))
    assert header == ("Candidate", "Interviewer", "Category", "Score", "Evidence", "Red flags", "Rating", "Asked")
    assert len(rows) == 3 * 4
    assert rows[1][1:] == ("Sam Lee", "Outstanding operationally", pytest.approx(1 / 3), "assessed", 0, 4, 2)
    assert rows[3][2:5] == ("Effective team member", 0, "indirect")
    header, *rows = list(workbook["Questions"].iter_rows(values_only=True))
    assert header == ("Candidate", "Interviewer", "No.", "Question", "Asked", "Rating", "Notes")
    assert rows[0][1:] == ("Sam Lee", "1", 'Pipelines & "Release" <Trains>', "Yes", 4, None)
    for sheet in workbook.worksheets[1:]:
        assert (sheet.print_title_rows, sheet.freeze_panes) == ("$1:$1", "A2")
        assert sheet.auto_filter.ref.startswith("A1:")
    cells = {c.value for row in workbook["Debrief"].iter_rows() for c in row}
    assert {"Interview debrief", "Scores", "Red flags", "Ratings (1–4)", 150.0, "World-class", "Total"} <= cells
    # Byte-identical from run to run under SOURCE_DATE_EPOCH.
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_the_printed_debrief_keeps_its_parts_whole_at_8_pt_or_more(loop, tmp_path):
    """In LibreOffice: every glyph at 8 pt or more, every sheet one page wide, the captions whole (no
    "Recommendat/ion"), each candidate from the top of a page, and no table heading alone at a page foot."""
    import pdfplumber

    many = [*loop[:3], *(filled(tmp_path, SAM, candidate="Alex Kim", interviewer=f"Lee {n}") for n in range(8))]
    out = tmp_path / "debrief.xlsx"
    write_debrief(tally(many), [out], many, force=False)
    (pdf,) = soffice_convert([out], "pdf", tmp_path / "pdf")
    with pdfplumber.open(pdf) as printed:
        pages = [(page.extract_text() or "", [c["size"] for c in page.chars]) for page in printed.pages]
    assert min(size for _, sizes in pages for size in sizes) >= 7.95
    texts = [text for text, _ in pages]
    (alex,) = [text for text in texts if "Alex Kim — Test Manager — 8 scorecards" in text]
    assert alex.startswith("Alex Kim — Test Manager — 8 scorecards\n")
    for text in texts:
        last = text.splitlines()[-2]  # above "Page n of m"
        assert last not in {"Verdict", "Votes", "Scores", "Red flags", "Ratings (1–4)", "Notes by question"}, text
    assert re.search(r"\bRecommendation\b", "\n".join(texts))
    # The list sheets: one page wide (each page's caption row ends in the sheet's last column), the captions
    # on every page.
    lists = [t.splitlines()[0] for t in texts if t.startswith("Candidate Interviewer")]
    assert {caption.split()[-1] for caption in lists} == {"Take-aways", "Asked", "Notes"}
    assert len(texts) - texts.index(next(t for t in texts if t.startswith("Candidate"))) == len(lists)


EIGHT_CATEGORIES = """\
  - {id: communication, question: "Do they communicate clearly?", label: Clear communicator}
  - {id: hiring, question: "Will they hire well?", label: Hires and grows people}
  - {id: delivery, question: "Do they deliver?", label: Delivers on commitments}
  - {id: judgement, question: "Do they show sound judgement?", label: Sound judgement}
"""


def test_a_debrief_of_eight_categories_splits_its_tables_to_print_at_8_pt(tmp_path):
    bank, layouts = tmp_path / "bank", tmp_path / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    taxonomy = bank / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("teams:\n", EIGHT_CATEGORIES + "teams:\n", 1))
    cards = [
        filled(tmp_path / "cards", values, interviewer=name, bank_dir=bank, layouts_dir=layouts)
        for name, values in (("Sam Lee", SAM), ("Ana Ruiz", ANA))
    ]
    debrief = tally(cards)
    assert len(debrief.candidates[0].categories) == 8
    out = tmp_path / "debrief.xlsx"
    write_debrief(debrief, [out], cards, force=False)
    captions = {c.value for row in openpyxl.load_workbook(out)["Debrief"].iter_rows() for c in row}
    assert {
        "Scores, part 1 of 2",
        "Scores, part 2 of 2",
        "Red flags, part 1 of 2",
        "Ratings (1–4), part 2 of 2",
    } <= captions
    (pdf,) = soffice_convert([out], "pdf", tmp_path / "pdf")
    import pdfplumber

    with pdfplumber.open(pdf) as printed:
        sizes = [c["size"] for page in printed.pages for c in page.chars]
        text = "\n".join(page.extract_text() or "" for page in printed.pages)
    assert min(sizes) >= 7.95
    assert "Sound" in text and "Recommendation" in text  # every category and the verdict on the page


def test_a_wide_table_splits_into_even_parts_that_keep_the_first_column_and_the_marks():
    table = tables.Table(
        title="Scores",
        columns=("Interviewer", *"abcdefgh", "Overall"),
        kinds=(tables.TEXT, *[tables.SCORE] * 9),
        rows=(("Sam", *range(9)),),
        loop_from=1,
        flagged=frozenset({(0, 7)}),
        indirect=frozenset({(0, 2)}),
        note="note",
    )
    first, second = debrief_xlsx._split(table, 5)
    assert (first.columns, second.columns) == (("Interviewer", *"abcde"), ("Interviewer", "f", "g", "h", "Overall"))
    assert (first.rows, second.rows) == ((("Sam", 0, 1, 2, 3, 4),), (("Sam", 5, 6, 7, 8),))
    assert (first.indirect, second.flagged) == (frozenset({(0, 2)}), frozenset({(0, 2)}))
    assert (first.note, second.note, first.title) == ("", "note", "Scores, part 1 of 2")
    assert debrief_xlsx._split(table, 9) == [table]


def test_files_not_read_list_each_problem(loop, tmp_path):
    bad = filled(tmp_path, {"q1_great_1": "maybe", "q1_rating": 7}, interviewer="Lee Chan")
    out = tmp_path / "debrief.md"
    write_debrief(tally([loop[0], bad]), [out], [loop[0], bad], force=False)
    text = out.read_text(encoding="utf-8")
    assert text.endswith(
        "## Not read, so not in the figures above\n\n"
        f"- {markdown_text(str(bad))}: 2 problems:\n"
        f"  - {where(bad, 'q1_great_1')} (q1\\_great\\_1) holds 'maybe'; a mark must be Yes, No or blank "
        "(pick from the cell's list)\n"
        f"  - {where(bad, 'q1_rating')} (q1\\_rating) holds 7; a rating is a whole number 1–4 or blank\n"
    )


def test_debrief_text_from_a_scorecard_stays_text(tmp_path):
    card = filled(tmp_path, SAM, candidate='=HYPERLINK("http://x","y")', interviewer="| *Sam* |")
    out = tmp_path / "debrief.xlsx"
    write_debrief(tally([card]), [out, tmp_path / "debrief.md"], [card], force=False)
    workbook = openpyxl.load_workbook(out)
    row = next(workbook["Scorecards"].iter_rows(min_row=2))
    assert (row[0].value, row[0].data_type) == ('=HYPERLINK("http://x","y")', "s")
    assert all(c.data_type != "f" for ws in workbook for r in ws.iter_rows() for c in r)
    assert "| \\| \\*Sam\\* \\| | +100% |" in (tmp_path / "debrief.md").read_text(encoding="utf-8")


def test_only_the_excel_debrief_imports_its_view(loop, tmp_path):
    """The package, its text, Markdown and JSON views import no openpyxl; writing a Markdown debrief loads
    the Markdown view and never the Excel one (reading the scorecards is what needs openpyxl)."""
    script = (
        "import sys; from pathlib import Path\n"
        "import exporter.debrief, exporter.debrief.json, exporter.debrief.markdown, exporter.debrief.text\n"
        "print('openpyxl' in sys.modules)\n"
        "from exporter.debrief.reading import tally\n"
        "cards, out = [Path(arg) for arg in sys.argv[1:-1]], Path(sys.argv[-1])\n"
        "exporter.debrief.write_debrief(tally(cards), [out], cards, force=False)\n"
        "print('exporter.debrief.xlsx' in sys.modules, out.read_text(encoding='utf-8').startswith('# Interview'))\n"
    )
    out = tmp_path / "debrief.MD"
    command = [sys.executable, "-c", script, *map(str, loop[:2]), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert result.stdout.split() == ["False", "False", "True"], result.stderr
    assert {ending: get_writer(Path(f"debrief{ending}")).__module__ for ending in WRITERS} == {
        ".md": "exporter.debrief.markdown",
        ".xlsx": "exporter.debrief.xlsx",
        ".json": "exporter.debrief.json",
    }


def test_out_mistakes(loop, runner, tmp_path):
    cards = list(map(str, loop[:2]))
    result = runner.invoke(main, ["tally", *cards, "--out", str(tmp_path / "debrief.docx")])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --out {tmp_path / 'debrief.docx'}: cannot tell the format from its ending; "
        "end it in .md (Markdown), .xlsx (Excel), .json (JSON)\n",
    )
    result = runner.invoke(main, ["tally", *cards, "--out", cards[0]])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --out {cards[0]} is one of the scorecards being tallied; choose another file\n",
    )
    existing = tmp_path / "debrief.md"
    existing.write_text("last week", encoding="utf-8")
    result = runner.invoke(main, ["tally", *cards, "--out", str(existing)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {existing} exists; use --force to overwrite it, or choose another --out\n",
    )
    assert existing.read_text(encoding="utf-8") == "last week"
    # A filled scorecard is never overwritten, not even with --force.
    precious = filled(tmp_path / "other", SAM)
    before = precious.read_bytes()
    result = runner.invoke(main, ["tally", *cards, "--out", str(precious), "--force"])
    assert result.exit_code == 1 and precious.read_bytes() == before
    assert result.stderr.startswith(f"Error: {precious}: this scorecard has been filled in (")
    result = runner.invoke(main, ["tally", *cards, "--json", "--out", str(tmp_path / "d.json")])
    assert result.exit_code == 2 and "--json prints to the terminal" in result.stderr


def test_a_crash_while_writing_the_debrief_leaves_no_file(loop, tmp_path, monkeypatch):
    def half_then_crash(workbook, path, moment):  # type: ignore[no-untyped-def]
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt

    out = tmp_path / "out"
    out.mkdir()
    write_debrief(tally(loop[:1]), [out / "debrief.xlsx"], loop[:1], force=False)  # last week's
    last_week = (out / "debrief.xlsx").read_bytes()
    monkeypatch.setattr(debrief_xlsx.style, "save", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        write_debrief(tally(loop), [out / "debrief.xlsx"], loop, force=True)
    assert [p.name for p in out.iterdir()] == ["debrief.xlsx"]
    assert (out / "debrief.xlsx").read_bytes() == last_week


# -- `packet make` never loses a filled-in scorecard --------------------------------------------------------------


def make(runner, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["make", "--role", "mini", *MINI, "--out", str(out), *extra])


def test_make_force_never_overwrites_a_filled_scorecard(runner, tmp_path, epoch):
    assert make(runner, tmp_path, "-f", "xlsx,json").exit_code == 0
    card = tmp_path / "mini-scorecard.xlsx"
    fill_scorecard(card, card, {"q1_great_1": "Yes", "q1_neg_1": "No", "q1_rating": 3, "q2_notes": "Good."})
    before = card.read_bytes()
    (tmp_path / "mini-packet.json").write_text("old", encoding="utf-8")
    result = make(runner, tmp_path, "-f", "json,xlsx", "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {card}: this scorecard has been filled in (2 marks, 1 rating, notes on question 2); "
        "it was not overwritten. Move it away or choose another --out, or make the other files alone: --format json\n"
    )
    assert card.read_bytes() == before
    assert (tmp_path / "mini-packet.json").read_text(encoding="utf-8") == "old"  # refused before any write


def test_make_overwrites_other_files_only_with_force(runner, tmp_path, epoch):
    assert make(runner, tmp_path, "-f", "xlsx").exit_code == 0
    card = tmp_path / "mini-scorecard.xlsx"
    fresh = card.read_bytes()
    result = make(runner, tmp_path, "-f", "xlsx")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {card} exists; use --force to overwrite it, or choose another --out\n",
    )
    for stand_in in (b"", b"notes, not a workbook\n", fresh):  # empty, a text file, a blank scorecard
        card.write_bytes(stand_in)
        assert make(runner, tmp_path, "-f", "xlsx", "--force").exit_code == 0
        assert card.read_bytes() == fresh
    # Any other workbook may be a scorecard whose marks cannot be read (saved with a password, its names
    # removed, another tool's): kept.
    for kept in ("password-protected.xlsx", "other-tool.xlsx"):
        card.write_bytes((FOREIGN / kept).read_bytes())
        result = make(runner, tmp_path, "-f", "xlsx", "--force")
        assert result.exit_code == 1 and "this looks like a scorecard that cannot be read back" in result.stderr
        assert card.read_bytes() == (FOREIGN / kept).read_bytes()


NO_SHEET = "no hidden 'Packet' sheet marked 'packet-scorecard'"
NAMES = 45  # the mini scorecard's defined names but the header's four: its inputs, vote, take-aways and formula cells


@pytest.mark.parametrize(
    ("damage", "cause"),
    [
        (remove_names, f"{NAMES} of its defined names are missing or point nowhere, e.g. q1_asked"),
        (lambda wb: wb.remove(wb["Packet"]), NO_SHEET),
        (lambda wb: wb["Packet"].cell(3, 2, '{"questions": 5}'), "its hidden 'Packet' sheet is damaged, cell B3: "
         "role is null; it should be text"),
        (lambda wb: wb["Packet"].cell(3, 2, wb["Packet"]["B3"].value.replace('"number":1,', '"number":"1",')),
         'its hidden \'Packet\' sheet is damaged, cell B3: questions[0].number is "1"; it should be a whole number '
         "1–200, each used once"),
    ],
)  # fmt: skip
def test_make_force_keeps_a_damaged_filled_scorecard(runner, tmp_path, epoch, damage, cause):
    """The tester's cases: a filled scorecard whose names or hidden sheet are gone was silently replaced."""
    assert make(runner, tmp_path, "-f", "xlsx").exit_code == 0
    card = tmp_path / "mini-scorecard.xlsx"
    fill_scorecard(card, card, SAM)
    edited(card, damage)
    before = card.read_bytes()
    result = make(runner, tmp_path, "-f", "xlsx", "--force")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {card}: {unreadable(cause)}; it was not overwritten. Move it away or choose another --out\n",
    )
    assert card.read_bytes() == before
    result = runner.invoke(main, ["tally", str(filled(tmp_path / "in", SAM)), "--out", str(card), "--force"])
    assert result.exit_code == 1 and card.read_bytes() == before


def test_tally_force_replaces_its_own_debrief_only(loop, runner, tmp_path):
    out = tmp_path / "debrief.xlsx"
    args = ["tally", *map(str, loop), "--out", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0  # last run's debrief: replaced
    out.write_bytes((FOREIGN / "other-tool.xlsx").read_bytes())
    result = runner.invoke(main, [*args, "--force"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {out}: {unreadable(NO_SHEET)}; it was not overwritten. Move it away or choose another --out\n",
    )


def test_a_crash_during_make_leaves_no_partial_file(runner, tmp_path, monkeypatch):
    def half_then_crash(self, packet, path, memo=None):  # type: ignore[no-untyped-def]
        path.write_bytes(b"PK\x03\x04 half a scorecard")
        raise RuntimeError("renderer crashed")

    assert make(runner, tmp_path, "-f", "xlsx").exit_code == 0
    before = (tmp_path / "mini-scorecard.xlsx").read_bytes()
    monkeypatch.setattr(ScorecardRenderer, "render", half_then_crash)
    result = make(runner, tmp_path, "-f", "xlsx", "--force")
    assert isinstance(result.exception, RuntimeError)
    assert [p.name for p in tmp_path.iterdir()] == ["mini-scorecard.xlsx"]
    assert (tmp_path / "mini-scorecard.xlsx").read_bytes() == before


@pytest.mark.parametrize("force", [False, True])
def test_tally_out_a_named_pipe_is_refused_without_waiting(loop, runner, tmp_path, force):
    import os

    out = tmp_path / "debrief.xlsx"
    os.mkfifo(out)
    result = runner.invoke(main, ["tally", *map(str, loop), "--out", str(out), *(["--force"] if force else [])])
    assert result.exit_code == 1
    assert str(out) in result.stderr
    assert out.is_fifo()  # left as it was


# -- what the scorecard carries for the debrief, the votes and the verdict ------------------------------------------


def test_tally_reads_labels_from_the_scorecard_and_never_the_bank(tmp_path, runner, monkeypatch):
    card = tamper(
        blank(tmp_path), lambda d: {**d, "category_labels": {**d["category_labels"], "strategic": "Sets direction"}}
    )
    from exporter import loading

    def no_bank(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("tally loaded the bank")

    monkeypatch.setattr(loading, "load_bank", no_bank)
    result = runner.invoke(main, ["tally", "--json", str(card)])
    assert result.exit_code == 0, result.output
    categories = json.loads(result.stdout)["candidates"][0]["categories"]
    assert [c["label"] for c in categories.values()] == [
        "World-class at running this team", "Outstanding operationally", "Sets direction", "Effective team member",
    ]  # fmt: skip


VERSION_1 = FOREIGN / "version-1"


def test_earlier_scorecards_still_tally_with_a_note_that_they_carry_no_vote(runner):
    result = runner.invoke(main, ["tally", str(VERSION_1)])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    text = re.sub(r"\n {4}", " ", result.stdout)
    assert "  Votes: none, 3 scorecards without a vote\n" in text
    assert "  An earlier scorecard format, which carries no vote or take-aways: Kim Park, Ana Ruiz, Sam Lee\n" in text
    # Their labels come from the ids: the cards carry none, and tally does not look in a bank.
    assert "  Team member: spread 100\u00a0pts" in text
    assert "Kim Park, rated 3: Good depth on Kubernetes rollouts" not in text  # one holder: named in the heading
    assert "  1. Kubernetes Implementation and Team Guidance — Kim Park Rated 3: Good depth" in text


def voted(folder: Path, interviewer: str, vote: str | None, values: Mapping[str, object], **kw: Any) -> Path:
    extra = {"vote": vote, "takeaways": f"{interviewer} thinks so."} if vote else {}
    return filled(folder, {**values, **extra}, interviewer=interviewer, **kw)


STRONG = {"q1_great_1": "Yes", "q1_great_2": "Yes", "q1_notes": "Clear.", "q2_great_1": "Yes", "q3_great_1": "Yes"}
WEAK = {"q1_neg_1": "Yes", "q2_neg_1": "Yes", "q3_neg_1": "Yes", "q1_notes": "Vague."}


def test_votes_are_counted_and_set_beside_what_the_marks_say(tmp_path, runner):
    cards = [
        voted(tmp_path, "Sam Lee", "Yes", STRONG),
        voted(tmp_path, "Ana Ruiz", "Strong yes", WEAK),  # her marks say Strong no: three bands away
        voted(tmp_path, "Kim Park", "Yes", STRONG),
        voted(tmp_path, "Lee Chan", "No", STRONG),
    ]
    (zoe,) = tally(cards).candidates
    verdict = zoe.verdict
    assert verdict.votes_text == "2 \u00d7 Yes, 1 \u00d7 Strong yes, 1 \u00d7 No"
    assert verdict.no_consensus and verdict.consensus_text == (
        "no consensus: the votes run from No to Strong yes; talk it through"
    )
    assert [r.result.recommendation for r in zoe.results] == ["Strong yes", "Strong no", "Strong yes", "Strong yes"]
    assert zoe.results[1].vote_conflict == "vote Strong yes, signals say Strong no: talk it through"
    assert zoe.results[3].vote_conflict == "vote No, signals say Strong yes: talk it through"
    assert zoe.results[0].vote_conflict == ""  # Yes against Strong yes: one band
    assert verdict.mean_overall == pytest.approx(sum(r.result.overall for r in zoe.results) / 4)
    assert verdict.recommendation == "Strong yes"  # +50% under the mini layout's thresholds
    result = runner.invoke(main, ["tally", *map(str, cards)])
    text = re.sub(r"\n {4}", " ", result.stdout)
    assert "  Votes: 2 \u00d7 Yes, 1 \u00d7 Strong yes, 1 \u00d7 No\n" in text
    assert "  No consensus: the votes run from No to Strong yes; talk it through\n" in text
    assert "  Ana Ruiz: vote Strong yes, signals say Strong no: talk it through\n" in text
    assert re.search(r"Ana Ruiz +Strong yes\* +Strong no", text)
    assert "  Ana Ruiz (Strong yes): Ana Ruiz thinks so.\n" in text


@pytest.mark.parametrize(
    ("votes", "no_consensus"),
    [(["Yes", "No"], False), (["Strong yes", "No"], True), (["Yes", "Strong no"], True), (["Strong yes", "Yes"], False),
     (["Strong no", "No"], False), (["Yes"], False)],
)  # fmt: skip
def test_no_consensus_needs_a_yes_and_a_no_two_bands_apart(tmp_path, votes, no_consensus):
    cards = [voted(tmp_path, f"Interviewer {n}", vote, STRONG) for n, vote in enumerate(votes)]
    assert tally(cards).candidates[0].verdict.no_consensus is no_consensus


def test_evidence_checks(tmp_path):
    same = {f"q{k}_rating": 3 for k in (1, 2, 3)} | {"q1_notes": "Fine."}
    top = {f"q{k}_rating": 4 for k in (1, 2, 3)} | {f"q{k}_notes": "Great." for k in (1, 2, 3)}
    middle = {"q1_rating": 2, "q2_rating": 3, "q3_rating": 3} | {f"q{k}_notes": "Hm." for k in (1, 2, 3)}
    cards = [
        filled(tmp_path, {**same, "vote": "Yes"}, interviewer="Sam Lee"),
        filled(tmp_path, top, interviewer="Ana Ruiz"),
        filled(tmp_path, middle, interviewer="Kim Park"),
    ]
    (zoe,) = tally(cards).candidates
    assert list(zoe.evidence_checks) == [
        "Sam Lee: q2 rated 3 with no note",
        "Sam Lee: q3 rated 3 with no note",
        "Sam Lee: vote Yes with no take-aways",
        "Sam Lee: every rating the same (3 on all 3 rated questions): did the ratings tell the questions apart?",
        "Ana Ruiz: every rating at the top (4 on all 3 rated questions): is anything below the best?",
        "Kim Park: every rating in the middle (2 or 3 on all 3 rated questions): is any answer clearly strong or weak?",
    ]


def test_a_category_assessed_only_indirectly_is_marked(tmp_path):
    # q2 toil counts for team-member with half a weight: with no other team-member question asked, the loop
    # knows the candidate as a team member only indirectly.
    cards = [filled(tmp_path, {"q2_great_1": "Yes"}, interviewer=name) for name in ("Sam Lee", "Ana Ruiz")]
    (zoe,) = tally(cards).candidates
    assert {c.id: c.evidence for c in zoe.categories} == {
        "world-class": "", "operational": "assessed", "strategic": "", "team-member": "indirect",
    }  # fmt: skip
    assert zoe.verdict.indirect == ("Effective team member",)
    assert "Assessed only indirectly, so left out of every overall score: Effective team member" in (
        zoe.verdict.lines(tables.percent)
    )


def test_missing_scorecards_of_a_loop_are_named(tmp_path, runner, epoch):
    made = runner.invoke(
        main, ["make", "--loop", "infra-m3-onsite", "--candidate", "Zoë", "-f", "xlsx", "-o", str(tmp_path)]
    )
    assert made.exit_code == 0, made.output
    cards = sorted((tmp_path / "zoe").glob("*-scorecard.xlsx"))
    back = [cards[0], cards[2]]  # the hiring manager's and the dev infra engineer's are in
    for card in back:
        fill_scorecard(card, card, {"q1_rating": 3})
    (zoe,) = tally(back).candidates
    assert [gap.text for gap in zoe.verdict.missing] == [
        "2 of 4 in: the release engineer's and the peer manager's are missing"
    ]
    # `make --loop` wrote a blank card for every slot: in the folder, the two not filled in are not back yet.
    (zoe,) = tally(cards).candidates
    assert [gap.text for gap in zoe.verdict.missing] == [
        "2 of 4 in: the release engineer's and the peer manager's are blank"
    ]
    (zoe,) = tally([cards[0], cards[1], cards[2]]).candidates
    assert [gap.text for gap in zoe.verdict.missing] == [
        "2 of 4 in: the peer manager's is missing, the release engineer's is blank"
    ]
    fill_scorecard(cards[1], cards[1], {"vote": "No"})  # an interview cut short: a vote, nothing marked
    (zoe,) = tally(cards).candidates
    assert [gap.text for gap in zoe.verdict.missing] == ["3 of 4 in: the peer manager's is blank"]
    names = [row[0] for row in tables.tables(zoe)[0].rows[: len(zoe.results)]]
    assert sum(name.endswith(" (no marks)") for name in names) == 1  # back, with a vote: not "(empty)"
    assert sum(name.endswith(" (empty)") for name in names) == 1
    fill_scorecard(cards[3], cards[3], {"q1_rating": 2})
    assert tally(cards).candidates[0].verdict.missing == ()
    data = json.loads(runner.invoke(main, ["tally", "--json", *map(str, back)]).stdout)
    assert data["scorecards"][1]["loop"] == {"name": "infra-m3-onsite", "slot": 3, "slot_id": "dev-infra-engineer"}
    assert [s["id"] for s in data["candidates"][0]["verdict"]["missing_slots"][0]["missing"]] == [
        "release-engineer", "peer-manager",
    ]  # fmt: skip
    # Each slot's card is its own: the batch template of one layout never carries another slot's place.
    seats = [readback.read_scorecard(card).loop for card in cards]
    assert [seat.slot for seat in seats if seat] == [1, 2, 3, 4]


def test_two_scorecards_for_one_slot_of_a_loop_are_warned_about(tmp_path, runner):
    command = ["make", "--loop", "infra-m3-onsite", "--candidate", "Zoë", "-f", "xlsx", "-o", str(tmp_path)]
    assert runner.invoke(main, command).exit_code == 0
    renamed = runner.invoke(main, [*command, "--interviewers", "release-engineer=Bob Roe", "--force"])
    assert renamed.exit_code == 0, renamed.output
    result = runner.invoke(main, ["tally", str(tmp_path / "zoe")])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "scorecards for slot 2" in line]
    assert len(warned) == 2
    assert warned[0].endswith(
        "one of 2 scorecards for slot 2 (Release engineer) of loop infra-m3-onsite; keep the one from the interview "
        "and move the other out of the folder"
    )


def test_json_and_markdown_carry_votes_notes_and_the_verdict(tmp_path, runner):
    card = voted(tmp_path, "Sam Lee", "Yes", {**STRONG, "q2_rating": 3, "q2_notes": "=SUM(A1) | *odd*"})
    data = json.loads(runner.invoke(main, ["tally", "--json", str(card)]).stdout)
    sam = data["scorecards"][0]
    assert (sam["vote"], sam["takeaways"], sam["vote_conflict"]) == ("Yes", "Sam Lee thinks so.", None)
    assert [q["notes"] for q in sam["questions"]] == ["Clear.", "", "=SUM(A1) | *odd*", ""]
    verdict = data["candidates"][0]["verdict"]
    assert (verdict["votes"], verdict["consensus"], verdict["missing_slots"]) == ({"Yes": 1}, True, [])
    assert verdict["recommendation"] == "Strong yes"
    out = tmp_path / "debrief.md"
    assert runner.invoke(main, ["tally", str(card), "--out", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # Through the one shared escape: Markdown stays literal and a formula start is marked as text.
    assert "  - Sam Lee, rated 3: =SUM(A1) \\| \\*odd\\*\n" in text
    assert markdown.md("=SUM(A1)") == "'=SUM(A1)"  # at the start of a cell, a formula is marked as text
    assert "| Sam Lee | Yes | Strong yes | " in text
