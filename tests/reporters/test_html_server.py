"""Server text in the HTML report: what a server sends back (here the target
of a redirect, which URL002 names in its message and offers as the fix) is
shown as text, against a real HTTP server on 127.0.0.1 (tests/net)."""

from __future__ import annotations

from pathlib import Path

import html5lib

from tests.conftest import run_cli
from tests.net.conftest import net_rule, server  # noqa: F401 - fixtures (net_rule is autouse)
from tests.net.server import TestServer, redirect, reply
from tests.rules.test_urls import make_site, post

NS = "{http://www.w3.org/1999/xhtml}"
HOSTILE = "/new?q=</script><script>alert(1)</script><img src=x onerror=alert(1)>"


def test_a_hostile_redirect_target_is_text(tmp_path: Path, server: TestServer) -> None:
    server.route("/old", redirect(301, HOSTILE))
    server.route("/new", reply(200))
    root = make_site(tmp_path / "site", {"_posts/2019-05-13-a.md": post(1, f"externe_link: {server.url('/old')}\n")})
    doc = run_cli(["check", "--select", "URL", "--output-format", "json", "."], cwd=root).json()
    [finding] = doc["diagnostics"]
    assert finding["code"] == "URL002" and "<script>" in finding["message"]
    page = run_cli(["check", "--select", "URL", "--output-format", "html", "."], cwd=root).out
    tree = html5lib.parse(page)
    assert len(list(tree.iter(f"{NS}script"))) == 1 and list(tree.iter(f"{NS}img")) == []
    [message] = [e for e in tree.iter(f"{NS}div") if e.get("class") == "message"]
    assert "".join(message.itertext()).startswith(finding["message"])
    assert server.hits("/old") >= 1
