from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from postlint.analysis.schema.validate import (
    DEFAULT_SCHEMA_ID,
    InvalidSchema,
    default_schema,
    format_path,
    load_validator,
    violations,
)

FEED_POST = {
    "layout": "post",
    "title": "Gemeente opent nieuwe fietsenstalling bij het station",
    "date": "Wed, 15 Jan 2020 08:30:00 +0100",
    "category": "nieuws",
    "externe_link": "https://example.nl/artikel/48213",
    "feature_image": "https://example.nl/media/2020/01/stalling-800x450.jpg",
}


def where(schema: Any, data: Any, **kwargs: Any) -> list[tuple[tuple, str, str]]:
    validator = load_validator(schema, **kwargs)
    return [(v.path, v.where, v.keyword) for v in violations(validator, data)]


@pytest.fixture(scope="module")
def shipped():
    return load_validator(default_schema())


def shipped_where(validator, data: dict) -> list[tuple[tuple, str, str]]:
    return [(v.path, v.where, v.keyword) for v in violations(validator, data)]


# -- the shipped schema ---------------------------------------------------------


def test_shipped_schema_is_2020_12_with_id() -> None:
    schema = default_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == DEFAULT_SCHEMA_ID
    assert {"title", "description", "$defs"} <= schema.keys()
    assert schema["required"] == ["layout", "title"]


def test_shipped_file_is_the_packaged_one() -> None:
    on_disk = Path(__file__).resolve().parent.parent / "schemas" / "post.schema.json"
    assert json.loads(on_disk.read_text(encoding="utf-8")) == default_schema()


def test_feed_post_is_valid(shipped) -> None:
    assert violations(shipped, FEED_POST) == []


def test_standard_jekyll_keys_are_valid(shipped) -> None:
    post = {
        **FEED_POST,
        "categories": ["nieuws", "lokaal"],
        "tags": "fiets station",
        "published": False,
        "permalink": "/:categories/:year/:title/",
        "excerpt_separator": "<!--more-->",
        "author": {"name": "Redactie", "email": "redactie@example.nl", "url": "https://example.nl/"},
        "lang": "nl-NL",
        "redirect_from": ["/oud/stalling/"],
        "image": {"path": "/img/stalling.jpg", "width": 800},
        "sitemap": False,
        "site_specific_key": {"anything": [1, 2]},
    }
    assert violations(shipped, post) == []
    for style in ("date", "pretty", "ordinal", "weekdate", "none"):
        assert violations(shipped, {**FEED_POST, "permalink": style}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"published": "yes"}, [(("published",), "value", "type")]),
        ({"title": ""}, [(("title",), "value", "minLength")]),
        ({"title": 2019}, [(("title",), "value", "type")]),
        ({"tags": [True, {"a": 1}]}, [(("tags", 0), "value", "type"), (("tags", 1), "value", "type")]),
        ({"tags": 5}, [(("tags",), "value", "type")]),
        ({"categories": ["a", ["b"]]}, [(("categories", 1), "value", "type")]),
        ({"externe_link": "example.nl/artikel/1"}, [(("externe_link",), "value", "anyOf")]),
        # A path of the site is accepted (issue 16: JK003 checks it); "//host/x" is neither.
        ({"feature_image": "/assets/img/x.jpg"}, []),
        ({"feature_image": "//cdn.example.nl/x.jpg"}, [(("feature_image",), "value", "anyOf")]),
        ({"canonical_url": "/2020/01/15/stalling/", "redirect_to": "https://example.nl/nieuw"}, []),
        ({"canonical_url": "stalling"}, [(("canonical_url",), "value", "anyOf")]),
        ({"redirect_to": 5}, [(("redirect_to",), "value", "type")]),
        ({"permalink": ""}, [(("permalink",), "value", "minLength")]),
        ({"permalink": 7}, [(("permalink",), "value", "type")]),
        ({"author": {"email": "redactie@example.nl"}}, [(("author",), "document", "required")]),
        ({"author": {"name": "R", "email": "not-an-address"}}, [(("author", "email"), "value", "format")]),
        ({"author": 5}, [(("author",), "value", "type")]),
        ({"date": "2020-01-15"}, []),
        ({"sitemap": "no"}, [(("sitemap",), "value", "type")]),
        ({"image": {"alt": "x"}}, [(("image",), "document", "required")]),
    ],
)
def test_shipped_schema_rejects(shipped, change: dict, expected: list) -> None:
    assert shipped_where(shipped, {**FEED_POST, **change}) == expected


def test_missing_required_keys_are_document_level_and_named(shipped) -> None:
    found = violations(shipped, {"date": "Wed, 15 Jan 2020 08:30:00 +0100"})
    assert [(v.path, v.where, v.keyword) for v in found] == [((), "document", "required")] * 2
    assert ["layout" in found[0].message, "title" in found[1].message] == [True, True]


def test_users_can_tighten_the_shipped_schema_by_id() -> None:
    strict = {
        "$ref": DEFAULT_SCHEMA_ID,
        "unevaluatedProperties": False,
    }
    assert where(strict, FEED_POST) == []
    assert where(strict, {**FEED_POST, "extra": 1, "another": 2}) == [
        (("another",), "key", "unevaluatedProperties"),
        (("extra",), "key", "unevaluatedProperties"),
    ]


def test_users_can_refer_to_shipped_defs() -> None:
    schema = {"properties": {"keywords": {"$ref": DEFAULT_SCHEMA_ID + "#/$defs/stringOrStrings"}}}
    assert where(schema, {"keywords": ["a"]}) == []
    assert where(schema, {"keywords": [True]}) == [(("keywords", 0), "value", "type")]


# -- violations ---------------------------------------------------------------

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"enum": ["news", "opinion"]},
        "slug": {"$ref": "#/$defs/slug"},
        "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        "owner": {
            "type": "object",
            "required": ["name", "id"],
            "properties": {"name": {"type": "string"}, "id": {"type": "integer", "minimum": 1}},
            "additionalProperties": False,
        },
        "count": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]},
        "labels": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string", "maxLength": 5}, "uniqueItems": True},
            ]
        },
        "meta": {"type": "object", "propertyNames": {"pattern": "^[a-z_]+$"}},
    },
    "$defs": {"slug": {"type": "string", "pattern": "^[a-z0-9-]+$"}},
}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"kind": "news"}, []),
        ({"kind": "review"}, [(("kind",), "value", "enum")]),
        ({}, [((), "document", "required")]),
        ({"kind": "news", "slug": "Hello World"}, [(("slug",), "value", "pattern")]),
        ({"kind": "news", "slug": 3}, [(("slug",), "value", "type")]),
        ({"kind": "news", "matrix": [[1, 2], [3, "x"]]}, [(("matrix", 1, 1), "value", "type")]),
        ({"kind": "news", "matrix": [1]}, [(("matrix", 0), "value", "type")]),
        (
            {"kind": "news", "owner": {"name": "A", "id": 0, "role": "x", "age": 3}},
            [
                (("owner", "age"), "key", "additionalProperties"),
                (("owner", "id"), "value", "minimum"),
                (("owner", "role"), "key", "additionalProperties"),
            ],
        ),
        ({"kind": "news", "owner": {}}, [(("owner",), "document", "required")] * 2),
        ({"kind": "news", "count": 3}, []),
        ({"kind": "news", "count": 12}, [(("count",), "value", "oneOf")]),  # matches both
        ({"kind": "news", "count": "x"}, [(("count",), "value", "type")]),
        ({"kind": "news", "labels": 5}, [(("labels",), "value", "type")]),
        ({"kind": "news", "labels": ["ok", 1]}, [(("labels", 1), "value", "type")]),
        ({"kind": "news", "labels": ["toolong"]}, [(("labels", 0), "value", "maxLength")]),
        ({"kind": "news", "labels": ["a", "a"]}, [(("labels",), "value", "uniqueItems")]),
        ({"kind": "news", "meta": {"ok_key": 1, "Bad-Key": 2}}, [(("meta", "Bad-Key"), "key", "propertyNames")]),
    ],
)
def test_violations(data: dict, expected: list) -> None:
    assert where(SCHEMA, data) == expected


def test_anyof_type_mismatch_names_both_types() -> None:
    [found] = violations(load_validator(SCHEMA), {"kind": "news", "labels": 5})
    assert "string" in found.message and "array" in found.message


def test_several_errors_sorted_by_path_then_keyword() -> None:
    data = {"kind": "x", "slug": "A", "matrix": [["a"]], "owner": {"name": 1, "id": 1}, "meta": {"X": 1}}
    validator = load_validator(SCHEMA)
    first = violations(validator, data)
    assert [(v.path, v.keyword) for v in first] == [
        (("kind",), "enum"),
        (("matrix", 0, 0), "type"),
        (("meta", "X"), "propertyNames"),
        (("owner", "name"), "type"),
        (("slug",), "pattern"),
    ]
    assert violations(validator, data) == first


def test_messages_name_the_key_path() -> None:
    validator = load_validator(SCHEMA)
    [found] = violations(validator, {"kind": "news", "matrix": [[1], ["x"]]})
    assert found.message.startswith("matrix[1][0]")
    found = violations(validator, {"kind": "news", "owner": {"id": 1}})
    assert "owner.name" in found[0].message
    assert format_path(("a b", 0, "c")) == '["a b"][0].c'


def test_enum_message_lists_allowed_values() -> None:
    [found] = violations(load_validator(SCHEMA), {"kind": "review"})
    assert "news" in found.message and "opinion" in found.message


def test_false_subschema_marks_the_key() -> None:
    schema = {"properties": {"legacy": False}}
    assert where(schema, {"legacy": 1, "other": 2}) == [(("legacy",), "key", "false")]


def test_false_pattern_schema_and_additional_schema() -> None:
    schema = {
        "properties": {"a": {"type": "string"}},
        "patternProperties": {"^x_": False},
        "additionalProperties": {"type": "integer"},
    }
    assert where(schema, {"a": "ok", "x_old": 1, "n": 2}) == [(("x_old",), "key", "false")]
    assert where(schema, {"a": "ok", "n": "two"}) == [(("n",), "value", "type")]


def test_non_mapping_document() -> None:
    assert where({"type": "object"}, ["a"]) == [((), "value", "type")]


# -- $schema and $ref ---------------------------------------------------------


def test_draft_is_taken_from_dollar_schema() -> None:
    from jsonschema import Draft7Validator, Draft202012Validator

    # The class is the draft's, extended with RE2 patterns (issue 12): same meta-schema.
    assert (
        load_validator({"$schema": "http://json-schema.org/draft-07/schema#"}).META_SCHEMA
        == Draft7Validator.META_SCHEMA
    )
    assert load_validator({}).META_SCHEMA == Draft202012Validator.META_SCHEMA


def test_relative_file_refs_resolve_against_base_uri(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "defs.json").write_text(json.dumps({
        "$defs": {
            "slug": {"type": "string", "pattern": "^[a-z-]+$"},
            "slugs": {"type": "array", "items": {"$ref": "#/$defs/slug"}},
        }
    }), encoding="utf-8")
    schema = {"properties": {"aliases": {"$ref": "common/defs.json#/$defs/slugs"}}}
    main = tmp_path / "post.schema.json"
    assert where(schema, {"aliases": ["a-b"]}, base_uri=str(main)) == []
    assert where(schema, {"aliases": ["a-b", "A B"]}, base_uri=str(main)) == [(("aliases", 1), "value", "pattern")]
    assert where(schema, {"aliases": ["x"]}, base_uri=main.as_uri()) == []
    # a directory works as the base too
    assert where(schema, {"aliases": ["A"]}, base_uri=str(tmp_path)) == [(("aliases", 0), "value", "pattern")]


def test_refs_relative_to_an_http_id_are_read_beside_the_schema_file(tmp_path: Path) -> None:
    (tmp_path / "defs.json").write_text(json.dumps({"type": "integer"}), encoding="utf-8")
    schema = {"$id": "https://example.org/schemas/post.json", "properties": {"n": {"$ref": "defs.json"}}}
    assert where(schema, {"n": "x"}, base_uri=str(tmp_path / "post.json")) == [(("n",), "value", "type")]


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ({"type": "strin"}, ("type",)),
        ({"properties": {"a": {"minLength": -1}}}, ("properties", "a", "minLength")),
        ({"required": "title"}, ("required",)),
        ({"pattern": "("}, ("pattern",)),
        ({"$schema": "https://example.org/no-such-draft"}, ("$schema",)),
        ({"properties": {"a": {"$ref": "#/$defs/missing"}}}, ("properties", "a", "$ref")),
        ({"properties": {"a": {"$ref": "missing.json"}}}, ("properties", "a", "$ref")),
        # never fetched: postlint reads schemas from files only
        ({"allOf": [{"$ref": "https://example.org/remote.schema.json"}]}, ("allOf", 0, "$ref")),
        (["not", "a", "schema"], ()),
    ],
)
def test_invalid_schema(schema: Any, path: tuple, tmp_path: Path) -> None:
    with pytest.raises(InvalidSchema) as info:
        load_validator(schema, base_uri=str(tmp_path / "s.json"))
    assert info.value.path == path
    assert info.value.message


# -- formats ----------------------------------------------------------------------


def fmt_ok(fmt: str, value: Any) -> bool:
    return violations(load_validator({"format": fmt}), value) == []


@pytest.mark.parametrize(
    "value",
    [
        "https://nos.nl/l/2284411",
        "http://example.org",
        "https://user:pw@example.org:8080/a/b?c=d&e=%20#frag",
        "http://[2001:db8::1]:80/",
        "mailto:redactie@example.nl",
        "urn:isbn:9789023456789",
        "file:///tmp/x",
        "HTTPS://EXAMPLE.ORG/",
    ],
)
def test_uri_accepts(value: str) -> None:
    assert fmt_ok("uri", value)


@pytest.mark.parametrize(
    "value",
    [
        "nos.nl/l/1",
        "/relative",
        "http://",
        "https:///path-only",
        "ht tp://x",
        "https://exa mple.org/",
        "https://example.org/caf\u00e9",
        "https://example.org/%zz",
        "https://example.org:port/",
        "http://[::1/",
        "http://[not-ip]/",
        "https://example.org/a[1]",
        "1http://example.org",
        "",
        "#fragment",
    ],
)
def test_uri_rejects(value: str) -> None:
    found = violations(load_validator({"format": "uri"}), value)
    assert [(v.path, v.where, v.keyword) for v in found] == [((), "value", "format")]


@pytest.mark.parametrize(("value", "ok"), [
    ("/relative", True), ("../up/x.html", True), ("#frag", True), ("", True), ("?q=1", True),
    ("https://example.org/", True), ("a b", False), ("/caf\u00e9", False), ("%", False),
])
def test_uri_reference(value: str, ok: bool) -> None:
    assert fmt_ok("uri-reference", value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("2019-05-13", True), ("2024-02-29", True), ("2023-02-29", False), ("2019-5-13", False),
    ("2019-05-13T00:00:00Z", False), ("13-05-2019", False),
])
def test_date_format(value: str, ok: bool) -> None:
    assert fmt_ok("date", value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("2019-05-13T12:45:33+02:00", True), ("2019-05-13t12:45:33.5z", True), ("2016-12-31T23:59:60Z", True),
    ("2019-05-13T12:45+02:00", False), ("2019-05-13 12:45:33Z", False), ("2019-05-13T24:00:00Z", False),
    ("2019-05-13T12:45:33+0200", False), ("2019-05-13T12:45:33", False),
    ("Mon, 13 May 2019 12:45:33 +0200", False),
])
def test_date_time_format(value: str, ok: bool) -> None:
    assert fmt_ok("date-time", value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("redactie@example.nl", True), ("a.b+c@sub.example.org", True), ('"a b"@example.org', True),
    ("a@[192.0.2.1]", True), ("a@[IPv6:2001:db8::1]", True), ("postmaster@localhost", True),
    ("example.nl", False), ("a@", False), ("@example.nl", False), ("a..b@example.org", False),
    ("a@-x.org", False), ("a b@example.org", False), ("a@exa_mple.org", False), ("a@[300.1.1.1]", False),
])
def test_email_format(value: str, ok: bool) -> None:
    assert fmt_ok("email", value) is ok


def test_formats_ignore_non_strings() -> None:
    assert fmt_ok("uri", 5) and fmt_ok("date", None) and fmt_ok("email", ["x"])


def test_import_does_not_load_jsonschema() -> None:
    code = (
        "import sys, postlint.analysis.schema.validate; "
        "print('jsonschema' in sys.modules, 'referencing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_shipped_schema_is_read_from_a_source_checkout_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not installed (no postlint.schemas package): schemas/ at the top of the
    # checkout, beside the postlint folder.
    import sys

    from postlint.analysis.schema import validate

    installed = validate._shipped_text(validate.DEFAULT_SCHEMA_FILE)
    monkeypatch.setitem(sys.modules, "postlint.schemas", None)  # importing it fails
    assert validate._shipped_text(validate.DEFAULT_SCHEMA_FILE) == installed
    assert validate.shipped_path().read_text(encoding="utf-8") == installed


def test_uri_problem_names_the_first_character_to_encode() -> None:
    # The first character outside RFC 3986's set is the one reported, as a
    # test of each character in turn found it.
    import random
    import re as _re

    from postlint.analysis.schema.validate import uri_problem

    allowed = _re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]%]")
    rng = random.Random(3986)
    alphabet = "az09-._~!$&'()*+,;=:@/?#[]% \t\n\"<>\\^`{|}\u00e9\u3042\x00"
    for _ in range(3000):
        value = "https://h/" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        first = next((c for c in value if not allowed.match(c)), None)
        problem = uri_problem(value)
        if first is None:
            assert problem is None or "percent-encoded" not in problem or "'['" in problem
        else:
            assert problem is not None and (repr(first) in problem or (first == " " and "a space" in problem))
