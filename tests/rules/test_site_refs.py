"""Issue 16 points 1 and 2: local references that break the build (JK003-JK006),
redirect_from collisions (JK002), on real sites written by the tests."""

from __future__ import annotations

from pathlib import Path

from postlint.analysis.body.links import liquid_references, local_references
from tests.conftest import run_cli, write_site

FRONT = "---\nlayout: post\ntitle: t\n"


def found(root: Path, select: str, *paths: str) -> list[tuple[str, int, int, str]]:
    result = run_cli(["check", "--no-network", "--no-cache", "--select", select, "--output-format", "json",
                      *(paths or ["."])], cwd=root)
    assert result.code in (0, 1), result.err
    return [(d["path"], d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"]]


def messages(root: Path, select: str) -> list[str]:
    result = run_cli(["check", "--no-network", "--no-cache", "--select", select, "--output-format", "json", "."],
                     cwd=root)
    return [d["message"] for d in result.json()["diagnostics"]]


def verbose(root: Path, select: str, *paths: str) -> str:
    return run_cli(["check", "--no-network", "--no-cache", "-v", "--select", select, *(paths or ["."])], cwd=root).err


def site(root: Path, files: dict[str, str | bytes], config: str = "title: T\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return write_site(root, files, config)


def whole_site(root: Path, files: dict[str, str | bytes], config: str = "title: T\n") -> Path:
    """A site with what a real one has besides its posts: a home page and layouts."""
    base: dict[str, str | bytes] = {
        "index.md": "---\nlayout: default\n---\nHome\n",
        "_layouts/default.html": "<html>{{ content }}</html>\n",
        "_layouts/post.html": "---\nlayout: default\n---\n{{ content }}\n",
        "_includes/kader.html": "<aside>{{ include.tekst }}</aside>\n",
    }
    return site(root, {**base, **files}, config)


# -- extraction -------------------------------------------------------------------


def test_local_references_are_found_where_written() -> None:
    body = (
        "![a](/assets/a.jpg \"titel\") [b]({{ site.baseurl }}/over/) <img src=\"{{ '/i/c.png' | relative_url }}\">\n"
        "[d](https://e.org/x) [e](#top) [f](mailto:x@y) [g](//cdn.e.org/x) [h]({{ page.url }}) `[i](/code)`\n"
        "[j]: ../k.html\n"
        "```\n[l](/fenced)\n```\n"
        "{% comment %}[m](/weg){% endcomment %}<!-- <a href=\"/commentaar\"> -->\n"
        "<a href=' rel/pad?x=1#y '>n</a> [o [nested]](/p \"t\")\n"
        "[q][4](words after a reference link) ![r [s]][5](more)\n"
    )
    refs = local_references(body, markdown=True)
    got = [(body[r.start:r.end], r.target, r.kind, r.based) for r in refs]
    assert got == [
        ("/assets/a.jpg", "/assets/a.jpg", "image", False),
        ("{{ site.baseurl }}/over/", "/over/", "page", True),
        ("{{ '/i/c.png' | relative_url }}", "/i/c.png", "image", True),
        ("../k.html", "../k.html", "page", False),
        ("rel/pad?x=1#y", "rel/pad?x=1#y", "page", False),
        ("/p", "/p", "page", False),
    ]
    # An HTML post: Markdown syntax is text there.
    assert [r.target for r in local_references("<img src=/a.png> [x](/b)", markdown=False)] == ["/a.png"]


def test_link_definitions_are_found_at_the_start_of_their_line() -> None:
    body = ("[a]: /first\n"                       # the text's first line
            "x\r\n   [b]: </angle>\r\n"          # after a CRLF, indented three spaces
            "    [c]: /code\n"                    # four: indented code, no definition
            "[^n]: /footnote\n"
            "[d]:\n  /next-line\n"
            "text [e]: /inline\n"
            "[f]: /g [h]: /i\n")
    got = [(body[r.start:r.end], r.start) for r in local_references(body, markdown=True)]
    assert got == [("/first", 5), ("/angle", 24), ("/next-line", 71), ("/g", 105)]


def test_link_definitions_to_elsewhere_are_not_local() -> None:
    body = ("[1]: https://www.ruby-lang.org/\n"
            "[2]: /after-a-url\n"
            "[3]:\n  //cdn.example/x.js\n"           # a destination on the next line
            "[4]: /after-a-next-line\n"
            "[5]: #top\n[6]: ?q=1\n[7]: mailto:a@b.example\n"
            "[8]: <https://example.org/>\n"
            "[9]: {{ site.baseurl }}/based\n"
            "[10]: {{ site.url }}/x\n")
    got = [(body[r.start:r.end], r.start, r.based) for r in local_references(body, markdown=True)]
    local = ["/after-a-url", "/after-a-next-line", "{{ site.baseurl }}/based", "{{ site.url }}/x"]
    assert got == [(w, body.index(w), "baseurl" in w) for w in local]


def test_liquid_references_are_found_where_written() -> None:
    body = ("{% post_url 2019-05-14-a %} {%- include kader.html tekst=\"x\" -%} {% include {{ page.k }} %}\n"
            "{% raw %}{% include rauw.html %}{% endraw %} {% link _posts/2019-05-14-a.md %}"
            " {% include_relative 'deel.md' %}\n")
    got = [(r.tag, r.name, body[r.start:r.end]) for r in liquid_references(body)]
    assert got == [
        ("post_url", "2019-05-14-a", "2019-05-14-a"),
        ("include", "kader.html", "kader.html"),
        ("link", "_posts/2019-05-14-a.md", "_posts/2019-05-14-a.md"),
        ("include_relative", "deel.md", "deel.md"),
    ]


# -- JK003 ------------------------------------------------------------------------


def test_jk003_site_relative_references(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {
        "assets/img/sluis.jpg": b"\xff\xd8",
        "assets/vendor/kaart.js": "",  # published: only the root's vendor/bundle etc. are Jekyll's to skip
        "assets/img/Gemaal.jpg": b"\xff\xd8",
        "over.md": "---\ntitle: Over\n---\n",
        "contact/index.html": "---\n---\n",
        "oud.html": "---\npermalink: /archief/\n---\n",
        "css/main.scss": "---\n---\nbody {}\n",
        "_site/assets/img/gebouwd.jpg": b"",
        "geheim.txt": "x",
        ".well-known/security.txt": "x",
        "_posts/2019-05-13-b.md": FRONT + "---\nB\n",
        "_posts/2019-05-14-a.md": FRONT + (
            "feature_image: /assets/img/sluis.jpg\n"     # 4: exists: no finding
            "image:\n  path: /assets/img/weg.jpg\n"      # 6: missing
            "---\n"
            "![s](/assets/img/sluis.jpg) ![g](/assets/img/gemaal.jpg)\n"  # 8: ok, case at 8:34
            "[o](/over.html) [o2](/over) [c](/contact/) [a](/archief/) [css](/css/main.css)\n"  # 9: all ok
            "[b](/2019/05/13/b.html#x) [z](/2019/05/13/z.html) <img src=\"/_site/assets/img/gebouwd.jpg\">\n"  # 10
            "[t](/geheim.txt) [w](/.well-known/security.txt) [r](b.html) [r2](../14/a.html)\n"  # 11
            "<img src=\"/assets/vendor/kaart.js\">\n"
        ),
    }, config="title: T\nexclude: [geheim.txt]\ninclude: [.well-known]\n")
    assert found(root, "JK003") == [
        ("_posts/2019-05-14-a.md", 6, 9, "JK003"),
        ("_posts/2019-05-14-a.md", 8, 34, "JK003"),
        ("_posts/2019-05-14-a.md", 10, 31, "JK003"),
        ("_posts/2019-05-14-a.md", 10, 61, "JK003"),  # _site never counts
        ("_posts/2019-05-14-a.md", 11, 5, "JK003"),   # excluded
        ("_posts/2019-05-14-a.md", 11, 53, "JK003"),  # b.html beside /2019/05/14/a.html
    ]
    said = messages(root, "JK003")
    assert "/assets/img/Gemaal.jpg" in said[1] and "case" in said[1]


def test_jk003_baseurl_liquid_forms_pretty_urls_and_plugins(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {
        "assets/a.png": b"",
        "over.md": "---\ntitle: Over\n---\n",
        "_docs/intro.md": "---\ntitle: Intro\n---\n",
        "_concepten/x.md": "---\ntitle: X\n---\n",
        "_posts/2019-05-13-b.md": FRONT + "redirect_from: /oud/b/\n---\nB\n",
        "_posts/2019-05-14-a.md": FRONT + "---\n" + (
            "[1]({{ site.baseurl }}/over/) [2]({{ \"/assets/a.png\" | relative_url }}) [3](/blog/over/)\n"  # all ok
            "[4](/over/) [5]({{ site.baseurl }}/docs/intro/) [6]({{ site.baseurl }}/concepten/x/)\n"
            "[7]({{ site.baseurl }}/feed.xml) [8]({{ site.baseurl }}/oud/b/) [9]({{ site.baseurl }}/2019/05/13/b/)\n"
            "[10]({{ site.baseurl }}/gegenereerd/x.pdf) [11](/blog/assets/img/thema.png) [12](../b/)\n"
        ),
    }, config=("title: T\nbaseurl: /blog/\npermalink: pretty\nplugins: [jekyll-feed]\n"
               "collections:\n  docs:\n    output: true\n  concepten:\n    output: false\n"
               "keep_files: [gegenereerd]\n"))
    assert found(root, "JK003") == [
        ("_posts/2019-05-14-a.md", 6, 5, "JK003"),    # /over/ without the baseurl
        ("_posts/2019-05-14-a.md", 6, 53, "JK003"),   # a collection without output
        ("_posts/2019-05-14-a.md", 8, 49, "JK003"),   # no theme: /assets/img/thema.png is nobody's
        ("_posts/2019-05-14-a.md", 8, 82, "JK003"),   # ../b/ from /2019/05/14/a/ is /2019/05/14/b/
    ]
    assert "baseurl /blog" in messages(root, "JK003")[0]


def test_jk003_theme_assets_count_and_copies_of_posts_are_not_checked(tmp_path: Path) -> None:
    body = FRONT + "---\n![x](/assets/thema.png) ![y](/img/weg.png)\n"
    themed = whole_site(tmp_path / "themed", {"_posts/2019-05-14-a.md": body}, config="theme: minima\n")
    assert found(themed, "JK003") == [("_posts/2019-05-14-a.md", 5, 30, "JK003")]
    # Only the posts of a site (the shared corpora): not checked, and said once.
    copy = site(tmp_path / "copy", {"_posts/2019-05-14-a.md": body, "_posts/2019-05-15-b.md": body})
    assert found(copy, "JK003") == []
    err = verbose(copy, "JK003")
    assert err.count("JK003:") == 1 and "not checked" in err
    # Single files (pre-commit): skipped, and said.
    assert found(themed, "JK003", "_posts/2019-05-14-a.md") == []
    assert "JK003 skipped" in verbose(themed, "JK003", "_posts/2019-05-14-a.md")


# -- JK004 ------------------------------------------------------------------------


def test_jk004_post_url_link_and_include(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {
        "over.md": "---\ntitle: Over\n---\n",
        "intern.md": "---\ntitle: Intern\n---\n",
        "_posts/deel.md": "Een deel.\n",
        "_posts/2019-05-13-Eerder.md": FRONT + "---\nB\n",
        "_posts/2019-05-14-a.md": FRONT + "---\n" + (
            "{% post_url 2019-05-13-Eerder %} {% post_url 2019-05-13-eerder %} {% post_url 2019-01-01-nooit %}\n"
            "{% link _posts/2019-05-13-Eerder.md %} {% link over.md %} {% link weg.md %} {% link intern.md %}\n"
            "{% include kader.html tekst='x' %} {% include Kader.html %} {% include geen.html %}\n"
            "{% include_relative deel.md %} {% include_relative weg.md %} {% include {{ page.kader }} %}\n"
            "{% raw %}{% include voorbeeld.html %}{% endraw %} {% include_cached kader.html %}\n"
            "```\n{% include in-code.html %}\n```\n"
        ),
    }, config="title: T\nexclude: [intern.md]\n")
    assert found(root, "JK004") == [
        ("_posts/2019-05-14-a.md", 5, 46, "JK004"),  # case only
        ("_posts/2019-05-14-a.md", 5, 79, "JK004"),
        ("_posts/2019-05-14-a.md", 6, 67, "JK004"),
        ("_posts/2019-05-14-a.md", 6, 85, "JK004"),  # excluded
        ("_posts/2019-05-14-a.md", 7, 47, "JK004"),  # case only
        ("_posts/2019-05-14-a.md", 7, 72, "JK004"),
        ("_posts/2019-05-14-a.md", 8, 52, "JK004"),
        ("_posts/2019-05-14-a.md", 11, 12, "JK004"),  # Liquid runs before Markdown: code counts
    ]
    said = messages(root, "JK004")
    assert "2019-05-13-Eerder" in said[0] and "case" in said[0] and "excluded" in said[3]
    # In single files too: the targets are files, not other posts' URLs.
    assert len(found(root, "JK004", "_posts/2019-05-14-a.md")) == 8


def test_jk004_theme_and_copy_of_posts(tmp_path: Path) -> None:
    body = FRONT + "---\n{% include thema.html %} {% post_url 2019-01-01-nooit %} {% link over.md %}\n"
    themed = site(tmp_path / "themed", {"index.md": "---\n---\n", "_posts/2019-05-14-a.md": body},
                        config="remote_theme: pages-themes/minimal@v0.2.0\n")
    assert found(themed, "JK004") == [("_posts/2019-05-14-a.md", 5, 38, "JK004"),
                                      ("_posts/2019-05-14-a.md", 5, 66, "JK004")]
    assert "theme pages-themes/minimal@v0.2.0" in verbose(themed, "JK004")
    copy = site(tmp_path / "copy", {"_posts/2019-05-14-a.md": body})
    assert found(copy, "JK004") == [("_posts/2019-05-14-a.md", 5, 38, "JK004")]  # the posts are there


# -- JK005 ------------------------------------------------------------------------


def test_jk005_layouts_and_defaults(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {
        "_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\n---\n",
        "_posts/2019-05-14-b.md": "---\nlayout: artikel\ntitle: b\n---\n",
        "_posts/2019-05-15-c.md": "---\nlayout: Post\ntitle: c\n---\n",
        "_posts/2019-05-16-d.md": "---\nlayout: null\ntitle: d\n---\n",
        "_posts/2019-05-17-e.md": "---\nlayout: none\ntitle: e\n---\n",
        "_posts/2019-05-18-f.md": "---\ntitle: f\n---\n",
        "nieuws/_posts/2019-05-19-g.md": "---\ntitle: g\n---\n",
    }, config=("defaults:\n  - scope: {path: ''}\n    values: {layout: post}\n"
               "  - scope: {path: nieuws}\n    values: {layout: nieuwsbericht}\n"))
    assert found(root, "JK005") == [
        ("_posts/2019-05-14-b.md", 2, 9, "JK005"),
        ("_posts/2019-05-15-c.md", 2, 9, "JK005"),
        ("nieuws/_posts/2019-05-19-g.md", 1, 1, "JK005"),  # from the defaults: at the opening ---
    ]
    said = messages(root, "JK005")
    assert "'post'" in said[1] and "case" in said[1] and "defaults" in said[2]


def test_jk005_theme_site_says_once_that_it_did_not_check(tmp_path: Path) -> None:
    posts = {f"_posts/2019-05-1{i}-p.md": "---\nlayout: home\ntitle: p\n---\n" for i in range(3)}
    themed = site(tmp_path / "themed", {"index.md": "---\n---\n", **posts}, config="theme: minima\n")
    assert found(themed, "JK005") == []
    err = verbose(themed, "JK005")
    assert err.count("JK005:") == 1 and "minima" in err and "not checked" in err
    # The theme's gem vendored in the repository: its layouts are searched.
    vendored = site(tmp_path / "vendored", {
        "index.md": "---\n---\n",
        "vendor/bundle/ruby/3.3.0/gems/minima-2.5.1/_layouts/home.html": "x",
        "_posts/2019-05-13-a.md": "---\nlayout: home\ntitle: a\n---\n",
        "_posts/2019-05-14-b.md": "---\nlayout: nergens\ntitle: b\n---\n",
    }, config="theme: minima\n")
    assert found(vendored, "JK005") == [("_posts/2019-05-14-b.md", 2, 9, "JK005")]
    # A copy of the posts only: not checked, said once.
    copy = site(tmp_path / "copy", posts)
    assert found(copy, "JK005") == [] and verbose(copy, "JK005").count("JK005:") == 1


# -- JK006 and JK002 --------------------------------------------------------------


def test_jk006_urls_that_differ_only_in_case(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "_posts/2019-05-13-Sluis.md": "---\nlayout: post\ntitle: a\n---\n",
        "_posts/2019-05-13-sluis.md": "---\nlayout: post\ntitle: b\n---\n",
        "_posts/2019-05-14-x.md": "---\nlayout: post\ntitle: c\npermalink: /Over/\n---\n",
        "_posts/2019-05-15-y.md": "---\nlayout: post\ntitle: d\npermalink: /over/\n---\n",
        "_posts/2019-05-16-z.md": "---\nlayout: post\ntitle: e\npermalink: /over/\n---\n",  # JK002
    })
    assert found(root, "JK006") == [
        ("_posts/2019-05-13-Sluis.md", 1, 1, "JK006"),
        ("_posts/2019-05-13-sluis.md", 1, 1, "JK006"),
        ("_posts/2019-05-14-x.md", 4, 12, "JK006"),
        ("_posts/2019-05-15-y.md", 4, 12, "JK006"),
        ("_posts/2019-05-16-z.md", 4, 12, "JK006"),
    ]
    assert [c for *_, c in found(root, "JK002")] == ["JK002", "JK002"]
    assert found(root, "JK006", "_posts/2019-05-13-Sluis.md", "_posts/2019-05-13-sluis.md") == []


def test_jk002_redirect_from_over_another_post(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\n---\n",
        "_posts/2019-05-14-b.md": ("---\nlayout: post\ntitle: b\nredirect_from:\n  - /2019/05/13/a\n"
                                   "  - /oud/b/\n  - /2019/05/14/b.html\n---\n"),
        "_posts/2019-05-15-c.md": "---\nlayout: post\ntitle: c\nredirect_from: /oud/b/index.html\n---\n",
    })
    assert found(root, "JK002") == [
        ("_posts/2019-05-13-a.md", 1, 1, "JK002"),  # its URL /2019/05/13/a.html
        ("_posts/2019-05-14-b.md", 5, 5, "JK002"),  # /2019/05/13/a is written as a.html
    ]


def test_site_files_outside_links_and_fifos_are_never_read(tmp_path: Path) -> None:
    import os

    outside = tmp_path / "buiten.md"
    outside.write_text("---\npermalink: /geheim/\n---\n", encoding="utf-8")
    root = whole_site(tmp_path / "site", {
        "assets/echt.png": b"",
        "_posts/2019-05-14-a.md": FRONT + "---\n![a](/assets/echt.png) ![b](/assets/buiten.md) [c](/geheim/) "
                                  "![d](/assets/fifo.png) ![e](/assets/binnen.png)\n",
    })
    (root / "assets" / "buiten.md").symlink_to(outside)
    (root / "assets" / "binnen.png").symlink_to(root / "assets" / "echt.png")
    os.mkfifo(root / "assets" / "fifo.png")  # opening it to read would block forever
    assert found(root, "JK003") == [
        ("_posts/2019-05-14-a.md", 5, 29, "JK003"),  # a link out of the site: not published
        ("_posts/2019-05-14-a.md", 5, 52, "JK003"),  # its permalink never read
        ("_posts/2019-05-14-a.md", 5, 67, "JK003"),  # a FIFO is no file
    ]


def test_jk003_generated_paths_are_configurable(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {"_posts/2019-05-14-a.md": FRONT + "---\n[a](/api/posts.json) [b](/api/v1/x.json) "
                                 "[c](/tags/a/b/) [d](/anders/)\n"})
    (root / ".postlint.toml").write_text('[urls]\ngenerated-paths = ["/api/*", "tags/**"]\n', encoding="utf-8")
    assert found(root, "JK003") == [
        ("_posts/2019-05-14-a.md", 5, 26, "JK003"),  # * stays within /api/
        ("_posts/2019-05-14-a.md", 5, 62, "JK003"),
    ]


def test_a_static_home_page_makes_a_whole_site(tmp_path: Path) -> None:
    root = site(tmp_path, {"index.html": "<!DOCTYPE html><p>Home</p>\n",
                           "_posts/2019-05-14-a.md": "---\ntitle: a\n---\n![a](/weg.png)\n"})
    assert found(root, "JK003") == [("_posts/2019-05-14-a.md", 4, 6, "JK003")]


def test_jk003_collections_permalinks_and_generated_pages(tmp_path: Path) -> None:
    root = whole_site(tmp_path, {
        "_recepten/soep/erwten.md": "---\ntitle: Erwtensoep\n---\n",
        "_recepten/soep/foto.jpg": b"",
        "_teams/a.md": "---\ntitle: A\n---\n",
        "_posts/2019-05-14-a.md": FRONT + "---\n" + (
            "[1](/koken/erwten/) [2](/recepten/soep/foto.jpg) [3](/teams/2019/a/) [4](/sitemap.xml)\n"
            "[5](/robots.txt) [6](/page2/) [7](/tag/sluis/) [8](/koken/weg/) [9](/feed.xml)\n"
        ),
    }, config=("collections:\n  recepten:\n    output: true\n    permalink: /koken/:name/\n"
               "  teams:\n    output: true\n    permalink: /teams/:year/:name/\n"
               "plugins: [jekyll-sitemap, jekyll-paginate, jekyll-archives]\n"))
    # :year is not filled for a document: its URLs are counted as the template allows.
    assert found(root, "JK003") == [
        ("_posts/2019-05-14-a.md", 6, 52, "JK003"),  # jekyll-archives makes /2019/, not /koken/weg/
        ("_posts/2019-05-14-a.md", 6, 69, "JK003"),  # no jekyll-feed
    ]


def test_findings_follow_the_files_with_the_result_cache_on(tmp_path: Path) -> None:
    post = "---\nlayout: artikel\ntitle: a\n---\n![x](/img/x.png)\n"
    root = whole_site(tmp_path, {"_posts/2019-05-14-a.md": post})

    def cached() -> list[str]:
        result = run_cli(["check", "--no-network", "--select", "JK", "--output-format", "json", "."], cwd=root)
        return [d["code"] for d in result.json()["diagnostics"]]

    assert cached() == ["JK005", "JK003"] or cached() == ["JK003", "JK005"]
    (root / "_layouts" / "artikel.html").write_text("{{ content }}\n", encoding="utf-8")
    (root / "img").mkdir()
    (root / "img" / "x.png").write_bytes(b"")
    assert cached() == []  # the post is unchanged (its result cached), the site is not


TITLES = ["", ' "title"', " (p)"]
_DESTINATIONS = ["/a", "b/c", "../d", "http://x", "HTTPS://y", "#top", "?q", "//host/p", "mailto:m", "C:/x",
                 "{{ site.baseurl }}/e", "{{ '/f' | relative_url }}", "{{ x }}", "<", ">", " ", "\n", ""]


def test_the_local_inline_screen_keeps_every_local_link() -> None:
    # links._MAYBE_LOCAL_INLINE decides whether the inline-link loop runs:
    # with it matching everything, the loop finds the same references.
    import random
    import re

    import pytest

    import postlint.analysis.body.links as links

    rng = random.Random(22)
    texts = []
    for _ in range(3000):
        pieces = []
        for _ in range(rng.randint(1, 4)):
            space = rng.choice(["", " ", "\n ", " \n", "\t"])
            angle = rng.random() < 0.2
            dest = rng.choice(_DESTINATIONS)
            title = rng.choice(TITLES)
            opened, closed = ("<", ">") if angle else ("", "")
            pieces.append(f"[t{rng.randint(0, 9)}]({space}{opened}{dest}{closed}{title})")
            pieces.append(rng.choice([" ", "\n", "\n\n", " text ", "`code](/z)` "]))
        texts.append("".join(pieces))
    screened = [links.local_references(t, True) for t in texts]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(links, "_MAYBE_LOCAL_INLINE", re.compile(""))
        unscreened = [links.local_references(t, True) for t in texts]
    assert screened == unscreened
    assert sum(map(len, screened)) > 1000  # local links were there to find


def test_permalink_templates_fill_in_as_placeholders_are_found() -> None:
    """post_url fills a template's placeholders from a format string made of
    it once (duplicate_url._placeholders): what substituting each one
    _PLACEHOLDER finds gives, braces, colons and prefixes of names included."""
    import random

    from postlint.rules.jekyll.duplicate_url import _PLACEHOLDER, _placeholders

    names = ["categories", "year", "month", "i_month", "day", "i_day", "short_year", "title", "slug",
             "output_ext", "name", "y_day", "week", "short_day", "long_month"]
    pieces = [":" + n for n in names] + [":", "{", "}", "{{", "/", "-", "x", ":monthly", ":titles", ":i_", "%", "."]
    rng = random.Random(14)
    for _ in range(5000):
        template = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        found, form = _placeholders(template)
        values = {key: rng.choice(["{v}", "2019", "a/b", ":year", ""]) + key for key in found}
        assert form.format_map(values) == _PLACEHOLDER.sub(lambda m, v=values: v[m.group(1)], template), template


def _brackets_by_every_blank_line(text: str) -> tuple[set[int], set[int]]:
    """links._brackets as first written: one pass over the brackets and the
    blank lines together, each blank line dropping the open brackets."""
    import re

    images: set[int] = set()
    labels: set[int] = set()
    stack: list[int] = []
    for m in re.finditer(r"[\[\]]|\n[ \t]*\n", text):
        c = m.group()
        if c == "[":
            stack.append(m.start())
        elif c == "]":
            if stack:
                opening = stack.pop()
                before = text[opening - 1] if opening > 0 else ""
                if before == "!":
                    images.add(m.start())
                elif before == "]":
                    labels.add(m.start())
        else:
            stack.clear()
    return images, labels


def test_brackets_pair_within_paragraphs_as_first_written() -> None:
    # links._brackets looks for a blank line only between brackets, while
    # one is open: the same pairs as matching every blank line.
    import random

    from postlint.analysis.body.links import _brackets

    rng = random.Random(14)
    pieces = ["[", "]", "![", "][", "a", " ", "\n", "\n\n", "\n \t\n", "\t", "x]", "(u)"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = _brackets_by_every_blank_line(text)
        assert _brackets(text) == expected, repr(text)
        found += bool(expected[0] or expected[1])
    assert found > 2000
