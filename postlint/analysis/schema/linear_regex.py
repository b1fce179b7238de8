"""Schema regular expressions in linear time: RE2 for `pattern` and `patternProperties`.

jsonschema runs `pattern`, `patternProperties` (and the `additionalProperties`
and `unevaluatedProperties` that depend on it) with Python's backtracking
`re`: `^(a+)+$` against 35 characters of "a" and one "b" takes minutes. A
schema is configuration written by anybody with commit access, applied to
every post; so postlint runs these keywords with RE2 (google-re2), whose time
is linear in the text. RE2 has no lookaround and no backreferences (neither
can be run in linear time): a schema that uses them is a configuration error
at load, naming the pattern (`UnsupportedPattern`).

`linear_validator(cls)` is jsonschema's validator class `cls` with those four
keywords replaced; everything else is jsonschema's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any


class UnsupportedPattern(ValueError):
    """A regular expression RE2 cannot run; `reason` is RE2's word for it."""

    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(reason)
        self.pattern = pattern
        self.reason = reason


@cache
def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would write its own complaint to standard error
    return options


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Any:
    """The RE2 program of `pattern`, or UnsupportedPattern."""
    import re2

    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else str(exc)
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UnsupportedPattern(pattern, str(reason)) from None
    except (TypeError, UnicodeEncodeError) as exc:
        raise UnsupportedPattern(pattern, str(exc)) from None


def search(pattern: str, text: str) -> bool:
    """`re.search(pattern, text)` in time linear in `text`."""
    program = compile_pattern(pattern)
    try:
        return program.search(text) is not None
    except UnicodeEncodeError:  # a lone surrogate (from a YAML "\ud800" escape)
        return program.search(text.encode("utf-8", "replace").decode("utf-8")) is not None


def problem(pattern: Any) -> str | None:
    """Why RE2 cannot run `pattern`; None when it can."""
    if not isinstance(pattern, str):
        return None
    try:
        compile_pattern(pattern)
    except UnsupportedPattern as exc:
        return exc.reason
    return None


# -- the keywords -----------------------------------------------------------------


def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(patrn, instance):
        shown = instance if len(instance) <= 60 else instance[:57] + "..."
        yield ValidationError(f"{shown!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, pattern_properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        for key, value in instance.items():
            if search(pattern, str(key)):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def matches_any(patterns: Any, key: Any) -> bool:
    return any(search(p, str(key)) for p in patterns)


def _additional(instance: Any, schema: Any) -> Iterator[Any]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    for key in instance:
        if key not in properties and not (patterns and matches_any(patterns, key)):
            yield key


def _extras(extras: list[Any]) -> tuple[str, str]:
    return ", ".join(repr(e) for e in extras), "was" if len(extras) == 1 else "were"


def _additional_properties(validator: Any, ap: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = list(_additional(instance, schema))
    if validator.is_type(ap, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], ap, path=extra)
    elif not ap and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(e) for e in sorted(extras, key=str))
            patterns = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            yield ValidationError(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            names, verb = _extras(sorted(extras, key=str))
            yield ValidationError(f"Additional properties are not allowed ({names} {verb} unexpected)")


def evaluated_keys(validator: Any, instance: Any, schema: Any) -> list[Any]:
    """jsonschema's find_evaluated_property_keys_by_schema (4.26), with RE2
    for patternProperties."""
    if validator.is_type(schema, "boolean"):
        return []
    keys: list[Any] = []
    for keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
        ref = schema.get(keyword)
        if not isinstance(ref, str):
            continue
        resolved = validator._resolver.lookup(ref)
        keys.extend(
            evaluated_keys(
                validator.evolve(schema=resolved.contents, _resolver=resolved.resolver),
                instance, resolved.contents,
            )
        )
    properties = schema.get("properties")
    if validator.is_type(properties, "object"):
        keys += properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        subschema = schema.get(keyword)
        if subschema is None:
            continue
        keys += (key for key, value in instance.items() if validator.evolve(schema=subschema).is_valid(value))
    if "patternProperties" in schema:
        patterns = list(schema["patternProperties"])
        keys += (key for key in instance if matches_any(patterns, key))
    for key, subschema in (schema.get("dependentSchemas") or {}).items():
        if key in instance:
            keys += evaluated_keys(validator, instance, subschema)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if validator.evolve(schema=subschema).is_valid(instance):
                keys += evaluated_keys(validator, instance, subschema)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys += evaluated_keys(validator, instance, schema["if"])
            if "then" in schema:
                keys += evaluated_keys(validator, instance, schema["then"])
        elif "else" in schema:
            keys += evaluated_keys(validator, instance, schema["else"])
    return keys


def _unevaluated_properties(validator: Any, up: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    evaluated = set(evaluated_keys(validator, instance, schema))
    unevaluated = [
        key for key in instance
        if key not in evaluated
        and any(True for _ in validator.descend(instance[key], up, path=key, schema_path=key))
    ]
    if unevaluated:
        if up is False:
            names, verb = _extras(sorted(unevaluated, key=str))
            yield ValidationError(f"Unevaluated properties are not allowed ({names} {verb} unexpected)")
        else:
            names, verb = _extras(unevaluated)
            yield ValidationError(
                f"Unevaluated properties are not valid under the given schema ({names} {verb} unevaluated and invalid)"
            )


@cache
def linear_validator(cls: Any) -> Any:
    """`cls` with pattern, patternProperties, additionalProperties and (where
    the draft has it) unevaluatedProperties run by RE2."""
    from jsonschema import validators

    overrides = {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    }
    if "unevaluatedProperties" in cls.VALIDATORS:
        overrides["unevaluatedProperties"] = _unevaluated_properties
    return validators.extend(cls, overrides)  # type: ignore[no-untyped-call]  # stub: extend has no annotations
