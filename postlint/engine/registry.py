"""Rules, built-in and third-party alike, found through the entry-point group
``postlint.rules``; selection of rules by code, prefix, name or ``ALL``.

A rule is a module (see DESIGN.md): CODE, NAME, SCOPE, SEVERITY, FIX, OPTIONS,
OPTIONS_TABLE, NETWORK, a docstring in ruff's sections, and ``check`` (post rules)
or ``collect`` + ``check_site`` (site rules). Optional: ``prepare(options)``,
called once per run before the rule's first post; ``cache_inputs(options) ->
list[Path]``, the files besides the post that the rule's findings depend on
(FM100: every schema file its validator loaded), whose contents the result
cache hashes into its key; ``LIBRARIES``, the import names of the libraries
whose versions decide its findings (part of the key too); ``SETTINGS``, the
top-level settings it reads (FM100: ``schema``, ``schemas``), given to it in
its options. A site rule's ``collect`` returns JSON data (lists, dicts,
strings, numbers, booleans, None): the cache stores it, and check_site gets
it back as JSON gives it in every run.

A module may instead provide a *family* of codes (as a flake8 entry point
names a code prefix): its entry point is named by the prefix (``URL =
"postlint.rules.urls.family"``) and the module declares ``RULES``, a mapping of
code -> per-code metadata (``name``, ``doc``, and optionally ``severity``,
``fix``, ``network``), beside the module-level SCOPE, SEVERITY, OPTIONS,
OPTIONS_TABLE, NETWORK, LIBRARIES, SETTINGS, ``prepare`` and ``cache_inputs``
that all its codes share. The engine calls its ``check`` (or ``collect`` and
``check_site``) once per post (or site) for all the codes selected, and keeps
only the findings of those (see docs/plugins.md).

A plugin that fails to load (an import error, metadata of the wrong shape) is
left out with a warning naming it (`Registry.failures`); the run goes on
without it, as flake8's does.

The entry-point scan is kept in the cache's memo between runs (see `_scan`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from postlint.model.diagnostic import SEVERITIES, Severity
from postlint.model.patterns import lazy
from postlint.model.record import FrozenRecord

GROUP = "postlint.rules"
_CODE = lazy(r"^[A-Z]{1,4}[0-9]{3}$")
_NAME = lazy(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class RuleError(Exception):
    """A plugin that does not have the shape of a rule."""


class Rule(FrozenRecord):
    _uncompared = _unshown = ("module", "docstring")

    code: str
    name: str
    scope: str  # "post" or "site"
    severity: Severity
    fix: str | None  # None, "safe" or "unsafe"
    options: dict[str, Any]  # JSON Schema properties with defaults
    table: str | None  # the [tool.postlint.<table>] holding the options
    network: bool
    module: ModuleType  # neither compared nor shown
    origin: str  # distribution name and version, for the cache key
    # A family's code: its own docs (a single-code module's are its docstring).
    # Neither compared nor shown.
    docstring: str | None
    # The entry-point name of the family providing it; "" for a single-code module.
    group: str

    def __init__(
        self, code: str, name: str, scope: str, severity: Severity, fix: str | None, options: dict[str, Any],
        table: str | None, network: bool, module: ModuleType, origin: str = "postlint",
        docstring: str | None = None, group: str = "",
    ) -> None:
        set_ = object.__setattr__
        set_(self, "code", code)
        set_(self, "name", name)
        set_(self, "scope", scope)
        set_(self, "severity", severity)
        set_(self, "fix", fix)
        set_(self, "options", options)
        set_(self, "table", table)
        set_(self, "network", network)
        set_(self, "module", module)
        set_(self, "origin", origin)
        set_(self, "docstring", docstring)
        set_(self, "group", group)

    @property
    def key(self) -> str:
        """What runs it: the codes with one key share one pass over a post
        (and one `collect`, whose facts are stored once under the key)."""
        return self.group or self.code

    @property
    def doc(self) -> str:
        return (self.docstring if self.docstring is not None else self.module.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip().rstrip(".") if self.doc else self.name

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def defaults(self) -> dict[str, Any]:
        return {key: spec["default"] for key, spec in self.options.items() if "default" in spec}


def rule_from_module(module: ModuleType, origin: str = "postlint") -> Rule:
    where = getattr(module, "__name__", "?")
    code = getattr(module, "CODE", None)
    name = getattr(module, "NAME", None)
    scope = getattr(module, "SCOPE", "post")
    severity = getattr(module, "SEVERITY", "error")
    if not isinstance(code, str) or not _CODE.match(code):
        raise RuleError(f"{where}: CODE must look like 'AB123', got {code!r}")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RuleError(f"{where}: NAME must be kebab-case, got {name!r}")
    if scope not in ("post", "site"):
        raise RuleError(f"{where}: SCOPE must be 'post' or 'site', got {scope!r}")
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: SEVERITY must be one of {SEVERITIES}, got {severity!r}")
    needed = ("check",) if scope == "post" else ("collect", "check_site")
    for attr in needed:
        if not callable(getattr(module, attr, None)):
            raise RuleError(f"{where}: a {scope} rule needs a function {attr}()")
    return Rule(
        code=code,
        name=name,
        scope=scope,
        severity=severity,
        fix=getattr(module, "FIX", None),
        options=dict(getattr(module, "OPTIONS", {}) or {}),
        table=getattr(module, "OPTIONS_TABLE", None),
        network=bool(getattr(module, "NETWORK", False)),
        module=module,
        origin=origin,
    )


def rules_from_module(module: ModuleType, origin: str = "postlint", name: str | None = None) -> list[Rule]:
    """The rules a plugin module provides: one (CODE, NAME...) or a family
    (RULES). `name`: the entry point's name, which a family's codes must all
    start with (its code prefix)."""
    if getattr(module, "RULES", None) is None:
        return [rule_from_module(module, origin)]
    return family_from_module(module, origin, name)


def family_from_module(module: ModuleType, origin: str = "postlint", name: str | None = None) -> list[Rule]:
    where = getattr(module, "__name__", "?")
    specs = getattr(module, "RULES", None)
    if not isinstance(specs, dict) or not specs:
        raise RuleError(f"{where}: RULES must map each code to its metadata, got {specs!r}")
    group = name or _common_prefix(list(specs))
    if not isinstance(group, str) or not re.match(r"^[A-Z]{1,4}[0-9]{0,2}$", group):
        raise RuleError(f"{where}: a family's entry point is named by its code prefix (like 'URL'), got {group!r}")
    scope = getattr(module, "SCOPE", "post")
    default_severity = getattr(module, "SEVERITY", "error")
    network = bool(getattr(module, "NETWORK", False))
    options = getattr(module, "OPTIONS", {}) or {}
    table = getattr(module, "OPTIONS_TABLE", None)
    if scope not in ("post", "site"):
        raise RuleError(f"{where}: SCOPE must be 'post' or 'site', got {scope!r}")
    if not isinstance(options, dict):
        raise RuleError(f"{where}: OPTIONS must be a mapping of option -> JSON Schema, got {options!r}")
    needed = ("check",) if scope == "post" else ("collect", "check_site")
    for attr in needed:
        if not callable(getattr(module, attr, None)):
            raise RuleError(f"{where}: a {scope} rule family needs a function {attr}()")
    rules = []
    for code, spec in specs.items():
        if not isinstance(code, str) or not _CODE.match(code) or not code.startswith(group):
            raise RuleError(f"{where}: RULES: each code must look like '{group}123', got {code!r}")
        if not isinstance(spec, dict):
            raise RuleError(f"{where}: RULES[{code!r}] must be a mapping (name, doc, severity, fix), got {spec!r}")
        unknown = sorted(set(spec) - {"name", "doc", "severity", "fix", "network"})
        if unknown:
            raise RuleError(f"{where}: RULES[{code!r}]: unknown keys {unknown}")
        rule_name = spec.get("name")
        if not isinstance(rule_name, str) or not _NAME.match(rule_name):
            raise RuleError(f"{where}: RULES[{code!r}]: name must be kebab-case, got {rule_name!r}")
        doc = spec.get("doc")
        if not isinstance(doc, str) or not doc.strip():
            raise RuleError(f"{where}: RULES[{code!r}]: doc must be the rule's documentation, got {doc!r}")
        severity = spec.get("severity", default_severity)
        if severity not in SEVERITIES:
            raise RuleError(f"{where}: RULES[{code!r}]: severity must be one of {SEVERITIES}, got {severity!r}")
        fix = spec.get("fix")
        if fix not in (None, "safe", "unsafe"):
            raise RuleError(f"{where}: RULES[{code!r}]: fix must be None, 'safe' or 'unsafe', got {fix!r}")
        rules.append(Rule(
            code=code, name=rule_name, scope=scope, severity=severity, fix=fix, options=dict(options),
            table=table, network=bool(spec.get("network", network)), module=module, origin=origin,
            docstring=doc, group=group,
        ))
    return rules


def _common_prefix(codes: list[str]) -> str:
    prefix = codes[0].rstrip("0123456789") if codes and isinstance(codes[0], str) else ""
    return prefix if all(isinstance(c, str) and c.startswith(prefix) for c in codes) else ""


class Registry:
    def __init__(self, rules: Iterable[Rule], failures: Iterable[str] = ()) -> None:
        # Plugins left out because they failed to load: one line each, said on standard error.
        self.failures: list[str] = list(failures)
        self.rules: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        for rule in sorted(rules, key=lambda r: r.code):
            if rule.code in self.rules:
                other = self.rules[rule.code]
                raise RuleError(f"rule code {rule.code} is defined twice ({other.origin}, {rule.origin})")
            self.rules[rule.code] = rule
            self.by_name[rule.name] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code_or_name: str) -> Rule | None:
        return self.rules.get(code_or_name.upper()) or self.by_name.get(code_or_name.lower())

    def tables(self) -> dict[str, dict[str, Any]]:
        """Option schemas by table name, merged over the rules that share a table."""
        tables: dict[str, dict[str, Any]] = {}
        for rule in self:
            if rule.table:
                tables.setdefault(rule.table, {}).update(rule.options)
        return tables

    # -- selection -----------------------------------------------------------

    def specificity(self, selector: str, rule: Rule) -> int | None:
        """How closely a selector names a rule (None: not at all). Longer wins.

        Case does not matter: ``en002``, ``En`` and ``Mojibake`` select as
        ``EN002``, ``EN`` and ``mojibake`` do. A selector that is some rule's
        name is that name only, never also a prefix of codes."""
        folded = selector.lower()
        if folded == "all":
            return 0
        if folded in self.by_name:
            return 100 if rule.name == folded else None
        upper = selector.upper()
        if upper == rule.code:
            return 100
        if rule.code.startswith(upper) and upper[:1].isalpha() and upper.isalnum():
            return len(upper)
        return None

    def is_selector(self, selector: str) -> bool:
        return any(self.specificity(selector, rule) is not None for rule in self)

    def unknown(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not self.is_selector(s)]

    def matches(self, selectors: Iterable[str], rule: Rule) -> bool:
        return any(self.specificity(s, rule) is not None for s in selectors)

    def resolve(self, selectors: Iterable[str]) -> frozenset[str]:
        """The codes of the rules any of the selectors names (unknown ones name none)."""
        selectors = list(selectors)
        return frozenset(rule.code for rule in self if self.matches(selectors, rule))

    def severities(self, levels: dict[str, Severity]) -> dict[str, Severity]:
        """Configured severity by rule code, from a table of selector -> level:
        the most specific selector naming a rule decides; at equal specificity
        the later entry wins (``EN = "warning"`` with ``EN002 = "error"``: EN002
        is an error, the other EN rules warnings)."""
        resolved: dict[str, Severity] = {}
        for rule in self:
            best: int | None = None
            for selector, level in levels.items():
                value = self.specificity(selector, rule)
                if value is not None and (best is None or value >= best):
                    best = value
                    resolved[rule.code] = level
        return resolved

    def select(self, select: Iterable[str], extend: Iterable[str], ignore: Iterable[str]) -> list[Rule]:
        """Rules on after select, extend-select and ignore; the most specific
        selector decides, and at equal specificity ignore wins (as in ruff)."""
        chosen = []
        on = list(select) + list(extend)
        off = list(ignore)
        for rule in self:
            best_on = max((v for s in on if (v := self.specificity(s, rule)) is not None), default=None)
            best_off = max((v for s in off if (v := self.specificity(s, rule)) is not None), default=None)
            if best_on is not None and (best_off is None or best_on > best_off):
                chosen.append(rule)
        return chosen


_REGISTRY: Registry | None = None


def load(cache: Any | None = None) -> Registry:
    """Every rule registered in the entry-point group, built-ins included (once
    per process). `cache`: the run's cache database (files.cachedb.CacheDB),
    which keeps the entry-point scan between runs."""
    global _REGISTRY
    if _REGISTRY is None:
        failures: list[str] = []
        _REGISTRY = Registry(_discover(cache, failures), failures)
    return _REGISTRY


def _scan_key() -> str:
    """What the entry-point scan depends on: the folders on sys.path, each by
    its modification time (installing or removing a distribution adds or
    removes a *.dist-info folder in it), and Python's version."""
    import hashlib
    import os
    import sys

    stamps = []
    for entry in sys.path:
        try:
            stamps.append(f"{entry}\0{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            stamps.append(f"{entry}\0-")
    material = "\n".join([GROUP, sys.version, *stamps])
    return "entry-points:" + hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()


def _scan(cache: Any) -> list[tuple[str, str, str]]:
    """(name, value, origin) of each entry point of the group: from the
    cache's memo while sys.path is unchanged (importing importlib.metadata
    and reading every distribution's metadata is most of a cheap run's start),
    else found by importlib.metadata."""
    from postlint.files.cachedb import memo_get

    key = _scan_key() if cache is not None else ""
    if cache is not None:
        known = memo_get(cache, key)
        if isinstance(known, list) and all(
            isinstance(row, list) and len(row) == 3 and all(isinstance(x, str) for x in row) for row in known
        ):
            return [(row[0], row[1], row[2]) for row in known]
    from postlint.engine.entry_points import metadata_entry_points, read_entry_points

    direct = read_entry_points(GROUP)
    found = direct if direct is not None else metadata_entry_points(GROUP)
    if cache is not None:
        cache.pending_memos.append((key, [list(row) for row in found]))  # written if the run stores results
    return found


def _discover(cache: Any = None, failures: list[str] | None = None) -> list[Rule]:
    """The rules of every plugin that loads; each one that does not (an
    import error, metadata of the wrong shape) is left out, with a line naming
    it in `failures` (raised as a RuleError when `failures` is None)."""
    from importlib import import_module

    rules = []
    for name, value, origin in _scan(cache):
        module_name, _, attr = value.partition(":")
        try:
            module = import_module(module_name.strip())
            if attr:
                for part in attr.strip().split("."):
                    module = getattr(module, part)
            if not isinstance(module, ModuleType):
                module = import_module(module_name.strip())
            found = rules_from_module(module, origin, name if getattr(module, "RULES", None) is not None else None)
        except Exception as exc:  # a broken plugin must not take postlint down
            line = f"plugin {name} = {value} ({origin}) failed to load and was left out: {exc!r}"
            if failures is None:
                raise RuleError(line) from exc
            failures.append(line)
            continue
        rules.extend(found)
    if not any(rule.origin.startswith("postlint ") for rule in rules):
        raise RuleError(
            "postlint's own rules are not registered: install the package "
            "(pip install -e .) so that its entry points exist"
        )
    return rules
