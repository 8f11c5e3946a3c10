"""Reading a scorecard back after the interview: the marks, Asked answers, ratings and notes, as entered.

Owns the file side of the debrief. Every cell is found through the workbook's defined names (``q3_great_2``,
``cat_strategic_score``, …; the scheme is :mod:`exporter.scorecard_format`) and the hidden "Packet" sheet,
never by position, so a recruiter may insert rows or rename and reorder sheets and the file still reads.
Nothing computed is taken from the file: the figures are recomputed from the marks by :mod:`exporter.scoring`;
the ``cat_*``, ``overall_score`` and ``recommendation`` cells are only checked to still hold their formulas.

A scorecard comes back from other people: nothing is parsed before the file has passed the checks of
:mod:`exporter.incoming` (a regular file, of bounded size, unpacking to a bounded size); of its defined names,
only those the packet's description calls for are resolved; entity expansion in a part's XML is refused by
the parser (lxml's amplification limit).

:func:`filled_reason` is what keeps ``packet make --force`` from ever replacing a filled-in scorecard.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from . import incoming
from . import scorecard_format as form
from .errors import NotAScorecard, ScorecardError
from .model import LoopSeat, Thresholds
from .scoring import QuestionMarks, ScoredQuestion, mark_value, rating_value, vote_value

ONE_CELL = re.compile(r"\$?[A-Z]{1,3}\$?[0-9]+")
LABEL = ":label"  # suffix of the key under which a signal mark's neighbouring text cell is kept
# Bounds on the hidden sheet's packet description, far beyond any real packet: a description typed over
# by hand must not make tally read a hundred million cells.
MAX_QUESTIONS = 200
MAX_SIGNALS = 200
MAX_CATEGORIES = 100
_READABLE = " or ".join(map(str, form.READABLE))  # "1 or 2", as the messages name the formats read
_VERDICT_WORDS = {form.VOTE: "a vote", form.TAKEAWAYS: "take-aways"}


@dataclass(frozen=True)
class FilledQuestion:
    """One question's block as the interviewer left it. ``None`` is a blank cell."""

    number: int
    label: str
    id: str
    title: str
    categories: Mapping[str, float]  # category id -> weight, from the bank the scorecard was made from
    marks: QuestionMarks  # Asked, great and negative signal marks (in the packet's order) and rating
    notes: str
    great_signals: tuple[str, ...]  # each signal's text as printed beside its mark ("" if not found)
    negative_signals: tuple[str, ...]

    @property
    def scored(self) -> ScoredQuestion:
        """The question as :func:`exporter.scoring.score` takes it."""
        return ScoredQuestion(weights=self.categories, marks=self.marks)


@dataclass(frozen=True)
class FilledScorecard:
    """Everything read from one scorecard file: who, which packet, and every question's marks."""

    path: Path
    role: str
    title: str
    identity: str  # hash of layout and bank content: equal identity means the same questions and weights
    bank: str
    layout: str
    version: str
    thresholds: Thresholds
    categories: tuple[str, ...]  # category ids, in the packet's order
    candidate: str
    interviewer: str
    interview_date: str  # YYYY-MM-DD when the cell holds a date, else its text
    questions: tuple[FilledQuestion, ...]
    category_labels: Mapping[str, str] = field(default_factory=dict)  # id -> label, for every category
    loop: LoopSeat | None = None  # the loop and slot, for a scorecard of a loop made with --loop
    vote: str | None = None  # the interviewer's own vote, one of scoring.VOTES; None when blank (or version 1)
    takeaways: str = ""  # the interviewer's key take-aways ("" when blank, or version 1)
    format: int = form.VERSION  # the scorecard format version the file was written in


@dataclass(frozen=True)
class _Cell:
    """A cell's raw content and where it is, for messages such as ``Scorecard!D14 (q3_great_2)``."""

    name: str
    where: str
    value: Any
    is_formula: bool


@dataclass
class _Workbook:
    """The identity and the named cells of one workbook, read in one pass; judged afterwards."""

    path: Path
    is_scorecard: bool = False
    format: Any = None
    packet: Any = None  # the hidden sheet's B3, parsed (None when it is not JSON); judged by identity_problem
    sheets: list[str] = field(default_factory=list)  # sheet names, in the workbook's order
    packet_sheet: str = ""  # the hidden sheet's name, which a recruiter may have changed
    cells: dict[str, _Cell] = field(default_factory=dict)  # defined name (or name + LABEL) -> cell
    unresolved: dict[str, str] = field(default_factory=dict)  # defined name -> why it points nowhere


# -- opening a file that came back from someone else ------------------------------------------------------------


def _workbook_bytes(path: Path) -> bytes:
    """The bytes of the workbook at ``path`` when they may be parsed, or a ScorecardError saying why not."""
    data = incoming.returned_file(path, "tally scorecard files or folders")
    refusal = incoming.refusal(data)
    if refusal is not None:
        raise ScorecardError(f"{path}: {refusal.message}")
    return data


def _open(path: Path, data: bytes) -> Any:
    """``data`` opened read-only as a workbook, or a ScorecardError saying why it cannot be."""
    # From memory, and not the path: openpyxl refuses paths without an .xlsx ending.
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: Exception) -> ScorecardError:
    # openpyxl raises whatever its XML and zip layers raise on a damaged file; all mean the same to a user.
    return ScorecardError(f"{path}: damaged Excel workbook, cannot be read ({type(exc).__name__}: {exc})")


def _where(sheet: str, coordinate: str) -> str:
    quoted = sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{coordinate.replace('$', '')}"


def _find_packet_sheet(wb: Any) -> Any | None:
    """The hidden identity sheet: by its name, else (renamed) by its marker in A1."""
    marker = form.MARKER_CELL
    if form.PACKET_SHEET in wb.sheetnames and wb[form.PACKET_SHEET][marker].value == form.MARKER:
        return wb[form.PACKET_SHEET]
    for ws in wb.worksheets:
        if ws[marker].value == form.MARKER:
            return ws
    return None


def _read(path: Path, data: bytes) -> _Workbook:
    """Read the identity and every named cell of the workbook ``data``; no judgement yet beyond 'is it one'."""
    wb = _open(path, data)
    book = _Workbook(path)
    try:
        _read_into(book, wb)
    except ScorecardError:
        raise
    except Exception as exc:  # a damaged sheet only shows when its cells are read
        raise _damaged(path, exc) from exc
    finally:
        wb.close()
    return book


def _read_into(book: _Workbook, wb: Any) -> None:
    book.sheets = list(wb.sheetnames)
    packet_sheet = _find_packet_sheet(wb)
    if packet_sheet is None:
        return
    book.is_scorecard = True
    book.packet_sheet = packet_sheet.title
    book.format = packet_sheet[form.VERSION_CELL].value
    text = packet_sheet[form.DESCRIPTION_CELL].value
    try:
        book.packet = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        book.packet = None
    if book.format not in form.READABLE or identity_problem(book.packet, book.format) is not None:
        return  # refused for that before any cell is looked at
    for sheet, by_place in _places(book, wb, _scheme_names(book.packet, book.format)).items():
        for (row, column), names, cell in _cells(wb[sheet], by_place):
            for name in names:
                book.cells[name] = _Cell(
                    name=name,
                    where=_where(sheet, f"{get_column_letter(column)}{row}"),
                    value=cell.value,
                    is_formula=cell.data_type == "f",
                )


def _scheme_names(packet: dict[str, Any], version: int) -> set[str]:
    """Every defined name that the described packet's scorecard has."""
    names = {*form.HEADER, *form.verdict_names(version), *form.computed_names(packet["categories"], version)}
    names.update(name for q in packet["questions"] for name in _input_names(q, version))
    return names


def _places(book: _Workbook, wb: Any, wanted: set[str]) -> dict[str, dict[tuple[int, int], list[str]]]:
    """Where each ``wanted`` defined name points, by sheet and (row, column); one that points nowhere is noted.

    Any other name is passed over unread: resolving one costs 30 µs, and a workbook may hold a million.
    """
    places: dict[str, dict[tuple[int, int], list[str]]] = {}
    for name, defined in wb.defined_names.items():
        if name not in wanted:
            continue
        try:
            found = [(s.replace("''", "'"), c) for s, c in defined.destinations]
        except Exception:  # openpyxl chokes on the references Excel leaves when a cell is deleted: Sheet!#REF!
            found = []
        if len(found) != 1 or not ONE_CELL.fullmatch(found[0][1]) or found[0][0] not in wb.sheetnames:
            book.unresolved[name] = f"points to {defined.value}"
            continue
        sheet, coordinate = found[0]
        row, column = coordinate_to_tuple(coordinate.replace("$", ""))
        places.setdefault(sheet, {}).setdefault((row, column), []).append(name)
        if form.is_signal_mark(name) and column > 1:
            # The signal's text, as the interviewer saw it beside the mark, for the debrief's wording.
            places[sheet].setdefault((row, column - 1), []).append(name + LABEL)
    return places


def _cells(ws: Any, places: dict[tuple[int, int], list[str]]) -> Iterator[tuple[tuple[int, int], list[str], Any]]:
    """The cells at ``places`` of a read-only sheet, read in one pass over the rows that hold them."""
    rows = [r for r, _ in places]
    columns = [c for _, c in places]
    first_row, first_column = min(rows), min(columns)
    for r, row in enumerate(
        ws.iter_rows(min_row=first_row, max_row=max(rows), min_col=first_column, max_col=max(columns)),
        start=first_row,
    ):
        for c, cell in enumerate(row, start=first_column):
            if (r, c) in places:
                yield (r, c), places[(r, c)], cell


def _is_blank(cell: _Cell | None) -> bool:
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def _mark(cell: _Cell | None, problems: list[str]) -> bool | None:
    """Yes → True, No → False, blank → None, read as the formulas read it; anything else is a problem.

    The formulas read "maybe" as blank; tally refuses it instead, since the interviewer meant something.
    """
    if cell is None or _is_blank(cell):
        return None
    mark = mark_value(cell.value)
    if mark is not None and not cell.is_formula:
        return mark
    problems.append(
        f"{cell.where} ({cell.name}) holds {_shown(cell)}; a mark must be Yes, No or blank (pick from the cell's list)"
    )
    return None


def _rating(cell: _Cell | None, problems: list[str], choices: list[str]) -> float | None:
    """A whole number 1–4 or one of the list's ``choices`` ("3 – Good"), or None for blank; anything else
    (2.5, 7, the text "3") is a problem."""
    if cell is None or _is_blank(cell):
        return None
    value = cell.value
    rating = rating_value(value, choices)
    if rating is not None and not cell.is_formula and rating.is_integer() and 1 <= rating <= 4:
        return rating
    if isinstance(value, str) and value.strip().isdigit() and not cell.is_formula:
        problems.append(
            f"{cell.where} ({cell.name}) holds the text {value!r}; type the number {value.strip()} itself "
            "(a rating is a whole number 1–4 or blank)"
        )
    else:
        problems.append(f"{cell.where} ({cell.name}) holds {_shown(cell)}; a rating is a whole number 1–4 or blank")
    return None


def _vote(cell: _Cell | None, problems: list[str]) -> str | None:
    """The interviewer's vote, or None for blank; anything but one of scoring.VOTES is a problem."""
    if cell is None or _is_blank(cell):
        return None
    vote = vote_value(cell.value) if not cell.is_formula else None
    if vote is None:
        problems.append(
            f"{cell.where} ({cell.name}) holds {_shown(cell)}; a vote is Strong no, No, Yes, Strong yes or blank "
            "(pick from the cell's list)"
        )
    return vote


def _shown(cell: _Cell) -> str:
    if cell.is_formula:
        return f"the formula {cell.value}"
    if isinstance(cell.value, str):
        return repr(cell.value)
    return str(cell.value)


def _text(cell: _Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    if isinstance(cell.value, (dt.datetime, dt.date)):
        return cell.value.strftime("%Y-%m-%d")
    if isinstance(cell.value, float) and cell.value.is_integer():
        return str(int(cell.value))
    return str(cell.value).strip()


def _identity(book: _Workbook) -> dict[str, Any]:
    """The packet description from the hidden sheet, or a ScorecardError naming what is wrong with it."""
    path = book.path
    sheet = form.PACKET_SHEET
    if not book.is_scorecard:
        raise NotAScorecard(
            f"{path}: not a packet scorecard (no hidden '{sheet}' sheet marked '{form.MARKER}'); "
            "tally reads only scorecards made by `packet make --format xlsx`"
        )
    if not _is_whole(book.format, 1, 1000):
        raise ScorecardError(
            f"{path}: the hidden '{sheet}' sheet is damaged (cell {form.VERSION_CELL} holds {_json(book.format)}, "
            "not a format number); make a fresh scorecard"
        )
    if book.format not in form.READABLE:
        raise ScorecardError(
            f"{path}: scorecard format {book.format!r}, but this packet reads formats {_READABLE}; "
            "tally it with the packet version that made it"
        )
    problem = identity_problem(book.packet, book.format)
    if problem:
        raise ScorecardError(
            f"{path}: the hidden '{sheet}' sheet is damaged (cell {form.DESCRIPTION_CELL}: {problem}); "
            "make a fresh scorecard"
        )
    return book.packet


def identity_problem(packet: Any, version: int = form.VERSION) -> str | None:
    """What makes the hidden sheet's packet description unusable, or None.

    Checked before anything loops over it: a description typed over by hand (``"great": 100000000``, a
    question number "abc") must give a clear error, not minutes of reading or a traceback. The bounds are far
    beyond any real packet (a scorecard prints every signal as a row).
    """
    if not isinstance(packet, dict):
        return "it does not hold the packet's description"
    problem = _packet_problem(packet)
    if problem:
        return problem
    if version > 1:
        choices = packet.get("rating_choices")
        if not isinstance(choices, list) or len(choices) != 4 or not all(isinstance(c, str) for c in choices):
            return f"rating_choices is {_json(choices)}; it should list the four ratings' choices"
    numbers: set[int] = set()
    labels: set[str] = set()
    for i, question in enumerate(packet["questions"]):
        problem = _question_problem(f"questions[{i}]", question, numbers)
        if problem:
            return problem
        label = question["label"]
        if version > 1 and (not re.fullmatch(form.LABEL, label) or label in labels):
            return (
                f"questions[{i}].label is {_json(label)}; it should be a question number like 2 or 2b, each used once"
            )
        labels.add(label)
    return None


def _packet_problem(packet: dict[str, Any]) -> str | None:
    """What is wrong with the description's keys outside its questions, and with the list of questions."""
    for key in ("role", "identity"):
        if not isinstance(packet.get(key), str):
            return f"{key} is {_json(packet.get(key))}; it should be text"
    thresholds = packet.get("thresholds")
    if not isinstance(thresholds, dict) or not all(_is_number(thresholds.get(k)) for k in ("strong_yes", "yes", "no")):
        return f"thresholds is {_json(thresholds)}; it should hold the numbers strong_yes, yes and no"
    categories = packet.get("categories")
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        return f"categories is {_json(categories)}; it should be a list of category ids"
    if len(categories) > MAX_CATEGORIES:
        return f"{len(categories)} categories; a scorecard has at most {MAX_CATEGORIES}"
    questions = packet.get("questions")
    if not isinstance(questions, list):
        return f"questions is {_json(questions)}; it should be a list of questions"
    if len(questions) > MAX_QUESTIONS:
        return f"{len(questions)} questions; a scorecard has at most {MAX_QUESTIONS}"
    labels = packet.get("category_labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        return f"category_labels is {_json(labels)}; it should map category ids to labels"
    return form.loop_problem(packet.get("loop"))


def _question_problem(at: str, question: Any, numbers: set[int]) -> str | None:
    """What is wrong with one question's description; its number is added to ``numbers`` when it is sound."""
    if not isinstance(question, dict):
        return f"{at} is {_json(question)}; it should describe a question"
    number: Any = question.get("number")
    if not _is_whole(number, 1, MAX_QUESTIONS) or number in numbers:
        return f"{at}.number is {_json(number)}; it should be a whole number 1–{MAX_QUESTIONS}, each used once"
    numbers.add(number)
    for key in ("label", "id", "title"):
        if not isinstance(question.get(key), str):
            return f"{at}.{key} is {_json(question.get(key))}; it should be text"
    for key in ("great", "negative"):
        if not _is_whole(question.get(key), 0, MAX_SIGNALS):
            return f"{at}.{key} is {_json(question.get(key))}; it should be a whole number 0–{MAX_SIGNALS}"
    weights = question.get("categories")
    if not isinstance(weights, dict) or not all(_is_number(w) for w in weights.values()):
        return f"{at}.categories is {_json(weights)}; it should map category ids to weights"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _json(value: Any) -> str:
    """A value as it stands in the cell, cut short: the cell may hold anything."""
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def read_scorecard(path: Path) -> FilledScorecard:
    """Read a filled (or blank) scorecard; a ScorecardError lists every cell that cannot be trusted."""
    path = Path(path)
    book = _read(path, _workbook_bytes(path))
    packet = _identity(book)
    problems: list[str] = []

    def cell(name: str) -> _Cell | None:
        if name in book.cells:
            return book.cells[name]
        why = book.unresolved.get(name, "is missing")
        problems.append(f"the defined name {name} {why}; its cell was deleted or the name removed")
        return None

    version = book.format
    choices = packet.get("rating_choices", []) if version > 1 else []
    questions = [_question(q, book, cell, problems, version, choices) for q in packet["questions"]]
    categories = tuple(packet["categories"])
    thresholds = Thresholds(**{k: float(packet["thresholds"][k]) for k in ("strong_yes", "yes", "no")})
    vote = _vote(cell(form.VOTE), problems) if version > 1 else None
    takeaways = _text(cell(form.TAKEAWAYS)) if version > 1 else ""
    for name in form.computed_names(categories, version):
        found = cell(name)
        if found is not None and not found.is_formula:
            problems.append(
                f"{found.where} ({name}) holds the value {_shown(found)} where its formula belongs: a figure was "
                "typed over and may not match the marks; ask the interviewer which is right"
            )
    if problems:
        raise ScorecardError(problems, file=path)
    return FilledScorecard(
        path=path,
        role=str(packet["role"]),
        title=str(packet.get("title", "")),
        identity=str(packet["identity"]),
        bank=str(packet.get("bank", "")),
        layout=str(packet.get("layout", "")),
        version=str(packet.get("version", "")),
        thresholds=thresholds,
        categories=categories,
        candidate=_text(book.cells.get(form.CANDIDATE)),
        interviewer=_text(book.cells.get(form.INTERVIEWER)),
        interview_date=_text(book.cells.get(form.INTERVIEW_DATE)),
        questions=tuple(questions),
        category_labels=form.category_labels(packet, categories),
        loop=form.loop_seat(packet),
        vote=vote,
        takeaways=takeaways,
        format=version,
    )


def _question(
    q: Mapping[str, Any],
    book: _Workbook,
    cell: Callable[[str], _Cell | None],
    problems: list[str],
    version: int,
    choices: list[str],
) -> FilledQuestion:
    """One question's block as read; ``cell`` finds a named cell (noting a missing one in ``problems``)."""
    n = form.question_key(q, version)  # identity_problem has checked every key and type used here
    great, negative = _signal_names(q, version)
    return FilledQuestion(
        **form.question_facts(q),
        marks=QuestionMarks(
            asked=_mark(cell(form.asked(n)), problems),
            great=tuple(_mark(cell(name), problems) for name in great),
            negative=tuple(_mark(cell(name), problems) for name in negative),
            rating=_rating(cell(form.rating(n)), problems, choices),
        ),
        notes=_text(cell(form.notes(n))),
        great_signals=tuple(_text(book.cells.get(name + LABEL)) for name in great),
        negative_signals=tuple(_text(book.cells.get(name + LABEL)) for name in negative),
    )


def _signal_names(question: Mapping[str, Any], version: int) -> tuple[list[str], list[str]]:
    """The defined names of a described question's great and negative signal marks."""
    return form.signal_names(form.question_key(question, version), question["great"], question["negative"])


def _input_names(question: Mapping[str, Any], version: int) -> list[str]:
    """Every cell of a described question's block the interviewer fills in."""
    return form.input_names(form.question_key(question, version), question["great"], question["negative"])


# -- may this file be replaced? ------------------------------------------------------------------------------------


def filled_reason(path: Path) -> str | None:
    """Why the file at ``path`` must not be replaced, not even with ``--force``; None when that is provably safe.

    Safe: no file, an empty file, a file that is no zip at all (a text file is not a scorecard), or a
    scorecard whose fingerprint holds: byte for byte what ``packet`` wrote (see
    :mod:`exporter.scorecard_format`), so nobody has typed anything anywhere in it. Every other workbook is
    kept: one with marks or notes, one with a name typed in its header, a sheet added or a note on the
    Summary, one saved again by a spreadsheet program, one whose hidden sheet or names were removed, that a
    sync tool damaged or that Excel saved with a password to open, and anything that is not a regular file.
    Each may be an interviewer's only record of the interview; moving a file away by hand costs one command.
    """
    path = Path(path)
    try:
        return _filled_reason(path)
    except Exception as exc:  # whatever goes wrong while looking, the file is kept, and no traceback
        return _unreadable(f"{type(exc).__name__}: {str(exc)[:80]}")


def _filled_reason(path: Path) -> str | None:
    try:
        data = incoming.file_bytes(path)
    except FileNotFoundError:
        return None
    except incoming.NotAFile as exc:
        return "it is a folder" if exc.kind == "a folder" else f"it is {exc.kind}, not a file"
    except OSError as exc:
        return _unreadable(f"cannot be read: {exc.strerror or exc}")
    if not data or not incoming.looks_like_a_zip(data):
        return None  # nothing, or no zip and so no .xlsx: a text file or the like, not a scorecard
    refusal = incoming.refusal(data)
    if refusal is not None:
        return _unreadable(refusal.cause)
    parts = incoming.parts(data)
    made = form.as_made(parts) if parts is not None else False
    if made:
        return None
    try:
        book = _read(path, data)
    except ScorecardError:
        return _unreadable(incoming.NOT_A_WORKBOOK.cause)
    return _damage(book) or _filling(book) or _changes(book, made)


def _damage(book: _Workbook) -> str | None:
    """Why the workbook cannot be read back as a scorecard, or None when every name it needs is there."""
    sheet = form.PACKET_SHEET
    if not book.is_scorecard:
        return _unreadable(f"no hidden '{sheet}' sheet marked '{form.MARKER}'")
    if book.format not in form.READABLE:
        return _unreadable(f"scorecard format {_json(book.format)}, not {_READABLE}")
    problem = identity_problem(book.packet, book.format)
    if problem:
        return _unreadable(f"its hidden '{sheet}' sheet is damaged, cell {form.DESCRIPTION_CELL}: {problem}")
    names = [name for q in book.packet["questions"] for name in _input_names(q, book.format)]
    names += [*form.verdict_names(book.format), *form.computed_names(book.packet["categories"], book.format)]
    missing = [name for name in names if name not in book.cells]
    if len(missing) == 1:
        return _unreadable(f"its defined name {missing[0]} is missing or points nowhere")
    if missing:
        return _unreadable(f"{len(missing)} of its defined names are missing or point nowhere, e.g. {missing[0]}")
    return None


def _filling(book: _Workbook) -> str | None:
    """What the interviewer filled in (marks, ratings, Asked answers, notes, figures typed over), or None."""
    marks = ratings = asked = 0
    noted: list[str] = []  # labels of the questions with notes
    version = book.format
    for q in sorted(book.packet["questions"], key=lambda q: q["number"]):
        n = form.question_key(q, version)
        filled = {name for name in _input_names(q, version) if not _is_blank(book.cells[name])}
        great, negative = _signal_names(q, version)
        asked += form.asked(n) in filled
        ratings += form.rating(n) in filled
        marks += len(filled.intersection([*great, *negative]))
        if form.notes(n) in filled:
            noted.append(q["label"])
    computed = form.computed_names(book.packet["categories"], version)
    typed_over = sum(not book.cells[name].is_formula for name in computed)
    found = [_count(marks, "mark"), _count(ratings, "rating"), _count(asked, "Asked answer")]
    found += [_VERDICT_WORDS[name] for name in form.verdict_names(version) if not _is_blank(book.cells[name])]
    if noted:
        found.append(f"notes on question{'s' if len(noted) > 1 else ''} {_and(noted)}")
    if typed_over:
        found.append(f"{typed_over} figure{'' if typed_over == 1 else 's'} typed over")
    found = [f for f in found if f]
    return f"this scorecard has been filled in ({', '.join(found)})" if found else None


def _changes(book: _Workbook, made: bool | None) -> str:
    """Why a scorecard with blank marks, ratings and notes is kept all the same: it may hold notes elsewhere."""
    known = {form.SCORECARD_SHEET, form.SUMMARY_SHEET, book.packet_sheet}
    added = [repr(sheet) for sheet in book.sheets if sheet not in known]
    if made is None and not added:
        return (
            "this scorecard may have been typed in outside its marks, ratings and notes (it carries no fingerprint "
            "of the blank card packet made); it may hold an interview's notes"
        )
    if added:
        where = f"sheet{'s' if len(added) > 1 else ''} {_and(added)} added"
    else:
        where = "outside its marks, ratings and notes, e.g. a name typed in the header or a note on the Summary"
    return f"this scorecard has been changed since packet made it ({where}); it may hold an interview's notes"


def _unreadable(cause: str) -> str:
    return f"this looks like a scorecard that cannot be read back ({cause}); it may hold an interview's marks"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}" if n else ""


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# -- writing marks in, as an interviewer or another program would ------------------------------------------------


def named_cell(workbook: Any, name: str) -> Any:
    """The cell a workbook-level name such as ``q3_great_2`` points at."""
    ((sheet, ref),) = workbook.defined_names[name].destinations
    return workbook[sheet][ref.replace("$", "")]


def scorecard_questions(path: Path) -> list[dict[str, Any]]:
    """The questions described in the scorecard's hidden sheet: number, label, id, categories, signal counts."""
    return json.loads(load_workbook(path)[form.PACKET_SHEET][form.DESCRIPTION_CELL].value)["questions"]


def fill_scorecard(blank: Path, target: Path, values: Mapping[str, object]) -> None:
    """Write ``values`` ({cell name: value}) into a copy of ``blank`` at ``target``, as if typed in.

    For programs that carry marks over from elsewhere (and for the samples and tests); the file is saved the
    way `packet make` saves it, byte-identical under SOURCE_DATE_EPOCH. A wrapped cell (notes, take-aways)
    whose text needs more room than its row has grows, as it would as one typed it in.
    """
    from .reproducible import build_time
    from .sheet_style import fit_height, save

    workbook = load_workbook(blank)
    for name, value in values.items():
        cell = named_cell(workbook, name)
        cell.value = value
        if isinstance(value, str) and cell.alignment.wrap_text:
            ws = cell.parent
            fit_height(ws, cell.row, value, float(ws.column_dimensions[cell.column_letter].width), cell.font)
    save(workbook, target, build_time())
