"""JSON Schemas (draft 2020-12) of the four kinds of file a hiring manager writes: taxonomy, questions, layout
and loop. `packet schema KIND` prints one; `packet init` saves them in a workspace, so editors that use the
YAML language server complete and check the files as they are typed.

A schema describes the shape of a file, never more than the loader enforces: every file a schema rejects,
:mod:`exporter.loading` (or :mod:`exporter.loops`) rejects too. What needs the other files (an id the
taxonomy does not know, minutes that do not add up, a backup that is not one) only the loader checks; the
loader stays the one authority on meaning. The vocabulary (key names, slugs, kinds, sources) is the loader's
own, imported from it; ``tests/test_schema.py`` checks the rest against the loader.
"""

from __future__ import annotations

import json
from typing import Any

from .folders import NAME
from .loading import (
    LAYOUT_REQUIRED,
    QUESTION_REQUIRED,
    RATING_LEVELS,
    SECTION_KINDS,
    SET_SIZE,
    SLUG,
    SOURCES,
    TAXONOMY_KEYS,
)

KINDS = ("taxonomy", "questions", "layout", "loop")
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

TEXT: Schema = {"type": "string", "pattern": r"\S"}
SLUG_TEXT: Schema = {"type": "string", "pattern": SLUG.pattern}


def _text(description: str) -> Schema:
    return {**TEXT, "description": description}


def _slug(description: str) -> Schema:
    return {**SLUG_TEXT, "description": description}


def _optional(schema: Schema) -> Schema:
    """An optional key may also be written empty (``backup_for: null``): the loader reads that as absent."""
    return {"anyOf": [schema, {"type": "null"}], "description": schema.get("description", "")}


def _texts(description: str, at_least_one: bool = False) -> Schema:
    schema: Schema = {"type": "array", "items": TEXT, "description": description}
    return {**schema, "minItems": 1} if at_least_one else schema


def _record(description: str, required: tuple[str, ...], properties: dict[str, Schema]) -> Schema:
    """A mapping with exactly these keys (an unknown key is an error, as the loader says)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _document(title: str, body: Schema) -> Schema:
    return {"$schema": DIALECT, "title": title, **body}


def _category() -> Schema:
    return _record(
        "A category the scorecard rolls signals up into.",
        ("id", "question", "label"),
        {
            "id": _slug("Slug; the scorecard names cells after it (cat_world_class_score)."),
            "question": _text("The hiring manager's own question, e.g. 'Are they outstanding operationally?'"),
            "label": _text("Short label used in goals and tables, e.g. 'Outstanding operationally'."),
        },
    )


def _named(what: str) -> Schema:
    return _record(what, ("id", "name"), {"id": _slug("Slug that questions refer to."), "name": _text("Its name.")})


def taxonomy() -> Schema:
    """bank/taxonomy.yaml: the categories (and named category sets), teams and domains."""
    category_list: Schema = {"type": "array", "items": _category(), "minItems": SET_SIZE[0], "maxItems": SET_SIZE[1]}
    properties: dict[str, Schema] = {
        "categories": {
            **category_list,
            "description": "The default category set, in display order; layouts use it unless they name another.",
        },
        "category_sets": {
            "type": "object",
            "description": f"Named category sets, {SET_SIZE[0]} to {SET_SIZE[1]} categories each; a layout says "
            "`category_set: <name>`. Category ids are unique across all sets.",
            "propertyNames": SLUG_TEXT,
            "additionalProperties": category_list,
        },
        "teams": {
            "type": "array",
            "items": _named("A team the role leads; questions say which ones they probe."),
            "description": "The teams the role leads (optional for a role that leads none).",
        },
        "domains": {
            "type": "array",
            "items": _named("An area of expertise; a layout should not probe one twice."),
            "description": "Areas of expertise.",
        },
    }
    required = tuple(key for key in TAXONOMY_KEYS if key != "teams")
    return _document("packet bank taxonomy", _record("bank/taxonomy.yaml", required, properties))


def _question() -> Schema:
    weight = {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
    backup_for = _slug("Id of the question this one stands in for.")
    properties = {
        "id": _slug("Unique across the bank; lower-case letters, digits and single hyphens."),
        "title": _text("Short title."),
        "text": _text("The wording to ask (the latest wording)."),
        "categories": {
            "type": "object",
            "description": "Category id -> weight in (0, 1]: 1 for the primary category, 0.5 for others covered.",
            "propertyNames": SLUG_TEXT,
            "additionalProperties": weight,
            "minProperties": 1,
        },
        "teams": {
            "type": "array",
            "items": SLUG_TEXT,
            "minItems": 1,
            "description": "Team ids this question probes.",
        },
        "domains": {
            "type": "array",
            "items": SLUG_TEXT,
            "minItems": 1,
            "description": "Domain ids; the first is the primary domain.",
        },
        "goal": _text("What the question assesses."),
        "great": _texts("A great answer will mention ...", at_least_one=True),
        "negative": _texts("Negative signals to look out for: distinct failure modes.", at_least_one=True),
        "source": {"enum": list(SOURCES), "description": "seed (from the source material) or authored."},
        "follow_ups": _optional(_texts("Follow-up questions.")),
        "variants": _optional(
            {
                "type": "array",
                "description": "Earlier wordings of the same question.",
                "items": _record(
                    "An earlier wording.",
                    ("label", "text"),
                    {"label": _text("e.g. original, through the team."), "text": _text("The wording.")},
                ),
            }
        ),
        "technologies": _optional(
            {
                "type": "object",
                "description": "Group name -> technologies that may come up.",
                "additionalProperties": _optional(_texts("Technologies of the group.")),
            }
        ),
        "backup_for": _optional(backup_for),
        "backup_when": _optional(_text("When to switch to this backup, read after 'Use when:'.")),
        "rating_anchors": _optional(
            _record(
                "What each rating looks like for this question, 1 to 4.",
                tuple(str(level) for level in RATING_LEVELS),
                {str(level): _text(f"What a {level} looks like.") for level in RATING_LEVELS},
            )
        ),
    }
    # `teams` becomes optional with category sets: a role may lead no team.
    question = _record("A question.", tuple(key for key in QUESTION_REQUIRED if key != "teams"), properties)
    # A backup says when to switch to it.
    question["if"] = {"properties": {"backup_for": backup_for}, "required": ["backup_for"]}
    question["then"] = {"properties": {"backup_when": TEXT}, "required": ["backup_when"]}
    return question


def questions() -> Schema:
    """bank/questions/*.yaml: a list of questions."""
    body = _record(
        "bank/questions/*.yaml",
        ("questions",),
        {"questions": {"type": "array", "items": _question(), "description": "The questions of this file."}},
    )
    return _document("packet bank questions", body)


def _section() -> Schema:
    minutes = {"type": "integer", "minimum": 1, "description": "Minutes of the slot this section takes."}
    title = _optional(_text("Optional; a question section takes its question's title."))
    kinds = [kind for kind in SECTION_KINDS if kind != "question"]
    asked = _record(
        "A question section.",
        ("kind", "question", "minutes"),
        {
            "kind": {"const": "question"},
            "question": _slug("A bank question id."),
            "minutes": minutes,
            "title": title,
            "backup": _optional(_slug("A question whose backup_for is this section's question.")),
            "category": _optional(_slug("The category the guide folds into the goal (default: the heaviest).")),
        },
    )
    other = _record(
        "An opening or closing section.",
        ("kind", "minutes"),
        {"kind": {"enum": kinds}, "minutes": minutes, "title": title},
    )
    return {"description": "A section: opening, question or closing.", "oneOf": [asked, other]}


def layout() -> Schema:
    """layouts/<role>.yaml: one role's interview."""
    level = {"type": "object", "properties": {"score": {"type": "integer"}}}
    scale = {
        "type": "array",
        "description": "Exactly four levels, scored 1 to 4 in that order.",
        "minItems": 4,
        "maxItems": 4,
        "items": _record(
            "A rating level.",
            ("score", "label", "anchor"),
            {"score": {"type": "integer"}, "label": _text("e.g. Strong no."), "anchor": _text("What it looks like.")},
        ),
        "prefixItems": [{**level, "properties": {"score": {"const": int(score)}}} for score in RATING_LEVELS],
    }
    threshold = {"type": "number", "minimum": -1, "maximum": 1}
    properties = {
        "title": _text("The role's title."),
        "level": _text("The level, e.g. Radford M3."),
        "team_context": _text("A few sentences for the interviewer."),
        "minutes": {"type": "integer", "minimum": 1, "description": "The slot; the sections add up to it."},
        "rating_scale": scale,
        "recommendation": _record(
            "Thresholds on the overall score (-1 to +1): -1 <= no < yes < strong_yes <= 1.",
            ("strong_yes", "yes", "no"),
            {"strong_yes": threshold, "yes": threshold, "no": threshold},
        ),
        "rationale": _record(
            "Why this order, for the guide's closing note.",
            ("summary", "pros", "cons"),
            {"summary": _text("One sentence."), "pros": _texts("For this order."), "cons": _texts("Against it.")},
        ),
        "sections": {
            "type": "array",
            "description": "In interview order; at least one question section.",
            "items": _section(),
            "minItems": 1,
            "contains": {"type": "object", "properties": {"kind": {"const": "question"}}, "required": ["kind"]},
        },
        "font": _optional(_text("A TrueType font for the PDF, relative to this file.")),
        "lint": _optional(
            {
                "type": "object",
                "description": "Documented exceptions for `packet lint`.",
                "properties": {
                    "allow_repeated_domains": _optional({"type": "array", "items": SLUG_TEXT}),
                    "allow_team_lean": _optional({"type": "array", "items": SLUG_TEXT}),
                },
                "additionalProperties": False,
            }
        ),
        "category_set": _slug("The taxonomy's category set this role is scored on (default: `default`)."),
        "leads_teams": {"type": "boolean", "description": "false for a role that leads no team (default: true)."},
    }
    return _document("packet layout", _record("layouts/<role>.yaml", LAYOUT_REQUIRED, properties))


def loop() -> Schema:
    """layouts/loops/<name>.yaml: an onsite loop, one slot per interviewer."""
    slot = _record(
        "One interviewer's interview.",
        ("layout", "interviewer", "start"),
        {
            "layout": {"type": "string", "pattern": f"^{NAME.pattern}$", "description": "A layout's name."},
            "interviewer": _text("Who asks it: a name or a role."),
            "start": {
                "type": "string",
                "pattern": r"^\s*[0-9]{1,2}(:[0-9]{2})?\s*([AaPp]\.?[Mm]\.?)?\s*$",
                "description": "HH:MM on the 24-hour clock, or a 12-hour time such as 2:30 pm.",
            },
            "day": {"type": "integer", "minimum": 1, "maximum": 365, "description": "1 (default) is --date."},
            "id": {
                "type": "string",
                "pattern": f"^{NAME.pattern}$",
                "description": "The slot's id for --interviewers (default: the interviewer text as a slug).",
            },
        },
    )
    body = _record(
        "layouts/loops/<name>.yaml",
        ("title", "slots"),
        {
            "title": _text("The loop's name for people."),
            "slots": {"type": "array", "items": slot, "minItems": 1, "description": "The interviews, in order."},
        },
    )
    return _document("packet onsite loop", body)


BUILDERS = {"taxonomy": taxonomy, "questions": questions, "layout": layout, "loop": loop}


def schema(kind: str) -> Schema:
    """The JSON Schema of one kind of file (one of :data:`KINDS`)."""
    return BUILDERS[kind]()


def schema_text(kind: str) -> str:
    """The schema as `packet schema` prints it and `packet init` saves it."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
