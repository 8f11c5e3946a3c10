"""The cheat sheet's body drawn once per interview: its page content kept, and put on the next candidate's page.

Between two candidates of one interview, a cheat sheet differs only in its header (the names, the date). Its
body, everything under the header (the time budget, the question sections, the rating scale), is the same
drawing, but for one thing:
reportlab numbers the characters of an embedded font in the order the page first uses them, so names with
letters outside ASCII in the header would renumber the body's. So before anything is drawn, each face the body
uses is given the body's characters, in code point order (:func:`prepare`); the header's other characters come
after. The body's drawing then depends on nothing of the candidate's, and its PDF operators are kept in
packet's cache as text, with the faces and characters to prepare (:class:`KeptBody`). The next candidate's
page is prepared the same way, its header drawn, and the kept operators put in with ``Canvas.addLiteral``:
the same bytes as drawing the body again, with no paragraph parsed, measured or drawn.

reportlab has no public way to read what a page has drawn or which characters a face has numbered, so this
module reads them (the canvas's ``_code`` and ``_doc``, a font's ``state``), and nothing else in packet does.
It is used only with the reportlab release it was checked against (:data:`exporter.fonts.CHECKED_REPORTLAB`);
with any other, every sheet is drawn whole and nothing is kept. ``tests/test_pdf_kept.py`` checks that a
sheet drawn from a kept body is, byte for byte, the sheet drawn whole.
"""

import io
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from reportlab import Version
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..fonts import CHECKED_REPORTLAB

ADAPTED = Version == CHECKED_REPORTLAB

Faces = tuple[tuple[str, str], ...]
"""The registered faces a body uses, in the order it first uses them, each with its characters in code point
order (for a built-in font, none)."""


class KeptBody(NamedTuple):
    """A drawn body: the faces to prepare a page with, and the body's PDF operators."""

    faces: Faces
    page: str

    def data(self) -> dict[str, Any]:
        return {"faces": [list(face) for face in self.faces], "page": self.page}

    @classmethod
    def read(cls, data: object, names: Sequence[str]) -> "KeptBody | None":
        """A body kept as :meth:`data` wrote it, using only the faces of ``names`` and reportlab's built-in
        fonts; None for anything else."""
        if not ADAPTED or not isinstance(data, dict) or set(data) != {"faces", "page"}:
            return None
        faces, page = data["faces"], data["page"]
        # reportlab writes a page's operators in ASCII: its text as escaped codes
        if not isinstance(page, str) or not page.isascii() or not isinstance(faces, list):
            return None
        known = {*names, *pdfmetrics.standardFonts}
        if not all(
            isinstance(face, list) and len(face) == 2 and face[0] in known and isinstance(face[1], str)
            for face in faces
        ):
            return None
        return cls(tuple((name, chars) for name, chars in faces), page)


def _page_resources(canvas: Canvas) -> str:
    """What a page keeps besides its operators and fonts (forms, links, colour spaces, images, transparency):
    a body that adds to any of them is not kept."""
    kept = ("_formsinuse", "_annotationrefs", "_formData", "_colorsUsed", "_shadingUsed", "_currentPageHasImages")
    state = canvas._extgstate
    return repr([getattr(canvas, name, None) for name in kept] + [state._d, state._c])


def faces_used(draw_body: Callable[[Canvas], None], page: tuple[float, float], initial: str) -> Faces | None:
    """The faces ``draw_body`` uses and their characters, found by drawing it on a page that is thrown away;
    None when this reportlab is not the one checked, or the body adds anything else to a page."""
    if not ADAPTED:
        return None
    scratch = Canvas(io.BytesIO(), pagesize=page, initialFontName=initial)
    doc = scratch._doc
    before, resources = set(doc.fontMapping), _page_resources(scratch)
    draw_body(scratch)
    if _page_resources(scratch) != resources:
        return None
    faces = []
    for name in [name for name in doc.fontMapping if name not in before]:
        font = pdfmetrics.getFont(name)
        if not font._dynamicFont:
            faces.append((name, ""))
            continue
        if getattr(font.face, "_full_font", False):
            return None  # a face embedded whole numbers its characters itself
        faces.append((name, "".join(map(chr, sorted(font.state[doc].assignments)))))
    return tuple(faces)


def prepare(canvas: Canvas, faces: Faces) -> None:
    """Register ``faces`` with ``canvas``'s document in their order and number their characters, before anything
    is drawn, so the body's drawing is the same whatever the header holds."""
    doc = canvas._doc
    for name, chars in faces:
        font = pdfmetrics.getFont(name)
        if font._dynamicFont:
            font.splitString(chars, doc)
            font.getSubsetInternalName(0, doc)
        else:
            doc.getInternalFontName(name)


def recorded(canvas: Canvas, draw_body: Callable[[Canvas], None]) -> str:
    """Draw the body on ``canvas``, prepared for it; its PDF operators."""
    start = len(canvas._code)
    draw_body(canvas)
    return "\n".join(canvas._code[start:])


def put(canvas: Canvas, body: KeptBody) -> None:
    """Put a kept body on ``canvas``, prepared for it, as drawing it again would."""
    canvas.addLiteral(body.page)
