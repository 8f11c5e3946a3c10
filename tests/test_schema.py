"""The editor schemas: valid JSON Schemas, met by every shipped file, and never stricter than the loader.

"Never stricter" is checked on every broken input the loader's own tests use: whatever file a schema
rejects, `packet validate` rejects too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from exporter import loading, loops
from exporter.cli import main
from exporter.errors import BankError, LoopError
from exporter.loading import CATEGORY_SET_KEYS, LAYOUT_CATEGORY_SET_KEYS, Problems
from exporter.schema import KINDS, schema
from exporter.workspace import SKELETON
from exporter.yamlfile import parse

from . import test_loading
from .conftest import FIXTURES, MINI_BANK, MINI_LAYOUTS, REPO


def kind_of(path: Path) -> str:
    """The kind of a bank or layouts file, from where it sits."""
    if path.name == "taxonomy.yaml":
        return "taxonomy"
    if path.parent.name == "questions":
        return "questions"
    return "loop" if path.parent.name == "loops" else "layout"


def data_of(path: Path) -> object:
    """A file's data as an editor's YAML language server hands it to the schema: JSON, keys as text."""
    data, _ = parse(path.read_text(encoding="utf-8"), str(path), Problems())
    return json.loads(json.dumps(data))


def schema_errors(path: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(kind_of(path)))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data_of(path))]


def yaml_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.yaml"))


def loader_problems(bank: Path, layouts: Path) -> list[str]:
    """Every problem `packet validate` finds in a bank and layouts folder, loops included."""
    found = []
    try:
        loading.validate(bank, layouts)
    except BankError as exc:
        found += exc.problems
    try:
        loops.validate_loops(layouts, bank)
    except (BankError, LoopError) as exc:
        found += exc.problems
    return found


def assert_schema_no_stricter(bank: Path, layouts: Path) -> list[Path]:
    """Every file of the folders that a schema rejects, the loader rejects too; returns the rejected ones."""
    problems = loader_problems(bank, layouts)
    rejected = []
    for path in yaml_files(bank, layouts):
        errors = schema_errors(path)  # a file that is not YAML at all reads as null, which no schema takes
        if errors:
            rejected.append(path)
            assert any(p.startswith(f"{path}:") for p in problems), (path, errors)
    return rejected


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(kind):
    jsonschema.Draft202012Validator.check_schema(schema(kind))
    assert schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


SHIPPED = yaml_files(REPO / "bank", REPO / "layouts", MINI_BANK, MINI_LAYOUTS, FIXTURES / "lint", FIXTURES / "ic")
GOOD_LOOPS = [FIXTURES / "loop" / "layouts" / "loops" / f"{name}.yaml" for name in ("overlap", "pair", "two-days")]


@pytest.mark.parametrize("path", SHIPPED + GOOD_LOOPS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_and_valid_file_meets_its_schema(path):
    assert schema_errors(path) == []


@pytest.mark.parametrize("name", ["taxonomy", "questions", "layout"])
def test_the_blank_workspace_meets_its_schemas(name):
    path = SKELETON / f"{name}.yaml"
    kind = {"taxonomy": "taxonomy", "questions": "questions", "layout": "layout"}[name]
    errors = list(jsonschema.Draft202012Validator(schema(kind)).iter_errors(data_of(path)))
    assert errors == []


def test_the_schemas_know_the_loaders_keys():
    question = schema("questions")["properties"]["questions"]["items"]
    assert list(question["properties"]) == [*loading.QUESTION_REQUIRED, *loading.QUESTION_OPTIONAL]
    assert question["required"] == [key for key in loading.QUESTION_REQUIRED if key != "teams"]
    layout = schema("layout")
    assert list(layout["properties"]) == [*loading.LAYOUT_REQUIRED, *loading.LAYOUT_OPTIONAL, *LAYOUT_CATEGORY_SET_KEYS]
    assert layout["required"] == list(loading.LAYOUT_REQUIRED)
    assert sorted(schema("taxonomy")["properties"]) == sorted([*loading.TAXONOMY_KEYS, *CATEGORY_SET_KEYS])
    loop = schema("loop")
    assert loop["required"] == list(loops.LOOP_KEYS)
    slot = loop["properties"]["slots"]["items"]
    assert list(slot["properties"]) == [*loops.SLOT_KEYS, *loops.SLOT_OPTIONAL]
    assert slot["required"] == list(loops.SLOT_KEYS)
    assert loop["properties"]["slots"]["items"]["properties"]["day"]["maximum"] == loops.MAX_DAY


def test_the_broken_fixtures_the_schema_rejects_the_loader_rejects_too(tmp_path):
    rejected = assert_schema_no_stricter(FIXTURES / "broken" / "bank", FIXTURES / "broken" / "layouts")
    # The control: the schemas do reject what is wrong in one file's shape.
    assert FIXTURES / "broken" / "layouts" / "broken.yaml" in rejected
    assert FIXTURES / "broken" / "layouts" / "not-a-mapping.yaml" in rejected
    assert FIXTURES / "broken" / "bank" / "questions" / "broken.yaml" in rejected
    layouts = tmp_path / "layouts"
    shutil.copytree(FIXTURES / "loop" / "layouts", layouts)
    assert layouts / "loops" / "broken.yaml" in assert_schema_no_stricter(MINI_BANK, layouts)


def copy_mini(tmp_path: Path) -> tuple[Path, Path]:
    bank, layouts = tmp_path / "bank", tmp_path / "layouts"
    shutil.copytree(MINI_BANK, bank)
    shutil.copytree(MINI_LAYOUTS, layouts)
    return bank, layouts


(BAD_INPUTS,) = [mark.args[1] for mark in test_loading.test_each_bad_input_names_file_place_and_fix.pytestmark]

# Inputs whose shape is wrong, beyond the loader's tests: the schema rejects each, and so must the loader.
SHAPES = [
    ("layouts/mini.yaml", "minutes: 20", "minutes: 0"),
    ("layouts/mini.yaml", "  - {kind: opening, minutes: 2}", "  - {kind: opening, minutes: 2, question: toil}"),
    ("layouts/mini.yaml", "{score: 4, label: Strong yes", "{score: 5, label: Strong yes"),
    ("layouts/mini.yaml", "rationale:", "font: ''\nrationale:"),
    ("bank/questions/mini.yaml", "source: authored", "source: guessed"),
    ("bank/questions/mini.yaml", "backup_when: The candidate has never owned a pipeline.", "backup_when: ~"),
    ("bank/taxonomy.yaml", "categories:", "extra: 1\ncategories:"),
    ("bank/taxonomy.yaml", "categories:", "category_sets: {ic: [{id: solo, question: Q?, label: Solo}]}\ncategories:"),
    ("layouts/mini.yaml", "minutes: 20", "minutes: 20\nleads_teams: no-teams"),
]


@pytest.mark.parametrize(("file", "old", "new"), [case[:3] for case in BAD_INPUTS] + SHAPES)
def test_the_bad_inputs_the_schema_rejects_the_loader_rejects_too(tmp_path, file, old, new):
    bank, layouts = copy_mini(tmp_path)
    test_loading.edit(tmp_path / file, old, new)
    assert_schema_no_stricter(bank, layouts)


@pytest.mark.parametrize(("file", "old", "new"), SHAPES)
def test_the_schema_catches_a_wrong_shape(tmp_path, file, old, new):
    bank, layouts = copy_mini(tmp_path)
    test_loading.edit(tmp_path / file, old, new)
    assert assert_schema_no_stricter(bank, layouts) == [tmp_path / file]


def test_a_loop_day_left_empty_is_rejected_by_both(tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(FIXTURES / "loop" / "layouts", layouts)
    test_loading.edit(layouts / "loops" / "pair.yaml", 'start: "14:30"', 'start: "14:30"\n    day: ~')
    assert layouts / "loops" / "pair.yaml" in assert_schema_no_stricter(MINI_BANK, layouts)


def test_the_schema_describes_category_sets_as_the_loader_reads_them():
    taxonomy = {
        "categories": [{"id": "a", "question": "A?", "label": "A"}, {"id": "e", "question": "E?", "label": "E"}],
        "category_sets": {
            "ic": [{"id": "b", "question": "B?", "label": "B"}, {"id": "c", "question": "C?", "label": "C"}]
        },
        "domains": [{"id": "d", "name": "D"}],
    }
    jsonschema.validate(taxonomy, schema("taxonomy"))
    taxonomy["category_sets"]["ic"] = taxonomy["category_sets"]["ic"][:1]
    with pytest.raises(jsonschema.ValidationError, match="is too short"):
        jsonschema.validate(taxonomy, schema("taxonomy"))
    layout = json.loads(json.dumps(data_of(MINI_LAYOUTS / "mini.yaml")))
    jsonschema.validate({**layout, "category_set": "ic", "leads_teams": False}, schema("layout"))


@pytest.mark.parametrize("kind", KINDS)
def test_packet_schema_prints_the_schema(runner, kind):
    result = runner.invoke(main, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema(kind)


def test_packet_schema_names_the_kinds(runner):
    result = runner.invoke(main, ["schema", "scorecard"])
    assert result.exit_code == 2
    assert "'scorecard' is not one of 'taxonomy', 'questions', 'layout', 'loop'" in result.stderr
