"""The loop overview: one page for the recruiter and the debrief — who asks what, when, covering which categories.

Written once per candidate beside the slots' packets, as a one-page PDF (reportlab, the cheat sheet's
Unicode font from :mod:`exporter.fonts`) and as Markdown with the same content. It prints what the
resolved :class:`~exporter.loop_model.LoopPackets` hold, with a row for each break between slots
(:func:`exporter.loop_model.breaks`); the per-category weights come from
:func:`exporter.coverage.packet_coverage`, as in `packet coverage`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..coverage import packet_coverage
from ..loop_model import MIN_SLOTS_PER_CATEGORY, Break, LoopPackets, breaks
from ..model import Category, Packet
from ..text import markdown_text, typeset
from . import RenderMemo


@dataclass(frozen=True)
class SlotLine:
    """One slot's row of the overview, as text both outputs print."""

    number: int
    when: str  # "10:00–10:30", with the date in front when the loop spans several days
    interviewer: str  # the name the recruiter gave, or the loop file's text
    role: str  # the loop file's text beside a name ("Hiring manager"); "" when no name was given
    interview: str  # the layout's title and file name
    questions: tuple[str, ...]  # "1. Title (7 min)" and "1b. Backup: Title"
    weights: tuple[float, ...]  # per category, in the bank's order
    followed_by: Break | None = None  # the break before the next slot


def _date_text(date: dt.date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def _slot_lines(loop_packets: LoopPackets) -> list[SlotLine]:
    several_days = len({p.date for p in loop_packets.packets}) > 1
    gaps = breaks(loop_packets.loop.slots)
    lines = []
    for slot, packet in zip(loop_packets.loop.slots, loop_packets.packets, strict=True):
        when = f"{slot.start}\u2013{slot.end}"
        if several_days and packet.date is not None:
            when = f"{packet.date:%a} {packet.date.day} {packet.date:%b}, {when}"
        questions = []
        for section in packet.question_sections:
            if section.question is not None:
                q = section.question
                # No-break spaces: "(6 min)" never stands alone on a line, but with the title's last word.
                questions.append(f"{q.label}. {q.question.title}\u00a0({section.minutes}\u00a0min)")
            if section.backup is not None:
                questions.append(f"{section.backup.label}. Backup: {section.backup.question.title}")
        totals = packet_coverage(packet).totals
        lines.append(
            SlotLine(
                number=slot.number,
                when=when,
                interviewer=slot.name or slot.interviewer,
                role=slot.interviewer if slot.name else "",
                interview=f"{packet.title} ({packet.role}, {packet.minutes} min)",
                questions=tuple(questions),
                weights=tuple(totals[c.id] for c in packet.categories),
                followed_by=gaps.get(slot.number),
            )
        )
    return lines


def _hyphen_breaks(text: str, fits: Callable[[str], bool]) -> str:
    """``text`` with a space after a hyphen where a hyphenated word does not fit on a line, so the line breaks
    there (``infra-m3-onsite-`` / ``dev-infra``) rather than inside a word, as reportlab would break it."""
    words = []
    for word in text.split(" "):
        pieces = word.split("-")
        lines = [pieces[0]]
        for piece in pieces[1:]:
            if fits(f"{lines[-1]}-{piece}"):
                lines[-1] += f"-{piece}"
            else:
                lines[-1] += "-"
                lines.append(piece)
        words.append(" ".join(lines))
    return " ".join(words)


def _categories(loop_packets: LoopPackets) -> tuple[Category, ...]:
    return loop_packets.packets[0].categories if loop_packets.packets else ()


def _weight(value: float) -> str:
    return f"{value:g}" if value else "\u2014"


def _heading(loop_packets: LoopPackets, blank: str) -> tuple[str, str]:
    """The title, and the candidate and date; ``blank`` stands for a candidate not named yet."""
    candidate = loop_packets.candidate or blank
    return loop_packets.loop.title, f"{candidate} \u00b7 {_date_text(loop_packets.date)}"


def _slots_covering(lines: list[SlotLine], count: int) -> list[int]:
    return [sum(1 for line in lines if line.weights[i] > 0) for i in range(count)]


NOTE = (
    "Each question is asked once in the loop. Numbers under a category are the total weight the slot's questions "
    "carry in it; every category should be covered by at least two slots, so the debrief hears two views of each."
)


def overview_markdown(loop_packets: LoopPackets) -> str:
    """The overview as Markdown: a heading and one table row per slot."""
    title, subtitle = _heading(loop_packets, "Candidate not named")
    categories = _categories(loop_packets)
    lines = _slot_lines(loop_packets)
    head = ["#", "Time", "Interviewer", "Interview", "Questions", *[c.label for c in categories]]
    rows = [f"# {markdown_text(title)}", "", markdown_text(subtitle), ""]
    rows += ["| " + " | ".join(markdown_text(h) for h in head) + " |", "|" + "---|" * len(head)]
    for line in lines:
        interviewer = f"{line.interviewer} ({line.role})" if line.role else line.interviewer
        texts = (str(line.number), line.when, interviewer, line.interview)
        cells = [markdown_text(c) for c in texts]
        cells.append("<br>".join(markdown_text(q) for q in line.questions))
        cells += [_weight(w) for w in line.weights]
        rows.append("| " + " | ".join(cells) + " |")
        if line.followed_by is not None:
            gap = line.followed_by
            rows.append(f"| | {gap.start}\u2013{gap.end} | *{gap.label}* |" + " |" * (len(head) - 3))
    covering = _slots_covering(lines, len(categories))
    rows.append("| | | | | **Slots covering the category** | " + " | ".join(f"**{n}**" for n in covering) + " |")
    rows += ["", NOTE, ""]
    return "\n".join(rows)


def render_overview_markdown(loop_packets: LoopPackets, path: Path) -> None:
    path.write_text(overview_markdown(loop_packets), encoding="utf-8")


def render_overview_pdf(loop_packets: LoopPackets, path: Path, memo: RenderMemo | None = None) -> None:
    """The overview on one landscape page; a long loop is shrunk to fit rather than spill onto a second.
    ``memo`` is the loop's shared work (its font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, LETTER, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    from .pdf_streams import binary_streams, layout_font

    packets: tuple[Packet, ...] = loop_packets.packets
    first = packets[0].layout if packets else None
    font = layout_font(first, memo)
    page = landscape(A4 if (packets and packets[0].paper == "a4") else LETTER)
    margin = 0.5 * inch
    ink = colors.HexColor("#1F2A44")
    body = ParagraphStyle("body", fontName=font.regular, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#595959"))
    bold = ParagraphStyle("bold", parent=body, fontName=font.bold)
    bold_small = ParagraphStyle("bold_small", parent=bold, fontSize=8, leading=10)
    centred = ParagraphStyle("centred", parent=body, alignment=1)
    bold_centred = ParagraphStyle("bold_centred", parent=bold, alignment=1)
    title_style = ParagraphStyle("title", parent=body, fontName=font.bold, fontSize=17, leading=21, textColor=ink)
    sub_style = ParagraphStyle("sub", parent=body, fontSize=11, leading=14)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        """``text`` typeset, as the cheat sheet beside it (curly quotes, a true minus), and taken as it is."""
        escaped = typeset(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    title, subtitle = _heading(loop_packets, "Candidate: ________________")
    categories = _categories(loop_packets)
    lines = _slot_lines(loop_packets)
    width = page[0] - 2 * margin
    # The questions take the room; the other columns are as narrow as their words allow: the time, a layout's
    # file name (infra-m3-onsite-dev-infra) and a category heading's longest word never break inside.
    category_width = 0.87 * inch
    fixed = [0.3 * inch, 0.82 * inch, 1.1 * inch, 1.2 * inch]
    padding = 4
    question_width = width - sum(fixed) - category_width * len(categories)

    def fitted(text: str, style: ParagraphStyle, column: int) -> Paragraph:
        """A paragraph of ``column`` whose hyphenated words break at a hyphen when they must break."""
        room = fixed[column] - 2 * padding
        return para(_hyphen_breaks(text, lambda s: stringWidth(s, style.fontName, style.fontSize) <= room), style)

    break_style = ParagraphStyle("break", parent=body, fontName=font.bold, textColor=colors.HexColor("#595959"))
    head = [para(h, bold) for h in ("#", "Time", "Interviewer", "Interview", "Questions")]
    head += [para(c.label, bold_small) for c in categories]
    data: list[list[Flowable | str]] = [head]
    break_rows = []
    for line, packet in zip(lines, packets, strict=True):
        interviewer = [fitted(line.interviewer, bold, 2)] + ([fitted(line.role, small, 2)] if line.role else [])
        row: list[Flowable | str] = [
            para(str(line.number), bold),
            para(line.when),
            interviewer,  # type: ignore[list-item]
            [para(packet.title), fitted(packet.role, small, 3)],  # type: ignore[list-item]
            [para(q) for q in line.questions],  # type: ignore[list-item]
        ]
        row += [para(_weight(w), centred) for w in line.weights]
        data.append(row)
        if line.followed_by is not None:
            gap = line.followed_by
            break_rows.append(len(data))
            data.append(["", para(f"{gap.start}\u2013{gap.end}", small), para(gap.label, break_style)])
            data[-1] += [""] * (5 + len(categories) - len(data[-1]))
    covering = _slots_covering(lines, len(categories))
    data.append(
        ["", "", "", "", para("Slots covering the category", bold), *[para(str(n), bold_centred) for n in covering]]
    )
    table = Table(data, colWidths=[*fixed, question_width, *[category_width] * len(categories)], repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#A6A6A6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7ECF3")),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F4F8")),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
    ]
    for row_index in break_rows:  # one quiet band across the table: nobody is interviewing
        style += [
            ("SPAN", (2, row_index), (-1, row_index)),
            ("BACKGROUND", (0, row_index), (-1, row_index), colors.HexColor("#F7F7F7")),
            ("TOPPADDING", (0, row_index), (-1, row_index), 2),
            ("BOTTOMPADDING", (0, row_index), (-1, row_index), 2),
        ]
    for i, count in enumerate(covering):
        if count < MIN_SLOTS_PER_CATEGORY:  # a gap the debrief should know about before the day
            style.append(("BACKGROUND", (5 + i, -1), (5 + i, -1), colors.HexColor("#F8D7DA")))
    table.setStyle(TableStyle(style))
    story = [para(title, title_style), para(subtitle, sub_style), Spacer(1, 10), table, Spacer(1, 8)]
    story.append(para(NOTE, small))
    document = SimpleDocTemplate(
        str(path),
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{title} \u2014 {loop_packets.candidate}" if loop_packets.candidate else title,
        author="packet",
        subject="Onsite loop overview",
        creator="packet",
    )
    frame_height = page[1] - 2 * margin - 6  # the frame's own padding
    with binary_streams():  # as the cheat sheets are written
        document.build([KeepInFrame(width, frame_height, story, mode="shrink")])
