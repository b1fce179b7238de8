"""jsonschema's and referencing's internals, all in one place.

postlint replaces four of jsonschema's keywords with linear-time versions
(``postlint.analysis.schema.linear_regex``) and walks `$ref`s itself before a
run (``postlint.analysis.schema.validate``).  jsonschema's documented API
(``validators.extend``, a keyword function's ``(validator, value, instance,
schema)`` signature, ``iter_errors``, ``is_valid``, ``is_type``, ``evolve``,
``ValidationError``) covers most of that; what it does not, and is used here:

* ``Validator.descend(instance, schema, path=, schema_path=)``: the errors of a
  subschema, with the path to them extended (how jsonschema's own keywords
  recurse; not part of the ``Validator`` protocol);
* ``Validator._resolver`` and ``evolve(_resolver=)``: the referencing resolver
  a validator resolves ``$ref`` with, and a validator for the target of a
  ``$ref`` that resolves the target's own relative refs (jsonschema's
  ``_utils.find_evaluated_property_keys_by_schema`` does the same);
* ``referencing._core.Resolver._base_uri``: the URI a resolver resolves
  relative references against (the target document's ``$id``, if it has one).

tests/adapters/test_jsonschema.py checks each against the installed versions,
and the behaviours postlint's error conversion relies on.  jsonschema itself
is imported only by the functions that need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def descend(validator: Any, instance: Any, schema: Any, *,
            path: Any = None, schema_path: Any = None) -> Iterator[Any]:
    """The errors of ``instance`` under ``schema``, as jsonschema's own
    keywords report a subschema's: ``path`` is added to the instance path,
    ``schema_path`` to the schema path."""
    errors: Iterator[Any] = validator.descend(instance, schema, path=path, schema_path=schema_path)
    return errors


def follow_ref(validator: Any, ref: str) -> tuple[Any, Any]:
    """(the schema ``ref`` leads to from where ``validator`` stands, a
    validator of the same class for that schema whose own relative `$ref`s
    resolve from the target).  Raises referencing's ``Unresolvable``."""
    resolved = validator._resolver.lookup(ref)
    return resolved.contents, validator.evolve(schema=resolved.contents, _resolver=resolved.resolver)


def validator_base_uri(validator: Any) -> str | None:
    """The base URI the ``$ref``s of ``validator``'s schema resolve against."""
    return resolver_base_uri(validator._resolver)


def resolver_base_uri(resolver: Any) -> str | None:
    """The base URI of a referencing ``Resolver`` (where a ``lookup`` result's
    relative references resolve); None when it has none."""
    base = getattr(resolver, "_base_uri", None)
    return base if isinstance(base, str) and base else None
