"""postlint.adapters.jsonschema against the installed jsonschema and
referencing, and the behaviours of jsonschema that postlint's keywords and
error conversion rely on."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from postlint.adapters import jsonschema as adapter
from postlint.analysis.schema.linear_regex import evaluated_keys, linear_validator
from tests.adapters.support import require, require_attribute, require_parameters

LIB = "jsonschema"


def test_descend_extends_both_paths() -> None:
    validator = Draft202012Validator({})
    require_parameters(require_attribute(validator, "descend", LIB), ["instance", "schema", "path", "schema_path"], LIB)
    errors = list(adapter.descend(validator, {"a": 1}, {"properties": {"a": {"type": "string"}}},
                                  path="x", schema_path="y"))
    require(len(errors) == 1, LIB, "Validator.descend", f"{errors!r}")
    error = errors[0]
    require((list(error.path), list(error.schema_path)) == (["x", "a"], ["y", "properties", "a", "type"]), LIB,
            "Validator.descend(path=, schema_path=)", f"{list(error.path)}, {list(error.schema_path)}")


def _registry() -> Registry[Any]:
    other = Resource.from_contents({"$id": "https://example.org/sub/c.json", "type": "integer"},
                                   default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(other.id() or "", other)
    return registry


ROOT: dict[str, Any] = {
    "$id": "https://example.org/root.json",
    "$defs": {"b": {"$id": "sub/b.json", "$ref": "c.json"}},
    "$ref": "#/$defs/b",
}


def test_follow_ref_gives_a_validator_at_the_target() -> None:
    validator = Draft202012Validator(ROOT, registry=_registry())
    require(hasattr(validator, "_resolver"), LIB, "Validator._resolver", "missing")
    target, at_target = adapter.follow_ref(validator, "sub/b.json")
    require(target == ROOT["$defs"]["b"], LIB, "Validator._resolver.lookup", repr(target))
    # The target's own relative $ref resolves from the target's $id.
    require(at_target.is_valid(3) and not at_target.is_valid("3"), LIB,
            "Validator.evolve(schema=, _resolver=)", "the target's relative $ref does not resolve from it")
    require(type(at_target) is type(validator), LIB, "Validator.evolve", "another class")


def test_a_resolvers_base_uri() -> None:
    registry = _registry()
    resolved = registry.resolver(base_uri="https://example.org/root.json").lookup("sub/c.json")
    require(adapter.resolver_base_uri(resolved.resolver) == "https://example.org/sub/c.json", "referencing",
            "referencing Resolver._base_uri", repr(getattr(resolved.resolver, "_base_uri", None)))
    require(adapter.resolver_base_uri(object()) is None, "referencing", "resolver_base_uri")


def test_the_keywords_postlint_replaces() -> None:
    for cls in (Draft202012Validator, Draft7Validator):
        table = require_attribute(cls, "VALIDATORS", LIB)
        for keyword in ("pattern", "patternProperties", "additionalProperties"):
            require(keyword in table, LIB, f"{cls.__name__}.VALIDATORS[{keyword!r}]", "missing")
    require("unevaluatedProperties" in Draft202012Validator.VALIDATORS, LIB,
            "Draft202012Validator.VALIDATORS['unevaluatedProperties']", "missing")
    extend: Any = validators.extend  # typed without its parameters in types-jsonschema
    extended = extend(Draft202012Validator, {"pattern": lambda v, p, i, s: iter(())})
    require(not list(extended({"pattern": "^a"}).iter_errors("b")), LIB, "validators.extend")


SCHEMAS: list[dict[str, Any]] = [
    {"properties": {"a": {}}, "patternProperties": {"^x": {}}, "additionalProperties": {"type": "string"}},
    {"allOf": [{"properties": {"a": {}}}], "anyOf": [{"properties": {"b": {}}}, {"required": ["zz"]}]},
    {"if": {"required": ["a"]}, "then": {"properties": {"b": {}}}, "else": {"properties": {"c": {}}}},
    {"dependentSchemas": {"a": {"properties": {"d": {}}}}, "$defs": {"e": {"properties": {"e": {}}}},
     "$ref": "#/$defs/e"},
    {"oneOf": [{"properties": {"a": {"type": "integer"}}}, {"properties": {"b": {}}}]},
]


def test_evaluated_keys_are_jsonschemas() -> None:
    # linear_regex.evaluated_keys is jsonschema's find_evaluated_property_keys_by_schema
    # with RE2; what jsonschema counts as evaluated must not have moved.
    from jsonschema import _utils

    theirs = require_attribute(_utils, "find_evaluated_property_keys_by_schema", LIB)
    instance = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "x1": 6, "y": "s"}
    # Before 4.24 jsonschema counted no key as evaluated by additionalProperties
    # (fixed in 4.24); postlint follows the fix, whatever jsonschema is installed.
    old = tuple(int(p) for p in version("jsonschema").split(".")[:2]) < (4, 24)
    for schema in SCHEMAS:
        if old and "additionalProperties" in schema:
            continue
        validator = Draft202012Validator(schema)
        ours = set(evaluated_keys(validator, instance, schema))
        require(ours == set(theirs(validator, instance, schema)), LIB,
                "jsonschema._utils.find_evaluated_property_keys_by_schema", f"{schema}: ours {sorted(ours)}")


def test_linear_keywords_report_as_jsonschemas_own() -> None:
    schema = {"properties": {"a": {"pattern": "^x"}}, "patternProperties": {"^p": {"type": "integer"}},
              "additionalProperties": False, "unevaluatedProperties": False}
    instance = {"a": "y", "p1": "s", "q": 1}
    linear = linear_validator(Draft202012Validator)
    key = [(list(e.absolute_path), e.validator) for e in Draft202012Validator(schema).iter_errors(instance)]
    ours = [(list(e.absolute_path), e.validator) for e in linear(schema).iter_errors(instance)]
    require(sorted(map(str, ours)) == sorted(map(str, key)), LIB, "the errors of pattern/patternProperties/"
            "additionalProperties/unevaluatedProperties", f"{ours} != {key}")


def test_error_shapes_the_conversion_reads() -> None:
    # validate.py: a `false` schema's error has no keyword; format errors
    # carry the checker's exception as their cause.
    errors = list(Draft202012Validator({"properties": {"a": False}}).iter_errors({"a": 1}))
    require(len(errors) == 1 and errors[0].validator is None, LIB, "ValidationError.validator of a false schema",
            repr([(e.validator, e.message) for e in errors]))
    checker = FormatChecker(())
    require(isinstance(require_attribute(checker, "checkers", LIB), dict), LIB, "FormatChecker.checkers")

    def no(value: object) -> bool:
        raise ValueError("because")

    checker.checks("thing", raises=ValueError)(no)
    errors = list(Draft202012Validator({"format": "thing"}, format_checker=checker).iter_errors("v"))
    require(len(errors) == 1 and isinstance(errors[0].cause, ValueError), LIB, "ValidationError.cause of a format")
    require(all(hasattr(errors[0], name) for name in ("absolute_path", "absolute_schema_path", "relative_schema_path",
                                                       "validator_value", "instance", "schema", "context")),
            LIB, "ValidationError's attributes")


def test_validator_base_uri_is_where_refs_resolve() -> None:
    validator = Draft202012Validator({"$id": "https://example.org/dir/root.json"}, registry=_registry())
    require(adapter.validator_base_uri(validator) == "https://example.org/dir/root.json", LIB,
            "Validator._resolver", f"{adapter.validator_base_uri(validator)!r}")
    _, at_target = adapter.follow_ref(validator, "https://example.org/sub/c.json")
    assert adapter.validator_base_uri(at_target) == "https://example.org/sub/c.json"
