"""Third-party internals are used in postlint/adapters/ only (issue 13).

The package is read as source (every module, function-level imports
included) and searched for what marks a use of a library's undocumented API:
an import of an underscore module or name, an import of the internal modules
listed below, an internal attribute read or written (or named in a string, as
for getattr), an internal keyword argument, a class derived from a library's
class. Each finding names the file, line and what was found.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent.parent / "postlint"
ADAPTERS = PACKAGE / "adapters"

# The libraries the adapters cover.
LIBRARIES = frozenset(
    {"html5lib", "jsonschema", "referencing", "yaml", "ftfy", "requests", "urllib3", "re2", "markdown_it"}
)

# Modules with no underscore that are undocumented internals all the same.
INTERNAL_MODULES = (
    "html5lib.html5parser", "html5lib.treebuilders", "html5lib.constants", "html5lib.tokenizer",
    "html5lib.inputstream",
    "yaml.constructor", "yaml.reader", "yaml.resolver", "yaml.composer", "yaml.scanner", "yaml.parser",
    "ftfy.chardata", "ftfy.fixes",
    "markdown_it.rules_block", "markdown_it.rules_inline", "markdown_it.rules_core", "markdown_it.helpers",
    "markdown_it.parser_block", "markdown_it.parser_inline",
    "jsonschema.validators._", "referencing.jsonschema._",
    "urllib3.connection", "urllib3.connectionpool", "requests.adapters",
)

# Attribute and keyword names that are a library's internals (see each
# adapter's docstring for what they are).
INTERNAL_NAMES = frozenset({
    # jsonschema, referencing
    "_resolver", "_base_uri", "descend",
    # html5lib
    "getPhases", "startTagHandler", "endTagHandler", "openElements", "activeFormattingElements",
    "tokenQueue", "chunkOffset", "chunkSize", "readChunk", "mainLoop", "insertFromTable", "_element",
    "elementClass", "tagOpenState", "innerHTMLMode", "parseError",
    # PyYAML
    "construct_yaml_bool", "construct_yaml_int", "construct_yaml_float",
    # ftfy
    "CHARMAP_ENCODINGS", "BADNESS_RE",
    # urllib3, requests
    "_new_conn", "ConnectionCls", "build_connection_pool_key_attributes", "get_connection_with_tls_context",
    "poolmanager",
})


def _library(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LIBRARIES else None


def findings(source: str, where: str = "<source>") -> list[str]:
    """What in `source` uses a covered library's internals."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}  # local name -> the library it came from
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"{where}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                library = _library(alias.name)
                if library is None:
                    continue
                imported[(alias.asname or alias.name).split(".")[0]] = library
                if any(part.startswith("_") for part in alias.name.split(".")) or alias.name.startswith(
                    INTERNAL_MODULES
                ):
                    report(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            library = _library(node.module)
            if library is None:
                continue
            internal = any(part.startswith("_") for part in node.module.split(".")) or node.module.startswith(
                INTERNAL_MODULES
            )
            for alias in node.names:
                imported[alias.asname or alias.name] = library
                if internal or alias.name.startswith("_"):
                    report(node, f"from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in INTERNAL_NAMES:
            report(node, f".{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg in INTERNAL_NAMES:
            report(node, f"keyword {node.arg}=")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in INTERNAL_NAMES:
            report(node, f"the name {node.value!r}")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                root = base
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in imported:
                    report(node, f"class {node.name} derives from {ast.unparse(base)} ({imported[root.id]})")
    return found


def test_the_search_finds_each_kind_of_use() -> None:
    source = """
import html5lib._tokenizer
from jsonschema._utils import find_evaluated_property_keys_by_schema
from yaml.constructor import SafeConstructor
from urllib3 import connection
from requests.adapters import HTTPAdapter
import requests

def f(validator, resolver, node):
    validator.descend(1, {}, path=0)
    validator.evolve(schema={}, _resolver=resolver._base_uri)
    getattr(resolver, "_base_uri")
    SafeConstructor().construct_yaml_int(node)

class Adapter(requests.adapters.HTTPAdapter):
    pass

class Other(HTTPAdapter):
    pass
"""
    got = findings(source)
    lines = sorted({int(f.split(":")[1]) for f in got})
    assert lines == [2, 3, 4, 6, 10, 11, 12, 13, 15, 18], got
    # Public API, and other libraries' names, are not findings.
    assert findings("import yaml\nimport html5lib\nyaml.safe_load('a: 1')\nhtml5lib.parse('<p>')\n"
                    "from jsonschema import Draft202012Validator\nimport os\nos._exit\n") == []


def test_no_third_party_internals_outside_the_adapters() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if ADAPTERS not in p.parents]
    assert len(modules) > 50
    found: list[str] = []
    for path in modules:
        found += findings(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert found == [], "third-party internals outside postlint/adapters/:\n" + "\n".join(found)


def test_each_adapter_is_for_a_covered_library_and_imports_no_postlint() -> None:
    names = {p.stem for p in ADAPTERS.glob("*.py")} - {"__init__"}
    assert names == {"html5lib", "jsonschema", "yaml", "ftfy", "requests", "markdown_it"}
    for path in ADAPTERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0 and not node.module.startswith("postlint"), (path, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("postlint") for a in node.names), path
    assert sys.version_info >= (3, 10)
