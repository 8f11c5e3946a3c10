"""Finding and registering a Unicode TrueType font for the PDF cheat sheet.

Names and bank text in accented Latin, Greek or Cyrillic must print as themselves, which reportlab's
built-in fonts cannot do. The search order: the layout's ``font`` (an absolute path), then DejaVu,
Liberation or Noto Sans in the usual folders, then whatever ``fc-match`` offers; Helvetica is the last
resort. Registration is cached per process, since a batch makes a hundred sheets with the same font.

Parsed faces are not kept between runs: reportlab offers no public way to store a parsed font and build it
again, and reading DejaVu's three faces costs about 22 ms of a 0.65 s cheat sheet run.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .errors import warn

# (family, regular, bold, italic) file names; condensed DejaVu first, as it fits the most text on a page.
FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "DejaVu Sans Condensed",
        "DejaVuSansCondensed.ttf",
        "DejaVuSansCondensed-Bold.ttf",
        "DejaVuSansCondensed-Oblique.ttf",
    ),
    ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    ("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"),
    ("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"),
)

# Where Debian/Ubuntu, Fedora, Arch, macOS, Windows and per-user installs put those files.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/liberation",
    "/usr/share/fonts/liberation-sans",
    "/usr/share/fonts/google-noto",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "~/Library/Fonts",
    "/Library/Fonts",
    "/opt/homebrew/share/fonts",
    "C:/Windows/Fonts",
)

BUILT_IN = "Helvetica"


class FontFamily(NamedTuple):  # not a dataclass, which would compile its methods on every start (~1.5 ms)
    """Registered reportlab font names for one family, and which characters it can draw."""

    name: str  # for messages, e.g. "DejaVu Sans Condensed (/usr/share/fonts/...)"
    regular: str
    bold: str
    italic: str
    glyphs: frozenset[int] | None  # code points with a glyph; None: built-in (Windows-1252)

    def can_render(self, char: str) -> bool:
        if char.isspace():
            return True
        if self.glyphs is None:
            try:
                char.encode("cp1252")
            except UnicodeEncodeError:
                return False
            return True
        return ord(char) in self.glyphs

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The characters of ``texts`` this family has no glyph for, sorted."""
        seen = {c for text in texts for c in text}
        return sorted(c for c in seen if not self.can_render(c))


def _register(path: Path) -> tuple[str, frozenset[int]]:
    """Register one TTF with reportlab under a name derived from its file; returns (name, glyphs)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"packet-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    font = pdfmetrics.getFont(name)
    return name, frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _family(label: str, regular: Path, bold: Path | None, italic: Path | None) -> FontFamily:
    """Register a family; a missing bold or italic face falls back to the regular one."""
    from reportlab.pdfbase import pdfmetrics

    regular_name, glyphs = _register(regular)
    bold_name = _register(bold)[0] if bold is not None and bold.is_file() else regular_name
    italic_name = _register(italic)[0] if italic is not None and italic.is_file() else regular_name
    pdfmetrics.registerFontFamily(
        regular_name, normal=regular_name, bold=bold_name, italic=italic_name, boldItalic=bold_name
    )
    return FontFamily(f"{label} ({regular})", regular_name, bold_name, italic_name, glyphs)


def _sibling(path: Path, style: str) -> Path | None:
    """``Foo-Regular.ttf`` → ``Foo-Bold.ttf`` (or ``Foo.ttf`` → ``Foo-Bold.ttf``), if that file exists."""
    stem = path.stem
    base = stem[: -len("-Regular")] if stem.endswith("-Regular") else stem
    candidate = path.with_name(f"{base}-{style}{path.suffix}")
    return candidate if candidate.is_file() else None


def _known_family() -> FontFamily | None:
    dirs = [Path(os.path.expanduser(d)) for d in FONT_DIRS]
    for label, regular, bold, italic in FAMILIES:
        for folder in dirs:
            path = folder / regular
            if path.is_file():
                try:
                    return _family(label, path, folder / bold, folder / italic)
                except Exception:  # a broken font file: try the next candidate
                    continue
    return None


def _fc_match(pattern: str) -> Path | None:
    import shutil
    import subprocess  # only where no known font file is found: not on every start

    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        result = subprocess.run([tool, "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(result.stdout.strip())
    # reportlab embeds TrueType outlines only; an .otf (CFF) or a collection would fail later.
    return path if result.returncode == 0 and path.suffix.lower() == ".ttf" and path.is_file() else None


def _fontconfig_family() -> FontFamily | None:
    for label in [family[0] for family in FAMILIES] + ["sans-serif"]:
        regular = _fc_match(f"{label}:style=Regular")
        if regular is None:
            continue
        try:
            return _family(label, regular, _fc_match(f"{label}:style=Bold"), _fc_match(f"{label}:style=Italic"))
        except Exception:  # a font fontconfig offers but reportlab cannot read
            continue
    return None


@functools.cache
def font_family(layout_font: str | None = None, layout_file: str = "") -> FontFamily:
    """The font family for the cheat sheet: ``layout_font`` when it loads, else the best one on the system.

    ``layout_file`` names the layout in the warning when its font cannot be used.
    """
    if layout_font:
        path = Path(layout_font)
        try:
            return _family(path.stem, path, _sibling(path, "Bold"), _sibling(path, "Italic"))
        except Exception as exc:  # reportlab raises assorted errors for a bad TTF
            where = f"{layout_file}: font" if layout_file else "font"
            warn(f"{where}: cannot use '{layout_font}' ({exc}); give a TrueType (.ttf) file. Using another font")
    found = _known_family() or _fontconfig_family()
    if found is not None:
        return found
    return FontFamily(f"{BUILT_IN} (built-in)", BUILT_IN, "Helvetica-Bold", "Helvetica-Oblique", None)
