"""The typed model (issue 13, item 3): a post's site and relpath are fields set
by parse, shared analyses are computed once per post (and per frozen option
key), and a finding without a severity says None until the engine decides."""

from __future__ import annotations

from pathlib import Path

from postlint.analysis.body.shared import code_ranges, headings, html_findings
from postlint.analysis.dates.facts import dates
from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.analyses import Analyses, Slot
from postlint.model.post import Post, parse
from postlint.model.site import Site

POST = b"---\ntitle: x\ndate: 2024-01-02\n---\n# Kop\n\n```\n<b>code</b>\n```\n\n<div><p>open\n"


def test_parse_sets_site_and_relpath_as_fields() -> None:
    site = Site(root=Path("/srv/site"), timezone="Europe/Amsterdam")
    post = parse("site/_posts/2024-01-02-x.md", POST, site=site, relpath="_posts/2024-01-02-x.md")
    assert post.site is site
    assert post.relpath == "_posts/2024-01-02-x.md"
    alone = parse("_posts/2024-01-02-x.md", POST)
    assert alone.site.root is None and alone.site.timezone is None
    assert alone.relpath == "_posts/2024-01-02-x.md"
    assert "site" in Post._fields and "relpath" in Post._fields


def test_the_linter_gives_each_post_its_own_site(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    path = tmp_path / "_posts" / "2024-01-02-x.md"
    path.write_bytes(POST)
    linter = Linter(Settings(root=tmp_path, select=["FM"]), load(), network=False)
    post, result = linter.lint_source(str(path), POST, relpath="_posts/2024-01-02-x.md")
    assert post.site.root is not None and post.site.root.resolve() == tmp_path.resolve()
    assert post.site.timezone == "Asia/Tokyo"
    assert post.relpath == result.relpath == "_posts/2024-01-02-x.md"
    fixed = Linter(Settings(root=tmp_path, select=["FM"]), load(), Site(timezone="UTC"), network=False)
    assert fixed.lint_source(str(path), POST)[0].site.timezone == "UTC"


def test_analyses_compute_once_per_slot_and_key() -> None:
    calls: list[str] = []
    numbers: Slot[list[int]] = Slot("numbers")
    nothing: Slot[None] = Slot("nothing")
    store = Analyses()

    def compute(tag: str) -> list[int]:
        calls.append(tag)
        return [len(calls)]

    first = store.get(numbers, lambda: compute("a"), ("k", 1))
    assert store.get(numbers, lambda: compute("b"), ("k", 1)) is first
    other = store.get(numbers, lambda: compute("c"), ("k", 2))
    assert other == [2] and first == [1]
    # Two slots of the same name are two analyses (slots compare by identity).
    assert store.get(Slot[list[int]]("numbers"), lambda: compute("d"), ("k", 1)) == [3]
    # A computed None is remembered too.
    assert store.get(nothing, lambda: calls.append("e"), None) is None
    assert store.get(nothing, lambda: calls.append("f"), None) is None
    assert calls == ["a", "c", "d", "e"]


def test_shared_body_analyses_are_computed_once_per_post() -> None:
    post = parse("_posts/2024-01-02-x.md", POST)
    ranges = code_ranges(post)
    assert code_ranges(post) is ranges
    start = POST.index(b"```")
    assert any(s <= start < e for s, e in ranges)
    found = html_findings(post)
    assert html_findings(post) is found
    assert [t.tag for t in found.unclosed] == ["div"]
    assert headings(post) is headings(post)
    assert [(h.level, h.text) for h in headings(post)] == [(1, "Kop")]


def test_dates_are_kept_per_option_key() -> None:
    post = parse("_posts/2024-01-02-x.md", POST)
    jekyll = {"keys": ["date"], "format": "jekyll", "accept": []}
    rfc = {"keys": ["date"], "format": "rfc2822", "accept": []}
    once = dates(post, jekyll)
    assert dates(post, dict(jekyll)) is once
    assert once[0].fmt == "jekyll" and once[0].parsed is not None
    other = dates(post, rfc)
    assert other is not once
    assert other[0].fmt == "rfc2822"


def test_no_severity_yet_is_none_until_the_engine_decides() -> None:
    post = parse("_posts/2024-01-02-x.md", b"---\nx: 1\nx: 2\n---\n")
    assert post.diagnostic("FM003", 0, 1, "m").severity is None
    assert post.diagnostic("FM003", 0, 1, "m", severity="info").severity == "info"
    linter = Linter(Settings(root=Path("."), select=["FM003"]), load(), Site(), network=False)
    [found] = linter.lint_source("_posts/2024-01-02-x.md", b"---\nx: 1\nx: 2\n---\n")[1].diagnostics
    assert found.severity == load().rules["FM003"].severity
