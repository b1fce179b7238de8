"""The files a schema validator is built from: every $ref is followed when the
validator is built, so FM100 can name them all to the result cache and rebuild
its validator when one changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint.analysis.schema.validate import InvalidSchema, compile_schema, shipped_path, violations
from postlint.engine.config import ConfigError
from postlint.rules.frontmatter import schema_violation


def _write(path: Path, schema: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


def _tree(root: Path) -> Path:
    """post.json -> ../common/defs.json -> ../deep/more.json (which refers to
    itself, and has a broken $ref where no $ref of post.json leads)."""
    _write(root / "common" / "defs.json", {"$defs": {"title": {"$ref": "../deep/more.json#/$defs/t"}}})
    _write(
        root / "deep" / "more.json",
        {
            "$defs": {
                "t": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/t"}}]},
                "unused": {"$ref": "nowhere.json"},
            }
        },
    )
    return _write(
        root / "schemas" / "post.json", {"properties": {"title": {"$ref": "../common/defs.json#/$defs/title"}}}
    )


def test_every_file_reached_through_refs_is_listed(tmp_path: Path) -> None:
    post = _tree(tmp_path)
    compiled = compile_schema(json.loads(post.read_text()), base_uri=str(post))
    assert set(compiled.files) == {shipped_path(), tmp_path / "common" / "defs.json", tmp_path / "deep" / "more.json"}
    assert [v.path for v in violations(compiled.validator, {"title": 5})] == [("title",)]


def test_a_broken_ref_in_a_reached_file_is_a_schema_error(tmp_path: Path) -> None:
    _write(tmp_path / "defs.json", {"$defs": {"t": {"$ref": "missing.json"}}})
    post = _write(tmp_path / "post.json", {"properties": {"title": {"$ref": "defs.json#/$defs/t"}}})
    with pytest.raises(InvalidSchema) as caught:
        compile_schema(json.loads(post.read_text()), base_uri=str(post))
    # Placed at the $ref of the given schema that leads to the broken one.
    assert caught.value.path == ("properties", "title", "$ref")


def test_fm100_names_its_files_and_rebuilds_when_one_changes(tmp_path: Path) -> None:
    post = _tree(tmp_path)
    options = {"schema": str(post), "schemas": {}}
    schema_violation.prepare(options)
    assert set(schema_violation.cache_inputs(options)) == {
        post, shipped_path(), tmp_path / "common" / "defs.json", tmp_path / "deep" / "more.json",
    }
    assert violations(schema_violation._validator(str(post)), {"title": 5}) != []
    _write(tmp_path / "deep" / "more.json", {"$defs": {"t": {"type": "integer"}}})
    schema_violation.prepare(options)  # the next Linter of this process
    assert violations(schema_violation._validator(str(post)), {"title": 5}) == []
    # A file that the new version refers to is followed too.
    _write(tmp_path / "deep" / "more.json", {"$defs": {"t": {"$ref": "../common/last.json"}}})
    _write(tmp_path / "common" / "last.json", {"type": "boolean"})
    schema_violation.prepare(options)
    assert tmp_path / "common" / "last.json" in schema_violation.cache_inputs(options)
    assert [v.path for v in violations(schema_violation._validator(str(post)), {"title": 5})] == [("title",)]


def test_fm100_without_a_schema_names_the_shipped_one() -> None:
    options = {"schema": None, "schemas": {}}
    schema_violation.prepare(options)
    assert schema_violation.cache_inputs(options) == [shipped_path()]


def test_a_schema_that_breaks_later_is_a_configuration_error(tmp_path: Path) -> None:
    post = _tree(tmp_path)
    options = {"schema": str(post), "schemas": {}}
    schema_violation.prepare(options)
    (tmp_path / "common" / "defs.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError):
        schema_violation.prepare(options)
