"""The validity fast path (analysis.schema.fast) against jsonschema itself.

`quick` (compiled from a validator) and `local_check` (compiled from the
schema alone, without jsonschema) may answer True only where jsonschema finds
no error, and False only where it finds one; None leaves it to jsonschema.
Each schema below is run on generated instances (seeded, so a failure
repeats) and on hand-written ones, and each must also be decided, not just
passed on, where the fast path mirrors every keyword it uses.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from postlint.analysis.schema.fast import KEYWORDS_2020_12, compile_validator, quick
from postlint.analysis.schema.validate import (
    DEFAULT_SCHEMA_ID,
    default_schema,
    load_validator,
    local_check,
    shipped_check,
    shipped_violations,
    violations,
)

STRINGS = [
    "", "a", "nl", "en-GB", "zh_cn", "x y", "ab" * 5, "Ünïcode", "١٢٣", "12",
    "https://example.nl/a", "http://", "https:/x", "/assets/a.jpg", "//cdn.example.nl/x", "mailto:a@example.nl",
    "a@example.nl", "a@@b", "2019-05-13", "2019-02-30", "2019-05-13T12:45:33Z", "2019-05-13 12:45",
    "192.168.0.1", "999.1.1.1", "-", "true", "null",
]
NUMBERS: list[Any] = [0, 1, -1, 2, 5, 7, 10, 3.0, 1.5, -0.5, 10**30, math.inf, -math.inf, math.nan]
SCALARS: list[Any] = [*STRINGS, *NUMBERS, True, False, None]


def instances(keys: list[str], rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth >= 3 or roll < 0.45:
        return rng.choice(SCALARS)
    if roll < 0.7:
        return [instances(keys, rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(keys): instances(keys, rng, depth + 1) for _ in range(rng.randint(0, 5))}


def keys_of(schema: Any) -> list[str]:
    found = {"x", "zz", "a1", "name"}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for keyword in ("properties", "patternProperties", "dependentRequired", "dependentSchemas"):
                if isinstance(node.get(keyword), dict):
                    found.update(k for k in node[keyword] if "^" not in k)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
                if isinstance(value, str):
                    found.add(value)

    walk(schema)
    return sorted(found)


def jsonschema_valid(validator: Any, instance: Any) -> bool:
    return next(iter(validator.iter_errors(instance)), None) is None


# Schemas of the keywords the fast path mirrors: it must decide every instance.
DECIDED: dict[str, Any] = {
    "type": {"type": "integer"},
    "types": {"type": ["string", "number", "null"]},
    "array-or-object": {"type": ["array", "object", "boolean"]},
    "enum-scalars": {"enum": ["post", "page", 1, 2.5, True, None]},
    "const": {"const": "nl"},
    "const-zero": {"const": 0},
    "const-false": {"const": False},
    "lengths": {"minLength": 2, "maxLength": 5},
    "pattern": {"pattern": "^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$"},
    "pattern-unicode-digit": {"pattern": "^\\d+$"},
    "formats": {"anyOf": [{"format": "uri"}, {"format": "email"}, {"format": "date"}]},
    "format-date-time": {"format": "date-time", "type": "string"},
    "format-uri-reference": {"format": "uri-reference"},
    "bounds": {"minimum": 0, "maximum": 7, "type": "number"},
    "exclusive": {"exclusiveMinimum": 0, "exclusiveMaximum": 10},
    "required": {"type": "object", "required": ["name", "x"]},
    "properties": {
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "x": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["name"],
    },
    "pattern-properties": {"patternProperties": {"^a": {"type": "string"}, "z$": {"type": "null"}}},
    "additional-false": {"properties": {"name": {}}, "additionalProperties": False},
    "additional-schema": {"properties": {"name": {}}, "additionalProperties": {"type": "string"}},
    "additional-beside-patterns": {"patternProperties": {"^a": {}}, "additionalProperties": False},
    "items": {"items": {"type": ["string", "number"]}, "minItems": 1, "maxItems": 3},
    "items-false": {"prefixItems": [{"type": "string"}], "items": False},
    "prefix-items": {"prefixItems": [{"type": "string"}, {"type": "integer"}]},
    "unique-strings": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "object-size": {"minProperties": 1, "maxProperties": 2},
    "all-of": {"allOf": [{"type": "string"}, {"minLength": 3}]},
    "one-of": {"oneOf": [{"type": "string"}, {"minLength": 3}, {"type": "integer"}]},
    "not": {"not": {"type": ["string", "null"]}},
    "if-then-else": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
    "then-without-if": {"then": False},
    "dependent-required": {"dependentRequired": {"name": ["x"]}},
    "dependent-schemas": {"dependentSchemas": {"name": {"required": ["zz"]}}},
    "property-names": {"propertyNames": {"pattern": "^[a-z]+$"}},
    "booleans": {"properties": {"name": True, "x": False}},
    "false": False,
    "true": True,
    "refs": {
        "$defs": {"s": {"type": "string", "minLength": 1}, "list": {"type": "array", "items": {"$ref": "#/$defs/s"}}},
        "properties": {"name": {"$ref": "#/$defs/s"}, "x": {"$ref": "#/$defs/list"}},
    },
    "recursive": {
        "$defs": {
            "node": {"type": "object", "properties": {"x": {"$ref": "#/$defs/node"}, "name": {"type": "string"}}},
        },
        "$ref": "#/$defs/node",
    },
    "unknown-keywords-ignored": {"type": "string", "x-postlint": {"type": "integer"}, "then": {"type": "integer"}},
    "shipped": default_schema(),
}

# Schemas with keywords it leaves to jsonschema (it must never contradict it).
UNDECIDED: dict[str, Any] = {
    # True where every key is named, else None (jsonschema decides).
    "unevaluated-named": {
        "properties": {"name": {}}, "allOf": [{"properties": {"x": {}}}], "unevaluatedProperties": False,
    },
    "multiple-of": {"multipleOf": 0.5, "type": "number"},
    "contains": {"contains": {"type": "string"}},
    "enum-containers": {"enum": [[1, 2], {"a": 1}, 1, "x"]},
    "unique-mixed": {"uniqueItems": True},
    "unevaluated-anyof": {
        "anyOf": [{"properties": {"x": {}}}, {"properties": {"name": {}}}], "unevaluatedProperties": False,
    },
    "nested-schema-keyword": {
        "properties": {"x": {"$schema": "https://json-schema.org/draft/2020-12/schema", "pattern": "^\\d$"}},
    },
    "nested-id": {"properties": {"x": {"$id": "https://example.nl/x.json", "type": "string"}}},
    "anchor-ref": {"$defs": {"a": {"$anchor": "here", "type": "string"}}, "properties": {"x": {"$ref": "#here"}}},
    "draft-07": {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}]},
    "additional-items": {"items": {"type": "string"}, "additionalItems": False},
}


def test_every_keyword_jsonschema_runs_is_known() -> None:
    assert set(Draft202012Validator.VALIDATORS) <= KEYWORDS_2020_12
    assert KEYWORDS_2020_12 - set(Draft202012Validator.VALIDATORS) <= {"additionalItems"}  # jsonschema < 4.19


@pytest.mark.parametrize("name", sorted(DECIDED) + sorted(UNDECIDED))
def test_the_fast_path_agrees_with_jsonschema(name: str) -> None:
    schema = {**DECIDED, **UNDECIDED}[name]
    validator = load_validator(schema)
    local = local_check(schema)
    rng = random.Random(name)
    keys = keys_of(schema)
    cases = [instances(keys, rng) for _ in range(600)] + SCALARS + [{k: v} for k in keys for v in SCALARS[::3]]
    # With the shipped schema's required keys, so that some pass it.
    cases += [{"layout": "post", "title": "T", **c} for c in cases if isinstance(c, dict)]
    decided = skipped = 0
    outcomes = set()
    for instance in cases:
        try:
            expected = jsonschema_valid(validator, instance)
        except (OverflowError, ValueError):  # multipleOf of inf or NaN: jsonschema fails; the fast path passes it on
            assert quick(validator, instance) is None and local(instance) is None
            skipped += 1
            continue
        outcomes.add(expected)
        for answer in (quick(validator, instance), local(instance)):
            assert answer in (True, False, None)
            if answer is not None:
                assert answer is expected, (instance, answer)
        decided += quick(validator, instance) is not None
        if name in DECIDED:
            assert violations(validator, instance) == [] if expected else violations(validator, instance) != []
    if name in DECIDED:
        assert decided == len(cases) - skipped
        if isinstance(schema, dict) and name != "then-without-if":
            assert outcomes == {True, False}, outcomes


def test_a_schema_of_another_draft_is_left_to_jsonschema() -> None:
    validator = load_validator({"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"})
    assert compile_validator(validator) is None
    assert quick(validator, "x") is None


def test_the_shipped_schema_compiled_alone_decides_as_its_validator() -> None:
    validator = load_validator(default_schema())
    check = shipped_check()
    rng = random.Random(14)
    keys = keys_of(default_schema())
    for _ in range(3000):
        data = {"layout": "post", "title": "Titel", **{rng.choice(keys): instances(keys, rng, 1) for _ in range(4)}}
        assert check(data) is jsonschema_valid(validator, data), data


# The shipped schema's properties of only a type (and a minimum length).
SIMPLE_KEYS = {"layout", "title", "date", "last_modified_at", "category", "published", "permalink", "slug",
               "excerpt", "excerpt_separator", "description", "sitemap"}


def test_the_shipped_violations_without_jsonschema_are_its_validators() -> None:
    # Generated front matter that lacks layout, title or both, valid or not
    # otherwise: where shipped_violations answers, jsonschema's violations
    # are the same list; it answers every case whose violations are missing
    # required keys and the type or length of a top-level value.
    validator = load_validator(default_schema())
    rng = random.Random(15)
    keys = keys_of(default_schema())
    answered = missing_only = at_values = 0
    for _ in range(6000):
        data = {rng.choice(keys): instances(keys, rng, 1) for _ in range(rng.randint(0, 4))}
        data.update({key: value for key, value in (("layout", "post"), ("title", "Titel")) if rng.random() < 0.4})
        if rng.random() < 0.3:
            data[rng.choice(["title", "published", "slug", "layout", "category", "date"])] = rng.choice(SCALARS)
        found = shipped_violations(data)
        expected = violations(validator, data)
        if found is not None:
            answered += 1
            assert found == expected, data
        if expected and all(v.keyword == "required" and v.path == () for v in expected):
            missing_only += 1
            assert found is not None, data
        if expected and all((v.keyword == "required" and v.path == ())
                            or (v.keyword in ("type", "minLength") and len(v.path) == 1 and v.path[0] in SIMPLE_KEYS)
                            for v in expected):
            at_values += 1
            assert found is not None, data
    assert answered > 3000 and missing_only > 1000 and at_values > 2500, (answered, missing_only, at_values)
    assert [v.path for v in shipped_violations({})] == [(), ()]
    feed = shipped_violations({"layout": "post", "title": "", "published": "nee"}) or []
    assert [(v.path, v.keyword) for v in feed] == [(("published",), "type"), (("title",), "minLength")]


def test_a_schema_that_extends_the_shipped_one(tmp_path: Path) -> None:
    # The README's way to forbid unknown keys: $ref to the shipped schema
    # (another document, whose own $schema switches jsonschema to its own class).
    schema = {"$ref": DEFAULT_SCHEMA_ID, "unevaluatedProperties": False, "properties": {"extra": {"type": "integer"}}}
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    validator = load_validator(json.loads(path.read_text()), base_uri=str(path))
    cases: list[Any] = [
        {"layout": "post", "title": "T"},
        {"layout": "post", "title": "T", "extra": 1, "lang": "nl", "externe_link": "https://example.nl/"},
        {"layout": "post", "title": "T", "lang": "١٢"},
        {"layout": "post", "title": "T", "unknown": 1},
        {"layout": "post", "title": "", "extra": "1"},
        {"title": "T", "tags": ["a", 1, None]},
    ]
    answers = [quick(validator, data) for data in cases]
    for data, answer in zip(cases, answers):
        if answer is not None:
            assert answer is jsonschema_valid(validator, data), data
    assert answers[:2] == [True, True]


def test_a_run_of_valid_posts_does_not_import_jsonschema(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (tmp_path / "_config.yml").write_text("title: Proef\n", encoding="utf-8")
    (posts / "2020-01-15-stalling.md").write_text(
        "---\nlayout: post\ntitle: Nieuwe stalling\nlang: nl\nexterne_link: https://example.nl/a\n"
        "tags: [fiets, station]\n---\nTekst.\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom postlint.cli import main\n"
        "try:\n    status = main(['check', '--no-network', '--no-cache', '--select', 'FM', '.'])\n"
        "except SystemExit as exc:\n    status = exc.code\n"
        "print(status, 'jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["0", "False"]


BROKEN_SCHEMAS: list[Any] = [
    {"type": 5}, {"type": "text"}, {"type": ["string", "string"]}, {"minLength": -1}, {"minLength": 1.5},
    {"required": "name"}, {"required": [1]}, {"properties": []}, {"properties": {"a": 5}}, {"$ref": 1},
    {"enum": "post"}, {"items": [{"type": "string"}]}, {"pattern": 7}, {"anyOf": []}, {"anyOf": {}},
    {"allOf": [{"type": "nope"}]}, {"additionalProperties": "no"}, {"$defs": {"a": {"minItems": "1"}}},
    {"not": []}, {"if": 1}, {"dependentRequired": {"a": "b"}}, {"format": 1}, {"$id": 5}, {"$schema": 5},
    {"properties": {"a": {"properties": {"b": {"type": {"deep": 1}}}}}},
]


def test_the_meta_schema_check_agrees() -> None:
    # compile_schema checks a configured schema against its meta-schema with
    # `violations`, so through the fast path as well.
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    decided = 0
    for schema in [*DECIDED.values(), *UNDECIDED.values(), *BROKEN_SCHEMAS]:
        answer = quick(meta, schema)
        if answer is not None:
            decided += 1
            assert answer is jsonschema_valid(meta, schema), schema
    assert decided > 20  # the meta-schema's $dynamicRef leaves some to jsonschema


def test_a_pointer_with_escapes_is_left_to_jsonschema() -> None:
    schema = {"$defs": {"a/b": {"type": "string"}, "a~b": {"type": "integer"}},
              "properties": {"x": {"$ref": "#/$defs/a~1b"}, "y": {"$ref": "#/$defs/a~0b"}}}
    check = local_check(schema)
    validator = load_validator(schema)
    for data in [{"x": "s"}, {"x": 1}, {"y": 1}, {"y": "s"}]:
        assert check(data) is None
        assert quick(validator, data) is jsonschema_valid(validator, data)


def test_a_pointer_through_a_subschema_with_its_own_id_is_left_to_jsonschema() -> None:
    # referencing moves the base URI to the $id on the way, so the target's
    # "#/$defs/s" is a.json's (an integer), not the root's (a string).
    schema = {
        "$defs": {
            "a": {"$id": "https://example.nl/a.json", "$defs": {"s": {"type": "integer"}},
                  "properties": {"b": {"$ref": "#/$defs/s"}}},
            "s": {"type": "string"},
        },
        "properties": {"x": {"$ref": "#/$defs/a/properties/b"}},
    }
    check = local_check(schema)
    validator = load_validator(schema)
    for data in [{"x": 5}, {"x": "text"}]:
        assert check(data) in (None, jsonschema_valid(validator, data))  # never the wrong verdict
        assert quick(validator, data) in (None, jsonschema_valid(validator, data))


def test_any_of_leaves_a_branch_it_cannot_judge_before_a_valid_one_to_jsonschema() -> None:
    # jsonschema tries the branches in order and stops at the first valid
    # one: a branch before it runs, and multipleOf on .inf raises there (FM100
    # reports that as an internal error, which the fast path must not hide).
    validator = load_validator({"anyOf": [{"multipleOf": 0.1}, {"type": "number"}]})
    with pytest.raises(OverflowError):
        list(validator.iter_errors(math.inf))
    assert quick(validator, math.inf) is None
    validator = load_validator({"anyOf": [{"type": "number"}, {"multipleOf": 0.1}]})
    assert quick(validator, math.inf) is True   # the first branch is valid: jsonschema stops there too
    assert jsonschema_valid(validator, math.inf)
