"""A post as postlint sees it: bytes, decoded text, front matter with positions, body.

Long because: a Post and its parse are one unit: decoding, splitting off the
front matter, and the YAML and TOML loaders that record positions (and refuse
hostile input: huge integers, alias bombs, deep nesting) produce the offsets a
Post exposes, and nothing else uses them.

`parse()` never raises on bad input: what is wrong with the file itself becomes a
`Problem` (EN001, FM001, FM002, FM003) that the rules of those codes report.
Every position is computed from offsets into the decoded text: YAML marks are
turned into offsets once, here, and never recovered by searching text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

from postlint.adapters.yaml import ScalarConstructor, reader_error
from postlint.model.analyses import Analyses
from postlint.model.collector import no_cyclic_gc
from postlint.model.diagnostic import Diagnostic, Excerpt, Fix, Severity
from postlint.model.lines import LineIndex
from postlint.model.patterns import lazy
from postlint.model.record import FACTORY, NamedTuple, Record
from postlint.model.site import Site
from postlint.model.span import KeyPath, Span

# Jekyll's own rule (Jekyll::Document::YAML_FRONT_MATTER_REGEXP): the file starts
# with "---", the block ends at the first line that is "---" or "..." alone.
_OPEN = lazy(r"---[ \t]*\r?\n")
_CLOSE = lazy(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_TOML_OPEN = lazy(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = lazy(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
# YAML's own line breaks (YAML 1.1 as PyYAML and libyaml read it).
_YAML_BREAK = lazy("\r\n|[\r\n\x85\u2028\u2029]")

# Bounds that keep hostile YAML (alias bombs, deep nesting) from hanging a run.
MAX_NODES = 100_000
# Values an alias repeats (a node built a second time): an alias bomb grows
# these exponentially while the file stays small, so they have a lower bound.
MAX_ALIAS_NODES = 10_000
# Deeper than this, YAML or TOML front matter is a finding (FM002). jsonschema
# validates a recursive schema ($ref "#") recursively, ~4 frames a level: 100
# levels stay well inside Python's stack wherever a rule runs.
MAX_DEPTH = 100
# Python refuses to turn an int of more than 4300 digits into a decimal string
# (sys.get_int_max_str_digits, against quadratic conversions): longer ones, as
# YAML and TOML write them in hex (`0xfff...`), are kept as BigInt.
_BIG_BITS = 14_000


class BigInt(int):
    """An integer too long to print in decimal: a value like any int (the
    schema sees an integer), shown in hex and by its size."""

    def __repr__(self) -> str:
        digits = format(abs(self), "x")
        sign = "-" if self < 0 else ""
        return f"{sign}0x{digits[:8]}...{digits[-4:]} ({self.bit_length()}-bit integer)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return int.__format__(self, spec) if spec and spec[-1:] in "xXob" else repr(self)


def plain_int(value: int) -> int:
    return BigInt(value) if not isinstance(value, bool) and value.bit_length() > _BIG_BITS else value

MARKDOWN_EXTENSIONS = frozenset(
    {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown", ".mdwn", ".mdtxt", ".text", ".rmd"}
)


class Problem(NamedTuple):
    """A defect of the file itself, found while parsing (offsets into `Post.text`)."""

    code: str
    start: int
    end: int
    message: str


class FrontMatter(Record):

    start: int  # offset of the opening "---"
    end: int  # offset just past the closing line (the body starts here)
    content_start: int  # offset of the YAML text
    content_end: int
    format: str  # "yaml" or "toml"
    data: Any  # plain data: dict for a well-formed post, else None
    # key path -> (key node or None, value node); filled for YAML. The spans
    # are made from their marks when asked (spans()): most posts ask for few.
    nodes: dict[KeyPath, tuple[Any, Any]]
    positions: _YamlPositions | None  # turns the nodes' marks into offsets
    # key path -> (style, value) of scalar values, for edits inside them
    scalars: dict[KeyPath, tuple[str | None, str]]

    def __init__(
        self,
        start: int,
        end: int,
        content_start: int,
        content_end: int,
        format: str = "yaml",
        data: Any = None,
        nodes: dict[KeyPath, tuple[Any, Any]] = FACTORY,
        positions: _YamlPositions | None = None,
        scalars: dict[KeyPath, tuple[str | None, str]] = FACTORY,
    ) -> None:
        self.start = start
        self.end = end
        self.content_start = content_start
        self.content_end = content_end
        self.format = format
        self.data = data
        self.nodes = {} if nodes is FACTORY else nodes
        self.positions = positions
        self.scalars = {} if scalars is FACTORY else scalars

    def spans(self, path: KeyPath) -> tuple[Span | None, Span] | None:
        """(the key's span or None for a list item, the value's span) at a key
        path; None when the path is not in the front matter."""
        entry = self.nodes.get(path)
        if entry is None:
            return None
        key, value = entry
        if value.__class__ is Span:         # spans already (model.flat_yaml)
            return entry
        if self.positions is None:
            return None
        span = self.positions.span
        return (span(key) if key is not None else None), span(value)


# Site is frozen: one empty instance serves every post without a site.
NO_SITE = Site()


class Post(Record):

    path: str  # as reported: relative, "/"-separated
    source: bytes
    text: str  # decoded, without a leading BOM
    bom: bool
    binary: bool
    decode_error: int | None  # byte offset of the first invalid UTF-8 byte
    front_matter: FrontMatter | None
    problems: list[Problem]
    # The Jekyll site the post belongs to (its _config.yml); an empty Site
    # when there is none (a post linted on its own).
    site: Site
    # The path as the configuration sees it (per-file-ignores, schemas
    # globs): relative to the configuration's folder; "" means `path`.
    relpath: str
    # Shared analyses (parsed HTML, headings...) computed once per post by
    # whichever rule needs them first.
    analyses: Analyses
    _lines: LineIndex | None
    # True while the post rules run: their findings get the window of their
    # line (Excerpt) only once selection, suppressions and the per-rule limit
    # have kept them (Linter.lint_source), so 100,000 findings on one line
    # cost no more than their positions. Site rules' findings get it at once.
    defer_excerpts: bool

    def __init__(
        self,
        path: str,
        source: bytes,
        text: str,
        bom: bool = False,
        binary: bool = False,
        decode_error: int | None = None,
        front_matter: FrontMatter | None = None,
        problems: list[Problem] = FACTORY,
        site: Site = NO_SITE,
        relpath: str = "",
        analyses: Analyses = FACTORY,
        _lines: LineIndex | None = None,
        defer_excerpts: bool = False,
    ) -> None:
        self.path = path
        self.source = source
        self.text = text
        self.bom = bom
        self.binary = binary
        self.decode_error = decode_error
        self.front_matter = front_matter
        self.problems = [] if problems is FACTORY else problems
        self.site = site
        self.relpath = relpath
        self.analyses = Analyses() if analyses is FACTORY else analyses
        self._lines = _lines
        self.defer_excerpts = defer_excerpts
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.relpath:
            self.relpath = self.path

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def data(self) -> dict[str, Any]:
        fm = self.front_matter
        return fm.data if fm is not None and isinstance(fm.data, dict) else {}

    @property
    def body_offset(self) -> int:
        return self.front_matter.end if self.front_matter is not None else 0

    @property
    def body(self) -> str:
        return self.text[self.body_offset :]

    @property
    def body_line(self) -> int:
        return self.lines.position(self.body_offset)[0]

    @property
    def extension(self) -> str:
        # Kept with the path it is of (rules ask five times a post).
        path = self.path
        known = self.__dict__.get("_extension")
        if known is not None and known[0] is path:
            extension: str = known[1]
            return extension
        name = path.rsplit("/", 1)[-1]
        extension = name[name.rfind(".") :].lower() if "." in name else ""
        self.__dict__["_extension"] = (path, extension)
        return extension

    @property
    def is_markdown(self) -> bool:
        return self.extension in MARKDOWN_EXTENSIONS

    @property
    def fixable(self) -> bool:
        """Edits can be written back without losing bytes."""
        return self.decode_error is None and not self.binary

    def locate(self, path: KeyPath) -> Span:
        """Span of the value at a key path; the closest existing ancestor when the
        path does not exist; the opening "---" when there is no such ancestor."""
        fm = self.front_matter
        if fm is None:
            return Span(0, 0)
        path = tuple(path)
        while path:
            entry = fm.spans(path)
            if entry is not None:
                return entry[1]
            path = path[:-1]
        return Span(fm.start, fm.start + 3)

    def locate_key(self, path: KeyPath) -> Span:
        """Span of the key itself (for list items: the item)."""
        fm = self.front_matter
        entry = fm.spans(tuple(path)) if fm is not None else None
        if entry is None:
            return self.locate(path)
        return entry[0] or entry[1]

    def scalar_content(self, path: KeyPath) -> tuple[int, str] | None:
        """(offset, value) when a scalar's value stands verbatim in the file at
        `offset`, so that an edit of the value is an edit of the file."""
        fm = self.front_matter
        if fm is None or tuple(path) not in fm.scalars:
            return None
        style, value = fm.scalars[tuple(path)]
        start, end = self.locate(path)
        if style in ("'", '"'):
            start, end = start + 1, end - 1
        elif style:  # block scalars ("|", ">") fold and strip; plain is None or ""
            return None
        if self.text[start:end] != value:
            return None
        return start, value

    def diagnostic(
        self,
        code: str,
        start: int,
        end: int,
        message: str,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        """A finding over text[start:end]. Without a severity the rule's default
        applies; the engine decides the final one."""
        lines = self.lines
        line, column = lines.position(start)
        end_line, end_column = lines.position(max(end, start))
        # tuple.__new__: the NamedTuple's own __new__ is a Python function,
        # a third of the cost of each of the 200k findings of a hostile post.
        return tuple.__new__(Diagnostic, (
            self.path, line, column, end_line, end_column, code, severity, message, fix,
            "" if self.defer_excerpts else lines.excerpt(line, column, end_line, end_column), 0,
        ))

    def located(self, start: int, end: int) -> tuple[int, int, int, int, Excerpt]:
        """(line, column, end line, end column, excerpt) of a finding over
        text[start:end], as ``diagnostic`` places it, the excerpt always
        included: what a site rule's facts carry to report it without the post."""
        lines = self.lines
        line, column = lines.position(start)
        end_line, end_column = lines.position(max(end, start))
        return line, column, end_line, end_column, lines.excerpt(line, column, end_line, end_column)

    def located_data(self, start: int, end: int) -> tuple[int, int, int, int, tuple[str, int, int]]:
        """located() with the excerpt as JSON data (excerpt_data of it, a
        tuple where that is a list: JSON makes both a list), as a site rule's
        facts carry it."""
        lines = self.lines
        line, column = lines.position(start)
        end_line, end_column = lines.position(max(end, start))
        return line, column, end_line, end_column, lines.window(line, column, end_line, end_column)

    def problem_diagnostics(self, code: str) -> Iterator[Diagnostic]:
        """The parse-time problems of one code, as findings."""
        for problem in self.problems:
            if problem.code == code:
                yield self.diagnostic(code, problem.start, problem.end, problem.message)

    def iter_scalars(self) -> Iterator[tuple[KeyPath, str]]:
        """Every string scalar of the front matter with its key path, in file order."""
        fm = self.front_matter
        if fm is None:
            return
        for path, (_style, value) in fm.scalars.items():
            if isinstance(value, str):
                yield path, value


def parse(path: str, source: bytes, *, site: Site | None = None, relpath: str | None = None) -> Post:
    """The post at `path` (as reported) of `site`, from its bytes; `relpath`:
    its path as the configuration sees it (default: `path`)."""
    post = Post(path=path, source=source, text="", site=site or NO_SITE, relpath=relpath or path)
    nul = source.find(b"\x00", 0, 8192)
    if nul != -1:
        # Git's test for binary: a NUL in the first block. Such a file is no
        # post, and no fix may ever edit it (it may decode as UTF-8 by chance).
        post.binary = True
        post.problems.append(Problem("EN001", 0, 0, f"binary file, not a text post (NUL byte at byte offset {nul})"))
        return post
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        post.decode_error = exc.start
        # A NUL in the first block of a file that is not UTF-8 says "binary":
        # there is no text to lint, only the one finding.
        post.binary = b"\x00" in source[:8192]
        text = "" if post.binary else source.decode("utf-8", "replace")
        prefix = source[: exc.start].decode("utf-8", "replace")
        prefix = prefix.removeprefix("\ufeff")
        post.problems.append(Problem("EN001", len(prefix), len(prefix) + 1, _decode_message(source, exc)))
    if text.startswith("\ufeff"):
        post.bom = True
        text = text[1:]
    post.text = text
    if not post.binary:
        _split(post)
    return post


def _decode_message(source: bytes, exc: UnicodeDecodeError) -> str:
    bad = source[exc.start : exc.start + 4]
    hint = ""
    try:
        source.decode("cp1252")
        hint = "; the file looks like Windows-1252/Latin-1: re-save it as UTF-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in source[:8192]:
        return f"binary file, not UTF-8 text (byte 0x{source[exc.start]:02X} at byte offset {exc.start})"
    return f"invalid UTF-8: byte 0x{bad[0]:02X} at byte offset {exc.start} ({exc.reason}){hint}"


def _split(post: Post) -> None:
    text = post.text
    toml = _TOML_OPEN.match(text)
    opening = _OPEN.match(text) or toml
    if opening is None:
        first = text.split("\n", 1)[0].rstrip("\r")
        end = len(first) if first.strip() else 0
        message = (
            "missing front matter: a post starts with a line '---', then YAML, then '---'"
            if text.strip()
            else "empty file: a post needs front matter"
        )
        post.problems.append(Problem("FM001", 0, end, message))
        return
    closing = (_TOML_CLOSE if toml else _CLOSE).search(text, opening.end())
    if closing is None:
        post.problems.append(
            Problem("FM001", 0, 3, "unterminated front matter: no closing '---' line")
        )
        return
    fm = FrontMatter(
        start=0,
        end=closing.end(),
        content_start=opening.end(),
        content_end=closing.start(),
        format="toml" if toml else "yaml",
    )
    post.front_matter = fm
    if toml:
        _load_toml(post, fm)
    else:
        _load_yaml(post, fm)


def _load_toml(post: Post, fm: FrontMatter) -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    from postlint.model.nesting import too_deep

    try:
        data = tomllib.loads(post.text[fm.content_start : fm.content_end])
    except tomllib.TOMLDecodeError as exc:
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, f"TOML syntax error: {exc}"))
        return
    except RecursionError:
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, f"TOML nested deeper than {MAX_DEPTH} levels"))
        return
    except ValueError as exc:  # an integer beyond Python's int-string conversion limit
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, f"TOML value cannot be read: {exc}"))
        return
    if too_deep(data, MAX_DEPTH) is not None:
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, f"TOML nested deeper than {MAX_DEPTH} levels"))
        return
    fm.data = _big_ints(data)


def _big_ints(data: Any) -> Any:
    """`data` with every int too long to print wrapped as BigInt (iterative;
    `data` is at most MAX_DEPTH deep)."""
    if isinstance(data, int):
        return plain_int(data)
    stack = [data]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(pairs):
            if isinstance(value, int) and not isinstance(value, bool):
                node[key] = plain_int(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return data


def _yaml_loader() -> Any:
    from postlint.adapters.yaml import safe_loader

    return safe_loader()


class _YamlPositions:
    """YAML (line, column) marks -> offsets into the post's text."""

    def __init__(self, text: str, base: int) -> None:
        self.base = base
        self.starts = [0] + [m.end() for m in _YAML_BREAK.finditer(text)]

    def offset(self, mark: Any) -> int:
        line: int = min(mark.line, len(self.starts) - 1)
        column: int = mark.column
        return self.base + self.starts[line] + column

    def span(self, node: Any) -> Span:
        """offset() of the node's start and end marks, in one call (a post
        asks it twice for every key)."""
        starts = self.starts
        last = len(starts) - 1
        base = self.base
        mark = node.start_mark
        line = mark.line
        start = base + starts[min(last, line)] + mark.column
        mark = node.end_mark
        line = mark.line
        # tuple.__new__: the NamedTuple's own __new__ is a Python function.
        return tuple.__new__(Span, (start, base + starts[min(last, line)] + mark.column))


# The tags of plain data (what Jekyll's safe loader reads); the resolver gives
# every untagged node one of these.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "binary",
        "seq",
        "map",
        "merge",
        "set",
        "omap",
        "pairs",
    )
)


class _TooComplex(Exception):
    pass


def _flat_value(tag: str, text: str) -> Any:
    """The value of a plain scalar of flat front matter (model.flat_yaml)
    resolved as `tag`, as _Builder makes it of the node."""
    from yaml import ScalarNode

    return _construct_scalar(_scalar_constructor(), ScalarNode(tag, text))


@cache
def _scalar_constructor() -> ScalarConstructor:
    # Stateless for scalars: one for every post.
    return ScalarConstructor()


def _load_yaml(post: Post, fm: FrontMatter) -> None:
    from postlint.model.flat_yaml import load

    content = post.text[fm.content_start : fm.content_end]
    # One key a line (most posts): data, spans and scalars as the builder
    # makes them of libyaml's nodes, without the nodes (a fifth of the cost).
    flat = load(content, fm.content_start, _flat_value)
    if flat is not None:
        fm.data, fm.nodes, fm.scalars = flat
        return
    positions = fm.positions = _YamlPositions(content, fm.content_start)
    with no_cyclic_gc():  # nodes and marks, no cycles (but an alias of itself, collected later)
        _compose_and_build(post, fm, content, positions)


def _compose_and_build(post: Post, fm: FrontMatter, content: str, positions: _YamlPositions) -> None:
    import yaml

    try:
        root = yaml.compose(content, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        start = positions.offset(mark) if mark is not None else fm.start
        start = min(start, fm.content_end)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        post.problems.append(Problem("FM002", start, start + 1, f"YAML syntax error: {problem}{context}"))
        return
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        index, reason = reader_error(exc)
        start = fm.content_start + min(index, len(content))
        reason = reason or "invalid character"
        post.problems.append(Problem("FM002", start, start + 1, f"YAML error: {reason}"))
        return
    except RecursionError:
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, "YAML nested too deeply"))
        return
    if root is None:  # empty front matter: Jekyll accepts it
        fm.data = {}
        return
    builder = _Builder(post, fm, positions)
    try:
        data = builder.build(root, (), 0)
    except _TooComplex as exc:
        post.problems.append(Problem("FM002", fm.start, fm.start + 3, str(exc)))
        fm.nodes.clear()
        fm.scalars.clear()
        return
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        start, end = builder.span(root)
        post.problems.append(
            Problem("FM002", start, end, f"front matter must be a mapping of keys to values, not {kind}")
        )
        return
    fm.data = data


class _Builder:
    """Plain data from a composed node tree, recording every key's and value's span.

    YAML timestamps stay strings (the schema and the date rules see what was
    written); aliases are followed within MAX_NODES so an alias bomb is a finding.
    """

    def __init__(self, post: Post, fm: FrontMatter, positions: _YamlPositions) -> None:
        self.post = post
        self.fm = fm
        self.positions = positions
        self.constructor = _scalar_constructor()
        self.count = 0
        self.repeated = 0
        self.built: set[int] = set()
        self.active: set[int] = set()

        self.span = positions.span
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.mapping_node, self.sequence_node, self.scalar_node = MappingNode, SequenceNode, ScalarNode

    def build(self, node: Any, path: KeyPath, depth: int) -> Any:
        MappingNode, SequenceNode = self.mapping_node, self.sequence_node

        if node.tag not in _PLAIN_TAGS:
            start, end = self.span(node)
            self.post.problems.append(Problem(
                "FM002", start, max(end, start + 1),
                f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not plain data: "
                "Jekyll's safe YAML loader refuses it",
            ))
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooComplex(f"YAML expands to more than {MAX_NODES} values (alias bomb?)")
        if id(node) in self.built:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                raise _TooComplex(f"YAML aliases repeat more than {MAX_ALIAS_NODES} values (alias bomb?)")
        else:
            self.built.add(id(node))
        if depth > MAX_DEPTH:
            raise _TooComplex(f"YAML nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, MappingNode):
            if id(node) in self.active:
                raise _TooComplex("YAML alias refers to itself")
            self.active.add(id(node))
            try:
                return self._mapping(node, path, depth)
            finally:
                self.active.discard(id(node))
        if isinstance(node, SequenceNode):
            if id(node) in self.active:
                raise _TooComplex("YAML alias refers to itself")
            self.active.add(id(node))
            try:
                items = []
                for index, item in enumerate(node.value):
                    item_path = path + (index,)
                    self._record(item_path, None, item)
                    items.append(self.build(item, item_path, depth + 1))
                return items
            finally:
                self.active.discard(id(node))
        return self._scalar(node, path)

    def _record(self, path: KeyPath, key: Any, value: Any) -> None:
        # An alias repeats a node: the first place it stands is where it is written.
        nodes = self.fm.nodes
        if path not in nodes:
            nodes[path] = (key, value)

    def _mapping(self, node: Any, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, path, depth + 1)
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            result.setdefault(k, v)
                continue
            key = self._key(key_node, path, depth)
            if key in seen:
                start, end = self.span(key_node)
                first_line = self.post.lines.position(self.span(seen[key]).start)[0]
                self.post.problems.append(
                    Problem(
                        "FM003",
                        start,
                        end,
                        f"duplicate key '{key}' (first defined on line {first_line}); YAML keeps only the last",
                    )
                )
            else:
                seen[key] = key_node
            child = path + (key,)
            self.fm.nodes[child] = (key_node, value_node)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _key(self, node: Any, path: KeyPath, depth: int) -> str:
        if isinstance(node, self.scalar_node):
            value = self._construct_scalar(node)
            return value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        # A complex key is legal YAML but means nothing to Jekyll; keep its text.
        start, end = self.span(node)
        return self.post.text[start:end]

    def _scalar(self, node: Any, path: KeyPath) -> Any:
        value = self._construct_scalar(node)
        if path and isinstance(value, str):
            self.fm.scalars[path] = (node.style, value)
        return value

    def _construct_scalar(self, node: Any) -> Any:
        return _construct_scalar(self.constructor, node)


def _construct_scalar(c: ScalarConstructor, node: Any) -> Any:
    """A scalar node's value: null, bool, int and float as PyYAML's safe
    loader makes them; any other tag, the text as written."""
    tag = node.tag
    try:
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return c.bool(node)
        if tag == "tag:yaml.org,2002:int":
            return plain_int(c.int(node))
        if tag == "tag:yaml.org,2002:float":
            return c.float(node)
    except (ValueError, TypeError):
        pass
    # str, timestamp (kept as written), binary, and unknown tags such as
    # !ruby/object: the text as written.
    return node.value
