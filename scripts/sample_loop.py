"""The sample onsite loop under samples/: three filled scorecards for one candidate, and their debrief.

``make_sample_loop(out_dir)`` makes each interviewer's scorecard with `packet make`, fills it in as the
interviewer would (through the workbook's defined names, from the impressions below), and runs
`packet tally` on the three to write ``debrief.md`` and ``debrief.xlsx``. ``scripts/make_samples.py`` calls
it; on its own: ``python scripts/sample_loop.py samples/loop``. The bytes are the same on every run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from exporter.readback import fill_scorecard, scorecard_questions  # noqa: E402

EPOCH = "1764547200"  # 2025-12-01 00:00 UTC, as in make_samples.py
CANDIDATE = "Zoë Ødegård"
DATE = "2026-12-01"

# Per interviewer: their layout and slot, and per category the share of great signals they heard, the red
# flags they saw and their rating. Chosen so the debrief has something to talk about: the interviewers
# disagree on strategic direction and on the candidate as a team member, and agree elsewhere.
LOOP = [
    {
        "interviewer": "Sam Lee",
        "role": "infra-m3",
        "start": "10:00",
        "not_asked": {"4"},  # time ran out
        "impressions": {
            "world-class": (0.75, 0, 4),
            "operational": (0.5, 0, 3),
            "strategic": (1.0, 0, 4),
            "team-member": (0.5, 1, 2),
        },
    },
    {
        "interviewer": "Ana Ruiz",
        "role": "infra-m3-onsite-release",
        "start": "10:45",
        "not_asked": set(),
        "impressions": {
            "world-class": (0.67, 0, 3),
            "operational": (0.67, 0, 3),
            "strategic": (0.34, 1, 2),
            "team-member": (1.0, 0, 4),
        },
    },
    {
        "interviewer": "Kim Park",
        "role": "infra-m3-onsite-dev-infra",
        "start": "11:30",
        "not_asked": set(),
        "impressions": {
            "world-class": (0.67, 0, 3),
            "operational": (0.5, 1, 2),
            "strategic": (0.5, 0, 3),
            "team-member": (0.34, 1, 2),
        },
    },
]
NOTES = {
    ("Sam Lee", "world-class"): "One pipeline for cloud and self-hosted; release time from days to hours.",
    ("Sam Lee", "operational"): "Solid on rollbacks; did not say how they measured success.",
    ("Sam Lee", "strategic"): "Tied the roadmap to customer outcomes and sequenced it well.",
    ("Sam Lee", "team-member"): "Pushed a build change through without asking the developers first.",
    ("Ana Ruiz", "world-class"): "Knows release trains well; concrete about the hybrid release cycle.",
    ("Ana Ruiz", "operational"): "Found the bottleneck with data, then had the team own the fix.",
    ("Ana Ruiz", "strategic"): "Picked tools on familiarity; no evaluation criteria.",
    ("Ana Ruiz", "team-member"): "Handled the security fix with other teams openly; credited them.",
    ("Kim Park", "world-class"): "Good depth on Kubernetes rollouts; a little hand-wavy on canaries.",
    ("Kim Park", "operational"): "Provisioning story was clear, but the IaC was left unmaintained.",
    ("Kim Park", "strategic"): "Reasonable capacity plan; thin on cost.",
    ("Kim Park", "team-member"): "In the incident story the developers only appeared as the cause.",
}


def packet(*args: str, env: dict[str, str], cwd: Path = REPO) -> list[Path]:
    """Run `packet` as a user would; returns the paths it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "exporter", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return [Path(line) for line in result.stdout.splitlines() if line.strip()]


def marks(questions: list[dict], slot: dict) -> dict[str, object]:
    """What the interviewer typed into the scorecard, question by question."""
    values: dict[str, object] = {}
    for question in questions:
        if question["label"].endswith("b") or question["label"] in slot["not_asked"]:
            continue  # the backup was not needed; a question time ran out for stays blank
        n = question["number"]
        category = max(question["categories"], key=question["categories"].get)
        heard, flags, rating = slot["impressions"][category]
        values[f"q{n}_asked"] = "Yes"
        for i in range(1, question["great"] + 1):
            values[f"q{n}_great_{i}"] = "Yes" if i <= round(heard * question["great"]) else "No"
        for j in range(1, question["negative"] + 1):
            values[f"q{n}_neg_{j}"] = "Yes" if j <= flags else "No"
        values[f"q{n}_rating"] = rating
        values[f"q{n}_notes"] = NOTES[slot["interviewer"], category]
    return values


def make_sample_loop(out_dir: Path, epoch: str = EPOCH) -> list[Path]:
    """Three filled scorecards for one candidate and their debrief (.md, .xlsx) in ``out_dir``; returns them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # The last run's filled scorecards go first: `packet make` rightly refuses to overwrite them.
    for old in [*out_dir.glob("*-scorecard.xlsx"), *out_dir.glob("debrief.*")]:
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    os.environ["SOURCE_DATE_EPOCH"] = epoch  # fill_scorecard saves in this process
    scorecards = []
    for slot in LOOP:
        (path,) = packet(
            "make", "--role", slot["role"], "--candidate", CANDIDATE, "--interviewer", slot["interviewer"],
            "--date", DATE, "--start", slot["start"], "--format", "xlsx", "--out", str(out_dir), "--force",
            env=env,
        )  # fmt: skip
        fill_scorecard(path, path, marks(scorecard_questions(path), slot))
        scorecards.append(path)
    # From inside the folder, so the debrief names the files as the recruiter sees them, not by a full path.
    packet("tally", *(p.name for p in scorecards), "--out", "debrief.md", "--out", "debrief.xlsx", env=env, cwd=out_dir)
    return [*scorecards, out_dir / "debrief.md", out_dir / "debrief.xlsx"]


if __name__ == "__main__":
    for written in make_sample_loop(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "samples" / "loop"):
        print(written)
