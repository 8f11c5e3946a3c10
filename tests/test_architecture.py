"""The shape of the code, checked: the import contracts of pyproject.toml (layers, renderers apart, Click at
the edge), module and function size, and no module that can turn stored bytes into code.

ARCHITECTURE.md explains the layers; this suite fails when the code stops matching them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

from .conftest import REPO

PACKAGE = REPO / "exporter"
MAX_LINES = 700
MAX_COMPLEXITY = 20  # radon's grade C ends here; D and worse are split into named steps


def lint_imports(*config: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo", *config]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)


def test_the_import_contracts_are_kept():
    """Layers point one way (imports inside functions count), renderers do not import each other, and only
    exporter.cli imports Click."""
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_a_broken_contract_fails(tmp_path):
    """The control: the same checker, given contracts the code breaks, says so."""
    config = tmp_path / "broken.toml"
    config.write_text(
        """
[tool.importlinter]
root_package = "exporter"
include_external_packages = true

[[tool.importlinter.contracts]]
name = "model above loading"
type = "layers"
containers = ["exporter"]
layers = ["model", "loading"]

[[tool.importlinter.contracts]]
name = "no Click anywhere"
type = "forbidden"
source_modules = ["exporter"]
forbidden_modules = ["click"]
""",
        encoding="utf-8",
    )
    done = lint_imports(str(config))
    assert done.returncode == 1
    assert "Contracts: 0 kept, 2 broken." in done.stdout
    assert "exporter.loading -> exporter.model" in done.stdout
    assert "exporter.cli -> click" in done.stdout


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_700_lines():
    long = {str(m.relative_to(REPO)): n for m in modules() if (n := len(m.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def functions(blocks: list[object]) -> Iterator[Function]:
    """Every function radon found, with the functions inside functions (radon lists methods as functions)."""
    for block in blocks:
        if isinstance(block, Function):
            yield block
            yield from functions(block.closures)


def test_no_function_is_over_complexity_20():
    complex_ = [
        f"{m.relative_to(REPO)}:{f.lineno} {f.fullname} ({f.complexity})"
        for m in modules()
        for f in functions(cc_visit(m.read_text("utf-8")))
        if f.complexity > MAX_COMPLEXITY
    ]
    assert complex_ == []


def test_the_complexity_check_sees_methods_and_nested_functions():
    code = "class A:\n    def m(self):\n        def inner(x):\n" + "".join(
        f"            if x == {i}:\n                return {i}\n" for i in range(MAX_COMPLEXITY)
    )
    assert [(f.name, f.complexity) for f in functions(cc_visit(code))] == [("m", 1), ("inner", MAX_COMPLEXITY + 1)]


def test_no_module_can_run_code_from_stored_bytes():
    """pickle, marshal and their kin rebuild code or arbitrary objects from bytes; nothing in the package may
    use them, so nothing read from a file (the cache, a scorecard) can run as `packet`."""
    forbidden = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle"}
    found = []
    for module in modules():
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{module.relative_to(REPO)}: {name}" for name in names if name.split(".")[0] in forbidden]
    assert found == []
