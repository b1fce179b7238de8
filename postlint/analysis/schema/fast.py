"""A validity fast path: the schema compiled once into plain checks.

jsonschema validates by walking the schema for every instance: a `descend`
per subschema, an `evolve` per step, a pointer resolution per `$ref` (about
ten subschemas a post, and most of FM100's time). Almost every post is valid,
and a valid post needs none of the errors jsonschema builds. So `quick(validator,
data)` runs the schema as a tree of closures compiled once per validator, with
every `$ref` resolved at compile time (through the validator's own resolver,
so to the same targets), and answers True (valid: jsonschema would report
nothing), False (invalid) or None (it cannot tell). Only True is acted on:
`violations` then returns no violation without calling jsonschema, and on
anything else asks jsonschema for the errors, as before.

The compiled checks mirror jsonschema's keyword functions for the draft
2020-12 classes (postlint's linear-pattern class and jsonschema's own, which
a `$ref` into a document with its own `$schema` switches to, as jsonschema's
`evolve` does): the same comparisons, the same type checker, the same
format checker and the same regular-expression search. A keyword it does not
mirror (`multipleOf`, `contains`, `$dynamicRef`, ...), a nested `$id`, a
draft other than 2020-12 or a type checker of its own makes the compiled
check None for instances it applies to (or for the whole schema), so
jsonschema decides; `enum` and `const` say True or False only where
jsonschema's `equal` is certain to agree (scalars), else None.
`compile_local` compiles a schema from its JSON alone, without jsonschema,
where every `$ref` is a JSON pointer into the schema itself (the shipped
schema): a run whose posts all pass it never imports jsonschema.
tests/test_schema_fast.py checks that both and jsonschema agree on generated
instances across the keywords.

Long because: each keyword jsonschema runs has its mirror here, beside the
two ways of placing a subschema (through a validator, or in the schema's own
JSON); splitting them would separate the mirror from what it mirrors.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from postlint.adapters.jsonschema import follow_ref, validator_base_uri

# True: valid; False: invalid; None: cannot tell (jsonschema decides).
Check = Callable[[Any], "bool | None"]

_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# Every keyword jsonschema's draft 2020-12 classes may run (Validator.VALIDATORS
# of the versions pyproject allows: 4.18 still runs additionalItems; a test
# checks the installed one's are all here); it ignores the rest. One without a
# mirror below makes the check None wherever it stands.
KEYWORDS_2020_12 = frozenset({
    "$dynamicRef", "$ref", "additionalItems", "additionalProperties", "allOf", "anyOf", "const", "contains",
    "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})


class _Unsupported(Exception):
    pass


def _always(instance: Any) -> bool | None:
    return True


def _never(instance: Any) -> bool | None:
    return False


def _unknown(instance: Any) -> bool | None:
    return None


# id(validator) -> (a weak reference to it, its compiled check): a validator
# that is gone (a schema loaded again, a meta-schema check) takes its entry along.
_CACHE: dict[int, tuple[weakref.ref[Any], Check | None]] = {}


def quick(validator: Any, data: Any) -> bool | None:
    """Whether `data` is valid under `validator`, when the compiled checks
    can tell; None when only jsonschema can."""
    key = id(validator)
    entry = _CACHE.get(key)
    if entry is None or entry[0]() is not validator:
        entry = _CACHE[key] = (weakref.ref(validator, lambda _: _CACHE.pop(key, None)), compile_validator(validator))
    check = entry[1]
    return None if check is None else check(data)


def compile_validator(validator: Any) -> Check | None:
    """The compiled check of `validator`'s schema; None when the validator is
    not one this module mirrors (another draft, another type checker)."""
    from jsonschema import Draft202012Validator

    from postlint.analysis.schema.linear_regex import linear_validator

    linear, stock = linear_validator(Draft202012Validator), Draft202012Validator
    if type(validator) not in (linear, stock) or validator.TYPE_CHECKER != stock.TYPE_CHECKER:
        return None
    try:
        return _Compiler().compile(validator.schema, _ValidatorPlace(validator, linear, stock), root=True)
    except _Unsupported:
        return None


def compile_local(schema: Any, formats: Mapping[str, Callable[[str], str | None]]) -> Check | None:
    """The compiled check of `schema` as `load_validator` would validate it,
    without jsonschema: for a draft 2020-12 schema whose `$ref`s are JSON
    pointers into itself (as the shipped schema's); any other `$ref`, and a
    format not in `formats` (name -> why a string is not of it, or None), is
    left to jsonschema (None)."""
    if not isinstance(schema, (dict, bool)):
        return None
    if isinstance(schema, dict) and schema.get("$schema", _DRAFT_2020_12) != _DRAFT_2020_12:
        return None
    try:
        return _Compiler().compile(schema, _LocalPlace(schema, formats, linear=True), root=True)
    except _Unsupported:
        return None


class _Place:
    """Where a subschema stands, as jsonschema sees it: which class applies
    (postlint's linear patterns, or jsonschema's own `re`), how its `$ref`s
    resolve, which format checks apply."""

    linear: bool
    key: Any  # with id(schema): the same check

    def child(self, schema: dict[str, Any]) -> _Place | None:
        raise NotImplementedError

    def ref(self, ref: str) -> tuple[Any, _Place | None]:
        raise NotImplementedError

    def format(self, name: Any) -> Check | None:
        raise NotImplementedError


class _ValidatorPlace(_Place):
    def __init__(self, validator: Any, linear: Any, stock: Any) -> None:
        self.validator = validator
        self.classes = (linear, stock)
        self.linear = type(validator) is linear
        self.key = (type(validator), validator_base_uri(validator))

    def _at(self, validator: Any) -> _Place | None:
        if type(validator) not in self.classes or validator.TYPE_CHECKER != self.validator.TYPE_CHECKER:
            return None  # another draft's class: jsonschema decides
        return _ValidatorPlace(validator, *self.classes)

    def child(self, schema: dict[str, Any]) -> _Place | None:
        # jsonschema's descend: evolve picks the class of the subschema's $schema
        return self._at(self.validator.evolve(schema=schema)) if "$schema" in schema else self

    def ref(self, ref: str) -> tuple[Any, _Place | None]:
        try:
            target, at_target = follow_ref(self.validator, ref)
        except Exception as exc:  # referencing's Unresolvable (the load resolved every $ref)
            raise _Unsupported("$ref") from exc
        return target, self._at(at_target)

    def format(self, name: Any) -> Check | None:
        checker = self.validator.format_checker
        if checker is None:
            return None
        conforms = checker.conforms
        return lambda instance: bool(conforms(instance, name))


class _LocalPlace(_Place):
    def __init__(self, root: Any, formats: Mapping[str, Callable[[str], str | None]], *, linear: bool) -> None:
        self.root = root
        self.formats = formats
        self.linear = linear
        self.key = linear

    def child(self, schema: dict[str, Any]) -> _Place | None:
        if "$schema" not in schema:
            return self
        if schema["$schema"] == _DRAFT_2020_12:
            return _LocalPlace(self.root, self.formats, linear=False)  # jsonschema's own class
        return None

    def ref(self, ref: str) -> tuple[Any, _Place | None]:
        if not ref.startswith("#") or (len(ref) > 1 and not ref.startswith("#/")) or "%" in ref or "~" in ref:
            # another document, an anchor, or escapes in the pointer: jsonschema resolves it
            return None, None
        target = self.root
        for part in ref[2:].split("/") if len(ref) > 1 else ():
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isascii() and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                raise _Unsupported("$ref")
            if isinstance(target, dict) and "$id" in target:
                # A subschema with its own $id on the way (or the target
                # itself): referencing moves the base URI there, so the
                # target's own "#/..." refs point into that document.
                return None, None
        return target, (self.child(target) if isinstance(target, dict) else self)

    def format(self, name: Any) -> Check | None:
        problem = self.formats.get(name) if isinstance(name, str) else None
        if problem is None:
            return _unknown  # one of jsonschema's own checkers: jsonschema decides

        def conforms(instance: Any) -> bool | None:
            if not isinstance(instance, str):
                return True  # formats constrain strings only
            try:
                return not problem(instance)
            except ValueError:  # what the format checker counts as "does not conform"
                return False

        return conforms


class _Compiler:
    def __init__(self) -> None:
        # (id(schema), place) -> its check; a forwarding function while it
        # is being compiled (a recursive $ref).
        self.done: dict[tuple[int, Any], Check] = {}
        self.keep: list[Any] = []  # the schemas keyed by id above stay alive

    def compile(self, schema: Any, place: _Place | None, *, root: bool = False) -> Check:
        if place is None:
            return _unknown
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise _Unsupported("not a schema")
        if "$id" in schema and not root:
            return _unknown  # jsonschema rebases its resolver here: it decides
        key = (id(schema), place.key)
        found = self.done.get(key)
        if found is not None:
            return found
        cell: list[Check] = []

        def later(instance: Any) -> bool | None:
            return cell[0](instance)

        self.done[key] = later
        self.keep.append(schema)
        check = self._keywords(schema, place)
        cell.append(check)
        self.done[key] = check
        return check

    def _child(self, schema: Any, place: _Place) -> Check:
        """A subschema, checked as jsonschema's descend would."""
        return self.compile(schema, place.child(schema) if isinstance(schema, dict) else place)

    def _keywords(self, schema: dict[str, Any], place: _Place) -> Check:
        checks: list[Check] = []
        for keyword, value in schema.items():
            if keyword not in KEYWORDS_2020_12:
                continue  # jsonschema ignores it too
            make = getattr(self, "_k_" + keyword.lstrip("$"), None)
            if make is None:  # multipleOf, contains, $dynamicRef, ...: jsonschema decides
                checks.append(_unknown)
                continue
            try:
                made = make(value, schema, place)
            except (_Unsupported, TypeError, ValueError, AttributeError):
                made = _unknown  # a value of another shape than the keyword's (a schema not meta-checked)
            if made is not None:
                checks.append(made)
        return _all(checks)

    # -- applicators ------------------------------------------------------------

    def _k_ref(self, ref: Any, schema: Any, place: _Place) -> Check:
        if not isinstance(ref, str):
            raise _Unsupported("$ref")
        target, at_target = place.ref(ref)
        # The target's own $id is where its resolver already stands.
        return self.compile(target, at_target, root=True)

    def _k_allOf(self, subs: Any, schema: Any, place: _Place) -> Check:
        return _all([self._child(s, place) for s in subs])

    def _k_anyOf(self, subs: Any, schema: Any, place: _Place) -> Check:
        checks = [self._child(s, place) for s in subs]

        def any_of(instance: Any) -> bool | None:
            # In jsonschema's order: it stops at the first valid branch, so a
            # branch this cannot judge before it is one jsonschema runs (and
            # that may raise, e.g. multipleOf on .inf): jsonschema decides.
            for check in checks:
                r = check(instance)
                if r is None:
                    return None
                if r:
                    return True
            return False

        return any_of

    def _k_oneOf(self, subs: Any, schema: Any, place: _Place) -> Check:
        checks = [self._child(s, place) for s in subs]

        def one_of(instance: Any) -> bool | None:
            valid = 0
            unsure = False
            for check in checks:
                r = check(instance)
                if r:
                    valid += 1
                elif r is None:
                    unsure = True
            if unsure:
                return None
            return valid == 1

        return one_of

    def _k_not(self, sub: Any, schema: Any, place: _Place) -> Check:
        check = self._child(sub, place)

        def not_(instance: Any) -> bool | None:
            r = check(instance)
            return None if r is None else not r

        return not_

    def _k_if(self, sub: Any, schema: Any, place: _Place) -> Check:
        condition = self._child(sub, place)
        then = self._child(schema["then"], place) if "then" in schema else _always
        otherwise = self._child(schema["else"], place) if "else" in schema else _always

        def if_(instance: Any) -> bool | None:
            r = condition(instance)
            if r is None:
                return None
            return then(instance) if r else otherwise(instance)

        return if_

    def _k_properties(self, properties: Any, schema: Any, place: _Place) -> Check:
        checks = [(name, self._child(sub, place)) for name, sub in properties.items()]

        def properties_(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            result: bool | None = True
            for name, check in checks:
                if name in instance:
                    r = check(instance[name])
                    if r is False:
                        return False
                    if r is None:
                        result = None
            return result

        return properties_

    def _k_patternProperties(self, patterns: Any, schema: Any, place: _Place) -> Check:
        linear = place.linear
        search = _searcher(linear)
        checks = [(pattern, self._child(sub, place)) for pattern, sub in patterns.items()]

        def pattern_properties(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            result: bool | None = True
            for pattern, check in checks:
                for key, value in instance.items():
                    if search(pattern, str(key) if linear else key):
                        r = check(value)
                        if r is False:
                            return False
                        if r is None:
                            result = None
            return result

        return pattern_properties

    def _k_additionalProperties(self, ap: Any, schema: Any, place: _Place) -> Check:
        properties = schema.get("properties", {})
        patterns = list(schema.get("patternProperties", {}))
        if patterns and not place.linear:
            raise _Unsupported("additionalProperties beside patternProperties (jsonschema's joined regex)")
        search = _searcher(True)
        check = self._child(ap, place) if isinstance(ap, dict) else None

        def extras(instance: dict[Any, Any]) -> list[Any]:
            return [
                key for key in instance
                if key not in properties and not (patterns and any(search(p, str(key)) for p in patterns))
            ]

        def additional(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            if check is not None:
                result: bool | None = True
                for key in extras(instance):
                    r = check(instance[key])
                    if r is False:
                        return False
                    if r is None:
                        result = None
                return result
            if not ap:
                return not extras(instance)
            return True

        return additional

    def _k_unevaluatedProperties(self, up: Any, schema: Any, place: _Place) -> Check:
        # True only when every key is certainly evaluated: named (or matched)
        # by properties of this schema or of one always applied with it
        # ($ref, allOf), which evaluate it whenever the whole is valid.
        if not place.linear:
            raise _Unsupported("unevaluatedProperties of jsonschema's own class")
        names: set[Any] = set()
        patterns: list[str] = []
        self._evaluated_statically(schema, place, names, patterns, set())
        search = _searcher(True)

        def unevaluated(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            for key in instance:
                if key not in names and not any(search(p, str(key)) for p in patterns):
                    return None
            return True

        return unevaluated

    def _evaluated_statically(
        self, schema: Any, place: _Place | None, names: set[Any], patterns: list[str], seen: set[int]
    ) -> None:
        """The keys postlint's `evaluated_keys` counts whatever the instance
        (when it is valid): properties and patternProperties here, behind
        `$ref` and in `allOf`."""
        if place is None or not isinstance(schema, dict) or id(schema) in seen:
            return
        seen.add(id(schema))
        names.update(schema.get("properties") or {})
        patterns.extend(schema.get("patternProperties") or {})
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target, at_target = place.ref(ref)
            self._evaluated_statically(target, at_target, names, patterns, seen)
        for sub in schema.get("allOf") or ():
            self._evaluated_statically(sub, place.child(sub) if isinstance(sub, dict) else place, names, patterns, seen)

    def _k_dependentSchemas(self, deps: Any, schema: Any, place: _Place) -> Check:
        checks = [(name, self._child(sub, place)) for name, sub in deps.items()]

        def dependent(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            result: bool | None = True
            for name, check in checks:
                if name in instance:
                    r = check(instance)
                    if r is False:
                        return False
                    if r is None:
                        result = None
            return result

        return dependent

    def _k_propertyNames(self, sub: Any, schema: Any, place: _Place) -> Check:
        check = self._child(sub, place)

        def property_names(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            return _every(check, instance)

        return property_names

    def _k_items(self, items: Any, schema: Any, place: _Place) -> Check:
        prefix = len(schema.get("prefixItems", []))
        check = self._child(items, place)

        def items_(instance: Any) -> bool | None:
            if not isinstance(instance, list) or len(instance) <= prefix:
                return True
            return _every(check, instance[prefix:])

        return items_

    def _k_prefixItems(self, subs: Any, schema: Any, place: _Place) -> Check:
        checks = [self._child(s, place) for s in subs]

        def prefix_items(instance: Any) -> bool | None:
            if not isinstance(instance, list):
                return True
            result: bool | None = True
            for check, item in zip(checks, instance):
                r = check(item)
                if r is False:
                    return False
                if r is None:
                    result = None
            return result

        return prefix_items

    # -- assertions ---------------------------------------------------------------

    def _k_type(self, types: Any, schema: Any, place: _Place) -> Check:
        names = types if isinstance(types, list) else [types]
        if not all(isinstance(n, str) and n in JSON_TYPES for n in names):
            raise _Unsupported("type")
        tests = tuple(JSON_TYPES[n] for n in names)
        if len(tests) == 1:
            test = tests[0]

            def one_type(instance: Any) -> bool | None:
                return test(instance)

            return one_type

        def type_(instance: Any) -> bool | None:
            return any(t(instance) for t in tests)

        return type_

    def _k_enum(self, values: Any, schema: Any, place: _Place) -> Check:
        if not isinstance(values, list):
            raise _Unsupported("enum")
        choices = list(values)

        def enum(instance: Any) -> bool | None:
            return _among(instance, choices)

        return enum

    def _k_const(self, value: Any, schema: Any, place: _Place) -> Check:
        choices = [value]

        def const(instance: Any) -> bool | None:
            return _among(instance, choices)

        return const

    def _k_required(self, required: Any, schema: Any, place: _Place) -> Check:
        names = list(required)

        def required_(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            return all(name in instance for name in names)

        return required_

    def _k_dependentRequired(self, deps: Any, schema: Any, place: _Place) -> Check:
        pairs = [(name, list(needs)) for name, needs in deps.items()]

        def dependent_required(instance: Any) -> bool | None:
            if not isinstance(instance, dict):
                return True
            return all(need in instance for name, needs in pairs if name in instance for need in needs)

        return dependent_required

    def _k_minLength(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, str) and len(instance) < n)

    def _k_maxLength(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, str) and len(instance) > n)

    def _k_minItems(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, list) and len(instance) < n)

    def _k_maxItems(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, list) and len(instance) > n)

    def _k_minProperties(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, dict) and len(instance) < n)

    def _k_maxProperties(self, n: Any, schema: Any, place: _Place) -> Check:
        return lambda instance: not (isinstance(instance, dict) and len(instance) > n)

    def _k_minimum(self, bound: Any, schema: Any, place: _Place) -> Check:
        number = JSON_TYPES["number"]
        return lambda instance: not (number(instance) and instance < bound)

    def _k_maximum(self, bound: Any, schema: Any, place: _Place) -> Check:
        number = JSON_TYPES["number"]
        return lambda instance: not (number(instance) and instance > bound)

    def _k_exclusiveMinimum(self, bound: Any, schema: Any, place: _Place) -> Check:
        number = JSON_TYPES["number"]
        return lambda instance: not (number(instance) and instance <= bound)

    def _k_exclusiveMaximum(self, bound: Any, schema: Any, place: _Place) -> Check:
        number = JSON_TYPES["number"]
        return lambda instance: not (number(instance) and instance >= bound)

    def _k_pattern(self, pattern: Any, schema: Any, place: _Place) -> Check:
        search = _searcher(place.linear)
        return lambda instance: not (isinstance(instance, str) and not search(pattern, instance))

    def _k_format(self, name: Any, schema: Any, place: _Place) -> Check | None:
        return place.format(name)

    def _k_uniqueItems(self, unique: Any, schema: Any, place: _Place) -> Check | None:
        if not unique:
            return None

        def unique_items(instance: Any) -> bool | None:
            if not isinstance(instance, list):
                return True
            if all(isinstance(item, str) for item in instance):
                return len(set(instance)) == len(instance)
            return None  # jsonschema's uniq across types: jsonschema decides

        return unique_items


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    first, *rest = checks

    def all_of(instance: Any) -> bool | None:
        result = first(instance)
        if result is False:
            return False
        for check in rest:
            r = check(instance)
            if r is False:
                return False
            if r is None:
                result = None
        return result

    return all_of


def _every(check: Check, items: Any) -> bool | None:
    result: bool | None = True
    for item in items:
        r = check(item)
        if r is False:
            return False
        if r is None:
            result = None
    return result


def _among(instance: Any, choices: list[Any]) -> bool | None:
    """jsonschema's `any(equal(choice, instance))` where it is certain: a
    string, null, boolean or finite number against each choice."""
    if isinstance(instance, str):
        return any(isinstance(c, str) and c == instance for c in choices)
    if instance is None:
        return any(c is None for c in choices)
    if isinstance(instance, bool):
        return any(c is instance for c in choices)
    if type(instance) is float and instance != instance:
        return any(c is instance for c in choices)  # NaN: equal only to itself, by identity
    if type(instance) in (int, float):
        if any(
            not (c is None or isinstance(c, (str, bool)) or (type(c) in (int, float) and c == c)) for c in choices
        ):
            return None  # a container or NaN among the choices: jsonschema decides
        return any(type(c) in (int, float) and c == instance for c in choices)
    if type(instance) in (list, dict) and all(c is None or type(c) in (str, bool, int, float) for c in choices):
        return False  # a container equals no scalar
    return None


def _searcher(linear: bool) -> Callable[[str, str], bool]:
    """The search of the class: RE2 (postlint's) or `re` (jsonschema's own),
    remembering the answers for short texts (a post's `lang` is one of a few
    values; each RE2 call costs microseconds)."""
    if linear:
        from postlint.analysis.schema.linear_regex import search
    else:
        def search(pattern: str, text: str) -> bool:
            return re.search(pattern, text) is not None

    known: dict[tuple[str, str], bool] = {}

    def remembered(pattern: str, text: str) -> bool:
        key = (pattern, text)
        found = known.get(key)
        if found is None:
            found = search(pattern, text)
            if len(text) <= 200:
                if len(known) >= 4096:
                    known.clear()
                known[key] = found
        return found

    return remembered


def _is_number(instance: Any) -> bool:
    import numbers

    return not isinstance(instance, bool) and isinstance(instance, numbers.Number)


def _is_integer(instance: Any) -> bool:
    # draft 4 and later: an integral float is an integer
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


# The JSON types as jsonschema's draft 2020-12 type checker tells them (a
# bool is no integer; a float with no fraction is one).
JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda instance: isinstance(instance, list),
    "boolean": lambda instance: isinstance(instance, bool),
    "integer": _is_integer,
    "null": lambda instance: instance is None,
    "number": _is_number,
    "object": lambda instance: isinstance(instance, dict),
    "string": lambda instance: isinstance(instance, str),
}
