"""URL001-URL005 through the real CLI against a real HTTP server on 127.0.0.1.

The loopback-only safety net of tests/net (no DNS but for localhost, no
connection but to loopback) applies here too: it is imported below. Every
guard test targets the test server, so a guard that fails shows up as a
request the server counted, never as traffic elsewhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_cli, write_site
from tests.net.conftest import net_rule, server  # noqa: F401 - fixtures (net_rule is autouse)
from tests.net.server import TestServer, by_method, image, redirect, reply

# Fast and deterministic: no retries, short timeouts, loopback allowed by address.
CONFIG = """\
[urls]
allow-hosts = ["127.0.0.1"]
retries = 0
timeout = 3
"""


def post(n: int, front: str, body: str = "<p>Tekst.</p>\n") -> str:
    return (
        "---\n"
        "layout: post\n"
        f'title: "Bericht {n}"\n'
        "date: Mon, 13 May 2019 12:45:33 +0200\n"
        + front
        + "---\n"
        + body
    )


def make_site(root: Path, posts: dict[str, str], config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_site(root, posts)
    (root / ".postlint.toml").write_text(config, encoding="utf-8")
    return root


def check(root: Path, *args: str) -> tuple[int, list[tuple[str, int, int, str]], Any]:
    """Run `postlint check` on the site; (exit code, sorted (file, line, column, code), result)."""
    result = run_cli(["check", "--select", "URL", "--output-format", "json", *args, "."], cwd=root)
    assert result.code in (0, 1), result.err
    found = sorted(
        (Path(d["path"]).name, d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"]
    )
    return result.code, found, result


# -- every rule, at every occurrence -------------------------------------------------


def test_each_rule_at_each_occurrence(tmp_path: Path, server: TestServer) -> None:
    gone = server.url("/gone")  # not routed: 404
    page = server.route("/page", reply(200))
    html = server.route("/photo-page", reply(200))  # text/html
    png = server.route("/photo.png", image())
    server.route("/old", redirect(301, "/new"))
    server.route("/new", reply(200))
    server.route("/secret", reply(200))
    local = server.url("/secret", host="localhost")  # localhost is not in allow-hosts
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, f'externe_link: "{gone}"\nfeature_image: {html}\n'),
        "_posts/2019-05-13-b.md": post(2, f"feature_image: {png}\nexterne_link:   '{gone}'\n"),
        "_posts/2019-05-13-c.md": post(3, f"externe_link: {server.url('/old')}\n"
                                          'feature_image: "file:///C:/foto.jpg"\n'),
        "_posts/2019-05-13-d.md": post(4, f"externe_link: {local}\n"),
        "_posts/2019-05-13-e.md": post(5, f"externe_link: {page}\nfeature_image: 12\n"),
    })
    code, found, result = check(root)
    assert code == 1
    assert found == [
        ("2019-05-13-a.md", 5, 16, "URL001"),  # the URL inside the quotes
        ("2019-05-13-a.md", 6, 16, "URL003"),
        ("2019-05-13-b.md", 6, 18, "URL001"),  # the same URL, in another post: reported there too
        ("2019-05-13-c.md", 5, 15, "URL002"),
        ("2019-05-13-c.md", 6, 17, "URL004"),
        ("2019-05-13-d.md", 5, 15, "URL005"),
        ("2019-05-13-e.md", 6, 16, "URL004"),  # a number is not a URL
    ]
    by_code = {d["code"]: d for d in result.json()["diagnostics"]}
    assert by_code["URL001"]["end_column"] - by_code["URL001"]["column"] == len(gone)
    assert by_code["URL002"]["severity"] == "warning"
    assert by_code["URL002"]["fix"]["edits"][0]["content"] == server.url("/new")
    assert server.hits("/gone") == 1  # named twice, requested once
    assert server.hits("/secret") == 0  # refused: nothing sent


def test_redirect_to_a_refused_host_is_url005_and_sends_nothing(tmp_path: Path, server: TestServer) -> None:
    server.route("/hop", redirect(302, server.url("/inside", host="localhost")))
    server.route("/inside", reply(200))
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {server.url('/hop')}\n")})
    _, found, _ = check(root)
    assert found == [("2019-05-13-a.md", 5, 15, "URL005")]
    assert server.hits("/hop") == 1 and server.hits("/inside") == 0


@pytest.mark.parametrize("config", ['[urls]\nallow-private = true\nretries = 0\n',
                                    '[urls]\nallow-hosts = ["localhost"]\nretries = 0\n'])
def test_allow_private_and_allow_hosts_lift_url005(tmp_path: Path, server: TestServer, config: str) -> None:
    url = server.route("/inside", reply(200))
    local = server.url("/inside", host="localhost")
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {local}\n")}, config)
    assert check(root)[:2] == (0, [])
    assert server.hits("/inside") == 1 and url


def test_head_refused_falls_back_to_get(tmp_path: Path, server: TestServer) -> None:
    url = server.route("/no-head", by_method(GET=reply(200)))
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n")})
    code, found, _ = check(root)
    assert (code, found) == (0, [])
    assert server.hits("/no-head", "HEAD") == 1 and server.hits("/no-head", "GET") == 1


# -- once per run, cache, offline ----------------------------------------------------------


def test_1000_posts_100_urls_exactly_100_requests_then_all_cached(tmp_path: Path, server: TestServer) -> None:
    for i in range(100):
        server.route(f"/a/{i}", reply(200))
    posts = {
        f"_posts/2019-05-13-p{n}.md": post(n, f"externe_link: {server.url(f'/a/{n % 100}')}\n")
        for n in range(1000)
    }
    root = make_site(tmp_path, posts)
    code, found, result = check(root)
    assert (code, found) == (0, [])
    assert server.hits() == 100
    assert "100" in result.err  # the one-line summary, on standard error
    assert (root / ".postlint_cache").is_dir()
    code, found, _ = check(root)
    assert (code, found) == (0, [])
    assert server.hits() == 100  # second run: every verdict from the cache


def test_failures_are_not_cached_and_a_repaired_link_is_seen_at_once(tmp_path: Path, server: TestServer) -> None:
    url = server.url("/later")
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n")})
    assert check(root)[1] == [("2019-05-13-a.md", 5, 15, "URL001")]
    assert check(root)[1] == [("2019-05-13-a.md", 5, 15, "URL001")]
    assert server.hits("/later") == 2
    server.route("/later", reply(200))
    assert check(root)[:2] == (0, [])
    assert server.hits("/later") == 3
    check(root)
    assert server.hits("/later") == 3  # now it works: cached


def test_no_cache_and_cache_dir(tmp_path: Path, server: TestServer) -> None:
    url = server.route("/ok", reply(200))
    root = make_site(tmp_path / "site", {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n")})
    check(root, "--no-cache")
    check(root, "--no-cache")
    assert server.hits() == 2 and not (root / ".postlint_cache").exists()
    elsewhere = tmp_path / "cache"
    check(root, "--cache-dir", str(elsewhere))
    check(root, "--cache-dir", str(elsewhere))
    assert server.hits() == 3 and elsewhere.is_dir() and not (root / ".postlint_cache").exists()


@pytest.mark.parametrize("how", ["flag", "config"])
def test_offline_makes_no_request_and_skips_the_url_rules(tmp_path: Path, server: TestServer, how: str) -> None:
    config = CONFIG + ("network = false\n" if how == "config" else "")
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, f"externe_link: {server.url('/x')}\nfeature_image: nergens.jpg\n"),
    }, config)
    result = run_cli(["check", "--select", "URL", "--output-format", "json"]
                     + (["--no-network"] if how == "flag" else []) + ["."], cwd=root)
    assert result.code == 0 and result.json()["diagnostics"] == []
    assert server.hits() == 0 and "URLs" not in result.err


def test_url004_alone_sends_nothing(tmp_path: Path, server: TestServer) -> None:
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, f"externe_link: {server.url('/x')}\nfeature_image: media/a.jpg\n"),
    })
    result = run_cli(["check", "--select", "URL004", "--output-format", "json", "."], cwd=root)
    assert [(d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"]] == [(6, 16, "URL004")]
    assert server.hits() == 0


def test_site_paths_are_not_urls(tmp_path: Path, server: TestServer) -> None:
    """Issue 16: `feature_image: /assets/img/x.jpg` is a path of the site (JK003's),
    not URL004, and nothing is requested for it; image (a string or {path}),
    canonical_url and redirect_to are URL fields by default."""
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, "feature_image: /assets/img/x.jpg\nimage:\n  path: /img/a.png\n"
                                          "redirect_to: [/elders/, 'file:///c/x']\n"),
        "_posts/2019-05-13-b.md": post(2, "image:\n  path: 'nergens.png'\n  alt: x\ncanonical_url: 12\n"
                                          "redirect_to: www.example.org/x\n"),
    })
    result = run_cli(["check", "--select", "URL", "--output-format", "json", "."], cwd=root)
    found = [(d["path"], d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"]]
    assert found == [
        ("_posts/2019-05-13-a.md", 8, 26, "URL004"),  # inside its quotes
        ("_posts/2019-05-13-b.md", 6, 10, "URL004"),
        ("_posts/2019-05-13-b.md", 8, 16, "URL004"),
        ("_posts/2019-05-13-b.md", 9, 14, "URL004"),
    ]
    assert server.hits() == 0


def test_offline_run_never_imports_requests(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, "externe_link: https://nieuws.example/a\n")})
    code = (
        "import sys\n"
        "from postlint.cli import main\n"
        "status = main(['check', '--no-network', '--select', 'URL', '.'])\n"
        "assert 'requests' not in sys.modules, 'requests imported'\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# -- the fix ---------------------------------------------------------------------------------


@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_unsafe_fix_writes_the_final_url(tmp_path: Path, server: TestServer, quote: str) -> None:
    server.route("/old", redirect(301, "/mid"))
    server.route("/mid", redirect(308, "/new?a=1&b='2'"))
    server.route("/new", reply(200))
    old = server.url("/old")
    path = "_posts/2019-05-13-a.md"
    root = make_site(tmp_path, {
        path: post(1, f"externe_link: {quote}{old}{quote}  # bron\n"),
        "_posts/2019-05-13-b.md": post(2, f"externe_link: {server.url('/gone')}  # postlint: disable=URL001\n"),
    })
    _, found, _ = check(root, "--fix")  # safe fixes only: nothing written
    assert found == [("2019-05-13-a.md", 5, 15 + len(quote), "URL002")]
    assert old in (root / path).read_text(encoding="utf-8")
    gone = server.hits("/gone")
    code, found, result = check(root, "--fix", "--unsafe-fixes")
    assert (code, found) == (0, [])  # fixed; the dead link is suppressed on its line
    assert len(result.err.splitlines()) == 1  # the summary, also after a --fix run
    assert server.hits("/gone") == gone + 1  # both passes of a --fix run: requested once
    text = (root / path).read_text(encoding="utf-8")
    import yaml

    front = yaml.safe_load(text.split("---\n")[1])
    assert front["externe_link"] == server.url("/new?a=1&b='2'")
    assert "# bron" in text
    check(root, "--fix", "--unsafe-fixes")
    assert (root / path).read_text(encoding="utf-8") == text  # a second run changes nothing


def test_a_list_field_checks_each_item(tmp_path: Path, server: TestServer) -> None:
    server.route("/a.png", image())
    server.route("/old.png", redirect(308, "/b.png"))
    server.route("/b.png", image())
    a, old, gone = server.url("/a.png"), server.url("/old.png"), server.url("/gone.png")
    path = "_posts/2019-05-13-a.md"
    root = make_site(tmp_path, {path: post(1, f"feature_image: [{a}, {old}, {gone}]\n")},
                     CONFIG + 'fields = {feature_image = "image"}\n')
    _, found, _ = check(root)
    second = 17 + len(a) + 2
    assert found == [("2019-05-13-a.md", 5, second, "URL002"), ("2019-05-13-a.md", 5, second + len(old) + 2, "URL001")]
    check(root, "--fix", "--unsafe-fixes")
    assert f"feature_image: [{a}, {server.url('/b.png')}, {gone}]" in (root / path).read_text(encoding="utf-8")


# -- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "line"),
    [
        ('[urls]\nallow-hosts = ["127.0.0.1"]\nconcurency = 4\n', 3),
        ('[urls]\nfields = {externe_link = "video"}\n', 2),
        ('[urls]\n\ncache-max-age = "1 dag"\n', 3),
        ("[urls]\naccept = [200, 999]\n", 2),
        ('[urls]\ntimeout = "snel"\n', 2),
    ],
)
def test_bad_urls_table_is_exit_2_with_the_line(tmp_path: Path, config: str, line: int) -> None:
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, "")}, config)
    result = run_cli(["check", "."], cwd=root)
    assert result.code == 2 and f".postlint.toml:{line}:" in result.err


def test_fields_accept_and_pyproject_table(tmp_path: Path, server: TestServer) -> None:
    forbidden = server.route("/forbidden", reply(403))
    picture = server.route("/pic", reply(200))  # text/html
    (tmp_path / "pyproject.toml").write_text(
        '[tool.postlint.urls]\nallow-hosts = ["127.0.0.1"]\nretries = 0\naccept = ["2xx", 403]\n'
        'fields = {bron = "page", plaatje = "image"}\n', encoding="utf-8")
    write_site(tmp_path, {"_posts/2019-05-13-a.md": post(
        1, f"bron: {forbidden}\nplaatje: {picture}\nexterne_link: nergens\n")})
    _, found, _ = check(tmp_path)
    assert found == [("2019-05-13-a.md", 6, 10, "URL003")]  # externe_link is no longer a URL field


# -- body links (opt-in) -----------------------------------------------------------------------


def test_body_links_are_opt_in(tmp_path: Path, server: TestServer) -> None:
    gone = server.url("/gone")
    html = server.route("/page", reply(200))
    body = (
        "Lees [het artikel](" + gone + ") of de `" + gone + "/code` en [rel](/2019/05/).\n"
        "\n"
        '<p>Foto: <img alt="x" src="' + html + '"></p>\n'
        "\n"
        "![kaart](" + html + ' "titel")\n'
    )
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, "", body)})
    assert check(root)[:2] == (0, []) and server.hits() == 0
    (root / ".postlint.toml").write_text(CONFIG + "body-links = true\n", encoding="utf-8")
    _, found, _ = check(root)
    assert found == [
        ("2019-05-13-a.md", 6, 20, "URL001"),
        ("2019-05-13-a.md", 8, 28, "URL003"),
        ("2019-05-13-a.md", 10, 10, "URL003"),
    ]
    assert server.hits("/gone") == 1 and server.hits("/page", "HEAD") == 1
    assert server.hits("/page", "GET") == 1  # text/html in an image: one look at its first bytes


def test_body_links_of_an_html_post(tmp_path: Path, server: TestServer) -> None:
    gone = server.url("/gone")
    body = f'<p><a class="x" href="{gone}">weg</a> <a href="#boven">boven</a></p>\n<!-- <a href="{gone}/c"> -->\n'
    root = make_site(tmp_path, {"_posts/2019-05-13-a.html": post(1, "", body)},
                     CONFIG + "body-links = true\n")
    _, found, _ = check(root)
    assert found == [("2019-05-13-a.html", 6, 23, "URL001")]
    assert server.hits() == 1


# -- the example site --------------------------------------------------------------------------


def _example_copy(tmp_path: Path, server: TestServer) -> Path:
    """examples/ with its URLs pointed at the test server (loopback both)."""
    copy = tmp_path / "examples"
    shutil.copytree(REPO / "examples", copy, ignore=shutil.ignore_patterns(".postlint_cache"))
    for path in (copy / "_posts").iterdir():
        data = path.read_bytes()
        new = data.replace(b"127.0.0.1:8808", server.authority.encode()).replace(
            b"localhost:4000", f"localhost:{server.port}".encode())
        if new != data:
            path.write_bytes(new)
    return copy


def test_example_site_against_a_test_server(tmp_path: Path, server: TestServer) -> None:
    server.route("/artikel/gemaal-draait-weer", reply(200))
    server.route("/media/gemaal-halfweg.jpg", image())
    server.route("/l/48213", redirect(301, "/artikel/48213-nieuwe-veerboot"))
    server.route("/artikel/48213-nieuwe-veerboot", reply(200))
    server.route("/fotos/tulpenveld", reply(200))
    # /artikel/dijkversterking-uitgesteld is not routed: 404.
    copy = _example_copy(tmp_path, server)
    result = run_cli(["check", "--no-cache", "--output-format", "json", "examples/"], cwd=tmp_path)
    assert result.code == 1, result.err
    found = sorted((Path(d["path"]).name, d["line"], d["column"], d["code"])
                   for d in result.json()["diagnostics"] if d["code"].startswith("URL"))
    assert found == [
        ("2019-05-27-artikel-verdwenen.md", 6, 16, "URL001"),
        ("2019-05-28-artikel-verhuisd.md", 6, 16, "URL002"),
        ("2019-05-29-foto-is-pagina.md", 6, 17, "URL003"),
        ("2019-05-30-lokaal-bestand.md", 6, 17, "URL004"),
        ("2019-05-31-voorbeeldlink.md", 6, 16, "URL005"),
    ]
    assert server.hits("/politiek/2019/05/31/raad-kiest-voorzitter/") == 0
    assert server.hits("/artikel/dijkversterking-uitgesteld") == 1
    # The redirect's fix, end to end.
    fixed = run_cli(["check", "--no-cache", "--select", "URL002", "--fix", "--unsafe-fixes", "examples/"], cwd=tmp_path)
    assert fixed.code == 0, fixed.out
    text = (copy / "_posts" / "2019-05-28-artikel-verhuisd.md").read_text(encoding="utf-8")
    assert f'externe_link: "{server.url("/artikel/48213-nieuwe-veerboot")}"' in text


def test_example_site_offline_makes_no_request(tmp_path: Path, server: TestServer) -> None:
    _example_copy(tmp_path, server)
    result = run_cli(["check", "--no-network", "--output-format", "json", "examples/"], cwd=tmp_path)
    assert result.code == 1
    assert not [d for d in result.json()["diagnostics"] if d["code"].startswith("URL")]
    assert server.hits() == 0


def test_example_urls_point_only_at_loopback() -> None:
    """The README's `postlint check examples/` runs with the network on: every
    URL of the example site must stay on this machine."""
    import re

    for path in (REPO / "examples" / "_posts").iterdir():
        for url in re.findall(r"\w+://[^\s\"'<>)]+", path.read_text(encoding="utf-8", errors="replace")):
            assert re.match(r"(http://(127\.0\.0\.1|localhost)(:\d+)?/|file:///)", url), (path.name, url)


def test_json_report_stays_parseable_with_the_summary(tmp_path: Path, server: TestServer) -> None:
    url = server.route("/ok", reply(200))
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n")})
    result = run_cli(["check", "--output-format", "json", "."], cwd=root)
    json.loads(result.out)  # the summary is not in the report...
    assert len(result.err.splitlines()) == 1  # ...but one line on standard error


# -- issue 12: hosts the same wherever written; allow-hosts ports; deadline ---------------------


@pytest.mark.parametrize("host", ["ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", "ｌｏｃａｌｈｏｓｔ", "LocalHost", "１２７.０.０.１"])
def test_a_look_alike_host_is_refused_in_front_matter_and_body_alike(
    tmp_path: Path, server: TestServer, net_rule: Any, host: str
) -> None:
    server.route("/secret", reply(200))
    url = f"http://{host}:{server.port}/secret"
    body = f"Zie [dit]({url}) en <a href=\"{url}\">dat</a>.\n"
    config = "[urls]\nretries = 0\ntimeout = 3\nbody-links = true\n"  # nothing allowed
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n", body)}, config)
    _, found, _ = check(root)
    assert found == [
        ("2019-05-13-a.md", 5, 15, "URL005"),
        ("2019-05-13-a.md", 7, 11, "URL005"),
        ("2019-05-13-a.md", 7, 11 + len(url) + 14, "URL005"),
    ]
    assert server.hits() == 0
    assert net_rule.violations == []  # nothing was looked up in DNS (the net rule records every look-up)


@pytest.mark.parametrize("host", ["ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", "１２７.０.０.１"])
def test_an_allowed_look_alike_host_is_requested_by_its_wire_name(
    tmp_path: Path, server: TestServer, host: str
) -> None:
    server.route("/page", reply(200))
    url = f"http://{host}:{server.port}/page"
    config = '[urls]\nallow-hosts = ["localhost", "127.0.0.1"]\nretries = 0\nbody-links = true\n'
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n", f"[x]({url})\n")}, config)
    assert check(root)[:2] == (0, [])
    assert server.hits("/page") == 1
    assert set(server.host_headers) <= {f"localhost:{server.port}", f"127.0.0.1:{server.port}"}


def test_allow_hosts_with_a_port_allows_that_port_only(tmp_path: Path, server: TestServer) -> None:
    ok = server.route("/ok", reply(200))
    local = server.url("/ok", host="localhost")
    other = server.port + 1 if server.port < 65535 else 1
    config = f'[urls]\nallow-hosts = ["localhost:{server.port}", "127.0.0.1:{other}"]\nretries = 0\n'
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, f"externe_link: {local}\n"),
        "_posts/2019-05-13-b.md": post(2, f"externe_link: {ok}\n"),
    }, config)
    _, found, _ = check(root)
    assert found == [("2019-05-13-b.md", 5, 15, "URL005")]  # 127.0.0.1 is allowed on another port
    assert server.hits("/ok") == 1


@pytest.mark.parametrize("entry", ["localhost:99999", "http://localhost:4000", "[::1", "*.example", "10.0.0.0/40"])
def test_an_allow_hosts_entry_that_can_never_match_is_exit_2(tmp_path: Path, server: TestServer, entry: str) -> None:
    config = f"[urls]\nallow-hosts = [{json.dumps(entry)}]\n"
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {server.url('/x')}\n")}, config)
    result = run_cli(["check", "--select", "URL", "."], cwd=root)
    assert result.code == 2
    assert "allow-hosts" in result.err and entry in result.err
    assert server.hits() == 0


def test_deadline_option_bounds_a_dripping_server(tmp_path: Path, server: TestServer) -> None:
    from tests.net.server import drip

    url = server.route("/drip", drip(b"HTTP/1.1 200 OK\r\n", then=b"X-A: b\r\n"))
    config = '[urls]\nallow-hosts = ["127.0.0.1"]\nretries = 5\ntimeout = 0.5\ndeadline = 1\n'
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {url}\n")}, config)
    _, found, _ = check(root)
    assert found == [("2019-05-13-a.md", 5, 15, "URL001")]
    assert server.bytes_sent("/drip") < 80  # ~20 bytes a second for about a second
    assert server.hits("/drip") <= 3


def test_fragments_are_one_request_through_the_cli(tmp_path: Path, server: TestServer) -> None:
    gone = server.url("/gone")
    body = "".join(f"[deel {i}]({gone}#deel-{i})\n\n" for i in range(12))
    root = make_site(tmp_path, {"_posts/2019-05-13-a.md": post(1, f"externe_link: {gone}#top\n", body)},
                     CONFIG + "body-links = true\n")
    _, found, _ = check(root)
    assert [f[3] for f in found] == ["URL001"] * 13
    assert server.hits("/gone") == 1


# -- one family, independent codes ----------------------------------------------------


def test_each_url_code_finds_the_same_whatever_else_is_selected(tmp_path: Path, server: TestServer) -> None:
    """The URL rules are one family and one pass, but no code's findings depend
    on which other codes are selected (the selection only decides which
    requests are worth sending)."""
    gone = server.url("/gone")
    html = server.route("/photo-page", reply(200))
    server.route("/old", redirect(301, "/new"))
    server.route("/new", reply(200))
    local = server.url("/secret", host="localhost")
    root = make_site(tmp_path, {
        "_posts/2019-05-13-a.md": post(1, f'externe_link: "{gone}"\nfeature_image: {html}\n'),
        "_posts/2019-05-13-c.md": post(3, f"externe_link: {server.url('/old')}\n"
                                          'feature_image: "file:///C:/foto.jpg"\n'),
        "_posts/2019-05-13-d.md": post(4, f"externe_link: {local}\nimage: 12\n"),
    })

    def found(select: str) -> list[tuple[str, int, int, str]]:
        result = run_cli(["check", "--no-cache", "--select", select, "--output-format", "json", "."], cwd=root)
        assert result.code in (0, 1), result.err
        return sorted((Path(d["path"]).name, d["line"], d["column"], d["code"])
                      for d in result.json()["diagnostics"])

    together = found("URL")
    assert {code for *_, code in together} == {"URL001", "URL002", "URL003", "URL004", "URL005"}
    for code in ("URL001", "URL002", "URL003", "URL004", "URL005"):
        assert found(code) == [f for f in together if f[3] == code], code
    assert found("URL002,URL004") == [f for f in together if f[3] in ("URL002", "URL004")]
