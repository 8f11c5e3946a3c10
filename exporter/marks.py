"""The marks file (``…-marks.json``): what the on-screen kit saves, read back like a scorecard.

The kit (:mod:`exporter.render.html`) saves ``{"format": "packet-marks/1", "identity": {…}, "cells": {…}}``:
``identity`` is the packet's description exactly as a scorecard keeps it on its hidden sheet (role, identity
hash, thresholds, categories, each question's weights and signal counts), and ``cells`` holds the marks under
the scorecard's own cell names (:mod:`exporter.scorecard_format`): ``q1_asked``, ``q1_great_2``,
``q1_rating``, ``q1_notes``, the header's ``candidate``, ``interviewer`` and ``interview_date``. A cell left
blank is left out.

This module owns the file's format: the description and names the kit is made with, and the reading and
validating of a file that comes back, into the same :class:`~exporter.readback.FilledScorecard` record a
scorecard gives, so ``packet tally`` reads both alike and ``packet fill`` can type the marks into a blank
scorecard. It sits above :mod:`exporter.readback` and below the renderers; readback (and openpyxl with it)
is imported only when a file is read, so making the kit imports neither.
"""

import contextlib
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import incoming
from . import scorecard_format as form
from .errors import NotAScorecard, ScorecardError
from .model import PacketQuestion
from .scoring import VOTES, mark_value

if TYPE_CHECKING:
    from .readback import FilledScorecard

FORMAT = "packet-marks/1"
SUFFIX = "-marks.json"


def packet_key(pq: PacketQuestion) -> form.Key:
    """What names a packet question's cells (see :mod:`exporter.scorecard_format`): its printed label."""
    return form.question_key({"number": pq.number, "label": pq.label})


# -- reading a marks file back ---------------------------------------------------------------------------------


class Marks(NamedTuple):  # not a dataclass, whose module and methods cost every `make` that writes the kit
    """A marks file as read and checked: the packet it was made from and the cells it holds."""

    path: Path
    identity: dict[str, Any]  # the packet's description, checked as readback checks a scorecard's
    cells: dict[str, object]  # cell name -> value, every name and value checked
    signals: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # label -> great and negative signals' wording


def is_marks_file(path: Path) -> bool:
    """Whether ``path`` is named like a marks file (any ``.json``): tally reads it as one."""
    return path.suffix.lower() == ".json"


def read_marks(path: Path) -> Marks:
    """The marks file at ``path``; a ScorecardError lists everything in it that cannot be trusted."""
    from .readback import identity_problem

    path = Path(path)
    document = _document(path)
    found = document.get("format")
    if found != FORMAT:
        shown = json.dumps(found, ensure_ascii=False)[:40]
        raise NotAScorecard(
            f"{path}: not a packet marks file (format is {shown}, not {FORMAT!r}); "
            "save the marks from the kit's Save marks button"
        )
    identity: Any = document.get("identity")
    problem = identity_problem(identity)
    if problem:
        raise ScorecardError(f"{path}: its identity is damaged ({problem}); save the marks from the kit again")
    cells = document.get("cells")
    if not isinstance(cells, dict):
        raise ScorecardError(f"{path}: cells is {json.dumps(cells)[:40]}; it should map cell names to marks")
    kinds = cell_kinds(identity)
    problems = [p for name, value in cells.items() if (p := _cell_problem(kinds, name, value))]
    signals, wording_problems = _signal_wording(document.get("signals", {}), identity)
    if problems or wording_problems:
        raise ScorecardError(problems + wording_problems, file=path)
    return Marks(path=path, identity=identity, cells=cells, signals=signals)


def _signal_wording(
    signals: object, identity: Mapping[str, Any]
) -> tuple[dict[str, tuple[tuple[str, ...], tuple[str, ...]]], list[str]]:
    """The wording of each question's signals as the kit saved it (``{"1": {"great": [...], "negative": [...]}}``,
    by label), for the debrief to quote; the problems of wording that does not match the packet. A marks file
    made without it (an earlier kit) has none, and the debrief names a signal by its place."""
    if not isinstance(signals, dict):
        return {}, [f"signals holds {json.dumps(signals)[:40]}; save the marks from the kit again"]
    found, problems = {}, []
    for q in identity["questions"]:
        label = str(q["label"])
        if label not in signals:
            continue
        given = signals[label]
        great, negative = (given.get(kind, ()) if isinstance(given, dict) else () for kind in ("great", "negative"))
        if not (_texts(great, q["great"]) and _texts(negative, q["negative"])):
            problems.append(
                f"signals.{label}: not the wording of question {label}'s {q['great']} great and {q['negative']} "
                "negative signals; save the marks from the kit again"
            )
            continue
        found[label] = (tuple(great), tuple(negative))
    return found, problems


def _texts(value: Any, count: int) -> bool:
    """Whether ``value`` is ``count`` texts, as the kit saves a question's signals of one kind."""
    return isinstance(value, list) and len(value) == count and all(isinstance(text, str) for text in value)


def _document(path: Path) -> dict[str, Any]:
    data = incoming.returned_file(path, "a marks file saved from the kit")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAScorecard(f"{path}: not a packet marks file (not JSON: {exc})") from None
    if not isinstance(document, dict):
        raise NotAScorecard(f"{path}: not a packet marks file (no JSON object)")
    return document


def cell_kinds(identity: Mapping[str, Any]) -> dict[str, str]:
    """Every cell a marks file of this packet may hold, and what it holds: mark, rating or text."""
    kinds = {name: "text" for name in form.HEADER if name != form.ROLE}
    kinds.update({form.VOTE: "vote", form.TAKEAWAYS: "text"})
    for q in identity["questions"]:
        key = form.question_key(q)
        great, negative = form.signal_names(key, q["great"], q["negative"])
        kinds.update(dict.fromkeys([form.asked(key), *great, *negative], "mark"))
        kinds[form.rating(key)] = "rating"
        kinds[form.notes(key)] = "text"
    return kinds


def _cell_problem(kinds: Mapping[str, str], name: str, value: object) -> str | None:
    kind = kinds.get(name)
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    if kind is None:
        return f"cells.{name}: no such cell on this packet's scorecard; save the marks from the kit again"
    if kind == "mark" and (not isinstance(value, str) or mark_value(value) is None):
        return f'cells.{name} holds {shown}; a mark is "Yes" or "No", or left out'
    if kind == "rating" and (isinstance(value, bool) or value not in (1, 2, 3, 4)):
        return f"cells.{name} holds {shown}; a rating is a whole number 1–4, or left out"
    if kind == "vote" and value not in VOTES:
        return f"cells.{name} holds {shown}; a vote is one of {', '.join(VOTES)}, or left out"
    if kind == "text" and not isinstance(value, str):
        return f"cells.{name} holds {shown}; it should be text"
    return None


def read_as_scorecard(path: Path) -> "FilledScorecard":
    """The marks file at ``path`` as the record a scorecard filled with the same marks reads back as."""
    from .model import Thresholds
    from .readback import FilledQuestion, FilledScorecard
    from .scoring import QuestionMarks

    marks = read_marks(path)
    identity, cells, wording = marks.identity, marks.cells, marks.signals

    def mark(name: str) -> bool | None:
        return mark_value(cells[name]) if name in cells else None

    questions = []
    for q in identity["questions"]:
        key = form.question_key(q)
        great, negative = form.signal_names(key, q["great"], q["negative"])
        rating = cells.get(form.rating(key))
        # Without the kit's wording (a marks file of an earlier kit), the debrief names a signal by its place.
        worded = wording.get(str(q["label"]), (("",) * len(great), ("",) * len(negative)))
        questions.append(
            FilledQuestion(
                **form.question_facts(q),
                marks=QuestionMarks(
                    asked=mark(form.asked(key)),
                    great=tuple(mark(name) for name in great),
                    negative=tuple(mark(name) for name in negative),
                    rating=float(rating) if isinstance(rating, int) else None,
                ),
                notes=str(cells.get(form.notes(key), "")).strip(),
                great_signals=worded[0],
                negative_signals=worded[1],
            )
        )
    return FilledScorecard(
        path=marks.path,
        role=str(identity["role"]),
        title=str(identity.get("title", "")),
        identity=str(identity["identity"]),
        bank=str(identity.get("bank", "")),
        layout=str(identity.get("layout", "")),
        version=str(identity.get("version", "")),
        thresholds=Thresholds(**{k: float(identity["thresholds"][k]) for k in ("strong_yes", "yes", "no")}),
        categories=tuple(identity["categories"]),
        candidate=str(cells.get(form.CANDIDATE, "")).strip(),
        interviewer=str(cells.get(form.INTERVIEWER, "")).strip(),
        interview_date=str(cells.get(form.INTERVIEW_DATE, "")).strip(),
        questions=tuple(questions),
        vote=mark_vote if isinstance(mark_vote := cells.get(form.VOTE), str) else None,
        takeaways=str(cells.get(form.TAKEAWAYS, "")).strip(),
        category_labels=form.category_labels(identity, identity["categories"]),
        loop=form.loop_seat(identity),
    )


# -- typing the marks into a blank scorecard ---------------------------------------------------------------------


def cells_to_fill(scorecard: Path, marks_file: Path) -> dict[str, object]:
    """The cells of ``marks_file`` to type into ``scorecard``, as an interviewer would (a rating as its
    choice from the cell's list, "3 – Good"), once both are checked: the scorecard is one of the same packet
    (equal identity), in the current format, and holds no marks, ratings, notes or vote yet. A
    ScorecardError says what is wrong with either."""
    from .readback import read_scorecard

    marks = read_marks(marks_file)
    card = read_scorecard(scorecard)
    if card.identity != marks.identity["identity"]:
        raise ScorecardError(
            f"{marks_file}: its marks are for another packet (identity {marks.identity['identity']}) than "
            f"{scorecard} (identity {card.identity}); fill a blank scorecard made with the kit's packet"
        )
    if card.format != form.VERSION:
        raise ScorecardError(
            f"{scorecard}: scorecard format {card.format}, whose cells are named otherwise than the marks'; "
            "make a fresh scorecard (`packet make --format xlsx`) and fill that"
        )
    if card.vote or card.takeaways or any(q.marks.was_asked or q.notes for q in card.questions):
        raise ScorecardError(
            f"{scorecard}: this scorecard has been filled in already; its marks were not overwritten. "
            "Fill a blank scorecard (`packet make --format xlsx`)"
        )
    choices = marks.identity.get("rating_choices") or []
    kinds = cell_kinds(marks.identity)
    cells: dict[str, object] = {}
    for name, value in marks.cells.items():
        if kinds[name] == "rating" and isinstance(value, int) and len(choices) >= value:
            value = choices[value - 1]
        elif name == form.INTERVIEW_DATE and isinstance(value, str):
            with contextlib.suppress(ValueError):  # typed as the scorecard's own date cell holds it
                value = dt.date.fromisoformat(value.strip())
        cells[name] = value
    return cells
