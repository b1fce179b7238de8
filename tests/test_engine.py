"""Selection, severities, per-file ignores, suppressions, internal errors."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import Registry, RuleError, load, rule_from_module
from postlint.model.site import Site
from tests.conftest import lint, positions

DUP = b"---\nx: 1\nx: 2\n---\n"
BAD_NAME = "_posts/nieuws.md"


def codes(select=None, ignore=(), extend=()):  # type: ignore[no-untyped-def]
    registry = load()
    return {r.code for r in registry.select(select or ["ALL"], list(extend), list(ignore))}


def test_selection_by_code_prefix_name_and_all() -> None:
    everything = {r.code for r in load()}
    assert codes(["ALL"]) == everything
    assert codes(["FM"]) == {c for c in everything if c.startswith("FM")}
    assert codes(["FM00"]) == {c for c in everything if c.startswith("FM00")}
    assert codes(["duplicate-key"]) == {"FM003"}
    assert codes(["ALL"], ignore=["FM"]) == {c for c in everything if not c.startswith("FM")}
    # The most specific selector wins; at equal specificity ignore wins.
    assert "FM003" in codes(["ALL"], ignore=["FM"], extend=["FM003"])
    assert "FM003" not in codes(["FM003"], ignore=["duplicate-key"])


def test_unknown_selectors_are_reported() -> None:
    assert load().unknown(["FM", "fm", "nope", "ALL", "XX999", "duplicate-key", "F-M"]) == ["nope", "XX999", "F-M"]


def test_selectors_are_case_insensitive() -> None:
    registry = load()
    assert codes(["fm003"]) == codes(["Fm003"]) == {"FM003"}
    assert codes(["fm"]) == codes(["FM"])
    assert codes(["Duplicate-Key"]) == {"FM003"}
    assert codes(["all"]) == codes(["ALL"])
    assert registry.resolve(["en002", "stray-character", "XX999"]) == {"EN002", "EN003"}


@pytest.mark.parametrize(
    "severity, expected",
    [
        ({"EN": "warning"}, {"EN001": "warning", "EN002": "warning", "EN003": "warning"}),
        ({"mojibake": "info"}, {"EN002": "info"}),
        ({"en002": "info"}, {"EN002": "info"}),
        # The most specific selector wins, whatever the order.
        ({"EN002": "info", "EN": "warning"}, {"EN001": "warning", "EN002": "info", "EN003": "warning"}),
        ({"EN": "warning", "mojibake": "info"}, {"EN001": "warning", "EN002": "info", "EN003": "warning"}),
        ({"ALL": "info", "EN00": "warning"}, {"EN001": "warning", "EN002": "warning", "EN003": "warning"}),
    ],
)
def test_severity_selectors_resolve_to_codes(severity: dict, expected: dict) -> None:  # type: ignore[type-arg]
    resolved = load().severities(severity)
    assert {code: level for code, level in resolved.items() if code.startswith("EN")} == expected


@pytest.mark.parametrize("selector", ["FM", "fm00", "duplicate-key", "FM003"])
def test_severity_by_prefix_or_name_applies_to_findings(selector: str) -> None:
    settings = Settings(root=Path("."), severity={selector: "info"})
    [d] = lint(DUP, settings=settings, select=["FM003"])
    assert d.severity == "info"


def test_severity_names_in_a_configuration_file_are_accepted(tmp_path: Path) -> None:
    from tests.conftest import run_cli, write_site

    write_site(tmp_path, {"_posts/2019-05-14-dubbel.md": "---\nlayout: post\nx: 1\nx: 2\n---\n"})
    (tmp_path / ".postlint.toml").write_text(
        'select = ["FM003"]\n[severity]\nduplicate-key = "info"\n', encoding="utf-8"
    )
    result = run_cli(["check", ".", "--no-network", "--no-cache", "--output-format", "json"], cwd=tmp_path)
    assert result.code == 0, result.err  # info findings alone never fail a run
    assert [(d["code"], d["line"], d["severity"]) for d in result.json()["diagnostics"]] == [("FM003", 4, "info")]


def test_per_file_ignores_apply_to_site_findings_by_relative_path() -> None:
    # The displayed path (relative to the working folder) is not the path the
    # configuration's globs see (relative to the configuration's folder).
    future = b"---\nlayout: post\ndate: 2091-05-13 10:00:00 +0200\n---\n"
    display, relpath = "site/_posts/2091-05-13-later.md", "_posts/2091-05-13-later.md"

    def site_codes(per_file_ignores: dict) -> list[str]:  # type: ignore[type-arg]
        settings = Settings(root=Path("."), select=["DT005"], per_file_ignores=per_file_ignores)
        linter = Linter(settings, load(), Site(), network=False)
        result = linter.lint_source(display, future, relpath=relpath)[1]
        assert result.relpath == relpath
        return [d.code for d in linter.lint_site([result])[0]]

    assert site_codes({}) == ["DT005"]
    assert site_codes({"_posts/2091-*": ["DT005"]}) == []
    assert site_codes({"_posts/2091-*": ["future-date"]}) == []
    assert site_codes({"site/_posts/*": ["DT005"]}) == ["DT005"]


def test_severity_override_from_settings() -> None:
    settings = Settings(root=Path("."), severity={"FM003": "warning"})
    [d] = lint(DUP, settings=settings, select=["FM003"])
    assert d.severity == "warning"
    [d] = lint(DUP, select=["FM003"])
    assert d.severity == "error"


def test_per_file_ignores_match_relative_paths() -> None:
    settings = Settings(root=Path("."), select=["JK001"], per_file_ignores={"_posts/*.md": ["JK"]})
    linter = Linter(settings, load(), Site(), network=False)
    result = linter.lint_source(BAD_NAME, b"---\n---\n", relpath=BAD_NAME)[1]
    assert result.diagnostics == []
    result = linter.lint_source("x/_posts/nieuws.md", b"---\n---\n", relpath="x/_posts/nieuws.md")[1]
    assert [d.code for d in result.diagnostics] == ["JK001"]


@pytest.mark.parametrize(
    "front, expected",
    [
        ("x: 1\nx: 2  # postlint: disable=FM003\n", []),
        ("x: 1\nx: 2  # postlint: disable=duplicate-key\n", []),
        ("x: 1\nx: 2  # postlint: disable=FM\n", []),
        ("x: 1\nx: 2  # postlint: disable=EN002\n", [(3, 1, "FM003")]),
        ("x: 1  # postlint: disable=FM003\nx: 2\n", [(3, 1, "FM003")]),
    ],
)
def test_front_matter_suppression_on_the_key_line(front: str, expected: list) -> None:  # type: ignore[type-arg]
    assert positions(lint(f"---\n{front}---\n", select=["FM003"])) == expected


def _crashing_and_body_rule() -> Registry:
    def check(post, options):  # type: ignore[no-untyped-def]
        for number, line in enumerate(post.text.split("\n"), 1):
            if "BAD" in line:
                start = post.lines.offset(number, line.index("BAD") + 1)
                yield post.diagnostic("XB001", start, start + 3, "BAD here")
            if "CRASH" in line:
                raise KeyError("boom")

    module = types.ModuleType("fake_rule", "Finds BAD.\n\n## What it does\nTest.")
    module.CODE, module.NAME, module.check = "XB001", "bad-word", check  # type: ignore[attr-defined]
    return Registry([*load(), rule_from_module(module, "test 0")])


def _lint_with(registry: Registry, text: str):  # type: ignore[no-untyped-def]
    settings = Settings(root=Path("."), select=["XB001", "FM003"])
    return Linter(settings, registry, Site(), network=False).lint_source("p.md", text.encode())[1].diagnostics


def test_body_suppressions_block_and_next_line() -> None:
    registry = _crashing_and_body_rule()
    text = (
        "---\n---\n"
        "BAD 3\n"
        "<!-- postlint-disable XB001 -->\n"
        "BAD 5\n"
        "<!-- postlint-enable XB001 -->\n"
        "BAD 7\n"
        "<!-- postlint-disable-next-line bad-word -->\n"
        "BAD 9\n"
        "BAD 10\n"
        "<!-- postlint-disable-next-line FM003 -->\n"
        "BAD 12\n"
        "<!-- postlint-disable -->\n"
        "BAD 14\n"
    )
    assert [d.line for d in _lint_with(registry, text)] == [3, 7, 10, 12]


def test_a_crashing_rule_is_one_internal_error_and_others_still_run() -> None:
    registry = _crashing_and_body_rule()
    found = _lint_with(registry, "---\nx: 1\nx: 2\n---\nBAD\nCRASH\n")
    assert sorted(d.code for d in found) == ["FM003", "PL000"]
    [internal] = [d for d in found if d.code == "PL000"]
    assert "XB001" in internal.message and "KeyError" in internal.message


def test_rule_shape_is_checked() -> None:
    module = types.ModuleType("broken")
    module.CODE, module.NAME = "bad code", "x"  # type: ignore[attr-defined]
    with pytest.raises(RuleError):
        rule_from_module(module)
    module.CODE, module.NAME, module.SCOPE = "XX001", "x", "site"  # type: ignore[attr-defined]
    with pytest.raises(RuleError):
        rule_from_module(module)  # a site rule without collect/check_site


def test_every_builtin_rule_is_an_entry_point_with_docs() -> None:
    registry = load()
    for rule in registry:
        if not rule.origin.startswith("postlint"):
            continue
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Options"):
            assert section in rule.doc, (rule.code, section)


def test_url_and_date_rules_are_families_registered_by_prefix() -> None:
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="postlint.rules")}
    assert names["URL"] == "postlint.rules.urls.family" and names["DT"] == "postlint.rules.dates.family"
    assert not any(name.startswith(("URL0", "DT001", "DT002", "DT003")) for name in names)
    registry = load()
    urls = [r for r in registry if r.code.startswith("URL")]
    assert [r.code for r in urls] == ["URL001", "URL002", "URL003", "URL004", "URL005"]
    assert {r.key for r in urls} == {"URL"} and len({r.doc for r in urls}) == 5
    assert {r.key for r in registry if r.code in ("DT001", "DT002", "DT003")} == {"DT"}
    assert registry.get("DT004").key == "DT004"  # type: ignore[union-attr]  # a single-code module


def test_a_family_collects_once_per_post_and_stores_its_facts_once() -> None:
    from postlint.rules.urls import family

    calls: list[str] = []
    real = family.collect

    def counting(post, options):  # type: ignore[no-untyped-def]
        calls.append(post.path)
        return real(post, options)

    registry = load()
    family.collect = counting  # the module object the registry holds
    try:
        linter = Linter(Settings(root=Path("."), select=["URL"]), registry, Site(), network=True)
        text = "---\nexterne_link: https://nieuws.example/a\n---\nbody\n"
        result = linter.lint_source("_posts/2019-05-13-a.md", text.encode())[1]
    finally:
        family.collect = real
    assert calls == ["_posts/2019-05-13-a.md"]
    assert list(result.facts) == ["URL"]
    assert [fact[1] for fact in result.facts["URL"]] == ["https://nieuws.example/a"]
    assert [p.key for p in linter.site_passes] == ["URL"]


def test_dt_family_reports_each_code_as_the_single_rules_did() -> None:
    text = "---\ndate: Tue, 13 May 2019 12:45:33 GMT\n---\nx\n"  # a Monday, and the obsolete GMT
    both = positions(lint(text, path="_posts/2019-05-13-a.md", select=["DT002", "DT003"]))
    alone = [*positions(lint(text, path="_posts/2019-05-13-a.md", select=["DT002"])),
             *positions(lint(text, path="_posts/2019-05-13-a.md", select=["DT003"]))]
    assert sorted(both) == sorted(alone) and {code for *_, code in both} == {"DT002", "DT003"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_post_has_its_own_site_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    """A run looks a folder's site up once (Linter._site_of); a post that is a
    symbolic link still belongs to its target's site, wherever it stands (b
    publishes future posts, a does not)."""
    from tests.conftest import post_text, run_cli, write_site

    future = post_text("layout: post\ntitle: Later\ndate: Sun, 13 May 2091 10:00:00 +0200\n")
    for folder in (".git", "a", "b"):
        (tmp_path / folder).mkdir()
    posts_a = {f"_posts/2091-05-{d:02d}-later.md": future for d in range(1, 29)}
    posts_b = {f"_posts/2091-06-{d:02d}-later.md": future for d in range(1, 29)}
    write_site(tmp_path / "a", {**posts_a, **{k.replace("later", "x"): future for k in posts_b}}, "title: A\n")
    write_site(tmp_path / "b", posts_b, "title: B\nfuture: true\n")
    for name in list(posts_b)[:3]:  # in a's folder, b's posts
        (tmp_path / "a" / name.replace("later", "x")).unlink()
        (tmp_path / "a" / name.replace("later", "link")).symlink_to(tmp_path / "b" / name)
    monkeypatch.setenv("POSTLINT_JOBS", jobs)
    monkeypatch.setattr("postlint.engine.run.POOL_MIN_POSTS", 8)
    result = run_cli(["check", "--no-network", "--no-cache", "--select", "DT005", "--output-format", "json",
                      "a"], cwd=tmp_path)
    flagged = {d["path"] for d in result.json()["diagnostics"]}
    expected = {f"a/{name}" for name in posts_a} | {
        f"a/{name.replace('later', 'x')}" for name in list(posts_b)[3:]}
    assert flagged == expected


# -- facts as JSON data: built directly, what the JSON round trip gives -------------


def _json_values() -> Any:
    from enum import IntEnum

    from hypothesis import strategies as st

    class Level(IntEnum):
        ONE = 1

    class Pair(NamedTuple):
        a: Any
        b: Any

    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                        st.just(Level.ONE), st.just(float("nan")), st.just(-0.0))
    def containers(inner: Any) -> Any:
        keys = st.one_of(st.text(max_size=3), st.integers(), st.booleans(), st.none())
        return st.one_of(st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
                         st.dictionaries(keys, inner, max_size=3), st.tuples(inner, inner).map(lambda t: Pair(*t)))

    # (A fact that is one scalar is kept as it is, before either path.)
    return containers(st.recursive(scalars, containers, max_leaves=12))


@settings(max_examples=600, deadline=None)
@given(_json_values())
def test_a_fact_as_json_is_the_json_round_trip(value: Any) -> None:
    import json

    from postlint.engine.linter import as_json

    try:
        expected: Any = json.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)):
            as_json(value)
        return
    got = as_json(value)
    # (equal, and of the same types all the way down: True is not 1)
    assert json.dumps(got, sort_keys=False) == json.dumps(expected, sort_keys=False)
    assert repr(got) == repr(expected)


def test_a_fact_too_deep_for_the_direct_path_is_still_the_round_trip() -> None:
    from postlint.engine.linter import as_json

    deep: Any = "x"
    for _ in range(200):
        deep = (deep,)
    expected: Any = "x"
    for _ in range(200):
        expected = [expected]
    assert as_json(deep) == expected
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        as_json(loop)
