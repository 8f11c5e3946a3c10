"""The Excel scorecard as recruiters and `packet tally` meet it.

The central check is the real-engine property test: many fillings are typed into copies of a blank scorecard
through its defined names, LibreOffice recalculates them all in one batched call, and every category cell,
the overall score and the recommendation must equal what :mod:`exporter.scoring` computes.

Fillings go in through :func:`exporter.readback.fill_scorecard`, which touches the workbook only as a user's
program would (openpyxl, defined names, the hidden Packet sheet).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter import readback
from exporter import scorecard_format as form
from exporter.packet import make_packet
from exporter.readback import fill_scorecard, named_cell, scorecard_questions
from exporter.render import RenderMemo, xlsx, xlsx_card
from exporter.render.xlsx import ScorecardRenderer
from exporter.reproducible import build_time
from exporter.scoring import VOTES, QuestionMarks, Result, ScoredQuestion, mark_value, rating_value, score
from exporter.text import typeset

from .conftest import MINI_BANK, MINI_LAYOUTS, REPO, SHIPPED_ROLES, soffice_convert
from .test_templates import NAMES

ROLE = "infra-m3" if "infra-m3" in SHIPPED_ROLES else "mini"
PORTABLE_FUNCTIONS = {"IF", "OR", "AND", "COUNT", "COUNTIF", "SUM", "SUMIF", "SUMPRODUCT", "ROUND", "ISNUMBER", "MID"}
CHOICES = ["1 – Poor", "2 – Mixed", "3 – Good", "4 – Excellent"]  # the shipped and mini layouts' rating list
INJECTED = ['=HYPERLINK("http://x","y")', "=1+1", "+SUM(1,2)", "-2+3", "@SUM(A1)", "#N/A", "=cmd|' /C calc'!A0"]
NOTES = [
    "Concrete example with numbers (deploy time 40 min → 8 min); credited the team throughout.",
    "Good link from the roadmap to business goals; vaguer on how the team was brought along.",
    "Strong on developer experience; measured it with a survey before and after.",
    "Ran out of detail when asked about reliability trade-offs.",
]


# -- filling a scorecard as a user's program would -------------------------------------------------------------


def rating_choices(packet) -> list[str]:  # type: ignore[no-untyped-def]
    return [form.rating_choice(level.score, level.label) for level in packet.layout.rating_scale]


def example_filling(questions: list[dict[str, Any]], choices: list[str] = CHOICES) -> dict[str, object]:
    """A plausible, deterministic filling: every main question asked but the last (time ran out), no backup;
    a mixed interview with two red flags that comes out a Yes for infra-m3."""
    main = [q for q in questions if not q["label"].endswith("b")]
    values: dict[str, object] = {}
    for k, question in enumerate(main[:-1]):
        n = question["label"]
        values[f"q{n}_asked"] = "Yes"
        heard = max(1, round(question["great"] * (0.5, 0.5, 1.0, 0.5)[k % 4]))
        for i in range(1, question["great"] + 1):
            values[f"q{n}_great_{i}"] = "Yes" if i <= heard else "No"
        for j in range(1, question["negative"] + 1):
            values[f"q{n}_neg_{j}"] = "Yes" if (k < 2 and j == 1) else "No"
        values[f"q{n}_rating"] = (choices[2], 2, choices[3], 3)[k % 4]
        values[f"q{n}_notes"] = NOTES[k % len(NOTES)]
    values["vote"] = "Yes"
    values["takeaways"] = "Strong hybrid story.\nWants a second look at people management."
    return values


def random_filling(
    questions: list[dict[str, Any]], rng: random.Random, choices: list[str] = CHOICES
) -> dict[str, object]:
    values: dict[str, object] = {"vote": rng.choice([None, *VOTES]), "takeaways": rng.choice([None, *NOTES])}
    for question in questions:
        n = question["label"]
        if rng.random() < 0.3:
            continue  # time ran out: everything blank, a primary question as likely as a backup
        values[f"q{n}_asked"] = rng.choice(["Yes", "Yes", "No", None])
        blank_bias = rng.random()
        for i in range(1, question["great"] + 1):
            values[f"q{n}_great_{i}"] = rng.choice(["Yes", "No", None]) if rng.random() > blank_bias else None
        for j in range(1, question["negative"] + 1):
            values[f"q{n}_neg_{j}"] = rng.choice(["Yes", "No", "No", None]) if rng.random() > blank_bias else None
        values[f"q{n}_rating"] = rng.choice([None, None, 1, 2, 3, 4, *choices, choices[1].upper()])
        if rng.random() < 0.3:
            values[f"q{n}_notes"] = rng.choice(NOTES)
    return values


def special_fillings(questions: list[dict[str, Any]], choices: list[str] = CHOICES) -> dict[str, dict[str, object]]:
    everything: dict[str, object] = {}
    red_flags: dict[str, object] = {}
    for question in questions:
        n = question["label"]
        everything[f"q{n}_asked"] = red_flags[f"q{n}_asked"] = "Yes"
        everything[f"q{n}_rating"], red_flags[f"q{n}_rating"] = 4, 1
        for i in range(1, question["great"] + 1):
            everything[f"q{n}_great_{i}"], red_flags[f"q{n}_great_{i}"] = "Yes", "No"
        for j in range(1, question["negative"] + 1):
            everything[f"q{n}_neg_{j}"], red_flags[f"q{n}_neg_{j}"] = "No", "Yes"
    # One category only: the questions that count towards a single category, all of the same one.
    single = next(q for q in questions if len(q["categories"]) == 1)
    only = {f"q{q['label']}_asked": "Yes" for q in questions if q["categories"].keys() == single["categories"].keys()}
    # A question with a secondary weight, alone: its own category assessed, the other only indirectly.
    mixed = next(q for q in questions if any(0 < w < 1 for w in q["categories"].values()))
    return {
        "nothing asked": {},
        "asked No everywhere": {f"q{q['label']}_asked": "No" for q in questions},
        "indirect evidence": {f"q{mixed['label']}_asked": "Yes", f"q{mixed['label']}_great_1": "Yes", "vote": "No"},
        "one category only": only,
        "everything": everything,
        "all red flags": red_flags,
        "asked No but a signal heard": {
            f"q{questions[0]['label']}_asked": "No",
            f"q{questions[0]['label']}_great_1": "Yes",
        },
        "rating only": {f"q{questions[-1]['label']}_rating": 2},
        "rating picked from the list only": {f"q{questions[0]['label']}_rating": choices[3]},
    }


def expected(packet, values: Mapping[str, object]) -> Result:
    """What exporter.scoring says the Summary must show for ``values``."""
    questions = []
    for pq in packet.questions:
        n = pq.label
        marks = QuestionMarks(
            asked=mark_value(values.get(f"q{n}_asked")),
            great=[mark_value(values.get(f"q{n}_great_{i + 1}")) for i in range(len(pq.question.great_signals))],
            negative=[mark_value(values.get(f"q{n}_neg_{j + 1}")) for j in range(len(pq.question.negative_signals))],
            rating=rating_value(values.get(f"q{n}_rating"), rating_choices(packet)),
        )
        questions.append(ScoredQuestion(dict(pq.question.categories), marks))
    return score([c.id for c in packet.categories], questions, packet.layout.thresholds)


def named_value(workbook, name: str) -> Any:
    return named_cell(workbook, name).value


def expected_names(packet) -> set[str]:
    names = {
        "candidate",
        "interviewer",
        "interview_date",
        "role",
        "overall_score",
        "recommendation",
        "vote",
        "takeaways",
    }
    for pq in packet.questions:
        n = pq.label
        names |= {f"q{n}_asked", f"q{n}_rating", f"q{n}_notes"}
        names |= {f"q{n}_great_{i}" for i in range(1, len(pq.question.great_signals) + 1)}
        names |= {f"q{n}_neg_{j}" for j in range(1, len(pq.question.negative_signals) + 1)}
    for category in packet.categories:
        part = category.id.replace("-", "_")
        names |= {f"cat_{part}_{field}" for field in ("score", "flags", "rating", "asked", "evidence")}
    return names


def render(packet, path: Path) -> Path:
    ScorecardRenderer().render(packet, path)
    return path


# -- fixtures --------------------------------------------------------------------------------------------------


def injected_packet(tmp: Path):
    """The mini bank with signals, titles and anchors that look like formulas."""
    bank, layouts = tmp / "bank", tmp / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    questions_file = bank / "questions" / "mini.yaml"
    data = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    data["questions"][0]["title"] = INJECTED[1]
    data["questions"][0]["great"] = INJECTED[2:5]
    data["questions"][0]["negative"] = INJECTED[5:]
    data["questions"][1]["backup_when"] = INJECTED[3]
    questions_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # Plain text edits: a YAML round trip would turn the thresholds' yes/no keys into booleans.
    layout_file = layouts / "mini.yaml"
    layout = layout_file.read_text(encoding="utf-8")
    layout = layout.replace("title: Test Manager", f"title: {json.dumps(INJECTED[4])}")
    layout = layout.replace("anchor: No example.", f"anchor: {json.dumps(INJECTED[1])}")
    layout_file.write_text(layout, encoding="utf-8")
    return make_packet("mini", bank_dir=bank, layouts_dir=layouts, candidate=INJECTED[0], interviewer=INJECTED[2])


@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    return {
        ROLE: make_packet(ROLE, candidate="Zoë Ødegård", interviewer="Sam Lee"),
        "mini": make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS),
        "injected": injected_packet(tmp_path_factory.mktemp("injected")),
    }


@pytest.fixture(scope="module")
def blanks(packets, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blank")
    return {key: render(packet, folder / f"{key}.xlsx") for key, packet in packets.items()}


@pytest.fixture(scope="module")
def recalculated(packets, blanks, tmp_path_factory):
    """Every filling, recalculated by LibreOffice in one call: [(packet key, case, values, recalculated path)]."""
    folder = tmp_path_factory.mktemp("filled")
    cases: list[tuple[str, str, dict[str, object]]] = []
    for key in (ROLE, "mini"):
        questions, choices = scorecard_questions(blanks[key]), rating_choices(packets[key])
        cases += [(key, name, values) for name, values in special_fillings(questions, choices).items()]
        rng = random.Random(f"scorecard-{key}")
        count = 16 if key == ROLE else 4
        cases += [(key, f"random {i}", random_filling(questions, rng, choices)) for i in range(count)]
        cases.append((key, "example", example_filling(questions, choices)))
    cases.append(("injected", "injected", {"q1_great_1": "Yes"}))
    files = []
    for index, (key, _, values) in enumerate(cases):
        fill_scorecard(blanks[key], folder / f"card-{index:03d}.xlsx", values)
        files.append(folder / f"card-{index:03d}.xlsx")
    converted = soffice_convert(files, "xlsx", folder / "recalculated")
    return [(key, name, values, path) for (key, name, values), path in zip(cases, converted)]


# -- the real-engine property test -----------------------------------------------------------------------------


def same(actual: Any, wanted: float | None) -> bool:
    """Blank is None in LibreOffice's cached values (it writes an empty string result without a value)."""
    if wanted is None:
        return actual is None
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and abs(actual - wanted) <= 1e-9


def test_libreoffice_computes_what_the_scoring_model_says(packets, recalculated):
    mismatches = []
    recommendations, evidences = set(), set()
    for key, case, values, path in recalculated:
        packet = packets[key]
        workbook = openpyxl.load_workbook(path, data_only=True)
        result = expected(packet, values)
        for category in packet.categories:
            line = result.categories[category.id]
            part = category.id.replace("-", "_")
            for field, wanted in (("score", line.score), ("rating", line.rating)):
                actual = named_value(workbook, f"cat_{part}_{field}")
                if not same(actual, wanted):
                    mismatches.append(f"{key} {case}: cat_{part}_{field} = {actual!r}, scoring says {wanted!r}")
            for field, count in (("flags", line.flags), ("asked", line.asked)):
                actual = named_value(workbook, f"cat_{part}_{field}")
                if actual != count or isinstance(actual, str):
                    mismatches.append(f"{key} {case}: cat_{part}_{field} = {actual!r}, scoring says {count}")
            evidence = named_value(workbook, f"cat_{part}_evidence")
            if (evidence or "") != line.evidence:
                mismatches.append(f"{key} {case}: cat_{part}_evidence = {evidence!r}, scoring says {line.evidence!r}")
            evidences.add(line.evidence)
        if not same(named_value(workbook, "overall_score"), result.overall):
            mismatches.append(f"{key} {case}: overall_score = {named_value(workbook, 'overall_score')!r}")
        shown = named_value(workbook, "recommendation")
        if (shown or "") != result.recommendation or shown == "":
            mismatches.append(f"{key} {case}: recommendation = {shown!r}, scoring says {result.recommendation!r}")
        recommendations.add(result.recommendation)
        # Beside the vote, on the row below it, the computed recommendation as a cross-check; the vote is kept.
        vote = named_cell(workbook, "vote")
        if (workbook["Scorecard"][f"C{vote.row + 1}"].value or "") != result.recommendation:
            mismatches.append(f"{key} {case}: the cross-check beside the vote differs from the recommendation")
        if vote.value != values.get("vote"):
            mismatches.append(f"{key} {case}: vote = {vote.value!r}, typed {values.get('vote')!r}")
    assert not mismatches, "\n".join(mismatches)
    # The fillings exercise every outcome, so the comparison above could have failed.
    assert recommendations == {"", "Strong yes", "Yes", "No", "Strong no"}
    assert evidences == {"", "assessed", "indirect"}


def test_special_cases_mean_what_they_say(packets, recalculated):
    by_case = {(key, case): (values, path) for key, case, values, path in recalculated}
    for key in (ROLE, "mini"):
        packet = packets[key]
        nothing = expected(packet, by_case[key, "nothing asked"][0])
        assert nothing.overall is None and all(line.asked == 0 for line in nothing.categories.values())
        assert expected(packet, by_case[key, "asked No everywhere"][0]).overall is None
        only = expected(packet, by_case[key, "one category only"][0])
        assert sum(line.score is not None for line in only.categories.values()) == 1
        assert expected(packet, by_case[key, "everything"][0]).recommendation == "Strong yes"
        assert expected(packet, by_case[key, "all red flags"][0]).recommendation == "Strong no"
        assert expected(packet, by_case[key, "asked No but a signal heard"][0]).overall is not None
        indirect = expected(packet, by_case[key, "indirect evidence"][0])
        assert {line.evidence for line in indirect.categories.values()} == {"assessed", "indirect", ""}
        assert expected(packet, by_case[key, "rating picked from the list only"][0]).overall is not None


def test_injected_text_stays_text_in_libreoffice(recalculated):
    ((_, _, _, path),) = [r for r in recalculated if r[0] == "injected"]
    workbook = openpyxl.load_workbook(path, data_only=True)
    assert named_value(workbook, "candidate") == INJECTED[0]
    assert workbook["Summary"]["B2"].value == INJECTED[0]  # shown through a formula, still the literal text


# -- what openpyxl reads back ----------------------------------------------------------------------------------


def test_injected_strings_are_string_cells(packets, blanks):
    workbook = openpyxl.load_workbook(blanks["injected"])
    found = {value: 0 for value in INJECTED}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "#")):
                    if cell.data_type == "f":
                        assert (ws.title, cell.column_letter) in FORMULA_PLACES, f"{ws.title}!{cell.coordinate}"
                        continue
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate} {cell.value!r}"
                for value in INJECTED:  # printed text is typeset ("-2+3" prints "−2+3"), and still text
                    if isinstance(cell.value, str) and (value in cell.value or typeset(value) in cell.value):
                        assert cell.data_type == "s", f"{ws.title}!{cell.coordinate} {cell.value!r}"
                        found[value] += 1
    assert all(found.values()), found
    assert named_value(workbook, "candidate") == INJECTED[0]


# The Scorecard's hidden helpers, the cross-check beside the vote, and the Summary's figures.
FORMULA_PLACES = {("Scorecard", c) for c in "CDEFGH"} | {("Summary", c) for c in "BCDEF"}


@pytest.mark.parametrize("key", [ROLE, "mini"])
def test_formulas_only_where_expected_and_only_portable_functions(blanks, key):
    workbook = openpyxl.load_workbook(blanks[key])
    functions: set[str] = set()
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert (ws.title, cell.column_letter) in FORMULA_PLACES, f"{ws.title}!{cell.coordinate}"
                    if (ws.title, cell.column_letter) == ("Scorecard", "C"):  # only the cross-check beside the vote
                        assert cell.row == named_cell(workbook, "vote").row + 1
                    functions |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", cell.value))
        for rules in ws.conditional_formatting:
            for rule in rules.rules:
                for formula in rule.formula:
                    functions |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))
    assert functions and functions <= PORTABLE_FUNCTIONS, functions - PORTABLE_FUNCTIONS


@pytest.mark.parametrize("role", SHIPPED_ROLES + ["mini"])
def test_defined_names_are_all_there(tmp_path, role):
    mini = role == "mini"
    packet = make_packet(role, bank_dir=MINI_BANK if mini else None, layouts_dir=MINI_LAYOUTS if mini else None)
    workbook = openpyxl.load_workbook(render(packet, tmp_path / "card.xlsx"))
    assert set(workbook.defined_names) == expected_names(packet)
    for name in workbook.defined_names:
        ((sheet, ref),) = workbook.defined_names[name].destinations
        assert sheet == ("Summary" if name.startswith(("cat_", "overall", "recommendation")) else "Scorecard")
        assert re.fullmatch(r"\$[A-Z]+\$\d+", ref), (name, ref)
    # Each signal's mark sits on the same row as the signal's text, typeset as printed.
    for pq in packet.questions:
        for i, signal in enumerate(pq.question.great_signals, start=1):
            ((_, ref),) = workbook.defined_names[f"q{pq.label}_great_{i}"].destinations
            assert workbook["Scorecard"][ref.replace("$", "").replace("C", "B", 1)].value == typeset(signal)
        for j, signal in enumerate(pq.question.negative_signals, start=1):
            ((_, ref),) = workbook.defined_names[f"q{pq.label}_neg_{j}"].destinations
            assert workbook["Scorecard"][ref.replace("$", "").replace("C", "B", 1)].value == typeset(signal)


def test_protection_and_validation(blanks):
    workbook = openpyxl.load_workbook(blanks[ROLE])
    for title in ("Scorecard", "Summary"):
        protection = workbook[title].protection
        assert protection.sheet and not protection.password
    scorecard = workbook["Scorecard"]
    inputs = {n for n in workbook.defined_names if not n.startswith(("cat_", "overall", "recommendation"))}
    for name in inputs:
        ((_, ref),) = workbook.defined_names[name].destinations
        assert scorecard[ref.replace("$", "")].protection.locked is False, name
    for ws in (scorecard, workbook["Summary"]):
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert cell.protection.locked, f"{ws.title}!{cell.coordinate}"

    validations = scorecard.data_validations.dataValidation
    marks = next(v for v in validations if v.formula1 == '"Yes,No"')
    votes = next(v for v in validations if v.formula1 == '"Strong no,No,Yes,Strong yes"')
    ratings = [v for v in validations if v not in (marks, votes)]
    assert marks.showErrorMessage and marks.errorStyle == "stop" and votes.errorStyle == "stop"
    # The rating list is the choices written in the rating scale's rows; a bare number typed in gets a warning
    # only, since it counts.
    first, last = ratings[0].formula1.replace("$", "").split(":")
    assert [scorecard[f"D{row}"].value for row in range(int(first[1:]), int(last[1:]) + 1)] == CHOICES
    for validation in ratings:
        assert validation.type == "list" and validation.formula1 == ratings[0].formula1
        assert validation.showInputMessage and validation.errorStyle == "warning"
        assert len(validation.prompt) <= 255 and len(validation.error) <= 255
    for name in inputs:
        ((_, ref),) = workbook.defined_names[name].destinations
        cell = ref.replace("$", "")
        if "_great_" in name or "_neg_" in name or name.endswith("_asked"):
            assert cell in marks.sqref, name
        elif name.endswith("_rating"):
            assert any(cell in v.sqref for v in ratings), name
        elif name == "vote":
            assert cell in votes.sqref
    assert scorecard["B2"].value == "Zoë Ødegård" and workbook["Summary"].conditional_formatting


def test_hidden_packet_sheet_identifies_the_packet(packets, blanks):
    packet = packets[ROLE]
    workbook = openpyxl.load_workbook(blanks[ROLE])
    sheet = workbook["Packet"]
    assert sheet.sheet_state == "hidden"
    assert (sheet["A1"].value, sheet["A2"].value, sheet["B2"].value, sheet["A3"].value) == (
        "packet-scorecard",
        "format",
        2,
        "packet",
    )
    identity = json.loads(sheet["B3"].value)
    assert identity["role"] == packet.role and identity["identity"] == packet.identity
    assert (identity["bank"], identity["layout"], identity["version"]) == (
        packet.bank.digest,
        packet.layout.digest,
        packet.version,
    )
    thresholds = packet.layout.thresholds
    assert identity["thresholds"] == {"strong_yes": thresholds.strong_yes, "yes": thresholds.yes, "no": thresholds.no}
    assert identity["categories"] == [c.id for c in packet.categories]
    assert identity["rating_choices"] == CHOICES
    assert [(q["number"], q["label"], q["id"]) for q in identity["questions"]] == [
        (pq.number, pq.label, pq.question.id) for pq in packet.questions
    ]
    assert identity["questions"][0]["great"] == len(packet.questions[0].question.great_signals)
    assert identity["questions"][0]["categories"] == dict(packet.questions[0].question.categories)


def test_question_blocks_follow_the_packet(packets, blanks):
    packet = packets["mini"]
    scorecard = openpyxl.load_workbook(blanks["mini"])["Scorecard"]
    labels = [c.value for c in scorecard["A"] if c.font.b and c.fill.fgColor.rgb.endswith("D9D9D9")]
    # The column headers, each question's label, then the interviewer's own judgement.
    assert labels == ["Question", *(pq.label for pq in packet.questions), "Your judgement"]
    assert [pq.label for pq in packet.questions] == ["1", "1b", "2", "3"]
    texts = [c.value for c in scorecard["B"] if isinstance(c.value, str)]
    assert "Backup for 1 — use when: The candidate has never owned a pipeline." in texts
    assert "Pipelines & “Release” <Trains>" in texts  # typeset, as printed


def test_two_runs_are_byte_identical(packets, tmp_path, epoch):
    first = render(packets[ROLE], tmp_path / "first.xlsx").read_bytes()
    second = render(packets[ROLE], tmp_path / "second.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "first.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-01-01T00:00:00Z") == 2


def test_filled_example_is_reproducible(blanks, tmp_path, epoch):
    values = example_filling(scorecard_questions(blanks[ROLE]))
    fill_scorecard(blanks[ROLE], tmp_path / "a.xlsx", values)
    fill_scorecard(blanks[ROLE], tmp_path / "b.xlsx", values)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_make_writes_the_scorecard(runner, tmp_path):
    from exporter.cli import main

    from .conftest import MINI

    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "--format", "xlsx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{tmp_path / 'mini-scorecard.xlsx'}\n"
    assert openpyxl.load_workbook(tmp_path / "mini-scorecard.xlsx").sheetnames == ["Scorecard", "Summary", "Packet"]


@pytest.mark.parametrize(("paper", "size"), [("letter", 1), ("a4", 9)])
def test_print_setup(tmp_path, paper, size):
    packet = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS, paper=paper)
    workbook = openpyxl.load_workbook(render(packet, tmp_path / "card.xlsx"))
    for title, repeated in (("Scorecard", "$6:$6"), ("Summary", "$6:$6")):
        ws = workbook[title]
        assert int(ws.page_setup.paperSize) == size
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
        assert ws.print_title_rows == repeated
        # "Page 1 of 3" sits inside the bottom margin with room to spare, clear of the last row printed.
        margins = ws.page_margins
        assert margins.bottom - margins.footer >= 0.4 and margins.top - margins.header >= 0.25
    scorecard = workbook["Scorecard"]
    # The row frozen and repeated on every page is the one holding the marks' column headers.
    assert scorecard.freeze_panes == "A7"
    assert [scorecard[f"{c}6"].value for c in "ABC"] == ["Question", "What you heard, and your notes", "Your mark"]
    # Notes hold eight lines of 10-pt text; the take-aways ten.
    for name, lines in [*((f"q{pq.label}_notes", 8) for pq in packet.questions), ("takeaways", 10)]:
        assert scorecard.row_dimensions[named_cell(workbook, name).row].height >= lines * 13
    assert workbook["Packet"].sheet_state == "hidden"
    assert [c.value for c in workbook["Summary"]["A"][6:10]] == [c.label for c in packet.categories]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("role", SHIPPED_ROLES)
def test_each_question_block_is_on_one_page(tmp_path, paper, role):
    """Row breaks start a page before a block that would not fit whole; the blocks between two breaks, and the
    rows before the first, fit on one page as Excel prints them at 100% (LibreOffice, which scales the sheet
    to the page's width with a wider font, fits more)."""
    packet = make_packet(role, paper=paper)
    workbook = openpyxl.load_workbook(render(packet, tmp_path / "card.xlsx"))
    ws = workbook["Scorecard"]
    page = (xlsx_card.PAPER_HEIGHTS[paper] - 72 * (ws.page_margins.top + ws.page_margins.bottom)) * xlsx_card.PAGE_SLACK
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    last = int(ws.print_area[0].split("$")[-1]) if isinstance(ws.print_area, list) else ws.max_row
    heights = {r: ws.row_dimensions[r].height for r in range(1, last + 1)}
    assert all(heights.values())  # every row's height is set, so the plan is the print
    header = heights[6]
    for start, end in zip([0, *breaks], [*breaks, last]):
        used = sum(heights[r] for r in range(start + 1, end + 1)) + (header if start else 0)
        assert used <= page + heights[end], (start, end)  # a trailing blank row may spill
    starts = {
        named_cell(workbook, f"q{pq.label}_asked").row - 2 - (pq.backup_for is not None) for pq in packet.questions
    }
    assert all(b + 1 in starts or b + 1 == named_cell(workbook, "vote").row - 1 for b in breaks)


# -- a batch's cards from one template, through the batch's memo --------------------------------------------------

# Header texts that stress the template (see tests/test_templates.py).
HEADERS = NAMES


def parts_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def built_whole(packet) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    """The card as its packet alone builds it, with no template: what every card must equal."""
    return form.seal(xlsx.card_parts(packet, build_time()))


def test_a_batch_makes_each_card_from_a_template_of_plain_bytes(tmp_path, epoch):
    base = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)
    memo = RenderMemo()
    renderer = ScorecardRenderer()
    for n, (candidate, interviewer) in enumerate(HEADERS):
        packet = base._replace(candidate=candidate, interviewer=interviewer)
        renderer.render(packet, tmp_path / f"{n}.xlsx", memo)
        assert parts_of(tmp_path / f"{n}.xlsx") == built_whole(packet), (candidate, interviewer)
        assert readback.filled_reason(tmp_path / f"{n}.xlsx") is None
    # One template per shape of header (none, text, white space kept at an end), each only bytes.
    pieces = list(memo._pieces.values())
    assert len(pieces) == 6 and None not in pieces
    assert all(isinstance(name, str) and isinstance(data, bytes) for piece in pieces for name, data in piece.parts)


def test_a_batch_reuses_its_template_and_the_next_run_the_kept_one(tmp_path, epoch, monkeypatch):
    monkeypatch.setenv("PACKET_CACHE_DIR", str(tmp_path / "cache"))
    base = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)
    built = []
    monkeypatch.setattr(
        xlsx_card.Scorecard, "build", lambda self, build=xlsx_card.Scorecard.build: built.append(1) or build(self)
    )
    memo = RenderMemo()
    for n in range(5):
        ScorecardRenderer().render(base._replace(candidate=f"Candidate {n}"), tmp_path / f"{n}.xlsx", memo)
    assert len(built) == 1
    packet = base._replace(candidate="Zoë Ødegård")  # another run: the template kept in the cache
    ScorecardRenderer().render(packet, tmp_path / "next.xlsx")
    assert len(built) == 1
    with_interviewer = packet._replace(interviewer="Sam Lee")  # another kind: made once, then kept
    ScorecardRenderer().render(with_interviewer, tmp_path / "made.xlsx")
    ScorecardRenderer().render(with_interviewer._replace(interviewer="Kim Park"), tmp_path / "kept.xlsx")
    assert len(built) == 2
    assert parts_of(tmp_path / "next.xlsx") == built_whole(packet)
    assert parts_of(tmp_path / "made.xlsx") == built_whole(with_interviewer)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    candidate=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r&<> "), max_size=20
    ),
    interviewer=st.text(st.sampled_from("ab &<>\r\n\t\ue000é"), max_size=12),
)
def test_text_is_put_in_as_openpyxl_writes_it(tmp_path, epoch, candidate, interviewer):
    """xlsx.xml_text mirrors how openpyxl writes a text cell through lxml (checked with openpyxl 3.1.5 and
    lxml 6.1.3): a template with the names put in must equal the card built whole, for any text."""
    packet = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)._replace(
        candidate=candidate, interviewer=interviewer
    )
    ScorecardRenderer().render(packet, tmp_path / "card.xlsx", RenderMemo())
    assert parts_of(tmp_path / "card.xlsx") == built_whole(packet), f"openpyxl {openpyxl.__version__}"


def test_a_card_filled_in_from_a_kept_template_never_imports_the_card_builder(tmp_path):
    env = {**os.environ, "PACKET_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from pathlib import Path; from exporter.packet import make_packet\n"
        "from exporter.render.xlsx import ScorecardRenderer\n"
        "ScorecardRenderer().render(make_packet('infra-m3', candidate=sys.argv[1]), Path(sys.argv[2]))\n"
        "print('exporter.render.xlsx_card' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, name, str(tmp_path / f"{name}.xlsx")],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in ("Ana", "Bo")
    ]
    assert runs == ["True\n", "False\n"]  # the first card makes the template, the second fills it in


def test_the_format_and_the_reader_stand_on_their_own():
    """The format costs no openpyxl import; reading and filling a card never imports the scorecard writer."""
    script = (
        "import sys, exporter.scorecard_format\n"
        "assert 'openpyxl' not in sys.modules\n"
        "import exporter.readback, exporter.sheet_style\n"
        "assert 'exporter.render.xlsx' not in sys.modules, 'readback imports the writer'\n"
        "assert 'exporter.render.xlsx_card' not in sys.modules, 'readback imports the writer'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parent.parent)


@pytest.mark.parametrize("role", SHIPPED_ROLES)
def test_each_rating_cell_shows_its_question_s_anchors_whole(tmp_path, role):
    """The input message holds what 1–4 look like for this question (else the layout's scale), within Excel's
    255 characters, each description whole or cut back to a whole clause, never mid-word."""
    packet = make_packet(role)
    workbook = openpyxl.load_workbook(render(packet, tmp_path / "card.xlsx"))
    validations = workbook["Scorecard"].data_validations.dataValidation
    for pq in packet.questions:
        cell = named_cell(workbook, f"q{pq.label}_rating").coordinate
        (validation,) = [v for v in validations if cell in v.sqref and v.type == "list"]
        lines = validation.prompt.splitlines()
        assert len(validation.prompt) <= 255
        described = pq.question.rating_anchors or [level.anchor for level in packet.layout.rating_scale]
        for line, level, description in zip(lines, packet.layout.rating_scale, described):
            head, _, shown = line.partition(": ")
            assert head in (f"{level.score} {level.label}", str(level.score))  # the list shows the names
            full = typeset(description)
            assert full.startswith(shown) and (shown == full or full[len(shown)] in ";:.—"), (line, full)


def test_a_rating_prompt_too_long_keeps_whole_clauses_then_names():
    from exporter.model import RatingLevel

    levels = [RatingLevel(n, label, "") for n, label in enumerate(["Poor", "Mixed", "Good", "Excellent"], start=1)]
    long = [f"Core of level {n}; then a long tail of detail that does not fit " + "x " * 20 for n in range(1, 5)]
    assert xlsx_card.rating_prompt(levels, long).splitlines() == [
        f"{n} {lv.label}: Core of level {n}" for n, lv in enumerate(levels, start=1)
    ]
    huge = ["word " * 60] * 4
    assert xlsx_card.rating_prompt(levels, huge).splitlines() == [
        "1 Poor",
        "2 Mixed",
        "3 Good",
        "4 Excellent",
        "What each looks like: see the guide.",
    ]
