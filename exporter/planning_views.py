"""What `packet coverage` and `packet suggest` print: the question × category matrix as a terminal table,
Markdown, CSV or JSON, and each suggested set with its objective in a hiring manager's words.

Text from the bank goes into the CSV through :func:`exporter.text.spreadsheet_text` and into the Markdown
table through :func:`exporter.text.markdown_text`, so a title such as ``=HYPERLINK(...)`` stays text when the
table is opened in (or pasted into) a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from .budget import default_split
from .coverage import Coverage, SuggestedSet, figure, questions_coverage
from .listing import short_label, wrap_captions
from .model import Bank
from .text import markdown_text, spreadsheet_text

# ------------------------------------------------------------------------------------ coverage, printed


def _share(coverage: Coverage, team_id: str, share: float) -> str:
    total = len(coverage.rows)
    return f"{coverage.team_name(team_id)} {figure(share)} ({share / total:.0%})" if total else ""


def _summary_lines(coverage: Coverage) -> list[tuple[str, str]]:
    """The lines under the matrix, as (heading, text)."""
    repeated = coverage.domains_repeated
    main = coverage.main_domains
    others = [d for d in coverage.domains_covered if d not in main]
    teams = [("Teams", " · ".join(_share(coverage, t, s) for t, s in coverage.team_shares.items()))]
    return [
        *(teams if coverage.teams else []),  # none for a role that leads no team
        (f"Main domains ({len(main)})", ", ".join(coverage.domain_name(d) for d in main) or "none"),
        ("Also touched on", ", ".join(coverage.domain_name(d) for d in others) or "none"),
        (
            "Main domains repeated",
            "; ".join(f"{coverage.domain_name(d)} ({', '.join(labels)})" for d, labels in repeated.items()) or "none",
        ),
        ("Categories not covered", ", ".join(c.label for c in coverage.uncovered) or "none"),
    ]


ASKED_MARK = "*"  # after the weight of the category a question is asked for


def _by_id(coverage: Coverage) -> bool:
    """Rows labelled with bank ids (not packet numbers) need no separate title column."""
    return all(r.label == r.question.id for r in coverage.rows)


def _text_columns(coverage: Coverage, titles: bool) -> int:
    """The matrix's text columns: the packet number and title; or the bank id, with its title if ``titles``."""
    return 2 if titles or not _by_id(coverage) else 1


def _matrix(coverage: Coverage, titles: bool = True) -> tuple[list[str], list[list[str]]]:
    """Header and body (question lines, then totals) of the question × category matrix, as text cells.

    The first one or two columns (see ``_text_columns``) are text; the rest are figures, under each category's
    short label. The min column's total is on the Minutes line, the minutes' own line."""
    text_columns = _text_columns(coverage, titles)
    header = ["Question", "Title"][:text_columns] if _by_id(coverage) else ["#", "Question"]
    header += [short_label(c.label) for c in coverage.categories]
    if coverage.has_minutes:
        header.append("min")
    body = []
    for row in coverage.rows:
        cells = [row.label, row.question.title][:text_columns]
        for c in coverage.categories:
            weight = figure(row.weights[c.id]) if row.weights[c.id] else "·"
            cells.append(weight + (ASKED_MARK if c.id == row.asked_for else ""))
        if coverage.has_minutes:
            cells.append(str(row.minutes or ""))
        body.append(cells)
    blank = [""] * (text_columns - 1)
    totals = coverage.totals
    body.append([*blank, "Total weight", *(figure(totals[c.id]) for c in coverage.categories)])
    if coverage.has_minutes:
        body[-1].append("")
        by_category = coverage.minutes_by_category
        minutes = [f"{by_category[c.id]:.1f}" for c in coverage.categories]
        body.append([*blank, "Minutes", *minutes, str(sum(r.minutes or 0 for r in coverage.rows))])
    return header, body


def _legend(coverage: Coverage) -> list[str]:
    if any(r.asked_for for r in coverage.rows):
        return [f"{ASKED_MARK} the category the question is asked for"]
    return []


TITLE_WIDTH = 42  # question titles are cut to this in the terminal table, so a line fits 100 columns


def coverage_text(coverage: Coverage) -> str:
    """The matrix as a terminal table, with teams, domains and uncovered categories under it.

    Bank questions are listed with their titles first: beside the ids, the titles leave the table no room."""
    header, body = _matrix(coverage, titles=False)
    text_columns = _text_columns(coverage, titles=False)
    for cells in body:
        if len(cells[text_columns - 1]) > TITLE_WIDTH:
            cells[text_columns - 1] = cells[text_columns - 1][: TITLE_WIDTH - 1] + "…"
    widths = [max(len(cells[i]) for cells in body) for i in range(len(header))]
    widths, header_lines = wrap_captions(header, widths)

    def line(cells: list[str]) -> str:
        # A figure with the asked-for mark sticks out by the mark, so plain figures line up with each other.
        figures = [
            (c if c.endswith(ASKED_MARK) else c + " ").rjust(w + 1)
            for c, w in zip(cells[text_columns:], widths[text_columns:])
        ]
        left = [c.ljust(w) for c, w in zip(cells[:text_columns], widths)]
        return "  ".join(left + figures).rstrip()

    lines = []
    if _by_id(coverage):
        width = max(len(r.label) for r in coverage.rows)
        lines += [f"{r.label:{width}}  {r.question.title}" for r in coverage.rows] + [""]
    lines += [*map(line, header_lines), *(line(cells) for cells in body), *_legend(coverage), ""]
    lines += [f"{heading}: {text}" for heading, text in _summary_lines(coverage)]
    return "\n".join(lines)


def coverage_markdown(coverage: Coverage) -> str:
    header, body = _matrix(coverage)
    text_columns = _text_columns(coverage, titles=True)

    def line(cells: list[str]) -> str:
        # Figures too: never negative, they pass through unchanged but for the asked-for mark.
        return "| " + " | ".join(markdown_text(c) for c in cells) + " |"

    rule = ["---"] * text_columns + ["---:"] * (len(header) - text_columns)
    lines = [line(header), "|" + "|".join(rule) + "|", *(line(cells) for cells in body), ""]
    lines += [text.replace(ASKED_MARK, "\\" + ASKED_MARK, 1) for text in _legend(coverage)]
    lines += [""] if _legend(coverage) else []
    lines += [f"- **{heading}:** {text}" for heading, text in _summary_lines(coverage)]
    return "\n".join(lines)


def coverage_csv(coverage: Coverage) -> str:
    """One line per question (and the totals), with every figure as a plain number for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def write(cells: list[str | int]) -> None:
        # Every cell: the figures are never negative, so only bank text can start like a formula.
        writer.writerow([spreadsheet_text(str(cell)) for cell in cells])

    cats = [c.id for c in coverage.categories]
    write(["label", "id", "title", *cats, "asked_for", "minutes", "teams", "domains"])
    for row in coverage.rows:
        write(
            [
                row.label,
                row.question.id,
                row.question.title,
                *(figure(row.weights[c]) for c in cats),
                row.asked_for or "",
                row.minutes if row.minutes is not None else "",
                " ".join(row.question.teams),
                " ".join(row.question.domains),
            ]
        )
    totals = coverage.totals
    write(["total", "", "Total weight", *(figure(totals[c]) for c in cats), "", "", "", ""])
    if coverage.has_minutes:
        by_category = coverage.minutes_by_category
        write(["minutes", "", "Minutes", *(figure(by_category[c]) for c in cats), "", "", "", ""])
    return out.getvalue()


def format_coverage(coverage: Coverage, output_format: str, heading: str = "") -> str:
    """``coverage`` as text (the terminal table), md, csv or json."""
    if output_format == "json":
        return json.dumps(coverage_dict(coverage), indent=2, ensure_ascii=False)
    if output_format == "csv":
        return coverage_csv(coverage).rstrip("\n")
    if output_format == "md":
        return (f"## Coverage of {heading}\n\n" if heading else "") + coverage_markdown(coverage)
    return (f"Coverage of {heading}\n\n" if heading else "") + coverage_text(coverage)


def coverage_dict(coverage: Coverage) -> dict[str, Any]:
    """Everything `packet coverage` shows, for programs; numbers as numbers, ids as in the bank."""
    return {
        "categories": [{"id": c.id, "label": c.label} for c in coverage.categories],
        "rows": [
            {
                "label": row.label,
                "id": row.question.id,
                "title": row.question.title,
                "weights": dict(row.weights),
                "asked_for": row.asked_for,
                "minutes": row.minutes,
                "teams": list(row.question.teams),
                "domains": list(row.question.domains),
            }
            for row in coverage.rows
        ],
        "totals": coverage.totals,
        "minutes_by_category": (
            {k: round(v, 2) for k, v in coverage.minutes_by_category.items()} if coverage.has_minutes else None
        ),
        "team_shares": coverage.team_shares,
        "domains_covered": list(coverage.domains_covered),
        "domains_repeated": {d: list(labels) for d, labels in coverage.domains_repeated.items()},
        "uncovered": [c.id for c in coverage.uncovered],
    }


# ------------------------------------------------------------------------------------- suggest, printed


def suggestion_dict(found: Sequence[SuggestedSet]) -> dict[str, Any]:
    """``{"sets": [{"questions": [ids...], "objective": {...}}, ...]}``, as `packet suggest --json` prints."""
    return {"sets": [{"questions": list(s.questions), "objective": s.objective.as_dict()} for s in found]}


def set_summary(chosen: SuggestedSet, coverage: Coverage) -> str:
    """What a suggested set's objective says, in a hiring manager's words (docs/planning.md):
    "covers all 4 categories fully · each question asked for a different category · 4 different main domains ·
    balanced between the teams (2 / 2)"."""
    o = chosen.objective
    count, total = o.categories_covered, len(coverage.categories)
    covered = f"covers all {total} categories" if count == total else f"covers {count} of {total} categories"
    fully = len(coverage.fully_covered)
    covered += " fully" if fully == count else f", {fully} of them fully"
    asked = len(chosen.questions)
    if o.categories_asked == asked:
        asked_for = "each question asked for a different category"
    elif o.categories_asked == total:
        asked_for = "every category has a question asked for it"
    else:
        asked_for = f"questions asked for only {o.categories_asked} of the {total} categories"
    parts = [
        covered,
        asked_for,
        "1 main domain" if o.distinct_domains == 1 else f"{o.distinct_domains} different main domains",
    ]
    shares = coverage.team_shares
    if len(shares) > 1:
        if o.team_imbalance == 0:
            parts.append(f"balanced between the teams ({' / '.join(figure(n) for n in shares.values())})")
        else:
            team = max(shares, key=lambda t: shares[t])
            questions = f"{asked} question{'' if asked == 1 else 's'}"
            parts.append(f"leans to {coverage.team_name(team)} ({figure(shares[team])} of {questions})")
    return SEPARATOR.join(parts)


SEPARATOR = " · "


def _wrap_parts(text: str, width: int = 100) -> list[str]:
    """A line of parts joined by SEPARATOR, broken between parts only, the next line starting with the separator."""
    lines = [""]
    for part in text.split(SEPARATOR):
        if lines[-1] and len(lines[-1]) + len(SEPARATOR) + len(part) > width:
            lines.append(f"  {SEPARATOR.strip()} {part}")
        else:
            lines[-1] += (SEPARATOR if lines[-1] else "") + part
    return lines


def suggestion_text(bank: Bank, found: Sequence[SuggestedSet], minutes: int | None = None) -> str:
    """Each set with its objective and its coverage matrix; with ``minutes``, its time budget."""
    blocks = []
    for number, chosen in enumerate(found, start=1):
        split = default_split(minutes, len(chosen.questions)) if minutes else None
        coverage = questions_coverage(bank, chosen.questions, split[1:-1] if split else None, chosen.categories)
        head = f"Set {number} of {len(found)}: {set_summary(chosen, coverage)}"
        lines = [*_wrap_parts(head), "", coverage_text(coverage)]
        if chosen.backups:
            lines.append("Backups: " + ", ".join(f"{b} for {q}" for q, b in chosen.backups.items()))
        if split:
            lines.append(
                f"Time budget ({minutes} min): opening {split[0]}, {split[1]} per question, closing {split[-1]}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
