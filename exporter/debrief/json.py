"""The debrief as JSON (``packet tally --json``, ``--out debrief.json``): each scorecard's figures, each
candidate's summary, the files not read. Figures are plain numbers, unrounded; a blank figure is null."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Debrief, Spread


def _spread_dict(spread: Spread) -> dict[str, Any]:
    return {
        "mean": spread.mean,
        "lowest": spread.lowest,
        "highest": spread.highest,
        "spread": spread.spread,
        "count": len(spread.values),
    }


def to_dict(debrief: Debrief) -> dict[str, Any]:
    """The ``--json`` document: one object per scorecard, one summary per candidate, the files not read."""
    scorecards = []
    for r in debrief.results:
        card = r.scorecard
        scorecards.append(
            {
                "file": r.file,
                "candidate": card.candidate,
                "interviewer": card.interviewer,
                "date": card.interview_date,
                "role": card.role,
                "identity": card.identity,
                "categories": {
                    cid: {"score": line.score, "flags": line.flags, "rating": line.rating, "asked": line.asked}
                    for cid, line in r.result.categories.items()
                },
                "red_flags": r.red_flags,
                "overall_score": r.result.overall,
                "recommendation": r.result.recommendation or None,
                "empty": r.empty,
            }
        )
    summaries = [
        {
            "candidate": c.candidate,
            "files": [r.file for r in c.results],
            "categories": {
                cat.id: {
                    **_spread_dict(cat.scores),
                    "flags": cat.flags,
                    "rating": cat.ratings.mean,
                    "calibrate": cat.calibrate,
                }
                for cat in c.categories
            },
            "red_flags": c.red_flags,
            "overall_score": _spread_dict(c.overall),
            "shared_signals": [
                {
                    "label": s.label,
                    "question": s.question_id,
                    "title": s.title,
                    "kind": s.kind,
                    "index": s.index,
                    "text": s.text,
                    "interviewers": list(s.interviewers),
                }
                for s in c.shared_signals
            ],
            "not_asked": [{"label": q.label, "question": q.question_id, "title": q.title} for q in c.not_asked],
            "empty": [r.file for r in c.empty],
            "warnings": list(c.warnings),
        }
        for c in debrief.candidates
    ]
    return {
        "scorecards": scorecards,
        "candidates": summaries,
        "unread": [{"file": u.file, "error": u.error} for u in debrief.unread],
    }


def to_json(debrief: Debrief) -> str:
    return json.dumps(to_dict(debrief), indent=2, ensure_ascii=False) + "\n"


def write(debrief: Debrief, path: Path) -> None:
    path.write_text(to_json(debrief), encoding="utf-8")
