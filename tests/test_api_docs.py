"""docs/api.md and docs/plugins.md stay true to the code they describe."""

from __future__ import annotations

import re

import postlint
from tests.conftest import REPO

DOCS = [REPO / "docs" / "api.md", REPO / "docs" / "plugins.md", REPO / "examples" / "plugin" / "README.md",
        REPO / "examples" / "importer" / "README.md", REPO / "README.md"]


def test_relative_links_lead_to_files_in_the_repository() -> None:
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.relative_to(REPO)} links to {target}, which is missing"


def test_no_document_names_a_design_file_that_is_not_there() -> None:
    for doc in DOCS:
        for name in re.findall(r"\b[A-Z]+\.md\b", doc.read_text(encoding="utf-8")):
            assert name == "README.md" or list(REPO.rglob(name)), f"{doc.name} names {name}"


def test_api_md_documents_every_public_name_and_nothing_else() -> None:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    stable = text.split("**Stable**", 1)[1].split("**Not stable**", 1)[0]
    listed = re.findall(r"`(\w+)`", stable.split("\n\n", 1)[1].split("\n- their", 1)[0])
    assert sorted(listed) == sorted(postlint.__all__)
    for name in postlint.__all__:
        if callable(getattr(postlint, name)) and name[0].islower():
            assert f"### `{name}(" in text, name


def test_plugins_md_names_every_module_attribute_the_registry_reads() -> None:
    import inspect

    from postlint.engine import registry

    source = inspect.getsource(registry.rule_from_module) + inspect.getsource(registry.family_from_module)
    read = set(re.findall(r'getattr\(module, "([A-Z_]+)"', source))
    guide = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert read and all(f"| `{attr}` |" in guide for attr in read), read
    for function in ("check", "collect", "check_site", "prepare", "cache_inputs"):
        assert f"`{function}(" in guide
    assert "## Families" in guide and "TODO(lead)" not in guide
    families = guide.split("## Families", 1)[1].split("\n## ", 1)[0]
    # Every per-code key the registry accepts in RULES is described there.
    keys = re.search(r"set\(spec\) - \{([^}]*)\}", source)
    assert keys is not None
    for key in re.findall(r'"(\w+)"', keys.group(1)):
        assert f"`{key}`" in families, key
