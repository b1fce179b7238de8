"""FM100 against the default and configured schemas; JK001 and JK002."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint.model.site import Site
from tests.conftest import lint, run_cli, spans, write_site

GOOD = (
    "---\nlayout: post\ntitle: \"'Titel'\"\ndate: Mon, 13 May 2019 12:45:33 +0200\ncategory: nieuws\n"
    "externe_link: \"https://example.org/l/1\"\nfeature_image: \"https://example.org/i/1.jpg\"\n---\n<p>x</p>\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD, []),
        ("---\ntitle: x\n---\n", [(1, 1, 1, 4, "FM100")]),  # missing layout: at the opening ---
        ("---\nlayout: post\ntitle: \"\"\n---\n", [(3, 8, 3, 10, "FM100")]),
        ("---\nlayout: post\ntitle: x\npublished: \"no\"\n---\n", [(4, 12, 4, 16, "FM100")]),
        ("---\nlayout: post\ntitle: x\ntags:\n  - a\n  - [b]\n---\n", [(6, 5, 6, 8, "FM100")]),
        ("---\nlayout: post\ntitle: x\nexterne_link: example.org/x\n---\n", [(4, 15, 4, 28, "FM100")]),
        ("---\nlayout: post\ntitle: 2019\n---\n", [(3, 8, 3, 12, "FM100")]),
    ],
)
def test_default_schema_positions(text: str, expected: list, newline: str) -> None:  # type: ignore[type-arg]
    assert spans(lint(text.replace("\n", newline), select=["FM100"])) == expected


def test_shared_example_post_is_valid() -> None:
    from tests.conftest import REPO

    example = REPO.parent / "shared" / "examples" / "feed-post-2019-05-13.md"
    if not example.is_file():
        pytest.skip("../shared/examples is absent")
    assert (
        lint(
            example.read_bytes(),
            select=["FM", "DT"],
            path="_posts/2019-05-13-x.md",
            site=Site(timezone="Europe/Amsterdam"),
        )
        == []
    )


def test_site_defaults_count_as_front_matter() -> None:
    site = Site(root=Path.cwd().resolve(), defaults=(("_posts", "posts", {"layout": "post"}),))
    assert lint("---\ntitle: x\n---\n", select=["FM100"], site=site) == []


def test_user_schema_with_ref_and_additional_properties(tmp_path: Path) -> None:
    (tmp_path / "defs.json").write_text(json.dumps({"$defs": {"cat": {"enum": ["nieuws", "sport"]}}}))
    (tmp_path / "post.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["title"],
        "properties": {"title": {"type": "string"}, "category": {"$ref": "defs.json#/$defs/cat"}},
        "additionalProperties": False,
    }))
    write_site(tmp_path, {
        "_posts/2019-05-13-a.md": "---\ntitle: x\ncategory: weer\nextra: 1\n---\n",
        "sport/_posts/2019-05-13-b.md": "---\ntitle: x\ncategory: weer\n---\n",
    })
    (tmp_path / ".postlint.toml").write_text(
        'schema = "post.json"\n[schemas]\n"sport/**" = "sport.json"\n'
    )
    (tmp_path / "sport.json").write_text(json.dumps({"type": "object", "properties": {"category": {"const": "sport"}}}))
    doc = run_cli(["check", "--select", "FM100", "--output-format", "json", "."], cwd=tmp_path).json()
    found = [(d["path"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert found == [
        ("_posts/2019-05-13-a.md", 3, 11),  # enum through $ref: at the value
        ("_posts/2019-05-13-a.md", 4, 1),  # additional property: at the key
        ("sport/_posts/2019-05-13-b.md", 3, 11),  # the folder's own schema
    ]


def test_invalid_schema_is_a_configuration_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-a.md": GOOD})
    (tmp_path / "bad.json").write_text(json.dumps({"type": "objekt"}))
    (tmp_path / ".postlint.toml").write_text('schema = "bad.json"\n')
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2 and "bad.json" in result.err
    (tmp_path / ".postlint.toml").write_text('schema = "missing.json"\n')
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2 and ".postlint.toml:1" in result.err


@pytest.mark.parametrize(
    "path, expected",
    [
        ("_posts/2019-05-13-goed.md", []),
        ("_posts/2017-2-5-kort.md", []),  # Jekyll accepts one-digit month and day
        ("en/news/_posts/2019-05-13-goed.md", []),
        ("_posts/13-05-2019-fout.md", ["JK001"]),
        ("_posts/2019-05-13_fout.md", ["JK001"]),
        ("_posts/2019-02-30-geen-datum.md", ["JK001"]),
        ("_drafts/concept.md", []),
        ("_drafts/.md", ["JK001"]),
        ("elders/los-bestand.md", []),  # not in _posts: not judged by name
    ],
)
def test_jk001_file_names(path: str, expected: list) -> None:  # type: ignore[type-arg]
    assert [d.code for d in lint(GOOD, path=path, select=["JK001"])] == expected


def test_jk001_leaves_includes_beside_posts_alone() -> None:
    assert lint("<p>include</p>\n", path="_posts/includes/kader.html", select=["JK001", "FM001"]) == []
    assert [d.code for d in lint("<p>x</p>\n", path="_posts/2019-05-13-x.html", select=["JK001", "FM001"])] == ["FM001"]


def test_jk002_duplicate_urls_both_reported(tmp_path: Path) -> None:
    same = "---\nlayout: post\ntitle: t\ncategory: regio\n---\n"
    write_site(
        tmp_path,
        {
            "_posts/2019-05-13-markt.md": same,
            "_posts/2019-05-13-markt.html": same,
            "_posts/2019-05-14-markt.md": same,
            "_posts/2019-05-15-eigen.md": "---\nlayout: post\ntitle: t\npermalink: /regio/2019/05/14/markt.html\n---\n",
            "_posts/2019-05-16-weg.md": (
                "---\nlayout: post\ntitle: t\npublished: false\n"
                "category: regio\nslug: markt\n---\n"
            ),
        },
    )
    doc = run_cli(["check", "--select", "JK002", "--output-format", "json", "."], cwd=tmp_path).json()
    found = sorted((d["path"], d["line"], d["column"]) for d in doc["diagnostics"])
    assert found == [
        ("_posts/2019-05-13-markt.html", 1, 1),
        ("_posts/2019-05-13-markt.md", 1, 1),
        ("_posts/2019-05-14-markt.md", 1, 1),
        ("_posts/2019-05-15-eigen.md", 4, 12),  # at its permalink
    ]
    # Given single files (pre-commit's batches), the site rule skips itself.
    single = run_cli(
        ["check", "--select", "JK002", "-v", "_posts/2019-05-13-markt.md", "_posts/2019-05-13-markt.html"], cwd=tmp_path
    )
    assert single.code == 0 and "JK002" in single.err
