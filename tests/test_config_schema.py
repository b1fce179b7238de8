"""schemas/postlint-config.schema.json: up to date with the rules, shipped, and
in agreement with the configuration loader on every configuration the tests,
the examples and the README use (accepted by both or rejected by both)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postlint.engine.config import ConfigError, _validate
from postlint.engine.registry import load
from postlint.integrations.config_schema import SCHEMA_FILE, build, builtin_tables, dumps, shipped
from tests.conftest import REPO, run_cli, write_site

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

SCHEMA_PATH = REPO / SCHEMA_FILE
CONFIG_NAMES = (".postlint.toml", "pyproject.toml")


@pytest.fixture(scope="module")
def validator() -> Any:
    from jsonschema import Draft7Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def test_the_schema_is_up_to_date_and_shipped() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == dumps(build()), (
        "run python -m postlint.integrations.config_schema"
    )
    assert shipped() == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_the_schema_holds_every_rule_option_with_its_default() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    registry = load()
    for rule in registry:
        if not rule.table or not rule.origin.startswith("postlint"):
            continue
        table = schema["properties"][rule.table]
        assert table["additionalProperties"] is False
        for key, spec in rule.options.items():
            assert table["properties"][key].get("default") == spec.get("default"), (rule.code, key)
            assert table["properties"][key].get("description"), (rule.code, key)
    assert all(spec.get("description") for spec in schema["properties"].values())


def test_check_command_says_when_it_is_stale(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / SCHEMA_FILE).write_text("{}\n", encoding="utf-8")
    run = [sys.executable, "-m", "postlint.integrations.config_schema", "--check"]
    stale = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert stale.returncode == 1 and "out of date" in stale.stderr
    assert subprocess.run(run, cwd=REPO, capture_output=True, timeout=120).returncode == 0


# -- every configuration in the repository ------------------------------------------------


def _module_strings(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _value(node.value, names)
            if value is not None:
                names[node.targets[0].id] = value
    return names


def _value(node: ast.AST, names: dict[str, str]) -> str | None:
    """A string expression's value when it is made of constants: literals,
    module-level names, `+` and dedent(...)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _value(node.left, names), _value(node.right, names)
        return left + right if left is not None and right is not None else None
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "dedent"
        and node.args
    ):
        inner = _value(node.args[0], names)
        return textwrap.dedent(inner).lstrip("\n") if inner is not None else None
    return None


def _kind(text: str) -> str | None:
    """Which configuration file a source text names, if one."""
    return next((name for name in CONFIG_NAMES if name in text), None)


def _from_python(path: Path) -> Iterator[tuple[str, str, str]]:
    """(where, file kind, TOML text) of the configurations a test module writes:
    values written to a .postlint.toml or pyproject.toml (`x.write_text(...)`,
    `{".postlint.toml": ...}`), and any other string literal that reads as a
    postlint configuration."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _module_strings(tree)
    seen: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                kind = _kind(key.value) if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
                text = _value(value, names) if kind else None
                if kind and text is not None:
                    seen.add(id(value))
                    yield f"{path.name}:{value.lineno}", kind, text
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write_text":
            kind = _kind(ast.unparse(node.func.value))
            if kind is None and isinstance(node.func.value, ast.Name):
                # config = tmp_path / "pyproject.toml"; config.write_text(...)
                kind = _assigned_kind(tree, node.func.value.id)
            text = _value(node.args[0], names) if node.args and kind else None
            if kind and text is not None:
                seen.add(id(node.args[0]))
                yield f"{path.name}:{node.lineno}", kind, text
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in seen:
            kind = _looks_like_config(node.value)
            if kind:
                yield f"{path.name}:{node.lineno}", kind, node.value


def _assigned_kind(tree: ast.Module, name: str) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            kind = _kind(ast.unparse(node.value))
            if kind:
                return kind
    return None


_KNOWN = set(build()["properties"])


def _looks_like_config(text: str) -> str | None:
    if "=" not in text:
        return None
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    if isinstance(raw.get("tool"), dict) and "postlint" in raw["tool"]:
        return "pyproject.toml"
    if raw and set(raw) <= _KNOWN:
        return ".postlint.toml"
    return None


def _from_markdown(path: Path) -> Iterator[tuple[str, str, str]]:
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r"^```toml\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        block = match.group(1)
        kind = "pyproject.toml" if re.search(r"^\[tool\.postlint", block, re.MULTILINE) else _looks_like_config(block)
        if kind:
            yield f"{path.name}:{text.count(chr(10), 0, match.start()) + 2}", kind, block


def configurations() -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        if path.name != Path(__file__).name:
            found += _from_python(path)
    for path in sorted(REPO.glob("examples/**/*")):
        if path.name in CONFIG_NAMES:
            found.append((str(path.relative_to(REPO)), path.name, path.read_text(encoding="utf-8")))
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        found += _from_markdown(path)
    return found


def _table(kind: str, text: str) -> tuple[Any, tuple[str, ...]] | None:
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None  # not TOML at all: the loader says so before any schema
    if kind == "pyproject.toml":
        tool = raw.get("tool", {})
        if not isinstance(tool, dict) or "postlint" not in tool:
            return None  # not a postlint configuration
        return tool["postlint"], ("tool", "postlint")
    return raw, ()


def _loader_accepts(table: Any, prefix: tuple[str, ...], tmp: Path) -> bool:
    """The configuration loader's own check (as `postlint check` runs it, with
    the built-in rules' tables). Selectors are checked against the registry
    later, and schema paths against the disk: neither is the schema's business."""
    try:
        _validate(table, tmp / ".postlint.toml", prefix, builtin_tables(load()))
    except ConfigError:
        return False
    return True


def test_the_collection_finds_the_repository_configurations() -> None:
    found = configurations()
    where = {w.split(":")[0] for w, _, _ in found}
    # Each of these writes configurations; the collector must see them.
    for name in ("test_config.py", "test_selection.py", "test_urls.py", "test_dates.py", ".postlint.toml", "README.md"):
        assert any(w.endswith(name) for w in where), name
    assert len(found) >= 60


def test_schema_and_loader_agree_on_every_configuration(validator: Any, tmp_path: Path) -> None:
    accepted = rejected = 0
    disagree = []
    for where, kind, text in configurations():
        parsed = _table(kind, text)
        if parsed is None:
            continue
        table, prefix = parsed
        loader = _loader_accepts(table, prefix, tmp_path)
        schema = validator.is_valid(table)
        if loader != schema:
            disagree.append((where, loader, schema, text))
        accepted += loader
        rejected += not loader
    assert not disagree, disagree
    # Both kinds are there: configurations the CLI takes and ones it refuses.
    assert accepted >= 50 and rejected >= 5, (accepted, rejected)


REJECTED = [
    ("unknown-key = true\n", "unknown key"),
    ('select = "FM"\n', "select"),
    ("max-findings-per-rule = -1\n", "max-findings-per-rule"),
    ('fail-on = "fatal"\n', "fail-on"),
    ('output-format = "xml"\n', "output-format"),
    ('[severity]\nFM003 = "loud"\n', "severity"),
    ("[dates]\nkeys = 3\n", "dates.keys"),
    ('[dates]\nformat = "unix"\n', "dates.format"),
    ("[html]\nstrict = 1\n", "html.strict"),
    ("[urls]\nconcurrency = 0\n", "urls.concurrency"),
    ('[urls]\nfields = { link = "pdf" }\n', "urls.fields"),
    ('[urls]\nnot-an-option = 1\n', "unknown key"),
    ('[per-file-ignores]\n"a/**" = "FM003"\n', "per-file-ignores"),
]


@pytest.mark.parametrize(("text", "named"), REJECTED)
def test_the_cli_and_the_schema_reject_the_same_samples(text: str, named: str, validator: Any, tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: A\n---\n<p>x</p>\n"})
    (site / ".postlint.toml").write_text(text, encoding="utf-8")
    result = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code == 2 and "configuration error" in result.err and named.split(".")[-1] in result.err
    assert not validator.is_valid(tomllib.loads(text))
    # The same table in pyproject.toml, under [tool.postlint].
    (site / ".postlint.toml").unlink()
    lines = "\n".join(
        f"[tool.postlint.{line[1:]}" if line.startswith("[") else line for line in text.splitlines()
    )
    (site / "pyproject.toml").write_text("[tool.postlint]\n" + lines + "\n", encoding="utf-8")
    assert run_cli(["check", "--no-network", "--no-cache", "."], cwd=site).code == 2


def test_check_jsonschema_validates_toml_files_with_it(tmp_path: Path) -> None:
    """check-jsonschema (a test dependency) reads TOML instances, as an
    editor does: the example configuration passes, a wrong one fails."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    good = subprocess.run(
        [str(tool), "--schemafile", str(SCHEMA_PATH), str(REPO / "examples" / ".postlint.toml")],
        capture_output=True, text=True, timeout=120,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[urls]\nretries = "often"\n', encoding="utf-8")
    wrong = subprocess.run(
        [str(tool), "--schemafile", str(SCHEMA_PATH), str(bad)], capture_output=True, text=True, timeout=120
    )
    assert wrong.returncode == 1 and "retries" in wrong.stdout + wrong.stderr
