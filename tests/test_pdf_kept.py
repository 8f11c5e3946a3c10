"""A cheat sheet's body kept as drawn: the next candidate's sheet, drawn from it, is the sheet drawn whole.

The adapter in exporter/render/pdf_kept.py reads what reportlab draws on a page and how it numbers a face's
characters; these tests are what it was checked with, against the release named in
:data:`exporter.fonts.CHECKED_REPORTLAB`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfgen.canvas import Canvas

from exporter import fonts
from exporter.packet import make_packet
from exporter.render import pdf, pdf_kept
from exporter.render.pdf import CheatSheetRenderer

from .conftest import SHIPPED_ROLES

NAMES = (
    "Ana One",
    "Zoë Ødegård",  # letters the body does not use
    "Μαρία Παπαδοπούλου",  # another script
    "Bartholomew Maximilian Featherstonehaugh-Wolstenholme of Many Names",  # the header on two lines
)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PACKET_CACHE_DIR", str(folder))
    return folder


def drawn(packet, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    CheatSheetRenderer().render(packet, path)
    return path.read_bytes()


def test_the_body_adapter_was_checked_against_the_installed_reportlab():
    # With another release every sheet is drawn whole (always right, only slower). To keep bodies with it, run
    # this file against it; when every test passes, set fonts.CHECKED_REPORTLAB to its version.
    assert pdf_kept.ADAPTED, (
        f"the kept body was checked against reportlab {fonts.CHECKED_REPORTLAB}, not {reportlab.Version}"
    )


@pytest.mark.parametrize("role", SHIPPED_ROLES)
def test_a_sheet_drawn_from_a_kept_body_is_the_sheet_drawn_whole(own_cache, tmp_path, monkeypatch, epoch, role):
    base = make_packet(role, interviewer="Sam Lee", start="10:00")
    monkeypatch.setenv("PACKET_CACHE_DIR", "")
    whole = [drawn(base._replace(candidate=name), tmp_path / "whole.pdf") for name in NAMES]
    monkeypatch.setenv("PACKET_CACHE_DIR", str(own_cache))
    drawing = []
    real = pdf.draw_sections
    monkeypatch.setattr(pdf, "draw_sections", lambda *args: drawing.append(1) or real(*args))
    for name, expected in zip(NAMES, whole):
        drawn(base._replace(candidate="Someone Else Ü"), tmp_path / "first.pdf")  # keeps the body (or did)
        drawing.clear()
        assert drawn(base._replace(candidate=name), tmp_path / "kept.pdf") == expected, name
        # Drawn from the body kept for the first name; a header whose lines end elsewhere has a body of its own.
        assert drawing == [] or name not in NAMES[:2], name
    assert 1 <= len(list((own_cache / pdf.SHEET_CACHE).iterdir())) <= len(NAMES)


def test_the_body_is_prepared_with_its_faces_in_order_and_drawn_the_same(own_cache, tmp_path, epoch):
    packet = make_packet("infra-m3", candidate="Zoë Ødegård")
    drawn(packet, tmp_path / "first.pdf")
    (entry,) = (own_cache / pdf.SHEET_CACHE).iterdir()
    kept = json.loads(entry.read_bytes().split(b"\n", 3)[3])
    family = fonts.font_family()
    body = pdf_kept.KeptBody.read(kept["body"], (family.regular, family.bold))
    assert body is not None
    assert sorted(name for name, _ in body.faces) == sorted([family.regular, family.bold])
    for _, chars in body.faces:
        assert list(chars) == sorted(chars) and "ø" not in chars.lower()  # the body's own, in code point order
    assert "Tf" in body.page and "Ødegård" not in body.page


def test_a_body_that_adds_anything_else_to_a_page_is_not_kept():
    def with_link(canvas: Canvas) -> None:
        canvas.drawString(72, 72, "x")
        canvas.linkURL("https://example.com", (72, 72, 90, 90))

    def with_transparency(canvas: Canvas) -> None:
        canvas.setFillAlpha(0.5)

    page = (612.0, 792.0)
    assert pdf_kept.faces_used(with_link, page, "Helvetica") is None
    assert pdf_kept.faces_used(with_transparency, page, "Helvetica") is None

    def plain(canvas: Canvas) -> None:
        canvas.setFont("Times-Roman", 10)
        canvas.drawString(72, 72, "x")

    assert pdf_kept.faces_used(plain, page, "Helvetica") == (("Times-Roman", ""),)  # a built-in font: no codes


def test_a_recorded_body_put_on_a_prepared_page_gives_the_same_bytes():
    family = fonts.font_family()
    page = (612.0, 792.0)

    def body(canvas: Canvas) -> None:
        canvas.setFont(family.bold, 12)
        canvas.drawString(72, 600, "Ship it — 5 min ✓")
        canvas.setFont(family.regular, 9)
        canvas.drawString(72, 580, "naïve café")

    def made(header: str, kept: pdf_kept.KeptBody | None) -> tuple[bytes, pdf_kept.KeptBody]:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=page, invariant=1, initialFontName=family.regular)
        faces = kept.faces if kept else pdf_kept.faces_used(body, page, family.regular)
        assert faces is not None
        pdf_kept.prepare(canvas, faces)
        canvas.setFont(family.regular, 10)
        canvas.drawString(72, 700, header)
        if kept is None:
            kept = pdf_kept.KeptBody(faces, pdf_kept.recorded(canvas, body))
        else:
            pdf_kept.put(canvas, kept)
        canvas.showPage()
        canvas.save()
        return out.getvalue(), kept

    _, kept = made("Zoë Ødegård", None)
    for header in ("Ana One", "Ørjan Ñúñez", "Μαρία"):
        assert made(header, kept)[0] == made(header, None)[0], header


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"faces": [], "page": "x", "more": 1},
        {"faces": [["other-font", "abc"]], "page": "x"},
        {"faces": [["packet-x", 1]], "page": "x"},
        {"faces": "packet-x", "page": "x"},
        {"faces": [], "page": b"x"},
        {"faces": [], "page": "BT \ud800 ET"},  # reportlab writes operators in ASCII
        {"faces": [], "page": "BT (caf\u00e9) Tj ET"},
    ],
)
def test_a_kept_body_of_another_shape_or_with_other_faces_is_not_read(data):
    assert pdf_kept.KeptBody.read(data, ("packet-x", "packet-y")) is None


def test_a_kept_body_may_use_reportlabs_built_in_fonts():
    """The built-in Helvetica family draws marks it lacks from Symbol or ZapfDingbats."""
    body = pdf_kept.KeptBody.read({"faces": [["ZapfDingbats", ""], ["packet-x", "é"]], "page": "x"}, ("packet-x",))
    assert body == pdf_kept.KeptBody((("ZapfDingbats", ""), ("packet-x", "é")), "x")


def test_with_another_reportlab_no_body_is_read_or_kept(monkeypatch):
    monkeypatch.setattr(pdf_kept, "ADAPTED", False)
    assert pdf_kept.KeptBody.read({"faces": [], "page": "x"}, ()) is None
    assert pdf_kept.faces_used(lambda canvas: None, (612.0, 792.0), "Helvetica") is None
