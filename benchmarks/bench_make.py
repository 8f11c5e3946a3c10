"""Benchmark: `packet make` against its floor, a process that only imports the libraries the run needs.

Three ratios, each measured in this run with the same interpreter, as whole processes as a user starts them:

1. `packet make --role infra-m3 --format all` against the floor for all formats: importing python-docx,
   reportlab's platypus, openpyxl and Click (target at most 1.3);
2. `packet make --role infra-m3 --format pdf` against its floor: importing reportlab's platypus and Click
   (at most 1.3);
3. `packet make --role infra-m3 --candidates 100.csv --format all` against one single packet, all formats
   (at most 8).

The floor starts and ends the way `packet` does: it imports the libraries with the garbage collector paused,
as `packet make` does (exporter.cli.collector_paused), then runs packet's own entry point, exporter.cli.run,
with `--version`, so both end through the same exit. PyYAML is not in the floor: after the warm-up run the
bank's data, the cheat sheet's font faces and its type size, and the scorecard's and the guide's templates
come from packet's cache (all of them the interview's, none a candidate's), and a run does not import it.
Runs of the sides alternate, so a busy machine slows all alike, and each figure is the median of the
repetitions. Each run makes the packet of a new candidate, into a new empty temporary folder, so nothing
of one candidate's packet serves the next; Python's compiled bytecode is cached, as after `pip install`.

    python benchmarks/bench_make.py [--repeat 11] [--batch-repeat 3] [--candidates 100]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

OUT = "{out}"  # replaced by a new empty folder in each run
CANDIDATE = "{candidate}"  # replaced by a new candidate's name in each run
NUMBERS = itertools.count(1)
# Compiled bytecode cached, as after `pip install` (which compiles every module), even where the environment
# sets PYTHONDONTWRITEBYTECODE: compiling packet's modules on every start would be measured otherwise. The
# cache goes to a folder of its own, not into the source tree.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": os.path.join(tempfile.gettempdir(), "bench-make-pycache"),
}
ALL_IMPORTS = "import docx, reportlab.platypus, openpyxl, click"
PDF_IMPORTS = "import reportlab.platypus, click"
TARGET = {"all": 1.3, "pdf": 1.3}
BATCH_TARGET = 8.0

FLOOR = """
import sys
from exporter.cli import collector_paused, run

with collector_paused():
    {imports}
sys.argv[1:] = ["--version"]
run()
"""


def packet_command() -> list[str]:
    """The installed `packet` script beside this interpreter, else `python -m exporter`."""
    script = Path(sys.executable).with_name("packet")
    if script.is_file():
        return [str(script)]
    found = shutil.which("packet")
    return [found] if found else [sys.executable, "-m", "exporter"]


def run(command: Sequence[str]) -> float:
    """Seconds one process takes from start to exit, writing into a new empty folder; fails if the command does.

    A fresh folder each time: over existing files, `--force` would first read each scorecard back to make
    sure nobody filled it in, which is not what a first run costs. And a new candidate each time, as a hiring
    manager makes packets: what the cache keeps is the role's (its data, fonts, the sheet's type size), never
    a candidate's.
    """
    name = f"Zoë Ødegård {next(NUMBERS)}"
    with tempfile.TemporaryDirectory(prefix="bench-make-") as out:
        began = time.perf_counter()
        arguments = [arg.replace(OUT, out).replace(CANDIDATE, name) for arg in command]
        subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL, env=ENV)
        return time.perf_counter() - began


def alternate(*commands: Sequence[str], repeat: int) -> list[float]:
    """Median seconds of each command over ``repeat`` rounds that run each once, after a warm-up run each."""
    for command in commands:
        run(command)  # page cache, .pyc files and packet's cache warm, as on a user's second run
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, taken in zip(commands, times):
            taken.append(run(command))
    return [statistics.median(taken) for taken in times]


def floor(imports: str) -> list[str]:
    """The floor's process: ``imports`` as `packet make` imports its libraries, then packet's own exit."""
    return [sys.executable, "-c", FLOOR.format(imports=imports)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=11, help="runs of each single-packet comparison")
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs of the batch comparison")
    parser.add_argument("--candidates", type=int, default=100, help="rows in the batch CSV")
    options = parser.parse_args()

    packet = packet_command()
    rows = []
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"Machine: {machine()}")
    print(f"Command: {' '.join(packet)}; medians of {options.repeat} runs ({options.batch_repeat} for the batch)\n")
    with tempfile.TemporaryDirectory(prefix="bench-make-") as tmp:
        make = [*packet, "make", "--role", "infra-m3", "--candidate", CANDIDATE, "-o", OUT]
        for formats, imports in (("all", ALL_IMPORTS), ("pdf", PDF_IMPORTS)):
            made, floor_seconds = alternate([*make, "--format", formats], floor(imports), repeat=options.repeat)
            rows.append((f"make --format {formats}", made, f"floor: {imports}", floor_seconds, TARGET[formats]))

        csv = Path(tmp) / "candidates.csv"
        names = [f"Candidate {number:03d}" for number in range(options.candidates)]
        csv.write_text("candidate,interviewer\n" + "".join(f"{n},Sam Lee\n" for n in names), encoding="utf-8")
        batch = [*packet, "make", "--role", "infra-m3", "--candidates", str(csv), "-o", OUT]
        made, single = alternate(batch, [*make, "--format", "all"], repeat=options.batch_repeat)
        rows.append(
            (f"{options.candidates} candidates, all formats", made, "one packet, all formats", single, BATCH_TARGET)
        )

    if hasattr(os, "getloadavg"):  # other work on the machine slows the batch most: it needs every core
        print(f"Load average: {load_at_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end\n")
    width = max(len(row[0]) for row in rows)
    other = max(len(row[2]) for row in rows)
    failed = False
    for name, seconds, baseline, base_seconds, target in rows:
        ratio = seconds / base_seconds
        verdict = "ok" if ratio <= target else "OVER TARGET"
        failed |= ratio > target
        print(
            f"{name:<{width}} {seconds:6.3f} s   vs  {baseline:<{other}} {base_seconds:6.3f} s"
            f"   ratio {ratio:5.2f}  (target <= {target:g}: {verdict})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
