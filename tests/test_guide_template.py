"""The guide template shipped in the package is the styling code's product, saved: up to date, reproducible, small."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from exporter.render import docx_guide as guide

from .conftest import REPO


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_shipped_template_is_what_the_styling_code_makes(tmp_path: Path) -> None:
    made = tmp_path / "guide-template.docx"
    guide.write_template(made)
    shipped, fresh = members(guide.BASE_DOCUMENT.read_bytes()), members(made.read_bytes())
    stale = sorted(name for name in shipped.keys() | fresh.keys() if shipped.get(name) != fresh.get(name))
    assert not stale, (
        f"{guide.BASE_DOCUMENT.relative_to(REPO)} is out of date with the styling code in exporter/render/docx_guide.py "
        f"(differs in {', '.join(stale)}); regenerate it from the repository with `{guide.TEMPLATE_COMMAND}`"
    )


def test_template_is_reproducible_and_small(tmp_path: Path) -> None:
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    guide.write_template(first)
    guide.write_template(second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        names = archive.namelist()
    # Without python-docx's thumbnail, Word 2010's copy of the styles and the unused styles.
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names
    assert first.stat().st_size < 16_000


def test_the_documented_command_is_the_one_that_writes_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exporter.render.docx_guide", "--no-such-option"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert guide.TEMPLATE_COMMAND in result.stderr
