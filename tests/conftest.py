"""Shared fixtures: the small test bank, a CLI runner, and the external tools (LibreOffice, poppler).

A test that needs an external tool skips with a visible reason when it is missing, except in CI
(CI=true), where a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MINI_BANK = FIXTURES / "mini" / "bank"
MINI_LAYOUTS = FIXTURES / "mini" / "layouts"
MINI = ["--bank", str(MINI_BANK), "--layouts", str(MINI_LAYOUTS)]
SHIPPED_ROLES = sorted(p.stem for p in (REPO / "layouts").glob("*.yaml"))
EPOCH = "1767225600"  # 2026-01-01, for byte-identical outputs

# The tests keep a cache of their own (see exporter/cache.py), which `packet` run as a program inherits too:
# they neither read nor fill the user's.
CACHE_DIR = Path(tempfile.mkdtemp(prefix="packet-tests-cache-"))
os.environ["PACKET_CACHE_DIR"] = str(CACHE_DIR)


@pytest.fixture(scope="session", autouse=True)
def _remove_test_cache():  # type: ignore[no-untyped-def]
    yield
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


def require_tool(name: str) -> str:
    """The path of an external program; skip without it, or fail in CI."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


def soffice_convert(files: list[Path], to: str, outdir: Path, timeout: int = 300) -> list[Path]:
    """Convert ``files`` with one headless LibreOffice call (its own profile, so calls can run in parallel).

    ``to`` is a LibreOffice filter spec such as "pdf" or "xlsx". Returns the converted paths.
    """
    soffice = require_tool("soffice")
    profile = Path(tempfile.gettempdir()) / f"lo-packet-{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = to.split(":")[0]
    converted = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in converted if not p.exists()]
    assert not missing, f"LibreOffice did not convert: {missing}"
    return converted


def pdftotext(pdf: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return EPOCH
