"""Reading a scorecard back after the interview: the marks, Asked answers, ratings and notes, as entered.

Owns the file side of the debrief. Every cell is found through the workbook's defined names (``q3_great_2``,
``cat_strategic_score``, …) and the hidden "Packet" sheet, never by position, so a recruiter may insert rows
or rename and reorder sheets and the file still reads. Nothing computed is taken from the file: the figures
are recomputed from the marks by :mod:`exporter.scoring`; the ``cat_*``, ``overall_score`` and
``recommendation`` cells are only checked to still hold their formulas.

:func:`filled_reason` is what keeps ``packet make --force`` from ever replacing a filled-in scorecard.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from .errors import NotAScorecard, ScorecardError
from .model import Thresholds
from .scoring import QuestionMarks, ScoredQuestion, mark_value, rating_value

MARKER = "packet-scorecard"  # A1 of the hidden sheet: what makes a workbook a packet scorecard
FORMAT = 1  # B2 of the hidden sheet: the layout of names and identity this module reads
PACKET_SHEET = "Packet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls, or an .xlsx that Excel encrypted with a password to open
ONE_CELL = re.compile(r"\$?[A-Z]{1,3}\$?[0-9]+")
SIGNAL_MARK = re.compile(r"q\d+_(great|neg)_\d+")
LABEL = ":label"  # suffix of the key under which a signal mark's neighbouring text cell is kept


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
    packet: dict[str, Any] = field(default_factory=dict)  # the hidden sheet's B3, parsed
    cells: dict[str, _Cell] = field(default_factory=dict)  # defined name (or name + LABEL) -> cell
    unresolved: dict[str, str] = field(default_factory=dict)  # defined name -> why it points nowhere


def _open(path: Path) -> Any:
    """The workbook at ``path`` opened read-only, or a ScorecardError saying why it cannot be."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScorecardError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if data[:4] == OLE_MAGIC:
        raise ScorecardError(
            f"{path}: not an .xlsx workbook: it is an old-style .xls file or was saved with a password to open; "
            "open it in Excel and save it as an .xlsx workbook without a password"
        )
    stream = io.BytesIO(data)  # in memory, and not the path: openpyxl refuses paths without an .xlsx ending
    if not zipfile.is_zipfile(stream):
        raise ScorecardError(f"{path}: not an Excel workbook (the file is damaged, or is not a spreadsheet)")
    try:
        return load_workbook(stream, read_only=True, data_only=False, keep_links=False)
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
    if PACKET_SHEET in wb.sheetnames and wb[PACKET_SHEET]["A1"].value == MARKER:
        return wb[PACKET_SHEET]
    for ws in wb.worksheets:
        if ws["A1"].value == MARKER:
            return ws
    return None


def _read(path: Path) -> _Workbook:
    """Open ``path`` and read its identity and every named cell; no judgement yet beyond 'is it a workbook'."""
    wb = _open(path)
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
    packet_sheet = _find_packet_sheet(wb)
    if packet_sheet is None:
        return
    book.is_scorecard = True
    book.format = packet_sheet["B2"].value
    text = packet_sheet["B3"].value
    try:
        book.packet = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        book.packet = {}
    wanted: dict[str, dict[tuple[int, int], list[str]]] = {}  # sheet -> (row, column) -> names
    for name, defined in wb.defined_names.items():
        try:
            places = [(s.replace("''", "'"), c) for s, c in defined.destinations]
        except Exception:  # openpyxl chokes on the references Excel leaves when a cell is deleted: Sheet!#REF!
            places = []
        if len(places) != 1 or not ONE_CELL.fullmatch(places[0][1]) or places[0][0] not in wb.sheetnames:
            book.unresolved[name] = f"points to {defined.value}"
            continue
        sheet, coordinate = places[0]
        row, column = coordinate_to_tuple(coordinate.replace("$", ""))
        wanted.setdefault(sheet, {}).setdefault((row, column), []).append(name)
        if SIGNAL_MARK.fullmatch(name) and column > 1:
            # The signal's text, as the interviewer saw it beside the mark, for the debrief's wording.
            wanted[sheet].setdefault((row, column - 1), []).append(name + LABEL)
    for sheet, by_place in wanted.items():
        for (row, column), names, cell in _cells(wb[sheet], by_place):
            for name in names:
                book.cells[name] = _Cell(
                    name=name,
                    where=_where(sheet, f"{get_column_letter(column)}{row}"),
                    value=cell.value,
                    is_formula=cell.data_type == "f",
                )


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


def _rating(cell: _Cell | None, problems: list[str]) -> float | None:
    """A whole number 1–4, or None for blank; anything else (2.5, 7, the text "3") is a problem."""
    if cell is None or _is_blank(cell):
        return None
    value = cell.value
    rating = rating_value(value)
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
    if not book.is_scorecard:
        raise NotAScorecard(
            f"{path}: not a packet scorecard (no hidden '{PACKET_SHEET}' sheet marked '{MARKER}'); "
            "tally reads only scorecards made by `packet make --format xlsx`"
        )
    if book.format != FORMAT:
        raise ScorecardError(
            f"{path}: scorecard format {book.format!r}, but this packet reads format {FORMAT}; "
            "tally it with the packet version that made it"
        )
    packet = book.packet
    needed = ("role", "identity", "thresholds", "categories", "questions")
    if not isinstance(packet, dict) or any(k not in packet for k in needed):
        raise ScorecardError(f"{path}: the hidden '{PACKET_SHEET}' sheet is damaged (cell B3); make a fresh scorecard")
    return packet


def read_scorecard(path: Path) -> FilledScorecard:
    """Read a filled (or blank) scorecard; a ScorecardError lists every cell that cannot be trusted."""
    path = Path(path)
    book = _read(path)
    packet = _identity(book)
    problems: list[str] = []

    def cell(name: str) -> _Cell | None:
        if name in book.cells:
            return book.cells[name]
        why = book.unresolved.get(name, "is missing")
        problems.append(f"the defined name {name} {why}; its cell was deleted or the name removed")
        return None

    questions = []
    try:
        for q in packet["questions"]:
            n = q["number"]
            questions.append(
                FilledQuestion(
                    number=int(n),
                    label=str(q["label"]),
                    id=str(q["id"]),
                    title=str(q["title"]),
                    categories={str(k): float(w) for k, w in q["categories"].items()},
                    marks=QuestionMarks(
                        asked=_mark(cell(f"q{n}_asked"), problems),
                        great=tuple(_mark(cell(f"q{n}_great_{i}"), problems) for i in range(1, q["great"] + 1)),
                        negative=tuple(_mark(cell(f"q{n}_neg_{j}"), problems) for j in range(1, q["negative"] + 1)),
                        rating=_rating(cell(f"q{n}_rating"), problems),
                    ),
                    notes=_text(cell(f"q{n}_notes")),
                    great_signals=tuple(
                        _text(book.cells.get(f"q{n}_great_{i}{LABEL}")) for i in range(1, q["great"] + 1)
                    ),
                    negative_signals=tuple(
                        _text(book.cells.get(f"q{n}_neg_{j}{LABEL}")) for j in range(1, q["negative"] + 1)
                    ),
                )
            )
        categories = tuple(str(c) for c in packet["categories"])
        thresholds = Thresholds(**{k: float(packet["thresholds"][k]) for k in ("strong_yes", "yes", "no")})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ScorecardError(
            f"{path}: the hidden '{PACKET_SHEET}' sheet is damaged (cell B3: {exc!r}); make a fresh scorecard"
        ) from exc
    computed = [
        f"cat_{c.replace('-', '_')}_{part}" for c in categories for part in ("score", "flags", "rating", "asked")
    ]
    for name in [*computed, "overall_score", "recommendation"]:
        found = cell(name)
        if found is not None and not found.is_formula:
            problems.append(
                f"{found.where} ({name}) holds the value {_shown(found)} where its formula belongs: a figure was "
                "typed over and may not match the marks; ask the interviewer which is right"
            )
    if problems:
        count = len(problems)
        raise ScorecardError(
            f"{path}: {count} problem{'' if count == 1 else 's'}:\n" + "\n".join(f"  {p}" for p in problems)
        )
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
        candidate=_text(book.cells.get("candidate")),
        interviewer=_text(book.cells.get("interviewer")),
        interview_date=_text(book.cells.get("interview_date")),
        questions=tuple(questions),
    )


def filled_reason(path: Path) -> str | None:
    """Why the scorecard at ``path`` must not be overwritten — what has been filled in — or None.

    None for a blank scorecard, a missing or empty file, or a readable workbook that is not a packet
    scorecard (``--force`` may replace those). A non-empty file that cannot be opened as a workbook at
    all IS protected: a scorecard that Excel saved with a password to open, or that a sync tool damaged,
    looks exactly like that, and replacing it could lose an interviewer's only record of the interview;
    moving a truly broken file away by hand costs the user one command.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            return None
        book = _read(path)
    except FileNotFoundError:
        return None
    except (ScorecardError, OSError):
        return (
            "it cannot be opened as a workbook (damaged, or saved with a password), "
            "so it may be a scorecard that has been filled in"
        )
    if not book.is_scorecard:
        return None
    marks = ratings = asked = 0
    noted: list[int] = []  # question numbers with notes
    labels = _labels(book.packet)
    for name, cell in book.cells.items():
        if _is_blank(cell):
            continue
        kind = re.fullmatch(r"q(\d+)_(asked|rating|notes|great_\d+|neg_\d+)", name)
        if kind is None:
            continue
        part = kind.group(2)
        if part == "asked":
            asked += 1
        elif part == "rating":
            ratings += 1
        elif part == "notes":
            noted.append(int(kind.group(1)))
        else:
            marks += 1
    found = [_count(marks, "mark"), _count(ratings, "rating"), _count(asked, "Asked answer")]
    if noted:
        shown = [labels.get(n, str(n)) for n in sorted(noted)]
        found.append(f"notes on question{'s' if len(shown) > 1 else ''} {_and(shown)}")
    found = [f for f in found if f]
    if not found:
        return None
    return f"this scorecard has been filled in ({', '.join(found)})"


def _labels(packet: dict[str, Any]) -> dict[int, str]:
    """Question number -> the label the interviewer saw ("1b"), as far as the identity can be read."""
    labels: dict[int, str] = {}
    for q in packet.get("questions", []) if isinstance(packet, dict) else []:
        if isinstance(q, dict) and "number" in q and "label" in q:
            labels[int(q["number"])] = str(q["label"])
    return labels


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
    return json.loads(load_workbook(path)[PACKET_SHEET]["B3"].value)["questions"]


def fill_scorecard(blank: Path, target: Path, values: Mapping[str, object]) -> None:
    """Write ``values`` ({cell name: value}) into a copy of ``blank`` at ``target``, as if typed in.

    For programs that carry marks over from elsewhere (and for the samples and tests); the file is saved the
    way `packet make` saves it, byte-identical under SOURCE_DATE_EPOCH.
    """
    from .render.xlsx import build_time, save

    workbook = load_workbook(blank)
    for name, value in values.items():
        named_cell(workbook, name).value = value
    save(workbook, target, build_time())
