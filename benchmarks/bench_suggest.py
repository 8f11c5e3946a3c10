"""Benchmark: `packet suggest --size 6 --sets 3` on a generated bank of 300 questions.

The bank is shaped like the shipped one (four categories, two teams, eleven domains; each question has a
primary category at weight 1 and up to two more at lower weights, one or both teams, one or two domains)
and is the same on every run (fixed random seed). Prints the time of the whole command, as a user runs it
(Python start-up and loading the bank included), and of the search alone. The target is under 2 s.

    python benchmarks/bench_suggest.py [--questions 300] [--size 6] [--sets 3]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

CATEGORIES = ["world-class", "operational", "strategic", "team-member"]
TEAMS = ["release-deployment", "dev-infra"]
DOMAINS = [
    "build-release", "infrastructure-as-code", "containers-orchestration", "hybrid-release", "automation",
    "scaling-performance", "collaboration", "security", "incident-response", "people-management", "strategy",
]  # fmt: skip


def generate_bank(folder: Path, questions: int, seed: int = 7) -> Path:
    """Write a bank of ``questions`` random but plausible questions into ``folder``; returns the folder."""
    rng = random.Random(seed)
    taxonomy = {
        "categories": [{"id": c, "question": f"Is the hire {c}?", "label": c.title()} for c in CATEGORIES],
        "teams": [{"id": t, "name": t.title()} for t in TEAMS],
        "domains": [{"id": d, "name": d.title()} for d in DOMAINS],
    }
    entries = []
    for number in range(questions):
        primary, *others = rng.sample(CATEGORIES, k=1 + rng.choice([0, 1, 1, 2]))
        entries.append(
            {
                "id": f"q{number:03d}",
                "title": f"Question {number}",
                "text": f"Tell me about situation {number}.",
                "categories": {primary: 1, **{c: rng.choice([0.25, 0.5, 0.5, 0.75]) for c in others}},
                "teams": rng.choice([TEAMS[:1], TEAMS[1:], TEAMS]),
                "domains": rng.sample(DOMAINS, k=rng.choice([1, 2])),
                "goal": "Assess something.",
                "great": ["A concrete example."],
                "negative": ["Blames others."],
                "source": "authored",
            }
        )
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    (folder / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, sort_keys=False), encoding="utf-8")
    (folder / "questions" / "generated.yaml").write_text(yaml.safe_dump({"questions": entries}), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--size", type=int, default=6)
    parser.add_argument("--sets", type=int, default=3)
    args = parser.parse_args()

    from exporter.loading import load_bank
    from exporter.suggest import suggest

    with tempfile.TemporaryDirectory() as tmp:
        bank_dir = generate_bank(Path(tmp) / "bank", args.questions)
        command = [sys.executable, "-m", "exporter", "suggest", "--bank", str(bank_dir),
                   "--size", str(args.size), "--sets", str(args.sets), "--json"]  # fmt: skip
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        whole = time.perf_counter() - began

        bank = load_bank(bank_dir)
        began = time.perf_counter()
        found = suggest(bank, args.size, args.sets)
        search = time.perf_counter() - began

    print(f"packet suggest --size {args.size} --sets {args.sets} on {args.questions} generated questions:")
    print(f"  whole command {whole:.2f} s, search alone {search:.3f} s (target: under 2 s)")
    for number, chosen in enumerate(found, start=1):
        print(f"  set {number}: {' '.join(chosen.questions)}  {chosen.objective.as_dict()}")


if __name__ == "__main__":
    main()
