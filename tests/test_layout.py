"""The package layout keeps its promises (issue 13): no import cycles, at any
level (a function-level import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "postlint"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        out.update(n for n in names if n in known)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def _graph() -> dict[str, set[str]]:
    known = _modules()
    graph = {}
    for name, path in known.items():
        # A module importing its own package (or the root package for
        # __version__) is not a cycle between stages.
        graph[name] = {t for t in _imports(path, known)
                       if t != name and not name.startswith(t + ".")}
    return graph


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_the_package() -> None:
    graph = _graph()
    assert "postlint.analysis.body.html" in graph
    assert _cycles(graph) == []


# Each stage may import the stages before it, never one after it (the
# README's Development section). Reporters format what the engine found, so
# they may know the engine's rule metadata.
LAYERS = [
    ("postlint.files", "postlint.model"),
    ("postlint.analysis", "postlint.net"),
    ("postlint.rules",),
    ("postlint.engine",),
    ("postlint.reporters",),
    ("postlint.integrations", "postlint.cli", "postlint.api"),
]


def _layer(module: str) -> int | None:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def test_stages_import_only_earlier_stages() -> None:
    upward = []
    for module, targets in _graph().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if here is not None and there is not None and there > here:
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


# A module over this many lines says at its top why it is long (a "Long
# because:" paragraph in its docstring), or is split.
LONG = 400


def _long_without_reason() -> list[str]:
    missing = []
    for name, path in sorted(_modules().items()):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        paragraphs = [" ".join(p.split()) for p in doc.split("\n\n")]
        reasons = [p for p in paragraphs if p.startswith("Long because:")]
        # A reason, not the two words: a sentence of its own.
        if not any(len(p) >= len("Long because:") + 40 for p in reasons):
            missing.append(f"{name} ({text.count(chr(10))} lines)")
    return missing


def test_long_modules_say_why_they_are_long() -> None:
    assert _long_without_reason() == []


def test_the_long_module_check_finds_a_long_module_without_a_reason(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "short.py").write_text('"""Short."""\n', encoding="utf-8")
    (tmp_path / "long.py").write_text('"""Long, silent."""\n' + "x = 1\n" * (LONG + 1), encoding="utf-8")
    (tmp_path / "said.py").write_text('"""Long.\n\nLong because: a state machine that reads best as one '
                                      'piece, as the standard writes it."""\n' + "x = 1\n" * (LONG + 1),
                                      encoding="utf-8")
    (tmp_path / "bare.py").write_text('"""Long.\n\nLong because: yes."""\n' + "x = 1\n" * (LONG + 1),
                                      encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["_modules"]), "_modules",
                        lambda: {p.stem: p for p in tmp_path.glob("*.py")})
    assert [m.split(" ")[0] for m in _long_without_reason()] == ["bare", "long"]


# A module of model/ or analysis/ that the rules of one family alone import
# lives with that family (rules/<family>/).
def test_a_module_only_one_family_uses_lives_with_it() -> None:
    graph = _graph()
    users: dict[str, set[str]] = {}
    for module, targets in graph.items():
        for target in targets:
            users.setdefault(target, set()).add(module)
    misplaced = []
    for module in graph:
        if not module.startswith(("postlint.model.", "postlint.analysis.")):
            continue
        package = module.rsplit(".", 1)[0]
        outside = {u for u in users.get(module, ()) if not u.startswith(package + ".")}
        families = {".".join(u.split(".")[:3]) for u in outside}
        if outside and len(families) == 1 and next(iter(families)).startswith("postlint.rules."):
            misplaced.append(f"{module}: used by {sorted(outside)} only")
    assert misplaced == []
