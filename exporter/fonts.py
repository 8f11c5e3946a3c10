"""Finding and registering a Unicode TrueType font for the PDF cheat sheet.

Names and bank text in accented Latin, Greek or Cyrillic must print as themselves, which reportlab's
built-in fonts cannot do. The search order: the layout's ``font`` (an absolute path), then DejaVu,
Liberation or Noto Sans in the usual folders, then whatever ``fc-match`` offers; Helvetica is the last
resort. A batch or a loop finds the family once and keeps it in its :class:`~exporter.render.RenderMemo`.

Parsing a face is most of the cost of registering it (about 10 ms for each of DejaVu's three, in Python, glyph
by glyph), so what reportlab learns from a font file is kept in packet's cache (:mod:`exporter.cache`) as
plain data, named by the file's bytes and reportlab's version, and the face is built again from it. reportlab
offers no public way to do that, so it is done by one adapter, :func:`stored_facts` and :func:`face_from`,
used only with the reportlab release it was checked against (:data:`CHECKED_REPORTLAB`); with any other, every
face is parsed. A face from the cache is exactly the face parsed from the file, and the PDF is the same bytes.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reportlab.pdfbase.ttfonts import TTFontFace

from . import cache
from .errors import warn

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

# (family, regular, bold) file names; condensed DejaVu first, as it fits the most text on a page. The sheets
# set nothing in italic, so no italic face is read.
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("DejaVu Sans Condensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
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
    glyphs: frozenset[int] | None  # code points with a glyph; None: built-in (Windows-1252)
    faces: str  # the faces' files, named as FontFile names them: what a measurement made with them depends on

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


class FontFile(NamedTuple):
    """A TrueType file's path, its bytes (read once: the face and its cache entry both come from them) and what
    names them: their length and CRC-32, a checksum that any edit changes, at half the cost of SHA-256 (a
    quarter of a millisecond for DejaVu's 700 kB). The cache it names is the user's own (docs/security.md):
    the checksum tells versions of a file apart, it need not resist a forger."""

    path: Path
    data: bytes
    digest: str

    @classmethod
    def read(cls, path: Path) -> "FontFile":
        from zlib import crc32

        data = path.read_bytes()
        return cls(path, data, f"{len(data)}-{crc32(data):08x}")


def _register(path: Path) -> tuple[str, str]:
    """Register one TTF with reportlab under a name derived from its file and its bytes (so two files of one
    name, say two layouts' fonts in one loop, are two fonts); returns (name, digest)."""
    from reportlab.pdfbase import pdfmetrics

    file = FontFile.read(path)
    name = f"packet-{path.stem}-{file.digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(load_font(name, file))
    return name, file.digest


def _family(label: str, regular: Path, bold: Path | None) -> FontFamily:
    """Register a family; a missing bold face falls back to the regular one. Italic, which the sheets never
    set, is the regular face too."""
    from reportlab.pdfbase import pdfmetrics

    regular_name, regular_digest = _register(regular)
    bold_name, bold_digest = _register(bold) if bold is not None and bold.is_file() else (regular_name, "")
    glyphs = frozenset(pdfmetrics.getFont(regular_name).face.charToGlyph)  # the regular face's: what is checked
    pdfmetrics.registerFontFamily(
        regular_name, normal=regular_name, bold=bold_name, italic=regular_name, boldItalic=bold_name
    )
    return FontFamily(f"{label} ({regular})", regular_name, bold_name, glyphs, f"{regular_digest} {bold_digest}")


def _sibling(path: Path, style: str) -> Path | None:
    """``Foo-Regular.ttf`` → ``Foo-Bold.ttf`` (or ``Foo.ttf`` → ``Foo-Bold.ttf``), if that file exists."""
    stem = path.stem
    base = stem[: -len("-Regular")] if stem.endswith("-Regular") else stem
    candidate = path.with_name(f"{base}-{style}{path.suffix}")
    return candidate if candidate.is_file() else None


def _known_family() -> FontFamily | None:
    dirs = [Path(os.path.expanduser(d)) for d in FONT_DIRS]
    for label, regular, bold in FAMILIES:
        for folder in dirs:
            path = folder / regular
            if path.is_file():
                try:
                    return _family(label, path, folder / bold)
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
            return _family(label, regular, _fc_match(f"{label}:style=Bold"))
        except Exception:  # a font fontconfig offers but reportlab cannot read
            continue
    return None


def font_family(layout_font: str | None = None, layout_file: str = "") -> FontFamily:
    """The font family for the cheat sheet: ``layout_font`` when it loads, else the best one on the system.

    ``layout_file`` names the layout in the warning when its font cannot be used.
    """
    if layout_font:
        path = Path(layout_font)
        try:
            return _family(path.stem, path, _sibling(path, "Bold"))
        except Exception as exc:  # reportlab raises assorted errors for a bad TTF
            where = f"{layout_file}: font" if layout_file else "font"
            warn(f"{where}: cannot use '{layout_font}' ({exc}); give a TrueType (.ttf) file. Using another font")
    found = _known_family() or _fontconfig_family()
    if found is not None:
        return found
    return FontFamily(f"{BUILT_IN} (built-in)", BUILT_IN, "Helvetica-Bold", None, "built-in")


# Parsed faces kept between runs. Everything below leans on how reportlab's TTFontFace keeps what it parsed
# (its attributes, as TTFontFile.extractInfo sets them) and how TTFont.__init__ wraps a face: nothing else in
# packet does, and tests/test_font_faces.py checks, for the release named here, that a face built from the
# cache is attribute for attribute the parsed one and that the PDF is the same bytes.
CHECKED_REPORTLAB = "5.1.0"
FONT_CACHE = "font-faces"  # the cache's kind of entry; not "fonts", where old versions kept pickles
FACES_KEPT = 16  # entries of some 250 kB: the faces of the few families a user's layouts name, used last

# What TTFontFile.extractInfo learns from a file, by how it is stored: names, single numbers, lists of
# numbers, and the mappings (each as its keys and its values, in order).
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_NUMBERS = (
    "unitsPerEm",
    "ascent",
    "descent",
    "capHeight",
    "stemV",
    "italicAngle",
    "underlinePosition",
    "underlineThickness",
    "flags",
    "numGlyphs",
    "defaultWidth",
    "_full_font",
)
_MAPPINGS = ("charToGlyph", "charWidths")


def cache_source(file: FontFile) -> tuple[bytes, bytes]:
    """What a font's cache entry is worked out from: reportlab's release and the version of the file."""
    from reportlab import Version

    return Version.encode(), file.digest.encode()


def load_font(name: str, file: FontFile) -> "TTFont":
    """reportlab's font for the TrueType ``file``, registered as ``name``: its face built from the cache when an
    entry for these exact bytes checks out, else parsed (and kept for the next run)."""
    from reportlab import Version
    from reportlab.pdfbase.ttfonts import TTFont

    path, data = file.path, file.data
    adapter = Version == CHECKED_REPORTLAB
    source = cache_source(file)
    if adapter:
        found = cache.load_raw(FONT_CACHE, source)
        face = None if found is None else face_from(found, path, data)
        if face is not None:
            return font_of(name, face)
    font = TTFont(name, _named_bytes(path, data))
    if adapter:
        facts = stored_facts(font.face)
        if facts is not None:
            cache.store(FONT_CACHE, source, facts[0], keep=FACES_KEPT, raw=facts[1])
    return font


Facts = tuple[dict[str, Any], bytes]
"""What a face learnt from its file: names, numbers and, for each list of numbers, where it is in the bytes
that follow (its numbers packed, see :class:`_Packer`)."""


def stored_facts(face: TTFontFace) -> Facts | None:
    """What ``face`` learnt from its file, as plain data, or None when it would not come back exactly."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    names = [getattr(face, key) for key in _NAMES]
    if not all(type(value) is TTFNameBytes for value in names):
        return None  # a name reportlab made up for a font without one: parsed each time
    packer = _Packer()
    try:
        facts = {
            "names": [value.ustr for value in names],
            "numbers": [getattr(face, key) for key in _NUMBERS],
            "fontRevision": list(face.fontRevision),
            "bbox": face.bbox,
            "mappings": [
                [packer.add(list(mapping)), packer.add(list(mapping.values()))] for mapping in _mappings(face)
            ],
            "hmetrics": [packer.add([aw for aw, _ in face.hmetrics]), packer.add([lsb for _, lsb in face.hmetrics])],
            "glyphPos": packer.add(face.glyphPos),
        }
    except (TypeError, ValueError, OverflowError):  # a value of another kind or range than DejaVu's
        return None
    raw = bytes(packer.raw)
    rebuilt = _facts_applied((facts, raw))
    same = all(repr(rebuilt[key]) == repr(getattr(face, key)) for key in rebuilt if key != "_pdfScale")
    return (facts, raw) if same else None


class StoredFace(TTFontFace):
    """A face built from its stored facts: the face reportlab parses, but for two things no cheat sheet needs
    whole. Its glyph → characters table, which only shaping text with HarfBuzz reads, is not stored: it is
    parsed from the file when first asked for. Its widths and side bearings by glyph (:class:`Metrics`) and
    where each glyph starts in the file, which reportlab reads only for the glyphs it embeds, stay in the
    arrays they are stored as."""

    def __getattr__(self, name: str) -> Any:  # only for attributes not set
        file = self.__dict__.get(_DEFERRED) if name == "glyphToChar" else None
        if file is None:
            raise AttributeError(name)
        from reportlab.pdfbase.ttfonts import TTFontFile

        self.glyphToChar: dict[int, list[int]] = TTFontFile(_named_bytes(*file), validate=0).glyphToChar
        del self.__dict__[_DEFERRED]
        return self.glyphToChar


_DEFERRED = "_packet_font_file"  # the path and bytes a StoredFace parses its glyph → characters table from


class Metrics:
    """A face's advance widths and left side bearings by glyph, read as reportlab reads its list of pairs
    (``hmetrics[glyph]``), from the two arrays they are stored as: a pair is made only for a glyph asked for."""

    __slots__ = ("advances", "bearings")

    def __init__(self, advances: Any, bearings: Any) -> None:
        if len(advances) != len(bearings):
            raise ValueError("facts of another shape")
        self.advances, self.bearings = advances, bearings

    def __len__(self) -> int:
        return len(self.advances)

    def __getitem__(self, glyph: int) -> tuple[Any, Any]:
        return self.advances[glyph], self.bearings[glyph]


def face_from(facts: tuple[Any, Any], path: Path, data: bytes) -> TTFontFace | None:
    """The face reportlab parses from ``data`` (the bytes of ``path``), built from ``facts`` (as
    :func:`stored_facts` makes them, read back from the cache) instead, or None when they are not such facts."""
    from reportlab.pdfbase.pdfmetrics import TypeFace
    from reportlab.pdfbase.ttfonts import TTFontParser

    try:
        applied = _facts_applied(facts, deferred=(path, data))
        glyphs = applied["numGlyphs"]
        # What subsetting reads by glyph must hold every glyph the character map names.
        if len(applied["hmetrics"]) != glyphs or len(applied["glyphPos"]) != glyphs + 1:
            raise ValueError("facts of another shape")
        glyph_of = applied["charToGlyph"].values()
        whole = facts[0]["mappings"][0][1][2] == 0  # the glyphs are whole numbers: none packed as fractional
        if not whole or (glyph_of and not 0 <= min(glyph_of) <= max(glyph_of) < glyphs):
            raise ValueError("facts of another shape")
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, ZeroDivisionError):
        return None
    face = StoredFace.__new__(StoredFace)
    # TTFontFace.__init__ does these two, then TTFontFile.__init__ reads the file's table of contents
    # (TTFontParser.__init__, cheap) and parses the face (extractInfo, the cost this saves).
    TypeFace.__init__(face, None)
    TTFontParser.__init__(face, _named_bytes(path, data), validate=0)
    face.__dict__.update(applied)
    return face


def font_of(name: str, face: TTFontFace) -> "TTFont":
    """A TTFont around an already built ``face``, as TTFont.__init__ makes one around the face it parses."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


def _named_bytes(path: Path, data: bytes) -> Any:
    """``data`` as a file reportlab reads, named ``path``: reportlab takes a file's name from it, as when it
    opens the file itself."""
    import io

    named = io.BytesIO(data)
    named.name = str(path)
    return named


def _mappings(face: TTFontFace) -> list[dict[int, Any]]:
    return [getattr(face, key) for key in _MAPPINGS]


def _facts_applied(found: tuple[Any, Any], deferred: tuple[Path, bytes] | None = None) -> dict[str, Any]:
    """The face's attributes from its facts, but the glyph → characters table; raises on facts of another shape.
    ``deferred``: the font file's path and bytes, for a :class:`StoredFace`, which parses that table from them
    when asked for it and keeps the numbers by glyph in arrays; else every list is a list, as parsed."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    facts, raw = found
    unpacker = _Unpacker(raw)
    attributes: dict[str, Any] = {key: TTFNameBytes(value.encode()) for key, value in zip(_NAMES, facts["names"])}
    attributes.update(zip(_NUMBERS, facts["numbers"]))
    if len(attributes) != len(_NAMES) + len(_NUMBERS):
        raise ValueError("facts of another shape")
    for key, (keys, values) in zip(_MAPPINGS, facts["mappings"]):
        attributes[key] = dict(zip(unpacker.values(keys), unpacker.values(values)))
    advances, bearings = facts["hmetrics"]
    if deferred:
        attributes[_DEFERRED] = deferred
        attributes["hmetrics"] = Metrics(unpacker.sequence(advances), unpacker.sequence(bearings))
        attributes["glyphPos"] = unpacker.sequence(facts["glyphPos"])
    else:
        attributes["hmetrics"] = list(zip(unpacker.unpacked(advances), unpacker.unpacked(bearings)))
        attributes["glyphPos"] = unpacker.unpacked(facts["glyphPos"])
    attributes["fontRevision"] = tuple(facts["fontRevision"])
    attributes["bbox"] = list(facts["bbox"])
    units = attributes["unitsPerEm"]
    factor = 1000 / units
    # extractInfo's own scale: font units to thousandths of an em; a function, so never stored.
    attributes["_pdfScale"] = (lambda x: x) if units == 1000 else (lambda x: x * factor)
    return attributes


# Lists of numbers are kept as packed little-endian machine numbers, in the bytes the cache keeps after an
# entry's JSON: JSON's own lists of 6,000 numbers take longer to read back than parsing the font. A list is whole
# numbers, then fractional ones (reportlab's advance widths are whole up to the last one the font lists, scaled
# after); the facts name where it is: [its offset, how many whole numbers, how many fractional ones].


class _Packer:
    """Packs lists of numbers one after the other."""

    def __init__(self) -> None:
        self.raw = bytearray()

    def add(self, values: list[Any]) -> list[int]:
        from array import array

        whole = 0
        while whole < len(values) and type(values[whole]) is int:
            whole += 1
        if not all(type(value) is float for value in values[whole:]):
            raise TypeError("numbers of another kind")
        ints, floats = array("i", values[:whole]), array("d", values[whole:])
        start = len(self.raw)
        self.raw += _little_endian(ints).tobytes() + _little_endian(floats).tobytes()
        return [start, len(ints), len(floats)]


class _Unpacker:
    """Reads packed lists of numbers back from ``raw``; raises on a place outside it."""

    def __init__(self, raw: Any) -> None:
        self.raw = memoryview(raw)

    def arrays(self, place: list[int]) -> tuple[Any, Any]:
        """The whole numbers and the fractional ones of a packed list, as arrays."""
        from array import array

        start, whole, fractional = place
        if not all(type(number) is int and number >= 0 for number in place):
            raise ValueError("facts of another shape")
        ints, floats = array("i"), array("d")
        middle = start + whole * ints.itemsize
        end = middle + fractional * floats.itemsize
        if end > len(self.raw):
            raise ValueError("facts of another shape")
        ints.frombytes(self.raw[start:middle])
        floats.frombytes(self.raw[middle:end])
        return _little_endian(ints), _little_endian(floats)

    def unpacked(self, place: list[int]) -> list[Any]:
        ints, floats = self.arrays(place)
        return ints.tolist() + floats.tolist()

    def sequence(self, place: list[int]) -> Any:
        """A packed list's numbers, read by position: the array itself when they are all whole, else a list."""
        ints, floats = self.arrays(place)
        return ints.tolist() + floats.tolist() if floats else ints

    def values(self, place: list[int]) -> Iterable[Any]:
        """A packed list's numbers one by one, for a mapping to be made from them without a list first."""
        from itertools import chain

        return chain(*self.arrays(place))


def _little_endian(numbers: Any) -> Any:
    """``numbers`` (an array) in little-endian order; swapped in place on a big-endian machine."""
    import sys

    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
