"""The HTML report (`--output-format html`), read back with html5lib as a
browser's parser reads it: one self-contained page whose policy allows exactly
its own style and script, every outside string escaped, counts equal to the
JSON report's, the chart's months read as the DT rules read dates, and a size
proportional to the findings shown. The page in a real browser:
test_html_browser.py."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import html5lib
import pytest

from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic, Excerpt
from postlint.model.escape import visible
from postlint.reporters import Report
from postlint.reporters import html as html_report
from tests.conftest import run_cli, write_site

NS = "{http://www.w3.org/1999/xhtml}"
XSS_SCRIPT = "</script><script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"

SITE = {
    # FM003 at 4:1, HT003 at 7:5 (the stray </script>), in a post whose name is hostile too.
    f"_posts/2019-05-13-{XSS_IMG}.md": (
        "---\nlayout: post\ntitle: a\ntitle: b\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"
        f"<p>x{XSS_SCRIPT}{XSS_IMG}</p>\n"
    ),
    # DT002 and DT003: a June post.
    "_posts/2019-06-15-weekdag.md": "---\nlayout: post\ndate: Mon, 15 Jun 2019 10:00:00 GMT\ntitle: W\n---\n<p>x</p>\n",
    # No date in the front matter: the file name's month (HD002).
    "_posts/2020-01-02-kop.md": "---\nlayout: post\ntitle: K\n---\n# Kop\n",
    # Neither: counted apart (JK001, FM003 and FM100).
    "_posts/nieuws.md": "---\ntitle: x\ntitle: y\n---\n",
}


def parse(document: str) -> Any:
    return html5lib.parse(document)


def text_of(element: Any) -> str:
    return "".join(element.itertext())


def by_attr(tree: Any, attr: str) -> dict[str, Any]:
    return {e.get(attr): e for e in tree.iter() if e.get(attr) is not None}


def render(diagnostics: list[Diagnostic], **kwargs: Any) -> str:
    registry = load()
    return html_report.render(
        Report(diagnostics, registry, list(registry), files=len({d.path for d in diagnostics}), **kwargs)
    )


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, SITE, config="title: T\ntimezone: Europe/Amsterdam\n")


def test_one_page_with_nothing_external_and_a_policy_that_allows_only_its_own_code(site: Path) -> None:
    result = run_cli(["check", "--no-network", "--output-format", "html", "."], cwd=site)
    assert result.code == 1, result.err
    tree = parse(result.out)
    [script] = tree.iter(f"{NS}script")
    [style] = tree.iter(f"{NS}style")
    assert script.get("src") is None
    [meta] = [m for m in tree.iter(f"{NS}meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in meta.get("content").split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == _hash(script.text)
    assert policy["style-src"] == _hash(style.text)
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    # The policy stands before anything it governs.
    assert result.out.index("Content-Security-Policy") < result.out.index("<style>")
    # Nothing to load: no element that fetches, no stylesheet link, no URL in the style.
    for tag in ("img", "link", "iframe", "object", "embed", "image", "use", "audio", "video", "source", "base", "form"):
        assert list(tree.iter(f"{NS}{tag}")) == [] and list(tree.iter(f"{{http://www.w3.org/2000/svg}}{tag}")) == []
    assert "url(" not in style.text and "@import" not in style.text
    # Links only to the rules' documentation (not fetched; followed only when clicked).
    hrefs = {a.get("href") for a in tree.iter(f"{NS}a")}
    assert {h for h in hrefs if not h.startswith("#")} <= {
        f"https://github.com/postlint/postlint/blob/main/docs/rules.md#{r.code.lower()}-{r.name}" for r in load()
    }


def test_hostile_post_text_file_names_and_messages_are_text(site: Path) -> None:
    result = run_cli(["check", "--no-network", "--output-format", "html", "."], cwd=site)
    tree = parse(result.out)
    assert len(list(tree.iter(f"{NS}script"))) == 1
    assert list(tree.iter(f"{NS}img")) == []
    assert not [(e.tag, k) for e in tree.iter() for k in e.attrib if k.lower().startswith("on")]
    rows = [tr for tr in tree.iter(f"{NS}tr") if tr.get("data-index") is not None]
    named = f"_posts/2019-05-13-{XSS_IMG}.md"
    hostile = [tr for tr in rows if tr.get("data-path") == named]
    # HT001 and HT003 at the stray end tag.
    assert [tr.get("data-rule") for tr in hostile] == ["FM003", "HT001", "HT003"]
    assert text_of(hostile[0][0]) == named  # the file name, shown as written
    frame = next(e for e in hostile[2].iter(f"{NS}pre"))
    assert text_of(frame) == f"7 | <p>x{XSS_SCRIPT}{XSS_IMG}</p>"
    [mark] = frame.iter(f"{NS}mark")
    assert mark.text == "</script>"  # the flagged characters, 7:5 to 7:14


def test_counts_equal_the_json_report(site: Path) -> None:
    doc = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site).json()
    tree = parse(run_cli(["check", "--no-network", "--output-format", "html", "."], cwd=site).out)
    totals = {key: int(text_of(e)) for key, e in by_attr(tree, "data-total").items()}
    summary = doc["summary"]
    assert totals == {k: summary[k] for k in
                      ("findings", "errors", "warnings", "info", "files", "files_with_findings", "fixable")}
    per_rule = Counter(d["code"] for d in doc["diagnostics"])
    table = next(t for t in tree.iter(f"{NS}table") if t.get("id") == "rules-table")
    shown = {tr.get("data-rule"): int(text_of(tr[5])) for tr in table.iter(f"{NS}tr") if tr.get("data-rule")}
    assert shown == per_rule
    rows = [(tr.get("data-path"), int(tr.get("data-line")), int(tr.get("data-column")), tr.get("data-rule"))
            for tr in tree.iter(f"{NS}tr") if tr.get("data-index") is not None]
    assert rows == [(d["path"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]]
    # Each finding links to its rule's documentation: the SARIF helpUri.
    sarif = run_cli(["check", "--no-network", "--output-format", "sarif", "."], cwd=site).json()
    help_uris = {r["id"]: r["helpUri"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    links = [(tr.get("data-rule"), next(tr.iter(f"{NS}a")).get("href"))
             for tr in tree.iter(f"{NS}tr") if tr.get("data-index") is not None]
    assert links == [(d["code"], help_uris[d["code"]]) for d in doc["diagnostics"]]


def test_chart_months_follow_the_dt_rules_reading_of_dates(site: Path) -> None:
    tree = parse(run_cli(["check", "--no-network", "--output-format", "html", "."], cwd=site).out)
    bars = {g.get("data-bar"): int(g.get("data-count")) for g in tree.iter("{http://www.w3.org/2000/svg}g")}
    # 2019-05: FM003 + HT001 + HT003; 2019-06: DT002 + DT003; 2020-01 from the file name: HD002.
    assert bars == {"2019-05": 3, "2019-06": 2, "2020-01": 1}
    months = next(t for t in tree.iter(f"{NS}table") if t.get("id") == "months-table")
    assert [tr.get("data-month") for tr in months.iter(f"{NS}tr") if tr.get("data-month")] == list(bars)
    [undated] = [e for e in tree.iter() if e.get("id") == "undated"]
    counts = {e.get("data-count") for e in undated.iter() if e.get("data-count")}
    assert counts == {"3"}  # _posts/nieuws.md: JK001, FM003, FM100
    assert {e.get("data-files") for e in undated.iter() if e.get("data-files")} == {"1"}


def test_month_is_the_build_zones_and_falls_back_to_the_file_name(tmp_path: Path) -> None:
    posts = {
        # 23:30 UTC on 31 May is 1 June in Amsterdam (the site's zone).
        "_posts/2019-05-31-laat.md": "---\ndate: 2019-05-31 23:30:00 +0000\n---\n",
        # An invalid date: the file name's month.
        "_posts/2018-03-01-kapot.md": "---\ndate: Mon, 31 Feb 2018 10:00:00 +0200\n---\n",
        "_posts/2017-07-07-zonder.md": "---\ntitle: x\n---\n",
        "pages/over.md": "---\ntitle: x\n---\n",
        "pages/met-datum.md": "---\ndate: Tue, 14 May 2019 12:00:00 +0200\n---\n",
    }
    write_site(tmp_path, posts, config="timezone: Europe/Amsterdam\n")
    report = Report([], load(), [], cwd=tmp_path)
    months = html_report.post_months(report, list(posts) + ["<stdin>"])
    assert months == {
        "_posts/2019-05-31-laat.md": (2019, 6),
        "_posts/2018-03-01-kapot.md": (2018, 3),
        "_posts/2017-07-07-zonder.md": (2017, 7),
        "pages/over.md": None,
        "pages/met-datum.md": (2019, 5),
        "<stdin>": None,
    }
    # In UTC (no timezone in _config.yml, build-timezone's default) it stays May.
    other = tmp_path / "utc"
    other.mkdir()
    write_site(other, {"_posts/2019-05-31-laat.md": posts["_posts/2019-05-31-laat.md"]})
    assert html_report.post_months(Report([], load(), [], cwd=other), ["_posts/2019-05-31-laat.md"]) == {
        "_posts/2019-05-31-laat.md": (2019, 5)}
    # build-timezone from [tool.postlint.dates] is the zone when _config.yml has none.
    shifted = Report([], load(), [], cwd=other, date_options={"build-timezone": "Asia/Tokyo"})
    assert html_report.post_months(shifted, ["_posts/2019-05-31-laat.md"]) == {"_posts/2019-05-31-laat.md": (2019, 6)}


def test_a_link_outside_the_site_is_not_read_for_its_date(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {"_posts/2019-05-13-a.md": "---\ntitle: a\n---\n"})
    (site / ".git").mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("---\ndate: Sat, 1 Jan 2000 10:00:00 +0000\n---\n", encoding="utf-8")
    os.symlink(outside, site / "_posts" / "2019-05-14-link.md")
    months = html_report.post_months(Report([], load(), [], cwd=site), ["_posts/2019-05-14-link.md"])
    assert months == {"_posts/2019-05-14-link.md": (2019, 5)}  # the name's month, not the outside file's


def _finding(path: str, line: int, code: str = "FM003", severity: str = "error", message: str = "m",
             source: str = "title: b", column: int = 1, end: int = 6) -> Diagnostic:
    return Diagnostic(path, line, column, line, end, code, severity, message, source_line=source)  # type: ignore[arg-type]


def test_files_with_most_findings_are_the_top_ones_in_order(tmp_path: Path) -> None:
    findings = [
        _finding(f"_posts/2019-05-{day:02d}-p.md", line) for day in range(1, 26) for line in range(1, day % 7 + 2)
    ]
    tree = parse(render(findings))
    table = next(t for t in tree.iter(f"{NS}table") if t.get("id") == "files-table")
    listed = [(text_of(tr[0]), int(text_of(tr[4]))) for tr in table.iter(f"{NS}tr") if tr[0].tag == f"{NS}td"]
    counts = Counter(d.path for d in findings)
    assert listed == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: html_report.TOP_FILES]
    assert len(listed) == 20


def test_chart_stays_bounded_whatever_dates_posts_claim(tmp_path: Path) -> None:
    posts = {
        "_posts/0001-01-01-oud.md": "---\ntitle: a\n---\n",
        "_posts/9999-12-31-ver.md": "---\ntitle: a\n---\n",
        "_posts/2019-05-13-nu.md": "---\ntitle: a\n---\n",
    }
    write_site(tmp_path, posts)
    page = render([_finding(p, 2) for p in posts], cwd=tmp_path)
    tree = parse(page)
    bars = [g.get("data-bar") for g in tree.iter("{http://www.w3.org/2000/svg}g")]
    assert bars == ["0001", "2019", "9999"]  # one bar per year that has findings
    assert len(page) < 40_000
    # Twenty years: one bar a month, the empty months too (an axis).
    unit, buckets = html_report._buckets(Counter({(2000, 1): 1, (2019, 12): 2}))
    assert unit == "month" and len(buckets) == 240 and buckets[0][0] == "2000-01" and buckets[-1][0] == "2019-12"
    unit, buckets = html_report._buckets(Counter({(1900, 1): 1, (2019, 12): 2}))
    assert unit == "year" and len(buckets) == 120


def test_frame_marks_the_flagged_characters_in_the_bounded_window() -> None:
    long_line = "x" * 5000 + "ÿ<bad>" + "y" * 5000
    wide = "\t標題: <b>"
    page = render([
        _finding("_posts/a.md", 3, source=Excerpt(long_line[4900:5106], 4901, len(long_line)), column=5001, end=5007),
        _finding("_posts/b.md", 2, source=wide, column=6, end=9),
        _finding("_posts/c.md", 2, source="a\x1b[2Jb\u202eevil", column=2, end=6),
    ])
    tree = parse(page)
    frames = list(tree.iter(f"{NS}pre"))
    marks = [next(f.iter(f"{NS}mark")).text for f in frames]
    assert marks == ["ÿ<bad>", "<b>", "\\x1b[2J"]
    long_frame = text_of(frames[0])
    assert long_frame.startswith("3 | …") and long_frame.endswith("…") and len(long_frame) < 120
    assert text_of(frames[1]) == "2 |     標題: <b>"  # a tab as four spaces, as the text reporter shows it
    # Control and bidi characters are shown, never sent raw.
    assert "\x1b" not in page and "\u202e" not in page and "\\u202e" in text_of(frames[2])


def test_outside_strings_are_escaped_everywhere_and_the_page_is_utf8() -> None:
    hostile_path = "_posts/2019-05-13-\"><script>alert(1)</script>\udce9.md"
    message = f"server said {XSS_SCRIPT}{XSS_IMG} & \"quoted\" 'too'\u2028"
    page = render([_finding(hostile_path, 1, message=message, source=XSS_SCRIPT + XSS_IMG, end=10)])
    page.encode("utf-8")  # a lone surrogate would raise
    tree = parse(page)
    assert len(list(tree.iter(f"{NS}script"))) == 1 and list(tree.iter(f"{NS}img")) == []
    [row] = [tr for tr in tree.iter(f"{NS}tr") if tr.get("data-index") is not None]
    assert row.get("data-path") == visible(hostile_path)
    assert text_of(row[0]) == visible(hostile_path) and "\\xe9" in text_of(row[0])
    [div] = [e for e in row.iter(f"{NS}div") if e.get("class") == "message"]
    assert text_of(div) == visible(message)


def test_size_is_proportional_to_the_findings_shown(tmp_path: Path) -> None:
    one_line = "<p>" + "</i>" * 20_000 + "</p>\n"
    write_site(
        tmp_path,
        {
            "_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"
            + one_line
        },
    )
    capped = run_cli(["check", "--no-network", "--select", "HT003", "--output-format", "html", "."], cwd=tmp_path)
    doc = run_cli(["check", "--no-network", "--select", "HT003", "--output-format", "json", "."], cwd=tmp_path).json()
    # 100 kept, and the 101st standing for the 19,899 left out.
    assert doc["summary"]["findings"] == 101 and doc["summary"]["not_shown"] == 19_899
    empty = render([])
    per_finding = (len(capped.out) - len(empty)) / 101
    assert per_finding < 2_000, per_finding  # each row: its bounded frame, not the 80 kB line
    tree = parse(capped.out)
    assert int(text_of(by_attr(tree, "data-total")["not_shown"])) == 19_899


def test_a_clean_run_and_notes(tmp_path: Path) -> None:
    page = render([], notes=["JK002 skipped: <partial> run"])
    tree = parse(page)
    totals = {k: text_of(e) for k, e in by_attr(tree, "data-total").items()}
    assert totals["findings"] == "0" and "not_shown" not in totals
    assert [e for e in tree.iter() if e.get("id") == "findings-table"] == []
    assert "JK002 skipped: <partial> run" in text_of(tree) and "<partial>" not in page


def test_output_file_and_configured_format(site: Path) -> None:
    out = site / "reports" / "postlint.html"
    result = run_cli(["check", "--no-network", "--output-format", "html", "-o", str(out), "."], cwd=site)
    assert result.code == 1 and result.out == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    (site / ".postlint.toml").write_text('output-format = "html"\n', encoding="utf-8")
    configured = run_cli(["check", "--no-network", "."], cwd=site)
    assert configured.out == out.read_text(encoding="utf-8")


def test_every_script_and_style_hash_is_the_one_in_the_module() -> None:
    page = render([_finding("_posts/a.md", 2)])
    assert page.count("<script>") == 1 and page.count("<style>") == 1
    assert f"<script>{html_report.SCRIPT}</script>" in page and f"<style>{html_report.STYLE}</style>" in page
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]{44}'", html_report.CONTENT_SECURITY_POLICY)
