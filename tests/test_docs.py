"""The README's rule table and docs/rules.md are generated from the rules."""

from __future__ import annotations

from postlint.engine.registry import load
from postlint.integrations.docs import rules_markdown, update_readme
from tests.conftest import REPO


def test_readme_rule_table_is_up_to_date() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert update_readme(readme, load()) == readme, "run `python -m postlint.integrations.docs` and commit the README"


def test_rules_markdown_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert rules_markdown(load()) == current, "run `python -m postlint.integrations.docs` and commit docs/rules.md"


def test_every_rule_is_in_the_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in load():
        assert f"| {rule.code} | `{rule.name}` |" in readme


def test_rules_listing_names_code_name_severity_and_fix_of_every_rule() -> None:
    from tests.conftest import run_cli

    listing = run_cli(["rules"])
    assert listing.code == 0
    rows = {line.split()[0]: line.split() for line in listing.out.splitlines()[1:]}
    for rule in load():
        row = rows[rule.code]
        assert row[1] == rule.name and row[2] == rule.severity
        fix = {"safe": ["safe", "fix"], "unsafe": ["unsafe", "fix"]}.get(rule.fix or "")
        if fix:
            assert row[3:5] == fix, rule.code
        else:
            assert row[3:5] != ["safe", "fix"] and row[3:5] != ["unsafe", "fix"], rule.code
