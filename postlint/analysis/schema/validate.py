"""Front matter against a JSON Schema: the validator, and its errors as violations.

Long because: loading a schema (the meta-schema check, `$ref` resolution,
cycles, linear-time patterns, format checkers) and turning jsonschema's errors
into placed violations with readable messages are the two halves of one
contract with jsonschema.

`load_validator` checks the schema itself, resolves its `$ref`s (local ones, files
relative to `base_uri`, and the shipped schemas by their `$id`; never the
network) and attaches postlint's own format checkers for ``uri``,
``uri-reference``, ``date``, ``date-time`` and ``email``, which need none of
jsonschema's optional format extras. Other formats keep jsonschema's checkers,
which work only when their extras are installed.

`violations` turns jsonschema's errors into one `Violation` per violated keyword,
placed where a rule should point: at the offending value, at an unexpected key,
or at the mapping that lacks a required key. Among `anyOf`/`oneOf` alternatives
it reports the one the data most nearly matched.

jsonschema is imported inside the functions so that importing this module is cheap.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from postlint.adapters.jsonschema import resolver_base_uri
from postlint.analysis.dates.formats import check_date
from postlint.model.nesting import PathItem, too_deep
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry, Resource

DEFAULT_SCHEMA_ID = "https://postlint.dev/schemas/post.schema.json"
DEFAULT_SCHEMA_FILE = "post.schema.json"
_SHIPPED_PREFIX = "https://postlint.dev/schemas/"
_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

Where = Literal["value", "key", "document"]


class Violation(NamedTuple):
    path: tuple[PathItem, ...]  # to the value, the unexpected key, or the mapping missing a key
    where: Where
    keyword: str
    message: str


class InvalidSchema(Exception):
    """The schema itself is wrong; `path` leads to the offending part of it."""

    def __init__(self, message: str, path: Iterable[PathItem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)

    def __str__(self) -> str:
        where = "/".join(str(p) for p in self.path)
        return f"{self.message} (at #/{where})" if self.path else self.message


# -- the shipped schema ---------------------------------------------------------


def _package_file(name: str) -> Path | None:
    """`name` in the folder of the postlint.schemas package, where an
    installed package's files are (importlib.resources, asked first, cost a
    one-post run 4 ms); None where the package has no folder of its own."""
    from importlib import import_module

    try:
        package = import_module("postlint.schemas")  # (schemas/ mapped into the package: no static import)
    except ImportError:
        return None
    where = getattr(package, "__file__", None)
    return Path(os.path.dirname(where)) / name if isinstance(where, str) and os.path.isabs(where) else None


@cache
def _shipped_text(name: str) -> str:
    path = _package_file(name)
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    try:
        from importlib.resources import files

        return files("postlint.schemas").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        # A source checkout that is not installed: schemas/ beside the package.
        return (Path(__file__).resolve().parents[3] / "schemas" / name).read_text(encoding="utf-8")


def default_schema() -> dict[str, Any]:
    """A fresh copy of the shipped post schema."""
    schema: dict[str, Any] = json.loads(_shipped_text(DEFAULT_SCHEMA_FILE))
    return schema


def shipped_path(name: str = DEFAULT_SCHEMA_FILE) -> Path:
    """Where `_shipped_text(name)` reads from (the file a cache hashes)."""
    path = _package_file(name)
    if path is not None and path.is_file():
        return path
    try:
        from importlib.resources import files

        found = files("postlint.schemas").joinpath(name)
        if isinstance(found, Path):
            return found
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[3] / "schemas" / name


# -- building the validator -------------------------------------------------------


class Compiled(NamedTuple):
    validator: Validator
    # Every file the validator reads: the shipped schema and each file a $ref
    # reaches, directly or through other files (not the schema given in memory).
    files: tuple[Path, ...]


def load_validator(schema: Any, *, base_uri: str | None = None, check_meta: bool = True) -> Validator:
    """A validator for `schema`, its draft taken from `$schema` (2020-12 when absent).

    `base_uri` is where the schema lives (a file path or URI), against which
    relative `$ref`s resolve. Raises `InvalidSchema` for a schema that breaks its
    meta-schema, names an unknown `$schema`, or has a `$ref` that does not resolve.
    """
    return compile_schema(schema, base_uri=base_uri, check_meta=check_meta).validator


def compile_schema(schema: Any, *, base_uri: str | None = None, check_meta: bool = True) -> Compiled:
    """`load_validator`, and the files the validator was built from. Every $ref
    reachable from the schema is resolved here, so the list is complete: the
    validator reads no other file later."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import validator_for

    from postlint.analysis.schema.linear_regex import linear_validator

    if not isinstance(schema, (dict, bool)):
        raise InvalidSchema(f"a schema is a JSON object or a boolean, not {_json_type(schema)}")
    deep = too_deep(schema, MAX_SCHEMA_DEPTH)
    if deep is not None:
        raise InvalidSchema(f"the schema is nested deeper than {MAX_SCHEMA_DEPTH} levels", deep)
    cls: Any = Draft202012Validator
    if isinstance(schema, dict) and "$schema" in schema:
        cls = validator_for(schema, default=None)  # type: ignore[arg-type]  # stub: None is a valid default
        if cls is None:
            raise InvalidSchema(f"unknown $schema {schema['$schema']!r}", ("$schema",))
    if check_meta:  # False only for the shipped schema, which the tests check
        _check_against_meta_schema(cls, schema)

    base = _as_uri(base_uri)
    if isinstance(schema, dict) and base is not None and not _schema_id(schema):
        schema = {**schema, _id_keyword(cls): base}
    loaded: dict[Path, None] = {shipped_path(): None}
    problems: dict[str, str] = {}
    registry = _registry(schema, base, loaded, problems)
    documents = _check_refs(registry, schema, problems)
    _check_patterns(documents)
    _check_cycles(registry, documents)
    validator = linear_validator(cls)(schema, registry=registry, format_checker=_format_checker(cls))
    return Compiled(validator, tuple(loaded))


# -- hostile schemas: files, depth, regular expressions, cycles --------------------------

# JSON nesting of a schema (each level of the data it describes is two: a
# keyword, then the subschema). jsonschema validates recursively: deeper would
# exhaust Python's stack.
MAX_SCHEMA_DEPTH = 128
MAX_SCHEMA_BYTES = 16 * 1024 * 1024


def read_schema_file(path: Path) -> Any:
    """The JSON (or YAML) of a schema file: a regular file, at most
    MAX_SCHEMA_BYTES, nested at most MAX_SCHEMA_DEPTH. Raises InvalidSchema
    saying why not (a device such as /dev/zero, a FIFO, a folder...)."""
    import os
    import stat as stat_module

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InvalidSchema(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode):
            raise InvalidSchema(f"{path} is not a regular file: a schema must be a JSON file")
        if st.st_size > MAX_SCHEMA_BYTES:
            raise InvalidSchema(f"{path} is larger than {MAX_SCHEMA_BYTES // (1024 * 1024)} MB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_SCHEMA_BYTES + 1)
    except OSError as exc:
        raise InvalidSchema(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
        if path.suffix in (".yaml", ".yml"):
            import yaml

            contents = yaml.safe_load(text)
        else:
            contents = json.loads(text)
    except RecursionError:
        raise InvalidSchema(f"{path} is nested too deeply to read") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidSchema(f"{path} is not valid JSON: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - yaml.YAMLError and its kin
        raise InvalidSchema(f"{path} is not valid YAML: {exc}") from None
    deep = too_deep(contents, MAX_SCHEMA_DEPTH)
    if deep is not None:
        where = "/".join(str(p) for p in deep)
        raise InvalidSchema(f"{path} is nested deeper than {MAX_SCHEMA_DEPTH} levels (at #/{where})")
    return contents


class _Document(NamedTuple):
    """A schema (sub)document the validator can reach: the root schema
    (`uri` None) or the target of a $ref into another file."""

    contents: Any
    base: str
    uri: str | None  # the $ref target (file URI with its fragment), None for the root
    origin: tuple[PathItem, ...]  # where in the root schema the $ref that led here is


def _subschemas(document: _Document) -> Iterator[tuple[Any, str, tuple[PathItem, ...]]]:
    """Every subschema of a document with its base URI and its path in the
    document; iterative, each shared node once."""
    stack: list[tuple[Any, str, tuple[PathItem, ...]]] = [(document.contents, document.base, ())]
    seen: set[int] = set()
    while stack:
        node, base, path = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        node_id = node.get("$id")
        if isinstance(node_id, str):
            base = urljoin(base, node_id)
        yield node, base, path
        for key, value in node.items():
            if key in _NOT_SCHEMAS:
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                for name, sub in value.items():
                    stack.append((sub, base, path + (key, name)))
            elif isinstance(value, dict):
                stack.append((value, base, path + (key,)))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    stack.append((item, base, path + (key, i)))


def _where(document: _Document, path: tuple[PathItem, ...]) -> tuple[str, tuple[PathItem, ...]]:
    """(" in FILE#/pointer" or "", the path to report in the root schema)."""
    if document.uri is None:
        return "", path
    target = document.uri
    pointer = "/".join(str(p) for p in path)
    if target.startswith("file:"):
        from urllib.request import url2pathname

        parts = urlsplit(target)
        target = url2pathname(unquote(parts.path)) + (f"#{parts.fragment}" if parts.fragment else "")
    return f" in {target}{'/' + pointer if pointer else ''}", document.origin


def _check_patterns(documents: list[_Document]) -> None:
    """Every `pattern` and `patternProperties` key must be a regular expression
    RE2 runs (in linear time); see postlint.analysis.schema.linear_regex."""
    from postlint.analysis.schema.linear_regex import problem

    for document in documents:
        for node, _base, path in _subschemas(document):
            found: list[tuple[str, tuple[PathItem, ...]]] = []
            if isinstance(node.get("pattern"), str):
                found.append((node["pattern"], path + ("pattern",)))
            if isinstance(node.get("patternProperties"), dict):
                found += [(p, path + ("patternProperties", p)) for p in node["patternProperties"]]
            for pattern, at in found:
                reason = problem(pattern)
                if reason is not None:
                    inside, where = _where(document, at)
                    raise InvalidSchema(
                        f"the regular expression {pattern!r}{inside} cannot be run in linear time ({reason}); "
                        "postlint runs schema patterns with RE2, which has no lookahead, lookbehind or "
                        "backreferences",
                        where,
                    )


# Keywords that apply a subschema to the same value (not to a part of it): a
# cycle through these alone never ends.
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE = ("not", "if", "then", "else", "extends")
_REFS = ("$ref", "$dynamicRef", "$recursiveRef")


def _check_cycles(registry: Registry, documents: list[_Document]) -> None:
    """A $ref cycle that never descends into the data (`{"$ref": "#"}`, or
    `a` -> `b` -> `a` through $ref/allOf/anyOf/oneOf/not/if/then/else/
    dependentSchemas) makes validation recurse forever: a schema error that
    names each step (`#/pointer` in the schema, `FILE#/pointer` in another)."""
    from referencing.exceptions import Unresolvable

    root_document = urldefrag(documents[0].base)[0]
    Location = tuple[str | None, tuple[PathItem, ...]]  # (other document or None, path in it)

    def target_location(uri: str) -> Location:
        document, fragment = urldefrag(uri)
        path: tuple[PathItem, ...] = ()
        if fragment.startswith("/"):
            path = tuple(p.replace("~1", "/").replace("~0", "~") for p in unquote(fragment).split("/")[1:])
        elif fragment:
            path = (f"(anchor {fragment})",)
        return (None if document in ("", root_document) else document), path

    def show(location: Location) -> str:
        document, path = location
        pointer = "#/" + "/".join(str(p) for p in path)
        if document is None:
            return pointer
        if document.startswith("file:"):
            from urllib.request import url2pathname

            document = url2pathname(unquote(urlsplit(document).path))
        return document + pointer

    def edges(node: Any, base: str, here: Location) -> Iterator[tuple[Any, str, Location, Location]]:
        """(child, its base, its location, where the keyword leading to it is)."""
        document, path = here
        for keyword in _REFS:
            ref = node.get(keyword)
            if isinstance(ref, str):
                try:
                    resolved = registry.resolver(base_uri=base).lookup(ref)
                except Unresolvable:
                    continue  # reported by _check_refs, or dynamic
                target = urljoin(base, ref)
                target_base = resolver_base_uri(resolved.resolver) or urldefrag(target)[0]
                yield resolved.contents, target_base, target_location(target), (document, path + (keyword,))
        steps: list[tuple[Any, tuple[PathItem, ...]]] = []
        for keyword in _IN_PLACE_LISTS:
            if isinstance(node.get(keyword), list):
                steps += [(sub, (keyword, i)) for i, sub in enumerate(node[keyword])]
        for keyword in _IN_PLACE:
            if isinstance(node.get(keyword), dict):
                steps.append((node[keyword], (keyword,)))
        for keyword in ("dependentSchemas", "dependencies"):
            if isinstance(node.get(keyword), dict):
                steps += [(sub, (keyword, name)) for name, sub in node[keyword].items() if isinstance(sub, dict)]
        for sub, label in steps:
            yield sub, based(sub, base), (document, path + label), (document, path + label)

    def based(node: Any, base: str) -> str:
        node_id = node.get("$id") if isinstance(node, dict) else None
        return urljoin(base, node_id) if isinstance(node_id, str) else base

    done: set[int] = set()
    for document in documents:
        start_document = None if document.uri is None else urldefrag(document.uri)[0]
        start_path = () if document.uri is None else target_location(document.uri)[1]
        for start, start_base, path in _subschemas(document):
            if id(start) in done:
                continue
            # Depth-first along in-place edges only; `active` is the current chain.
            here: Location = (start_document, start_path + path)
            active: dict[int, int] = {id(start): 0}
            chain: list[Location] = [here]
            stack = [(start, iter(edges(start, start_base, here)))]
            while stack:
                node, children = stack[-1]
                step = next(children, None)
                if step is None:
                    stack.pop()
                    chain.pop()
                    active.pop(id(node), None)
                    done.add(id(node))
                    continue
                child, child_base, location, keyword_at = step
                if not isinstance(child, dict) or id(child) in done:
                    continue
                if id(child) in active:
                    loop = chain[active[id(child)]:] + [location]
                    shown = " -> ".join(show(c) for c in loop)
                    inside = f" in {show((keyword_at[0], ()))[:-2]}" if keyword_at[0] is not None else ""
                    raise InvalidSchema(
                        f"$ref cycle{inside}: {shown} applies the schema to the same value again and again "
                        "without descending into it; validation would never end",
                        keyword_at[1] if keyword_at[0] is None else document.origin,
                    )
                active[id(child)] = len(chain)
                chain.append(location)
                stack.append((child, iter(edges(child, child_base, location))))


def _check_against_meta_schema(cls: Any, schema: Any) -> None:
    meta = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    found = violations(meta, schema)
    if found:
        first = found[0]
        raise InvalidSchema(f"invalid schema: {first.message}", first.path)


def _id_keyword(cls: Any) -> str:
    meta = str(cls.META_SCHEMA.get("$schema", ""))
    return "id" if "draft-03" in meta or "draft-04" in meta else "$id"


def _schema_id(schema: dict[str, Any]) -> str | None:
    value = schema.get("$id", schema.get("id"))
    return value if isinstance(value, str) else None


def _as_uri(location: str | None) -> str | None:
    if location is None:
        return None
    # One letter before ':' is a Windows drive, not a scheme.
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", location):
        return location
    path = Path(location).resolve()
    return path.as_uri() + ("/" if path.is_dir() else "")


def _dir_of(uri: str) -> str:
    return uri[: uri.rfind("/") + 1]


def _missing(uri: str) -> Exception:
    """referencing's "no such resource" for `uri` (what retrieve raises)."""
    from referencing.exceptions import NoSuchResource

    # referencing builds its classes with its own wrapper of attrs.frozen,
    # which mypy's attrs plugin does not see through: the field is unknown.
    return NoSuchResource(ref=uri)  # type: ignore[call-arg]  # referencing's attrs wrapper hides its fields


def _registry(schema: Any, base: str | None, loaded: dict[Path, None], problems: dict[str, str]) -> Registry:
    """A registry that reads $ref'd schemas from files, noting each file in
    `loaded` (in order, without repeats) and why a file could not be used in
    `problems` (by URI)."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    # Remote prefixes read from local directories, so nothing is ever fetched.
    prefixes: list[tuple[str, str | None]] = [(_SHIPPED_PREFIX, None)]
    root_id = _schema_id(schema) if isinstance(schema, dict) else None
    if root_id and base and not root_id.startswith("file:") and _dir_of(root_id) != _SHIPPED_PREFIX:
        prefixes.insert(0, (_dir_of(root_id), _dir_of(base)))
    cache: dict[str, Resource] = {}
    # A $ref never leads out of the repository (or site) the schema is in.
    limit: str | None = None
    if base and base.startswith("file:"):
        from urllib.request import url2pathname

        from postlint.files.safe import marked_boundary

        limit = marked_boundary(url2pathname(unquote(urlsplit(base).path)))

    def retrieve(uri: str) -> Resource:
        if uri in cache:
            return cache[uri]
        contents: Any = None
        for remote, local in prefixes:
            if uri.startswith(remote):
                rest = uri[len(remote):]
                if local is None:
                    try:
                        contents = json.loads(_shipped_text(rest))
                    except (OSError, ValueError) as exc:
                        raise _missing(uri) from exc
                    loaded[shipped_path(rest)] = None
                    break
                uri = local + rest
                break
        if contents is None:
            parts = urlsplit(uri)
            if parts.scheme != "file":
                # postlint never fetches a schema from the network.
                raise _missing(uri)
            from urllib.request import url2pathname  # heavy (http.client): import when used

            path = Path(url2pathname(unquote(parts.path)))
            if limit is not None:
                import os

                from postlint.files.safe import within

                if not within(os.path.realpath(path), limit):
                    problems[uri] = (
                        f"{path} lies outside the repository (or site) of the schema; not read: "
                        "postlint reads nothing outside the site"
                    )
                    raise _missing(uri)
            try:
                # A regular file only: a $ref to /dev/zero or a FIFO would hang.
                contents = read_schema_file(path)
            except InvalidSchema as exc:
                problems[uri] = exc.message
                raise _missing(uri) from exc
            loaded[path] = None
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        cache[uri] = resource
        return resource

    registry: Registry = Registry(retrieve=retrieve)  # type: ignore[call-arg]  # referencing's attrs wrapper hides its fields
    root = Resource.from_contents(schema, default_specification=DRAFT202012)
    shipped = Resource.from_contents(default_schema(), default_specification=DRAFT202012)
    registry = registry.with_resources([(DEFAULT_SCHEMA_ID, shipped), (root.id() or "", root)])
    return registry.crawl()


_NOT_SCHEMAS = frozenset({"enum", "const", "default", "examples", "required", "dependentRequired", "$comment"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _check_refs(registry: Registry, schema: Any, problems: dict[str, str]) -> list[_Document]:
    """Resolve every $ref now, so that a broken one is a schema error, not a
    crash in the middle of a run; and follow each into the file it reaches, so
    that every file the validator can read is read now (jsonschema resolves
    lazily: a file reached only through another file would otherwise be read in
    the middle of a run, and be missing from `Compiled.files`). Returns the
    documents walked: the root schema and each $ref target in another file."""
    from referencing.exceptions import Unresolvable

    def walk(node: Any, base: str, path: tuple[PathItem, ...]) -> Iterator[tuple[str, str, tuple[PathItem, ...]]]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, base, path + (i,))
            return
        if not isinstance(node, dict):
            return
        node_id = node.get("$id")
        if isinstance(node_id, str):
            base = urljoin(base, node_id)
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                yield base, value, path + (key,)
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                for name, sub in value.items():
                    yield from walk(sub, base, path + (key, name))
            elif key not in _NOT_SCHEMAS:
                yield from walk(value, base, path + (key,))

    root_id = (_schema_id(schema) if isinstance(schema, dict) else None) or ""
    root_document = urldefrag(root_id)[0]
    followed: set[str] = set()
    documents = [_Document(schema, root_id, None, ())]
    # (subschema, its base URI, the path in the root schema of the $ref that
    # led there, the document it is in: None for the root schema)
    todo: list[tuple[Any, str, tuple[PathItem, ...], str | None]] = [(schema, root_id, (), None)]
    while todo:
        node, node_base, origin, document = todo.pop()
        for base, ref, path in walk(node, node_base, ()):
            where = origin + path if document is None else origin
            try:
                resolved = registry.resolver(base_uri=base).lookup(ref)
            except Unresolvable as exc:
                inside = f" in {document}" if document is not None else ""
                target_document = urldefrag(urljoin(base, ref))[0]
                problem = problems.get(target_document)
                if problem is not None:
                    raise InvalidSchema(f"cannot use $ref {ref!r}{inside}: {problem}", where) from None
                raise InvalidSchema(
                    f"cannot resolve $ref {ref!r}{inside} ({type(exc).__name__}); postlint reads schemas "
                    "from files only, relative to the schema's location",
                    where,
                ) from None
            if not isinstance(resolved.contents, (dict, bool)):
                inside = f" in {document}" if document is not None else ""
                raise InvalidSchema(
                    f"$ref {ref!r}{inside} leads to {_json_type(resolved.contents)}, not a schema "
                    "(a JSON object or a boolean)",
                    where,
                )
            target = urljoin(base, ref)
            target_document = urldefrag(target)[0]
            if target in followed or target_document in ("", root_document):
                continue  # walked already (the root schema is walked whole)
            followed.add(target)
            # The resolver's base is where relative $refs inside the target
            # resolve (the target document's own $id, if it has one).
            target_base = resolver_base_uri(resolved.resolver) or target_document
            todo.append((resolved.contents, target_base, where, target_document))
            documents.append(_Document(resolved.contents, target_base, target, where))
    return documents


# -- formats --------------------------------------------------------------------


def _format_checker(cls: Any) -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(())
    checker.checkers.update(cls.FORMAT_CHECKER.checkers)
    for name, problem in _FORMATS.items():
        checker.checks(name, raises=ValueError)(_raising(problem))
    return checker


def _raising(problem: Any) -> Any:
    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True  # formats constrain strings only
        reason = problem(instance)
        if reason:
            raise ValueError(reason)
        return True

    return check


_SCHEME = lazy(r"[A-Za-z][A-Za-z0-9+.-]*\Z")
_NOT_URI_CHAR = lazy(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]%]")
_PCT = lazy(r"%(?![0-9A-Fa-f]{2})")
_URI_PARTS = lazy(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?\Z", re.DOTALL)
_REG_NAME = lazy(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*\Z")
_USERINFO = lazy(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*\Z")
_IPVFUTURE = lazy(r"v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+\Z")


def uri_problem(value: str, *, absolute: bool = True) -> str | None:
    """Why `value` is not an RFC 3986 URI (`absolute`) or URI reference; None if it is.
    http and https URIs must also name a host."""
    bad = _NOT_URI_CHAR.search(value)     # (one search: a match a character took 8 us a URL)
    if bad is not None:
        char = bad.group()
        shown = "a space" if char == " " else repr(char)
        return f"contains {shown}, which must be percent-encoded"
    if _PCT.search(value):
        return "has a '%' that is not followed by two hex digits"
    match = _URI_PARTS.match(value)
    assert match is not None  # every part of the pattern is optional
    scheme, authority, path, query, fragment = match.groups()
    if scheme is None:
        if absolute:
            return "is not absolute: it has no scheme such as https:"
    elif not _SCHEME.match(scheme):
        return f"{scheme!r} is not a scheme: a scheme starts with a letter"
    for part, name in ((path, "path"), (query, "query"), (fragment, "fragment")):
        if part and ("[" in part or "]" in part):
            return f"'[' and ']' must be percent-encoded in the {name}"
    if fragment and "#" in fragment:
        return "has more than one '#'"
    if authority is not None:
        reason = _authority_problem(authority)
        if reason:
            return reason
    if scheme is not None and scheme.lower() in ("http", "https") and not (authority and _host(authority)):
        return f"an {scheme.lower()} URI needs a host, as in {scheme.lower()}://example.org/"
    return None


def _host(authority: str) -> str:
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        return hostport[: hostport.find("]") + 1]
    return hostport.partition(":")[0]


def _authority_problem(authority: str) -> str | None:
    import ipaddress

    userinfo, at, hostport = authority.rpartition("@")
    if at and not _USERINFO.match(userinfo):
        return "the user information before '@' has characters that must be percent-encoded"
    if hostport.startswith("["):
        end = hostport.find("]")
        if end == -1:
            return "'[' opens an IP address that no ']' closes"
        literal, rest = hostport[1:end], hostport[end + 1:]
        if not _IPVFUTURE.match(literal):
            try:
                ipaddress.IPv6Address(literal)
            except ValueError:
                return f"[{literal}] is not an IPv6 address"
        if rest and not rest.startswith(":"):
            return "only ':' and a port may follow the ']' of an IP address"
        port = rest[1:]
    else:
        host, _, port = hostport.partition(":")
        if not _REG_NAME.match(host):
            return f"the host {host!r} has characters a host name cannot hold"
    if (not port.isdigit() and port != "") or not port.isascii():
        return f"the port {port!r} is not a number"
    return None


def _uri(value: str) -> str | None:
    return uri_problem(value, absolute=True)


def _uri_reference(value: str) -> str | None:
    return uri_problem(value, absolute=False)


_FULL_DATE = lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = lazy(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)


def _date(value: str) -> str | None:
    if not _FULL_DATE.match(value):
        return "is not an RFC 3339 full-date (YYYY-MM-DD)"
    return _calendar_problem(value)


def _date_time(value: str) -> str | None:
    if not _DATE_TIME.match(value):
        return "is not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss with Z or ±hh:mm)"
    return _calendar_problem(value)


def _calendar_problem(value: str) -> str | None:
    _, problems = check_date(value, "iso8601")
    invalid = [p.message for p in problems if p.kind == "invalid"]
    return invalid[0] if invalid else None


_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM = lazy(rf"{_ATEXT}+(?:\.{_ATEXT}+)*\Z")
_QUOTED = lazy(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"\Z')
_LABEL = lazy(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


def _email(value: str) -> str | None:
    """RFC 5321 Mailbox: a dot-atom or quoted local part, then a domain or an
    address literal."""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return "has no local part before '@'" if at else "has no '@'"
    if not (_DOT_ATOM.match(local) or _QUOTED.match(local)):
        return f"the part before '@' ({local!r}) is not a valid local part"
    if len(local) > 64:
        return "the part before '@' is longer than 64 characters"
    if domain.startswith("[") and domain.endswith("]"):
        import ipaddress

        literal = domain[1:-1]
        try:
            if literal[:5].lower() == "ipv6:":
                ipaddress.IPv6Address(literal[5:])
            else:
                ipaddress.IPv4Address(literal)
        except ValueError:
            return f"{domain} is not an address literal"
        return None
    labels = domain.split(".")
    if not domain or len(domain) > 253 or not all(_LABEL.match(label) for label in labels):
        return f"{domain!r} is not a domain name"
    return None


_FORMATS = {
    "uri": _uri,
    "uri-reference": _uri_reference,
    "date": _date,
    "date-time": _date_time,
    "email": _email,
}


# -- violations -----------------------------------------------------------------


@cache
def shipped_check() -> Any:
    """The shipped schema compiled without jsonschema (analysis.schema.fast):
    a function of the data that answers True only where `violations` of the
    shipped schema's validator would find nothing; False or None otherwise."""
    return local_check(default_schema())


# Keywords of a root schema that never interact with its "required" and
# "properties": each yields its errors whatever the others say, so the
# violations of an object are those of "required" and of each property's
# schema at its key. (The shipped schema's root holds only these.)
_SPLIT_ROOT = frozenset({
    "$schema", "$id", "$comment", "title", "description", "type", "required", "properties", "$defs",
    "examples", "default",
})
# What a property's schema may hold for its violations to be made here: a
# "type" and a "minLength" (each error is one keyword's, at the value), and
# annotations.
_ANNOTATIONS = frozenset({"$comment", "title", "description", "examples", "default"})
_SIMPLE = _ANNOTATIONS | {"type", "minLength"}
# The Python types of the values YAML data holds, which shipped_violations
# judges itself (any other: jsonschema decides).
_PLAIN_TYPES = frozenset({str, bool, type(None), int, float, list, dict})


class _Property(NamedTuple):
    types: tuple[str, ...] | None           # as the schema lists them; None: any type
    min_length: int | None


@cache
def _shipped_parts() -> tuple[tuple[str, ...], dict[str, _Property | None], Any] | None:
    """The shipped schema taken apart: (its required keys, for each property
    the simple schema it comes down to (None: not simple), the check of each
    property's value alone), or None if its root holds a keyword that may
    interact with "required" or "properties"."""
    schema = default_schema()
    if not isinstance(schema, dict) or not set(schema) <= _SPLIT_ROOT or schema.get("type") != "object":
        return None
    required = schema.get("required", [])
    properties = schema.get("properties", {})
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
        return None
    if not isinstance(properties, dict):
        return None
    simple = {key: _simple(sub, schema) for key, sub in properties.items()}
    # Each property checked alone: the root's $defs (and $id) kept for its $refs.
    frame = {k: v for k, v in schema.items() if k in ("$schema", "$id", "$defs")}
    checks = {key: local_check({**frame, "type": "object", "properties": {key: sub}})
              for key, sub in properties.items() if simple[key] is None}
    return tuple(required), simple, checks


def _simple(sub: Any, root: dict[str, Any]) -> _Property | None:
    """A property's schema as a type and a minimum length, following $refs
    into the root's $defs through schemas that hold nothing else but
    annotations; None for any other schema."""
    from postlint.analysis.schema.fast import JSON_TYPES

    for _ in range(8):
        if not isinstance(sub, dict):
            return None
        ref = sub.get("$ref")
        if ref is None:
            break
        if not set(sub) <= _ANNOTATIONS | {"$ref"} or not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return None
        name = ref[len("#/$defs/"):]
        if "/" in name or "~" in name or "%" in name:
            return None
        sub = root.get("$defs", {}).get(name)
    else:
        return None
    if not isinstance(sub, dict) or "$ref" in sub or not set(sub) <= _SIMPLE:
        return None
    kinds = sub.get("type")
    names = _as_list(kinds) if kinds is not None else None
    if names is not None and (not names or not all(isinstance(n, str) and n in JSON_TYPES for n in names)):
        return None
    length = sub.get("minLength")
    if length is not None and (not isinstance(length, int) or isinstance(length, bool) or length < 0):
        return None
    return _Property(tuple(names) if names is not None else None, length)



def shipped_violations(data: Any) -> list[Violation] | None:
    """`violations` of the shipped schema's validator for `data`, where that
    needs no jsonschema: [] where shipped_check passes it; otherwise, for a
    mapping whose every failing value is under a property of only a type and
    a minimum length (a common case: `title: ""`, `published: "no"`), one
    finding per missing required key and per failing keyword, as
    `violations` makes them. None: jsonschema decides."""
    if shipped_check()(data) is True:
        return []
    if not isinstance(data, dict):
        return None
    parts = _shipped_parts()
    if parts is None:
        return None
    from postlint.analysis.schema.fast import JSON_TYPES

    required, simple, checks = parts
    findings = {
        _Finding((), "document", "required", f"missing required key {format_path((key,))!r}")
        for key in required if key not in data
    }
    for key, value in data.items():
        if key not in simple:
            continue                        # no schema for it: anything goes
        rule = simple[key]
        if rule is None:
            if checks[key]({key: value}) is not True:
                return None                 # jsonschema says how it fails
            continue
        if type(value) not in _PLAIN_TYPES:
            return None
        path = (key,)
        if rule.types is not None and not any(JSON_TYPES[kind](value) for kind in rule.types):
            findings.add(_Finding(path, "value", "type", f"expected {_expects('type', list(rule.types))}, "
                                                          f"got {_got(value)}"))
        if rule.min_length is not None and type(value) is str and len(value) < rule.min_length:
            findings.add(_Finding(path, "value", "minLength", f"expected {_expects('minLength', rule.min_length)}, "
                                                               f"got {_got(value)}"))
    return _sorted_violations(findings)


def local_check(schema: Any) -> Any:
    """`schema` compiled without jsonschema, as `load_validator(schema)`
    validates it where analysis.schema.fast can tell (True: valid, False:
    invalid), None elsewhere; schemas it cannot compile answer None always."""
    from postlint.analysis.schema.fast import compile_local

    check = compile_local(schema, _FORMATS)
    return check if check is not None else (lambda data: None)


class _Finding(NamedTuple):
    path: tuple[PathItem, ...]
    where: Where
    keyword: str
    detail: str


def violations(validator: Validator, data: Any) -> list[Violation]:
    """One Violation per violated keyword, sorted by path, then keyword."""
    from postlint.analysis.schema.fast import quick

    if quick(validator, data) is True:
        return []  # the compiled checks: jsonschema would report nothing
    findings: set[_Finding] = set()
    for error in validator.iter_errors(data):
        findings.update(_convert(error, _Context(validator, data)))
    return _sorted_violations(findings)


def _sorted_violations(findings: set[_Finding]) -> list[Violation]:
    """The findings as Violations, sorted by path, then keyword."""
    return [
        Violation(f.path, f.where, f.keyword, _message(f))
        for f in sorted(findings, key=lambda f: (_path_key(f.path), f.keyword, f.where, f.detail))
    ]


def format_path(path: Iterable[PathItem]) -> str:
    """tags[0], author.name, ["odd key"].x"""
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", item):
            out += f".{item}" if out else item
        else:
            out += f"[{json.dumps(item, ensure_ascii=False)}]"
    return out


def _message(f: _Finding) -> str:
    if f.where == "document":
        return f.detail
    return f"{format_path(f.path) or 'front matter'}: {f.detail}"


def _path_key(path: tuple[PathItem, ...]) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


_MAP_KEYWORDS = _SCHEMA_MAPS | {"dependencies"}
_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _about_a_key(error: ValidationError) -> bool:
    """Whether the error comes from inside `propertyNames`, i.e. concerns a key."""
    path = list(error.absolute_schema_path)
    i = 0
    while i < len(path):
        step = path[i]
        if step == "propertyNames":
            return True
        if (
            step in _MAP_KEYWORDS
            or step in _LIST_KEYWORDS
            or (step == "items" and i + 1 < len(path) and isinstance(path[i + 1], int))
        ):
            i += 2
        else:
            i += 1
    return False


class _Context(NamedTuple):
    validator: Any
    data: Any


def _convert(error: ValidationError, ctx: _Context) -> list[_Finding]:
    found = _convert_plain(error, ctx)
    if _about_a_key(error):
        key: Any = error.instance
        return [
            _Finding(f.path + (key,), "key", "propertyNames", f"key {_show(key)} is not allowed: {f.detail}")
            for f in found
        ]
    return found


def _convert_plain(error: ValidationError, ctx: _Context) -> list[_Finding]:
    path = tuple(error.absolute_path)
    # A raised error has all of these (types-jsonschema: Any | Unset).
    keyword = error.validator
    instance: Any = error.instance
    value: Any = error.validator_value
    schema: Any = error.schema
    if keyword in ("anyOf", "oneOf") and error.context:
        return _alternatives(error, ctx)
    if keyword == "required" and isinstance(instance, dict):
        return [
            _Finding(path, "document", "required", f"missing required key {format_path(path + (key,))!r}")
            for key in value if key not in instance
        ]
    if keyword == "dependentRequired" and isinstance(instance, dict):
        return [
            _Finding(
                path,
                "document",
                "dependentRequired",
                f"missing key {format_path(path + (need,))!r}, required when {format_path(path + (key,))!r} is present",
            )
            for key, needs in value.items()
            if key in instance
            for need in needs
            if need not in instance
        ]
    if keyword == "additionalProperties" and value is False and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed and len(allowed) <= 12 else ""
        return [
            _Finding(path + (key,), "key", "additionalProperties", f"unexpected key{hint}")
            for key in instance
            if key not in allowed and not any(_search(p, str(key)) for p in patterns)
        ]
    if keyword == "unevaluatedProperties" and value is False and isinstance(instance, dict):
        keys = _unevaluated_keys(error, ctx.validator)
        if keys is not None:
            return [_Finding(path + (key,), "key", "unevaluatedProperties", "unexpected key") for key in keys]
    if keyword is None:  # a `false` schema
        keys = _keys_under_false(error, ctx)
        if keys is not None:
            return [_Finding(path + (key,), "key", "false", "this key is not allowed") for key in keys]
        if path and isinstance(path[-1], str):
            return [_Finding(path, "key", "false", "this key is not allowed")]
        return [_Finding(path, "value", "false", "no value is allowed here")]
    return [_Finding(path, "value", str(keyword), _detail(error))]


def _search(pattern: str, text: str) -> bool:
    from postlint.analysis.schema.linear_regex import search

    return search(pattern, text)


def _keys_under_false(error: ValidationError, ctx: _Context) -> list[Any] | None:
    """The keys a `false` subschema forbids. jsonschema (4.26) reports a false
    property schema at the mapping, without the key, so find the keys from the
    schema and the data; None when that is not possible (e.g. behind a $ref)."""
    spath = list(error.absolute_schema_path)
    if not spath or "$ref" in spath or "$dynamicRef" in spath:
        return None
    try:
        mapping: Any = ctx.data
        for item in error.absolute_path:
            mapping = mapping[item]
        node: Any = ctx.validator.schema
        for item in spath[:-1]:
            node = node[item]
    except (KeyError, IndexError, TypeError):
        return None
    last = spath[-1]
    if not isinstance(mapping, dict) or not isinstance(node, dict):
        return None
    properties = node.get("properties", {})
    patterns = node.get("patternProperties", {})
    if last == "properties":
        return [key for key in mapping if properties.get(key) is False]
    if last == "patternProperties":
        return [
            key for key in mapping
            if any(sub is False and _search(p, str(key)) for p, sub in patterns.items())
        ]
    if last == "additionalProperties":
        return [
            key for key in mapping
            if key not in properties and not any(_search(p, str(key)) for p in patterns)
        ]
    return None


def _unevaluated_keys(error: ValidationError, validator: Any) -> list[Any] | None:
    # jsonschema's find_evaluated_property_keys_by_schema, with RE2 for
    # patternProperties (its own runs Python's backtracking re).
    from postlint.analysis.schema.linear_regex import evaluated_keys

    try:
        evaluated = evaluated_keys(validator, error.instance, error.schema)
    except Exception:  # noqa: BLE001 - private jsonschema API inside; its message is the fallback
        return None
    instance: Any = error.instance
    return [key for key in instance if key not in evaluated]


def _alternatives(error: ValidationError, ctx: _Context) -> list[_Finding]:
    """anyOf/oneOf: merge alternatives that all failed at the value itself into
    one expectation; otherwise report the alternative the value most nearly met."""
    path = tuple(error.absolute_path)
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        # In anyOf/oneOf's context the path starts at the branch's index.
        index = cast(int, sub.relative_schema_path[0])
        branches.setdefault(index, []).append(sub)
    converted = {i: [f for sub in subs for f in _convert(sub, ctx)] for i, subs in branches.items()}

    shallow = all(
        len(subs) == 1 and len(found) == 1 and found[0].path == path and found[0].where == "value"
        and _noun(subs[0]) is not None
        for subs, found in zip(branches.values(), converted.values())
    )
    if shallow:
        subs = [subs[0] for subs in branches.values()]
        if all(sub.validator == "type" for sub in subs):
            types: list[str] = []
            for sub in subs:
                for t in _as_list(sub.validator_value):
                    if t not in types:
                        types.append(t)
            return [
                _Finding(path, "value", "type", f"expected {_or([_a(t) for t in types])}, got {_got(error.instance)}")
            ]
        nouns = list(dict.fromkeys(_noun(sub) or "" for sub in subs))
        return [_Finding(path, "value", str(error.validator), f"expected {_or(nouns)}, got {_got(error.instance)}")]

    def rank(item: tuple[int, list[ValidationError]]) -> tuple[int, int, int, int]:
        i, subs = item
        wrong_type = any(s.validator == "type" and tuple(s.absolute_path) == path for s in subs)
        depth = max(len(s.absolute_path) for s in subs)
        return (0 if wrong_type else 1, depth, -len(subs), -i)

    best, _ = max(branches.items(), key=rank)
    return converted[best]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _a(json_type: str) -> str:
    if json_type == "null":
        return "null"
    return ("an " if json_type[0] in "aeiou" else "a ") + json_type


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _got(value: Any) -> str:
    kind = _json_type(value)
    if kind in ("array", "object"):
        return _a(kind)
    return _show(value) if kind == "string" else f"{_show(value)} ({kind})"


def _noun(error: ValidationError) -> str | None:
    """What the keyword expects, as a noun phrase; None when it has none."""
    return _expects(error.validator, error.validator_value, error)


def _expects(keyword: Any, value: Any, error: ValidationError | None = None) -> str | None:
    """What `keyword` with `value` expects, as a noun phrase (the error, for
    a format's cause); None when it has none."""
    if keyword == "type":
        return _or([_a(t) for t in _as_list(value)])
    if keyword == "enum":
        shown = [_show(v) for v in value]
        return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)
    if keyword == "const":
        return _show(value)
    if keyword == "pattern":
        return f"a string matching {_show(value)}"
    if keyword == "minLength":
        return "a non-empty string" if value == 1 else f"a string of at least {value} characters"
    if keyword == "maxLength":
        return f"a string of at most {value} characters"
    if keyword == "format":
        cause = f" ({error.cause})" if error is not None and error.cause else ""
        return f"a valid {value}{cause}"
    bounds = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if keyword in bounds:
        return f"a number {bounds[keyword]} {value}"
    if keyword == "multipleOf":
        return f"a multiple of {value}"
    if keyword == "minItems":
        return f"at least {value} item{'s' if value != 1 else ''}"
    if keyword == "maxItems":
        return f"at most {value} item{'s' if value != 1 else ''}"
    if keyword == "minProperties":
        return f"at least {value} key{'s' if value != 1 else ''}"
    if keyword == "maxProperties":
        return f"at most {value} key{'s' if value != 1 else ''}"
    return None


def _detail(error: ValidationError) -> str:
    noun = _noun(error)
    if noun is not None:
        return f"expected {noun}, got {_got(error.instance)}"
    keyword = error.validator
    if keyword == "uniqueItems":
        return "items must be unique"
    if keyword == "not":
        return "matches a schema under 'not' that it must not match"
    if keyword == "oneOf":
        return "matches more than one alternative of 'oneOf'; it must match exactly one"
    return error.message
