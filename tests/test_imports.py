"""What a run imports: the rules that keep `packet` lean, checked in fresh interpreters.

Each check runs in a subprocess, since this test process has long imported every library. The controls
(a format does import its own library) show the check can fail.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import MINI

# Runs `packet` with the given arguments and prints the top-level packages imported by the end, one a line.
MAKE = """
import sys
from exporter.cli import main

main(sys.argv[1:], prog_name="packet", standalone_mode=False)
print("\\n".join(sorted({name.partition(".")[0] for name in sys.modules})))
"""

IMPORT = """
import sys
import {module}

print("\\n".join(sorted({{name.partition(".")[0] for name in sys.modules}})))
"""

LIBRARIES = {"docx", "openpyxl", "reportlab", "yaml", "click"}


def imported(code: str, *args: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code`` with ``args``."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines())


def made_with(tmp_path, output_format: str) -> set[str]:
    return imported(MAKE, "make", "--role", "mini", *MINI, "-f", output_format, "-o", str(tmp_path))


@pytest.mark.parametrize(
    ("output_format", "own", "others"),
    [
        ("pdf", "reportlab", {"docx", "openpyxl"}),
        ("xlsx", "openpyxl", {"reportlab", "docx"}),
        ("docx", "docx", {"reportlab", "openpyxl"}),
        ("json", "click", {"reportlab", "docx", "openpyxl"}),
        ("html", "click", {"reportlab", "docx", "openpyxl"}),  # the kit needs no document library at all
    ],
)
def test_a_format_imports_its_own_library_and_no_other(tmp_path, output_format, own, others):
    loaded = made_with(tmp_path, output_format)
    assert own in loaded
    assert loaded.isdisjoint(others), sorted(loaded & others)


@pytest.mark.parametrize("module", ["exporter.model", "exporter.errors", "exporter.budget", "exporter.text"])
def test_the_core_imports_no_library(module):
    loaded = imported(IMPORT.format(module=module))
    assert module.partition(".")[0] in loaded
    assert loaded.isdisjoint(LIBRARIES), sorted(loaded & LIBRARIES)


# Runs `packet` twice (the second run is a warm one, as most are), then prints every record class of packet's
# modules whose annotations typing turned into ForwardRefs: each was compiled from a string at import.
FORWARD_REFS = """
import sys
from exporter.cli import main

for run in ("first", "second"):
    main([*sys.argv[1:], "--candidate", f"Ana {run}"], prog_name="packet", standalone_mode=False)
for name, module in sorted(sys.modules.items()):
    for value in vars(module).values() if name.startswith("exporter") else ():
        notes = getattr(value, "__annotations__", {}) if isinstance(value, type) and hasattr(value, "_fields") else {}
        if any(type(note).__name__ == "ForwardRef" for note in notes.values()):
            print(f"{name}.{value.__name__}")
"""


@pytest.mark.parametrize("output_format", ["pdf", "all"])
def test_the_records_a_run_defines_evaluate_their_annotations(tmp_path, output_format):
    # A NamedTuple in a module with `from __future__ import annotations` costs ~20 µs a field at every start.
    arguments = ["make", "--role", "mini", *MINI, "-f", output_format, "-o", str(tmp_path), "--force"]
    done = subprocess.run([sys.executable, "-c", FORWARD_REFS, *arguments], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    records = [line for line in done.stdout.splitlines() if line.startswith("exporter.")]  # not the files made
    assert records == [], "records whose annotations are strings (see CONTRIBUTING.md's speed rules)"
