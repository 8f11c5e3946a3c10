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


# Module-level state that stays, each for a reason that is about the process, not about a packet: a renderer
# or a loader keeps nothing between calls (a batch or a loop passes its RenderMemo, or its loaded bank).
PROCESS_STATE = {
    "exporter/render/docx_xml.py: w_tag": "a pure function of a constant tag name",
    "exporter/reproducible.py: _parse": "a bad SOURCE_DATE_EPOCH is warned about once",
    "exporter/cache.py: _refused": "an unsafe cache folder is warned about once and not used again",
    "exporter/output.py: _stopped_by": "the signal that stopped the process",
    "exporter/batch.py: _worker": "a worker process's batch context, set as the pool starts it",
}
MEMO_DECORATORS = {"cache", "lru_cache", "cached_property"}
MUTABLE = (ast.List, ast.Dict, ast.Set)


def module_state(tree: ast.Module) -> Iterator[str]:
    """Module-level memo caches (functools.cache, lru_cache) and module-level containers that start empty, or
    names that start as None, to be filled in as the process runs."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in MEMO_DECORATORS:
                    yield node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            # An empty container or a None to fill in later is state; a table written out in full is a constant.
            empty = isinstance(value, MUTABLE) and not any(getattr(value, field, None) for field in ("elts", "keys"))
            called = isinstance(value, ast.Call) and getattr(value.func, "id", "") in {"set", "dict", "list"}
            holder = isinstance(node, ast.AnnAssign) and isinstance(value, ast.Constant) and value.value is None
            if empty or (called and not value.args) or holder:
                for target in targets:
                    if isinstance(target, ast.Name) and target.id.startswith("_"):
                        yield target.id


def test_no_module_keeps_state_but_what_the_process_needs():
    found = {
        f"{module.relative_to(REPO)}: {name}"
        for module in modules()
        for name in module_state(ast.parse(module.read_text(encoding="utf-8")))
    }
    assert found == set(PROCESS_STATE), "a module keeps state between calls; pass it explicitly instead"


def test_the_state_check_sees_caches_and_containers():
    code = (
        "import functools\n@functools.lru_cache\ndef a(): ...\n_kept = {}\n_seen: set[str] = set()\n"
        "_one: int | None = None\n_TABLE = {'a': 1}\nX = []\n"
    )
    assert sorted(module_state(ast.parse(code))) == ["_kept", "_one", "_seen", "a"]
