"""The debrief as JSON (``packet tally --json``, ``--out debrief.json``): each scorecard's figures, vote,
take-aways and per-question notes; each candidate's summary and verdict; the files not read. Figures are
plain numbers, unrounded; a blank figure is null."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import CandidateDebrief, Debrief, InterviewerResult, Spread


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
                "format": card.format,
                "loop": _loop(r),
                "categories": {
                    cid: {
                        "label": card.category_labels.get(cid, cid),
                        "score": line.score,
                        "flags": line.flags,
                        "rating": line.rating,
                        "asked": line.asked,
                        "evidence": line.evidence or None,
                    }
                    for cid, line in r.result.categories.items()
                },
                "red_flags": r.red_flags,
                "overall_score": r.result.overall,
                "recommendation": r.result.recommendation or None,
                "vote": card.vote,
                "takeaways": card.takeaways,
                "vote_conflict": r.vote_conflict or None,
                "questions": [
                    {
                        "label": q.label,
                        "question": q.id,
                        "title": q.title,
                        "asked": q.marks.was_asked,
                        "rating": q.marks.rating,
                        "notes": q.notes,
                    }
                    for q in card.questions
                ],
                "empty": r.empty,
            }
        )
    summaries = [
        {
            "candidate": c.candidate,
            "files": [r.file for r in c.results],
            "categories": {
                cat.id: {
                    "label": cat.label,
                    "evidence": cat.evidence or None,
                    **_spread_dict(cat.scores),
                    "flags": cat.flags,
                    "rating": cat.ratings.mean,
                    "calibrate": cat.calibrate,
                }
                for cat in c.categories
            },
            "red_flags": c.red_flags,
            "overall_score": _spread_dict(c.overall),
            "verdict": _verdict(c),
            "evidence_checks": list(c.evidence_checks),
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


def _loop(result: InterviewerResult) -> dict[str, Any] | None:
    seat = result.scorecard.loop
    if seat is None:
        return None
    slot = next((s for s in seat.slots if s.number == seat.slot), None)
    return {"name": seat.loop, "slot": seat.slot, "slot_id": slot.id if slot else None}


def _verdict(candidate: CandidateDebrief) -> dict[str, Any]:
    verdict = candidate.verdict
    return {
        "votes": dict(verdict.votes),
        "votes_text": verdict.votes_text,
        "without_vote": verdict.without_vote,
        "mean_overall_score": verdict.mean_overall,
        "recommendation": verdict.recommendation or None,
        "thresholds_differ": verdict.thresholds_differ,
        "consensus": not verdict.no_consensus,
        "vote_conflicts": {r.interviewer: r.vote_conflict for r in candidate.results if r.vote_conflict},
        "indirect_categories": list(verdict.indirect),
        "missing_slots": [
            {
                "loop": gap.loop,
                "slots": gap.slots,
                "returned": gap.returned,
                "missing": [{"slot": s.number, "id": s.id, "interviewer": s.interviewer} for s in gap.missing],
                "blank": [{"slot": s.number, "id": s.id, "interviewer": s.interviewer} for s in gap.blank],
                "text": gap.text,
            }
            for gap in verdict.missing
        ],
    }


def to_json(debrief: Debrief) -> str:
    return json.dumps(to_dict(debrief), indent=2, ensure_ascii=False) + "\n"


def write(debrief: Debrief, path: Path) -> None:
    path.write_text(to_json(debrief), encoding="utf-8")
