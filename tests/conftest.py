"""Shared test helpers: lint a text in-process, run the CLI, validate reports."""

from __future__ import annotations

import io
import ipaddress
import json
import socket
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postlint.cli import main
from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic
from postlint.model.site import Site

REPO = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = REPO.parent / "shared" / "schemas-external" / "sarif-schema-2.1.0.json"
DEFAULT_PATH = "_posts/2019-05-13-nieuws.md"
# The console script installed beside this interpreter (the venv's bin/).
POSTLINT = str(Path(sys.executable).parent / "postlint")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may connect anywhere but loopback: fail loudly instead."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0]).split("%")[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise AssertionError(f"test tried to connect to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def post_text(front: str, body: str = "<p>Tekst.</p>\n") -> str:
    return "---\n" + dedent(front) + "---\n" + body


def lint(
    source: str | bytes,
    *,
    path: str = DEFAULT_PATH,
    select: list[str] | None = None,
    settings: Settings | None = None,
    site: Site | None = None,
) -> list[Diagnostic]:
    """Findings of the post rules on one source (site rules excluded)."""
    if settings is None:
        settings = Settings(root=Path("."))
    if select is not None:
        settings.select = select
    data = source.encode("utf-8") if isinstance(source, str) else source
    linter = Linter(settings, load(), site or Site(), network=False)
    return linter.lint_source(path, data)[1].diagnostics


def positions(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str]]:
    return sorted((d.line, d.column, d.code) for d in diagnostics)


def spans(diagnostics: list[Diagnostic]) -> list[tuple[int, int, int, int, str]]:
    return sorted((d.line, d.column, d.end_line, d.end_column, d.code) for d in diagnostics)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(args: list[str], cwd: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> CliResult:
    """postlint's main() in this process, with its working folder at `cwd`."""
    import os

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(args, stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return CliResult(code, out.getvalue(), err.getvalue())


def write_site(root: Path, posts: dict[str, str | bytes], config: str = "title: Test\n") -> Path:
    """A Jekyll site: _config.yml and the given files (paths relative to root)."""
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for rel, content in posts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def missing_tool(what: str) -> None:
    """A tool or file a test needs is absent: skip it on a developer's
    machine, fail in CI (CI=true), where .ci/run installs everything."""
    import os

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what}: CI must provide it (.ci/run installs it)")
    pytest.skip(what)


# Microsoft's SARIF validator: `sarif-multitool` from npm (.ci/run installs it
# into .ci/node/); $SARIF_MULTITOOL names another binary.
MULTITOOL_DIR = REPO / ".ci" / "node" / "node_modules" / "@microsoft"


def find_multitool() -> Path | None:
    import os

    named = os.environ.get("SARIF_MULTITOOL")
    if named:
        return Path(named) if Path(named).is_file() else None
    for platform in ("linux", "darwin", "win32"):
        for name in ("Sarif.Multitool", "Sarif.Multitool.exe"):
            candidate = MULTITOOL_DIR / f"sarif-multitool-{platform}" / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    return None


@pytest.fixture
def sarif_multitool() -> Path:
    found = find_multitool()
    if found is None:
        missing_tool(f"SARIF multitool not found under {MULTITOOL_DIR} (npm install @microsoft/sarif-multitool)")
    assert found is not None
    return found


@pytest.fixture
def sarif_validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        missing_tool(f"official SARIF schema not found at {SARIF_SCHEMA} (../shared is absent)")
    from jsonschema import Draft4Validator

    return Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


@pytest.fixture
def report_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
