"""The sample onsite loop under samples/loop: three filled scorecards of a four-slot loop, and their debrief.

``make_sample_loop(out_dir)`` makes the onsite loop's scorecards with `packet make --loop`, fills three of them
in as the interviewers would (through the workbook's defined names, from the impressions below) and leaves the
peer manager's out, as a recruiter has it on the morning after: one scorecard has not come back. It then runs
`packet tally` on the three to write ``debrief.md`` and ``debrief.xlsx``, and ``debrief_png`` prints the
debrief's first page through LibreOffice. ``scripts/make_samples.py`` calls both; on its own:
``python scripts/sample_loop.py samples/loop``. The bytes are the same on every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from exporter import scorecard_format as form  # noqa: E402
from exporter.readback import fill_scorecard, scorecard_questions  # noqa: E402

EPOCH = "1764547200"  # 2025-12-01 00:00 UTC, as in make_samples.py
CANDIDATE = "Zoë Ødegård"
DATE = "2026-12-01"
LOOP_NAME = "infra-m3-onsite"

# Per interviewer: their slot, and per category the share of great signals they heard, the red flags they saw
# and their rating. Chosen so the debrief has something to talk about: the votes run from Strong yes to No,
# Ana Ruiz votes against what her own marks say, and nobody got to a primary operational question, so the
# loop knows the candidate operationally only through other questions' half weights.
LOOP = [
    {
        "interviewer": "Sam Lee",
        "slot": "hiring-manager",
        "not_asked": {"4"},  # time ran out
        "no_note": set(),
        "impressions": {
            "world-class": (0.75, 0, 4),
            "operational": (0.5, 0, 3),
            "strategic": (1.0, 0, 4),
            "team-member": (0.5, 1, 2),
        },
        "vote": "Strong yes",
        "takeaways": (
            "Has run exactly the hybrid release set-up we need, and has a plan for it. The one worry: pushed a "
            "build change through without the developers. Worth a reference check on that."
        ),
    },
    {
        "interviewer": "Ana Ruiz",
        "slot": "release-engineer",
        "not_asked": {"2"},  # the hybrid release story ran long
        "no_note": set(),
        "impressions": {
            "world-class": (0.67, 0, 3),
            "operational": (0.67, 0, 3),
            "strategic": (0.34, 1, 2),
            "team-member": (1.0, 0, 4),
        },
        "vote": "No",
        "takeaways": (
            "Strong on release mechanics and generous with credit, but picked tools on familiarity with no "
            "criteria. I could not see them setting our direction; I would want a second opinion on strategy."
        ),
    },
    {
        "interviewer": "Kim Park",
        "slot": "dev-infra-engineer",
        "not_asked": {"2"},  # skipped to leave time for the incident story
        "no_note": {"3"},  # rated, but nothing written down
        "impressions": {
            "world-class": (0.67, 0, 3),
            "operational": (0.5, 1, 2),
            "strategic": (0.5, 0, 3),
            "team-member": (0.34, 1, 2),
        },
        "vote": "Yes",
        "takeaways": "Solid hands-on depth. In the incident story the developers were only ever the cause.",
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
    """What the interviewer typed into the scorecard, question by question, and their vote and take-aways."""
    values: dict[str, object] = {}
    for question in questions:
        label = question["label"]
        if label.endswith("b") or label in slot["not_asked"]:
            continue  # the backup was not needed; a question time ran out for stays blank
        category = max(question["categories"], key=question["categories"].get)
        heard, flags, rating = slot["impressions"][category]
        values[form.asked(label)] = "Yes"
        for i in range(1, question["great"] + 1):
            values[form.great_signal(label, i)] = "Yes" if i <= round(heard * question["great"]) else "No"
        for j in range(1, question["negative"] + 1):
            values[form.negative_signal(label, j)] = "Yes" if j <= flags else "No"
        values[form.rating(label)] = rating
        if label not in slot["no_note"]:
            values[form.notes(label)] = NOTES[slot["interviewer"], category]
    values[form.VOTE] = slot["vote"]
    values[form.TAKEAWAYS] = slot["takeaways"]
    return values


def make_sample_loop(out_dir: Path, epoch: str = EPOCH) -> list[Path]:
    """Three filled scorecards of the onsite loop and their debrief (.md, .xlsx) in ``out_dir``; returns them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob("*-scorecard.xlsx"), *out_dir.glob("debrief.*")]:
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    os.environ["SOURCE_DATE_EPOCH"] = epoch  # fill_scorecard saves in this process
    names = ",".join(f"{slot['slot']}={slot['interviewer']}" for slot in LOOP)
    scorecards = []
    with tempfile.TemporaryDirectory(prefix="sample-loop-") as tmp:
        made = packet(
            "make", "--loop", LOOP_NAME, "--candidate", CANDIDATE, "--date", DATE, "--interviewers", names,
            "--format", "xlsx", "--out", tmp,
            env=env,
        )  # fmt: skip
        for slot in LOOP:
            (blank,) = [path for path in made if _named(path, slot)]
            filled = out_dir / blank.name
            fill_scorecard(blank, filled, marks(scorecard_questions(blank), slot))
            scorecards.append(filled)
    # From inside the folder, so the debrief names the files as the recruiter sees them, not by a full path.
    packet("tally", *(p.name for p in scorecards), "--out", "debrief.md", "--out", "debrief.xlsx", env=env, cwd=out_dir)
    return [*scorecards, out_dir / "debrief.md", out_dir / "debrief.xlsx"]


def _named(path: Path, slot: dict) -> bool:
    """Whether ``path`` is the scorecard of ``slot``'s interviewer (files are named after the interviewer)."""
    return path.name.endswith("-scorecard.xlsx") and f"-{slot['interviewer'].lower().replace(' ', '-')}-" in path.name


def debrief_png(out_dir: Path, resolution: int = 70) -> Path:
    """The printed debrief's first page, as LibreOffice prints ``debrief.xlsx``, as ``debrief.png``."""
    with tempfile.TemporaryDirectory(prefix="lo-samples-") as profile, tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", tmp, str(out_dir / "debrief.xlsx")],
            check=True, capture_output=True,
        )  # fmt: skip
        png = out_dir / "debrief"
        args = ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*args, str(Path(tmp) / "debrief.pdf"), str(png)], check=True)
    return png.with_suffix(".png")


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "samples" / "loop"
    if shutil.which("soffice") is None:
        sys.exit("needs LibreOffice (soffice) for debrief.png")
    for written in [*make_sample_loop(folder), debrief_png(folder)]:
        print(written)
