"""The Word interview guide, read back as a user's program would (python-docx) and in a real client (LibreOffice).

Checks the contents and their order, Word's heading styles, tick boxes, the footer's page fields, paper size,
any text surviving intact, schema order (what Word's "repair" prompt trips on), and byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from exporter.cli import main
from exporter.coverage import packet_coverage
from exporter.model import Packet, PacketQuestion
from exporter.packet import make_packet
from exporter.render import RenderMemo
from exporter.render import docx_guide as guide
from exporter.render.docx import GuideRenderer
from exporter.reproducible import write_zip
from exporter.text import clean, plain, typeset

from .conftest import MINI, MINI_BANK, MINI_LAYOUTS, SHIPPED_ROLES, pdftotext, soffice_convert

ROLES = ("infra-m3", "infra-m3-people")  # the shipped layouts looked at and checked in LibreOffice
DETAILS = ("--candidate", "Zoë Ødegård", "--interviewer", "Sam Lee", "--date", "2026-03-04", "--start", "14:00")
TRICKY = "Ask \"Zoë\" & 'Ødegård' <b>Ωμέγα</b> Привет 日本語 עברית العربية 🚀 naïve—café"
TRICKY_CANDIDATE = 'Zoë "Z" O\'Brien & <Σοφία> Ірина 李小龍 שרה 🎉'


def make_guide(runner: CliRunner, out: Path, *args: str) -> Path:
    result = runner.invoke(main, ["make", "--format", "docx", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    [path] = out.glob("*.docx")
    assert result.stdout == f"{path}\n"
    return path


def texts(document: DocumentObject) -> list[str]:
    """Every paragraph's text in reading order, table cells included."""
    return [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]


def styled(document: DocumentObject, style: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style is not None and p.style.name == style]


def tables_text(document: DocumentObject) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def squeeze(text: str) -> str:
    """Whitespace folded to single spaces: LibreOffice wraps long texts and pdftotext lays out columns."""
    return re.sub(r"\s+", " ", text).strip()


def tricky_bank(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini bank whose first question carries quotes, markup, emoji and six scripts."""
    bank, layouts = tmp_path / "bank", tmp_path / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    questions_file = bank / "questions" / "mini.yaml"
    data = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    first = data["questions"][0]
    first["title"] = f"Τίτλος & <Заголовок> {first['title']}"
    first["text"] = TRICKY
    first["goal"] = f"Goal: {TRICKY}"
    first["follow_ups"] = [f"Follow-up: {TRICKY}"]
    first["great"] = [f"Great: {TRICKY}", "Ελληνικά και кириллица"]
    first["negative"] = [f"Negative: {TRICKY}"]
    first["technologies"] = {"Outils & <Werkzeuge>": ["Jenkins", "Ansible 🚀", "東京"]}
    questions_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bank, layouts


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> dict[str, tuple[Packet, Path]]:
    """The shipped roles with every detail given, infra-m3 on A4, the mini role with none, and the tricky-text
    bank."""
    runner = CliRunner()
    made = {}
    for role in ROLES:
        out = tmp_path_factory.mktemp(role)
        packet = make_packet(
            role, candidate="Zoë Ødegård", interviewer="Sam Lee", date=dt.date(2026, 3, 4), start="14:00"
        )
        made[role] = (packet, make_guide(runner, out, "--role", role, *DETAILS))
    out = tmp_path_factory.mktemp("infra-m3-a4")
    a4 = make_packet("infra-m3", paper="a4", start="09:30")
    made["infra-m3-a4"] = (a4, make_guide(runner, out, "--role", "infra-m3", "--paper", "a4", "--start", "09:30"))
    mini_out = tmp_path_factory.mktemp("mini")
    mini = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS, paper="a4")
    made["mini"] = (mini, make_guide(runner, mini_out, "--role", "mini", *MINI, "--paper", "a4"))
    root = tmp_path_factory.mktemp("tricky")
    bank, layouts = tricky_bank(root)
    tricky = make_packet("mini", bank_dir=bank, layouts_dir=layouts, candidate=TRICKY_CANDIDATE)
    args = ("--role", "mini", "--bank", str(bank), "--layouts", str(layouts), "--candidate", TRICKY_CANDIDATE)
    made["tricky"] = (tricky, make_guide(runner, root / "out", *args))
    return made


def test_the_checked_layouts_are_shipped():
    assert set(ROLES) <= set(SHIPPED_ROLES), f"layouts/ holds {SHIPPED_ROLES}"


def test_file_name_and_a_valid_package(guides):
    packet, path = guides["infra-m3"]
    assert path.name == "infra-m3-zoe-odegard-sam-lee-guide.docx"
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        names = package.namelist()
    assert names[0] == "[Content_Types].xml"
    assert "word/document.xml" in names
    assert "docProps/thumbnail.jpeg" not in names  # the template's thumbnail shows another document


@pytest.mark.parametrize("role", [*ROLES, "mini"])
def test_contents_in_order_with_word_heading_styles(guides, role):
    packet, path = guides[role]
    document = Document(str(path))
    assert [p.text for p in styled(document, "Title")] == [typeset(packet.title)]
    expected_h2 = [backup_heading(asked) for asked in packet.questions if asked.backup_for]
    pages = page_headings(packet)[1:]  # one page per question and per backup, then the two closing pages
    expected_h1 = ["How to use this guide", "Time budget", *(p for p in pages if p not in expected_h2)]
    assert [p.text for p in styled(document, "Heading 1")] == expected_h1
    assert [p.text for p in styled(document, "Heading 2")] == [
        *expected_h2,
        "How the scorecard scores",
        "Category weights",
    ]
    for style in ("Heading 1", "Heading 2", "Guide Label", "Guide Meta"):
        # no heading or label alone at the foot of a page
        assert document.styles[style].paragraph_format.keep_with_next, style
        assert document.styles[style].paragraph_format.widow_control, style
    assert [p.text for p in document.paragraphs if p.paragraph_format.page_break_before] == pages


def assert_holds_the_layout(packet: Packet, document: DocumentObject) -> None:
    """Every question's goal, wording, follow-ups, signals as tick boxes and technologies; lines for notes."""
    t = typeset
    lines = texts(document)
    ticks = [line for line in lines if line.startswith("\u2610")]
    expected_ticks = []
    for asked in packet.questions:
        entry = asked.question
        assert f"Goal \u2014 {t(asked.category.label)}: {t(entry.goal)}" in lines
        assert t(entry.text) in lines
        for follow_up in entry.follow_ups:
            assert f"\u2022\t{t(follow_up)}" in lines
        expected_ticks += [f"\u2610\t{t(s)}" for s in (*entry.great_signals, *entry.negative_signals)]
        for group, names in entry.technologies.items():
            assert f"\u2022\t{t(group)}: {t(', '.join(names))}" in lines
        if asked.backup_for is not None:
            assert any(line.startswith(f"Use when: {t(asked.backup_when or '')}\n") for line in lines)
    assert ticks == expected_ticks  # every signal a tick box, in order, and nothing else ticked
    labels = [p.text for p in styled(document, "Guide Label")]
    assert labels.count("A great answer will mention") == len(packet.questions)
    assert labels.count("Negative signals to look out for") == len(packet.questions)
    assert labels.count("Notes") == len(packet.questions)
    ruled = [t for t in document.tables if all(r.height_rule == WD_ROW_HEIGHT_RULE.EXACTLY for r in t.rows)]
    assert len(ruled) == len(packet.questions)
    assert all(len(t.rows) >= guide.MIN_NOTES_LINES >= 4 for t in ruled)
    for table in ruled:  # ruled lines for handwriting, not a grid
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert [child.tag.split("}")[1] for child in borders] == ["bottom", "insideH"]


@pytest.mark.parametrize("role", [*ROLES, "mini", "tricky"])
def test_every_question_follow_up_and_signal_of_the_layout(guides, role):
    packet, path = guides[role]
    assert_holds_the_layout(packet, Document(str(path)))


@pytest.mark.parametrize("role", SHIPPED_ROLES)
def test_every_shipped_layout(tmp_path, role):
    packet = make_packet(role, start="09:30")
    path = tmp_path / "guide.docx"
    GuideRenderer().render(packet, path)
    assert_holds_the_layout(packet, Document(str(path)))


def test_goal_folds_in_the_category_this_packet_asks_for(guides):
    packet, path = guides["mini"]
    planning = next(q for q in packet.questions if q.question.id == "planning")
    assert planning.category.label == "Strategic direction"  # the layout's category, not only the bank's
    assert "Goal \u2014 Strategic direction: Assess planning." in texts(Document(str(path)))


def test_cover_fills_in_what_is_given(guides):
    _, path = guides["infra-m3"]
    cover = tables_text(Document(str(path)))[0]
    assert cover == [
        ["Candidate", "Zoë Ødegård"],
        ["Interviewer", "Sam Lee"],
        ["Date", "2026-03-04"],
        ["Time", "14:00\u201314:30"],
        ["Slot", "30\u00a0minutes"],
    ]


def test_cover_leaves_lines_to_write_on(guides):
    packet, path = guides["mini"]
    document = Document(str(path))
    table = document.tables[0]
    values = {row.cells[0].text: row.cells[1] for row in table.rows}
    assert values["Date"].text == packet.date.isoformat()
    for name in ("Candidate", "Interviewer", "Time"):
        assert values[name].text == ""
        borders = values[name]._tc.tcPr.find(qn("w:tcBorders"))
        assert borders is not None and borders.find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert values["Slot"]._tc.tcPr.find(qn("w:tcBorders")) is None
    header = document.sections[0].header
    assert header.tables[0].rows[0].cells[1].text == "Candidate: " + "_" * 18


def test_team_context_and_how_to_use(guides):
    packet, path = guides["infra-m3"]
    lines = texts(Document(str(path)))
    assert typeset(packet.layout.team_context) in lines
    how = lines.index("How to use this guide")
    advice = " ".join(lines[how + 1 : lines.index("Time budget")]).lower()
    for point in ("in order", "time budget", "backup", "signals", "tick", "circle a rating", "notes", "scorecard"):
        assert point in advice
    for mechanics in MECHANICS:  # the interviewer is told what to do, not how the scores are computed
        assert mechanics not in advice


@pytest.mark.parametrize("role", ["infra-m3", "mini"])
def test_time_budget_table(guides, role):
    packet, path = guides[role]
    table = next(t for t in tables_text(Document(str(path))) if t[0] == ["Section", "Minutes", "Time"])
    body = table[1:-1]
    assert len(body) == len(packet.sections)
    for row, section in zip(body, packet.sections):
        name = f"{section.question.label}. {section.title}" if section.question else section.title
        assert row[0].split("\n")[0] == typeset(name)
        assert row[1:] == [str(section.minutes), typeset(section.time_range)]
        if section.backup is not None:
            backup = f"Backup {section.backup.label}: {section.backup.question.title}"
            assert row[0].split("\n")[1] == typeset(backup)
    slot = "14:00\u201314:30" if packet.start else f"0\u2013{packet.minutes}\u00a0min"
    assert table[-1] == ["Total", str(packet.minutes), slot]


@pytest.mark.parametrize("role", [*ROLES, "mini"])
def test_question_by_category_table_is_the_planning_coverage(guides, role):
    packet, path = guides[role]
    coverage = packet_coverage(packet)
    table = next(t for t in tables_text(Document(str(path))) if t[0][0] == "Question")
    assert table[0] == ["Question", *(typeset(c.label) for c in coverage.categories)]
    assert len(table) == len(coverage.rows) + 2
    for row, line in zip(table[1:], coverage.rows):
        assert row[0].startswith(f"{line.label}. ")
        assert row[1:] == [f"{line.weights[c.id]:g}" if line.weights[c.id] else "" for c in coverage.categories]
    assert table[-1] == ["Total weight", *(f"{coverage.totals[c.id]:g}" for c in coverage.categories)]


def asked_in_page_order(packet: Packet) -> list[PacketQuestion]:
    """The questions and backups in the order of their pages."""
    return [asked for s in packet.question_sections for asked in (s.question, s.backup) if asked is not None]


def question_heading(packet: Packet, asked: PacketQuestion) -> str:
    if asked.backup_for is not None:
        return backup_heading(asked)
    section = next(s for s in packet.question_sections if s.question == asked)
    return typeset(f"{asked.label}. {section.title}")


def backup_heading(asked: PacketQuestion) -> str:
    return typeset(f"{asked.label}. Backup: {asked.question.title}")


def page_headings(packet: Packet) -> list[str]:
    """What each printed page starts with: the title, one heading per question page, then the closing pages."""
    questions = [question_heading(packet, asked) for asked in asked_in_page_order(packet)]
    return [typeset(packet.title), *questions, "Why the questions are in this order", "For the recruiter"]


def pages_of(document: DocumentObject) -> list[list[BaseOxmlElement]]:
    """The body's paragraphs and tables, cut where a paragraph starts a new page."""
    pages: list[list[BaseOxmlElement]] = [[]]
    for element in document.element.body.iterchildren(qn("w:p"), qn("w:tbl")):
        if element.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
            pages.append([])
        pages[-1].append(element)
    return pages


def page_text(document: DocumentObject, page: list[BaseOxmlElement]) -> str:
    return "\n".join(Paragraph(p, document).text for element in page for p in element.iter(qn("w:p")))


def rating_boxes(page: list[BaseOxmlElement]) -> list[BaseOxmlElement]:
    return [e for e in page if e.tag == qn("w:tbl") and "\u2460" in "".join(e.itertext())]


MECHANICS = ("\u00f7", "total weight", "recommends", "signal score", "category score", "own weights", "left out")
"""The guide's words for the scoring mechanics, which belong on the recruiter's page, never on the interviewer's
(a layout's rationale may still speak of a question's weight)."""


def assert_rating_boxes(packet: Packet, path: Path) -> None:
    """One box on each question and backup page, the scale's four levels to circle above what each looks like."""
    document = Document(str(path))
    pages = pages_of(document)
    scale = packet.layout.rating_scale
    levels = [f"{chr(0x2460 + level.score - 1)} {typeset(level.label)}" for level in scale]
    asked_pages = asked_in_page_order(packet)
    assert len(pages) == len(asked_pages) + 3  # the cover, a page per question, the two closing pages
    for asked, page in zip(asked_pages, pages[1:]):
        assert page_text(document, page).startswith(question_heading(packet, asked))
        [box] = rating_boxes(page)
        [top, anchors] = [[cell.text for cell in row.cells] for row in Table(box, document).rows]
        assert top == levels
        looks_like = asked.question.rating_anchors or tuple(level.anchor for level in scale)
        assert anchors == [typeset(text) for text in looks_like]
        # Kept with the "Notes" label and its first line: the box never ends a page alone.
        after = page[page.index(box) + 1 :]
        assert Paragraph(after[0], document).text == "Notes"
        assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in box.iter(qn("w:p")))
    for page in (pages[0], *pages[-2:]):
        assert not rating_boxes(page)


@pytest.mark.parametrize("role", [*ROLES, "mini"])
def test_a_rating_box_on_every_question_page(guides, role):
    """The shipped questions say what each level looks like for them; the mini fixture's take the layout's words."""
    packet, path = guides[role]
    anchored = [bool(asked.question.rating_anchors) for asked in packet.questions]
    assert all(anchored) if role != "mini" else not any(anchored)
    assert_rating_boxes(packet, path)


def anchored_bank(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini bank where the first and last questions say what each rating looks like for them."""
    bank, layouts = tmp_path / "bank", tmp_path / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    questions_file = bank / "questions" / "mini.yaml"
    data = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    data["questions"][0]["rating_anchors"] = {
        1: "No pipeline of their own; the team's work told as someone else's.",
        2: 'One change, no numbers; "we" and "I" blurred.',
        3: "A concrete change with a before and after, e.g. -20% build time.",
        4: "Several changes, measured, owned by the team and still running today.",
    }
    data["questions"][-1]["rating_anchors"] = {n: f"Planning level {n}." for n in (1, 2, 3, 4)}
    questions_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bank, layouts


def test_the_rating_box_says_what_each_level_looks_like_for_this_question(runner, tmp_path):
    bank, layouts = anchored_bank(tmp_path)
    packet = make_packet("mini", bank_dir=bank, layouts_dir=layouts)
    anchored = [asked.question.id for asked in packet.questions if asked.question.rating_anchors]
    assert anchored == ["pipeline", "planning"]  # the backup and "toil" keep the layout's words
    path = make_guide(runner, tmp_path / "out", "--role", "mini", "--bank", str(bank), "--layouts", str(layouts))
    assert_rating_boxes(packet, path)
    lines = texts(Document(str(path)))
    assert "A concrete change with a before and after, e.g. \u221220% build time." in lines
    assert "One change, no numbers; \u201cwe\u201d and \u201cI\u201d blurred." in lines


@pytest.mark.parametrize("role", [*ROLES, "mini"])
def test_the_recruiter_page_holds_the_scoring_mechanics_and_the_interviewers_pages_do_not(guides, role):
    packet, path = guides[role]
    document = Document(str(path))
    *interviewer, recruiter = [page_text(document, page) for page in pages_of(document)]
    for text in interviewer:
        assert not [words for words in MECHANICS if words in text.lower()], text[:60]
    assert recruiter.startswith("For the recruiter\n")
    for words in ("great ticked \u00f7 great total", "negative ticked \u00f7 negative total", "weight", "left out"):
        assert words in recruiter
    t = packet.layout.thresholds
    thresholds = f"recommends Strong yes from {t.strong_yes:+.0%}, Yes from {t.yes:+.0%}, No from {t.no:+.0%}"
    assert typeset(thresholds) in recruiter
    has_backup = any(s.backup is not None for s in packet.question_sections)
    assert ("A backup question, when asked, is scored with its own weights" in recruiter) is has_backup
    # The weights table is the recruiter page's last element, introduced by a paragraph kept with it.
    last = pages_of(document)[-1]
    assert last[-1].tag == qn("w:tbl") and Table(last[-1], document).rows[0].cells[0].text == "Question"
    assert last[-2].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_the_rationale_closes_the_interviewers_pages(guides):
    packet, path = guides["infra-m3"]
    document = Document(str(path))
    rationale = packet.layout.rationale
    page = page_text(document, pages_of(document)[-2])
    assert page.startswith("Why the questions are in this order\n" + typeset(rationale.summary))
    closing = next(
        t for t in tables_text(document) if t[0] == ["Strengths of this order", "Trade-offs to keep in mind"]
    )
    assert closing[1][0].split("\n") == [f"\u2022\t{typeset(p)}" for p in rationale.pros]
    assert closing[1][1].split("\n") == [f"\u2022\t{typeset(c)}" for c in rationale.cons]


def test_header_and_page_x_of_y_fields(guides):
    packet, path = guides["infra-m3"]
    section = Document(str(path)).sections[0]
    assert [c.text for c in section.header.tables[0].rows[0].cells] == [
        f"{packet.title} ({packet.level})",
        "Candidate: Zoë Ødegård",
    ]
    footer = section.footer._element
    assert section.footer.paragraphs[0].text == "Page 1 of 1"  # the fields' cached values; clients update them
    kinds = [e.get(qn("w:fldCharType")) for e in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert [e.text.strip() for e in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


def test_the_running_headers_role_cell_is_as_wide_as_the_role_needs_and_the_rest_is_the_names(guides):
    widths = {}
    for role, (_, path) in guides.items():
        grid = Document(str(path)).sections[0].header.tables[0]._tbl.tblGrid
        widths[role] = [int(column.get(qn("w:w"))) for column in grid.findall(qn("w:gridCol"))]
        share = widths[role][0] / sum(widths[role])
        assert 0.24 < share < 0.65, role
    # "Infrastructure Manager (Radford M3)" needs well under half the line (A4 here): a name has the rest.
    assert widths["infra-m3"][1] > 0.58 * sum(widths["infra-m3"])


@pytest.mark.parametrize(("paper", "width", "height"), [("letter", Inches(8.5), Inches(11)), ("a4", Mm(210), Mm(297))])
def test_paper_size(runner, tmp_path, paper, width, height):
    args = ["--role", "mini", *MINI] + (["--paper", paper] if paper != "letter" else [])
    section = Document(str(make_guide(runner, tmp_path, *args))).sections[0]
    assert abs(section.page_width - width) < Mm(0.5)
    assert abs(section.page_height - height) < Mm(0.5)
    assert section.left_margin >= Mm(15) and section.top_margin >= Mm(15)


def test_any_text_comes_out_intact(guides):
    packet, path = guides["tricky"]
    document = Document(str(path))
    lines = texts(document)
    t = typeset
    for expected in (
        t(TRICKY),
        f"Goal \u2014 World-class at running this team: {t(f'Goal: {TRICKY}')}",
        f"\u2022\t{t(f'Follow-up: {TRICKY}')}",
        f"\u2610\t{t(f'Great: {TRICKY}')}",
        f"\u2610\t{t(f'Negative: {TRICKY}')}",
        "\u2022\tOutils & <Werkzeuge>: Jenkins, Ansible 🚀, 東京",
    ):
        assert expected in lines
    assert (
        t(TRICKY) == "Ask \u201cZoë\u201d & \u2018Ødegård\u2019 <b>Ωμέγα</b> Привет 日本語 עברית العربية 🚀 naïve—café"
    )
    assert plain(t(TRICKY)) == TRICKY  # typography changes characters one for one, and nothing else
    assert typeset(f"1. {packet.question_sections[0].title}") in lines
    header = document.sections[0].header.tables[0].rows[0].cells[1].text
    assert header == t(f"Candidate: {TRICKY_CANDIDATE}")
    assert document.tables[0].rows[0].cells[1].text == t(TRICKY_CANDIDATE)
    # CJK runs carry Word's east-Asian font hint.
    hints = {r.get(qn("w:hint")) for r in document.element.body.iter(qn("w:rFonts"))}
    assert "eastAsia" in hints


def test_control_characters_are_dropped_with_a_warning(runner, tmp_path):
    result = runner.invoke(
        main, ["make", "-f", "docx", "-o", str(tmp_path), "--role", "mini", *MINI, "--candidate", "Zo\x01ë\x1b"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "Warning: --candidate: dropped 2 control characters (U+0001, U+001B)\n"
    document = Document(str(tmp_path / "mini-zoe-guide.docx"))
    assert document.tables[0].rows[0].cells[1].text == "Zoë"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=30), interviewer=st.text(max_size=30))
def test_property_any_name_survives(tmp_path, name, interviewer):
    packet = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)
    packet = packet._replace(candidate=clean(name, "name"), interviewer=clean(interviewer, "interviewer"))
    path = tmp_path / "guide.docx"
    GuideRenderer().render(packet, path)
    cover = Document(str(path)).tables[0]
    assert cover.rows[0].cells[1].text == typeset(packet.candidate)
    assert cover.rows[1].cells[1].text == typeset(packet.interviewer)


NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
# The order ECMA-376 gives the children of the property elements; Word offers to "repair" a file without it.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em "
    "lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "tbl": "tblPr tblGrid tr",
    "p": "pPr r",
}


def test_well_formed_for_word(guides):
    """Properties in schema order, and every paragraph style used defined (Word silently drops unknown ones)."""
    _, path = guides["infra-m3"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as package:
        defined = set(etree.fromstring(package.read("word/styles.xml")).xpath("//w:style/@w:styleId", namespaces=NS))
        for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
            used = set(etree.fromstring(package.read(name)).xpath("//w:pStyle/@w:val", namespaces=NS))
            assert used and used <= defined, (name, used - defined)
        parts = [n for n in package.namelist() if re.fullmatch(r"word/(document|styles|header\d|footer\d)\.xml", n)]
        assert len(parts) == 4
        for name in parts:
            root = etree.fromstring(package.read(name))
            for parent, order in ORDER.items():
                sequence = order.split()
                for element in root.iter(f"{w}{parent}"):
                    tags = [child.tag.replace(w, "") for child in element if child.tag.startswith(w)]
                    assert all(tag in sequence for tag in tags), (name, parent, tags)
                    positions = [sequence.index(tag) for tag in tags]
                    assert positions == sorted(positions), (name, parent, tags)


def test_byte_identical_under_source_date_epoch(runner, tmp_path, epoch):
    first = make_guide(runner, tmp_path / "a", "--role", "infra-m3", "--start", "14:00")
    second = make_guide(runner, tmp_path / "b", "--role", "infra-m3", "--start", "14:00")
    assert first.read_bytes() == second.read_bytes()
    properties = Document(str(first)).core_properties
    stamp = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    assert properties.created == properties.modified == stamp
    assert (properties.author, properties.last_modified_by, properties.revision) == ("packet", "packet", 1)
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {stamp.timetuple()[:6]}


def test_dated_now_without_source_date_epoch(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    created = Document(str(make_guide(runner, tmp_path, "--role", "mini", *MINI))).core_properties.created
    assert created is not None and before - dt.timedelta(seconds=1) <= created <= before + dt.timedelta(minutes=5)


RENDERED = (*ROLES, "infra-m3-a4", "mini", "tricky")


@pytest.fixture(scope="module")
def rendered(guides, tmp_path_factory) -> dict[str, Path]:
    """The guides as LibreOffice prints them, in one batched conversion."""
    pdfs = soffice_convert([guides[role][1] for role in RENDERED], "pdf", tmp_path_factory.mktemp("pdf"))
    return dict(zip(RENDERED, pdfs))


def printed_pages(pdf: Path) -> list[str]:
    return [squeeze(page) for page in pdftotext(pdf).split("\f") if page.strip()]


@pytest.mark.parametrize("role", RENDERED)
def test_libreoffice_renders_every_question_follow_up_and_signal(guides, rendered, role):
    """pdftotext of each PDF holds the layout's words, page by page."""
    packet, _ = guides[role]
    reader = PdfReader(str(rendered[role]))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == ((595, 842) if packet.paper == "a4" else (612, 792))
    pages = printed_pages(rendered[role])
    assert len(pages) == len(reader.pages)
    whole = " ".join(pages)
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    for asked in packet.questions:
        entry = asked.question
        wanted = [entry.text, *entry.follow_ups, *entry.great_signals, *entry.negative_signals]
        if role == "tricky":
            # No CJK, Hebrew or Arabic font on a plain Linux box: check the scripts DejaVu covers.
            wanted = [w for w in wanted if not re.search("[\u0590-\u06ff\u3000-\u9fff]|🚀", w)]
        for text in wanted:
            assert squeeze(typeset(text)) in whole, (role, text)
    if role == "tricky":
        assert squeeze("Ελληνικά και кириллица") in whole


def assert_pages_start_with_their_headings(packet: Packet, pdf: Path) -> None:
    """Each page opens with its heading right under the running header: a question's page never starts with the
    tail of the page before (a lone paragraph, a table's last rows, notes lines run over), and no page is added."""
    pages = printed_pages(pdf)
    headings = [squeeze(heading) for heading in page_headings(packet)]
    assert len(pages) == len(headings), (pdf.name, [page[:80] for page in pages])
    header = squeeze(typeset(f"{packet.title} ({packet.level}) Candidate: {packet.candidate or '_' * 18}"))
    for number, (page, heading) in enumerate(zip(pages, headings), start=1):
        start = page.find(heading)
        assert start >= 0, (pdf.name, number, heading, page[:200])
        assert set(page[:start].split()) <= set(header.split()), (pdf.name, number, page[:200])


@pytest.mark.parametrize("role", [r for r in RENDERED if r != "tricky"])
def test_libreoffice_starts_every_page_with_its_heading(guides, rendered, role):
    assert_pages_start_with_their_headings(guides[role][0], rendered[role])


def test_libreoffice_starts_every_page_of_every_shipped_layout_with_its_heading(tmp_path):
    """Letter and A4: a crowded question page gives up notes lines rather than spill them onto a page of their own."""
    packets = {}
    for role in SHIPPED_ROLES:
        for paper in ("letter", "a4"):
            path = tmp_path / f"{role}-{paper}.docx"
            packets[path] = make_packet(role, paper=paper)
            GuideRenderer().render(packets[path], path)
    for pdf, packet in zip(soffice_convert(list(packets), "pdf", tmp_path / "pdf"), packets.values()):
        assert_pages_start_with_their_headings(packet, pdf)


@pytest.mark.parametrize(("role", "has_backup"), [("infra-m3", True), ("infra-m3-people", False)])
def test_backup_advice_and_recommendation_thresholds(tmp_path, role, has_backup):
    result = CliRunner().invoke(main, ["make", "--role", role, "-f", "docx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(tmp_path / f"{role}-guide.docx")).paragraphs)
    assert ("Switch to the backup question" in text) is has_backup
    assert "recommends Strong yes from +50%, Yes from +20%, No from \u221220%" in text  # a true minus
    assert "from \u2212100% to +100%" in text


# -- a batch's memo and the package python-docx saves -----------------------------------------------------------


def guide_bytes(packet: Packet, path: Path, memo: RenderMemo | None = None) -> bytes:
    GuideRenderer().render(packet, path, memo)
    return path.read_bytes()


def test_the_package_holds_what_python_docx_saves_in_a_fixed_order_and_date(tmp_path):
    document = guide._new_document()
    guide._Guide(make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)).write(document)
    saved = io.BytesIO()
    document.save(saved)  # python-docx's own save: what the guide must hold, part for part
    when = dt.datetime(2026, 1, 1, 9, 30)
    with zipfile.ZipFile(saved) as archive:
        expected = {name: archive.read(name) for name in archive.namelist()}
    package = io.BytesIO()
    write_zip(package, guide._members(document), when)
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        assert {name: archive.read(name) for name in names} == expected
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 9, 30, 0)}
    assert names == ["[Content_Types].xml", *sorted(set(names) - {"[Content_Types].xml"})]
