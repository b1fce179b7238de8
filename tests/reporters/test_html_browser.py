"""The HTML report in a real browser: Debian's headless Chromium, a fresh
profile, no network (tests/reporters/chromium.py), the page loaded from disk
(file://). It loads with no console error and no request but its own file,
its script runs under its own Content-Security-Policy (which refuses any other
script), the counts it shows equal the JSON report's for the same run, the rule
and severity filters and the sorting work, hostile post text and file names do
not execute, and with scripting off every finding is visible. A screenshot is
written to the test's folder and, when POSTLINT_SCREENSHOT_DIR is set, there.

In CI (CI=true) a missing chromium fails these tests; .ci/run installs it."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, write_site
from tests.reporters.chromium import Browser, Page, chromium_or_skip
from tests.reporters.test_html import SITE, XSS_IMG

# A second month and an undated post with more findings, for the chart and the filters.
POSTS = {
    **SITE,
    "_posts/2019-05-20-koppen.md": "---\nlayout: post\ntitle: K\ndate: Mon, 20 May 2019 10:00:00 +0200\n---\n"
                                   "## a\n#### b\n##\n",
    "_posts/2019-06-03-open.md": "---\nlayout: post\ntitle: O\ndate: Mon, 3 Jun 2019 10:00:00 +0200\n---\n"
                                 "<p><b>vet <i>schuin</p>\n<div>\n",
}

ROWS = "Array.from(document.querySelectorAll('#findings-table tbody tr'))"
VISIBLE = f"{ROWS}.filter(r => r.offsetParent !== null)"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    binary = chromium_or_skip()
    started = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield started
    started.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    site = write_site(tmp_path_factory.mktemp("site"), POSTS, config="title: T\ntimezone: Europe/Amsterdam\n")
    page = site / "report" / "postlint.html"
    html_run = run_cli(
        ["check", "--no-network", "--no-cache", "--output-format", "html", "-o", str(page), "."], cwd=site
    )
    json_run = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", "."], cwd=site)
    assert html_run.code == json_run.code == 1, html_run.err
    return page, json_run.json()


def _screenshot(page: Page, folder: Path, name: str) -> None:
    shot = page.screenshot(folder / name)
    assert shot.stat().st_size > 10_000  # a page, not a blank
    if os.environ.get("POSTLINT_SCREENSHOT_DIR"):
        keep = Path(os.environ["POSTLINT_SCREENSHOT_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, keep / name)


def test_loads_from_disk_without_errors_or_requests_and_shows_the_json_counts(
    browser: Browser, reports: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, doc = reports
    page = browser.page()
    page.open(path.as_uri())
    page.settle()
    assert page.errors() == []
    assert [r["url"] for r in page.requests] == [path.as_uri()]
    assert page.dialogs == []
    # The script ran (under the policy): the controls it reveals are shown.
    assert page.evaluate("document.getElementById('controls').hidden") is False

    totals = page.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('[data-total]'), "
                           "e => [e.dataset.total, Number(e.textContent)]))")
    summary = doc["summary"]
    assert totals == {k: summary[k] for k in totals} and set(totals) >= {"findings", "errors", "warnings", "files"}
    per_rule = Counter(d["code"] for d in doc["diagnostics"])
    shown = page.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('#rules-table a[data-rule]'), "
                          "a => [a.dataset.rule, Number(a.textContent)]))")
    assert shown == per_rule
    assert page.evaluate(f"{VISIBLE}.length") == summary["findings"]
    assert page.evaluate("document.getElementById('shown').textContent") == str(summary["findings"])
    # The chart: a drawn bar for each month with dated findings (the months between stay empty).
    bars = page.evaluate("Array.from(document.querySelectorAll('svg g[data-bar]'), g => "
                         "[g.dataset.bar, Number(g.dataset.count), g.getBoundingClientRect().height > 0])")
    assert [bar[0] for bar in bars] == ["2019-05", "2019-06", "2020-01"] and all(bar[2] for bar in bars)
    _screenshot(page, tmp_path, "postlint-report.png")


def test_filters_and_sorting_work(browser: Browser, reports: tuple[Path, dict[str, Any]]) -> None:
    path, doc = reports
    page = browser.page()
    page.open(path.as_uri())
    per_rule = Counter(d["code"] for d in doc["diagnostics"])
    for code, count in per_rule.items():
        page.evaluate(f"var s = document.getElementById('rule-filter'); s.value = {json.dumps(code)}; "
                      "s.dispatchEvent(new Event('change')); 0")
        assert page.evaluate(f"{VISIBLE}.map(r => r.dataset.rule)") == [code] * count
        assert page.evaluate("document.getElementById('shown').textContent") == str(count)
    # Severity on top of the rule: none of FM003's findings is a warning.
    page.evaluate("var s = document.getElementById('severity-filter'); s.value = 'warning'; "
                  "s.dispatchEvent(new Event('change')); 0")
    assert page.evaluate(f"{VISIBLE}.length") == sum(
        1 for d in doc["diagnostics"] if d["code"] == code and d["severity"] == "warning")
    # A count in the rules table filters by its rule (and resets the severity).
    page.evaluate("document.querySelector('#rules-table a[data-rule=\"FM003\"]').click(); 0")
    assert page.evaluate(f"{VISIBLE}.map(r => r.dataset.rule)") == ["FM003"] * per_rule["FM003"]
    page.evaluate(
        "var s = document.getElementById('rule-filter'); s.value = ''; s.dispatchEvent(new Event('change')); 0"
    )
    assert page.evaluate(f"{VISIBLE}.length") == len(doc["diagnostics"])

    def click(column: str) -> list[Any]:
        page.evaluate(f"document.querySelector('th[data-sort=\"{column}\"] button').click(); 0")
        return page.evaluate(f"{ROWS}.map(r => [r.dataset.rule, r.dataset.path, Number(r.dataset.line)])")

    by_rule = click("rule")
    assert [r[0] for r in by_rule] == sorted(d["code"] for d in doc["diagnostics"])
    assert page.evaluate("document.querySelector('th[data-sort=\"rule\"]').getAttribute('aria-sort')") == "ascending"
    assert [r[0] for r in click("rule")] == sorted((d["code"] for d in doc["diagnostics"]), reverse=True)
    rank = {"error": 0, "warning": 1, "info": 2}
    severities = page.evaluate(f"(document.querySelector('th[data-sort=\"severity\"] button').click(), "
                               f"{ROWS}.map(r => r.dataset.severity))")
    assert severities == sorted((d["severity"] for d in doc["diagnostics"]), key=rank.__getitem__)
    assert [r[1:] for r in click("path")] == [[d["path"], d["line"]] for d in doc["diagnostics"]]
    assert page.errors() == [] and page.dialogs == []


def test_hostile_text_does_not_execute(browser: Browser, reports: tuple[Path, dict[str, Any]]) -> None:
    path, _doc = reports
    page = browser.page()
    page.open(path.as_uri())
    page.settle()
    assert page.dialogs == []  # alert(1) never ran
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
    named = f"_posts/2019-05-13-{XSS_IMG}.md"
    cells = page.evaluate(
        f"{ROWS}.filter(r => r.dataset.path === {json.dumps(named)}).map(r => r.cells[0].textContent)"
    )
    assert cells == [named, named, named]  # shown as text (FM003, HT001, HT003)
    frame = page.evaluate(f"{ROWS}.find(r => r.dataset.rule === 'HT003').querySelector('pre').textContent")
    assert "<script>alert(1)</script><img src=x onerror=alert(1)>" in frame
    assert [r["url"] for r in page.requests] == [path.as_uri()]


def test_the_policy_refuses_any_other_script(browser: Browser, reports: tuple[Path, dict[str, Any]]) -> None:
    """The CSP is in force: a script the page did not bring is blocked, and
    the browser says so (which also shows the error check above can fail)."""
    path, _doc = reports
    page = browser.page()
    page.open(path.as_uri())
    page.evaluate("var s = document.createElement('script'); s.textContent = 'window.injected = 1'; "
                  "document.body.appendChild(s); 0")
    page.settle()
    assert page.evaluate("typeof window.injected") == "undefined"
    assert any("Content Security Policy" in error for error in page.errors())


def test_without_scripting_every_finding_is_visible(
    browser: Browser, reports: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, doc = reports
    page = browser.page(scripts=False)
    page.open(path.as_uri())
    page.settle()
    assert page.errors() == [] and page.dialogs == []
    assert page.evaluate("document.getElementById('controls').offsetParent") is None  # no dead controls
    assert page.evaluate(f"{VISIBLE}.length") == len(doc["diagnostics"])
    assert page.evaluate(f"{ROWS}.map(r => r.dataset.path + ':' + r.dataset.line)") == [
        f"{d['path']}:{d['line']}" for d in doc["diagnostics"]]
    assert (
        page.evaluate("Number(document.querySelector('[data-total=findings]').textContent)")
        == doc["summary"]["findings"]
    )
    _screenshot(page, tmp_path, "postlint-report-noscript.png")


def test_the_example_sites_report(browser: Browser, tmp_path: Path) -> None:
    """examples/ (every rule family's findings, a 2091 post, an undated one)."""
    from tests.conftest import REPO

    page_file = tmp_path / "examples.html"
    args = ["check", "--no-network", "--no-cache", str(REPO / "examples")]
    assert run_cli([*args[:3], "--output-format", "html", "-o", str(page_file), args[3]]).code == 1
    doc = run_cli([*args[:3], "--output-format", "json", args[3]]).json()
    page = browser.page()
    page.open(page_file.as_uri())
    page.settle()
    assert page.errors() == [] and page.dialogs == []
    assert [r["url"] for r in page.requests] == [page_file.as_uri()]
    assert (
        page.evaluate("Number(document.querySelector('[data-total=findings]').textContent)")
        == doc["summary"]["findings"]
    )
    assert page.evaluate(f"{VISIBLE}.length") == len(doc["diagnostics"])
    shown = page.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('#rules-table a[data-rule]'), "
                          "a => [a.dataset.rule, Number(a.textContent)]))")
    assert shown == Counter(d["code"] for d in doc["diagnostics"])
    _screenshot(page, tmp_path, "postlint-report-examples.png")
