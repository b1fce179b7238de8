"""DT001-DT005 through the engine: codes and positions in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.config import Settings
from postlint.jekyll import Site
from tests.conftest import lint, run_cli, spans, write_site


def post(date_line: str, newline: str = "\n") -> str:
    return f"---\nlayout: post\ntitle: t\n{date_line}\n---\n<p>x</p>\n".replace("\n", newline)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "date_line, expected",
    [
        ("date: Mon, 13 May 2019 12:45:33 +0200", []),
        ("date: 13 May 2019 12:45 +0200", []),  # no weekday, no seconds: allowed
        ("date: Mon, 13 May 2019 12:45:33 +0200 (CEST)", []),  # a comment after the zone
        ("date: Mon, 32 May 2019 12:45:33 +0200", [(4, 12, 4, 14, "DT001")]),
        ("date: Wed, 31 Apr 2019 12:45:33 +0200", [(4, 12, 4, 14, "DT001")]),
        ("date: Fri, 29 Feb 2019 12:45:33 +0200", [(4, 12, 4, 14, "DT001")]),
        ("date: Thu, 29 Feb 2024 12:45:33 +0100", []),  # a leap day
        ("date: Mon, 13 Mei 2019 12:45:33 +0200", [(4, 15, 4, 18, "DT001")]),
        ("date: Mon, 13 May 2019 12:45:33 +2", [(4, 33, 4, 35, "DT001")]),
        ("date: Mon, 13 May 2019 12:45:33", [(4, 24, 4, 32, "DT001")]),  # at the time that lacks a zone
        ("date: Tue, 13 May 2019 12:45:33 +0200", [(4, 7, 4, 10, "DT002")]),
        ("date: Mon, 13 May 2019 12:45:33 GMT", [(4, 33, 4, 36, "DT003")]),
        ("date: Mon, 13 May 19 12:45:33 +0200", [(4, 19, 4, 21, "DT003")]),
        ('date: "Tue, 13 May 2019 12:45:33 +0200"', [(4, 8, 4, 11, "DT002")]),  # quoted: offsets inside quotes
        ("date: 2019-05-13 12:45:33 +0200", []),  # Jekyll's own format is accepted by default
        ("date: 2019-13-13 12:45:33 +0200", [(4, 12, 4, 14, "DT001")]),
    ],
)
def test_date_rules_positions(date_line: str, expected: list, newline: str) -> None:  # type: ignore[type-arg]
    found = spans(lint(post(date_line, newline), select=["DT001", "DT002", "DT003"]))
    assert found == expected


def test_date_format_is_configurable() -> None:
    settings = Settings(root=Path("."), tables={"dates": {"format": "jekyll", "accept": []}})
    assert [d.code for d in lint(post("date: Mon, 13 May 2019 12:45:33 +0200"), settings=settings, select=["DT001"])] == ["DT001"]
    assert lint(post("date: 2019-05-13 12:45:33 +0200"), settings=settings, select=["DT"]) == []
    settings = Settings(root=Path("."), tables={"dates": {"keys": ["date", "updated"]}})
    text = "---\ndate: Mon, 13 May 2019 12:45:33 +0200\nupdated: Tue, 13 May 2019 13:00:00 +0200\n---\n"
    assert spans(lint(text, settings=settings, select=["DT002"])) == [(3, 10, 3, 13, "DT002")]


def test_yaml_timestamps_are_checked_as_written() -> None:
    # PyYAML would make a datetime of this; postlint keeps the text and checks it.
    assert lint(post("date: 2019-05-13 12:45:33"), select=["DT001"]) == []
    assert [d.code for d in lint(post("date: 2019-05-32"), select=["DT001"])] == ["DT001"]


def test_non_string_date_is_a_finding() -> None:
    assert spans(lint(post("date: 20190513"), select=["DT001"])) == [(4, 7, 4, 15, "DT001")]


def test_dt004_uses_site_timezone_or_own_offset() -> None:
    text = post("date: Tue, 14 May 2019 00:30:00 +0200")
    path = "_posts/2019-05-13-x.md"
    assert spans(lint(text, path=path, select=["DT004"])) == [(4, 7, 4, 38, "DT004")]
    # In UTC the same moment is still 13 May: no finding.
    assert lint(text, path=path, select=["DT004"], site=Site(timezone="UTC")) == []
    assert lint(text, path="_posts/2019-05-14-x.md", select=["DT004"]) == []


def test_dt005_future_dates_with_pinned_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTLINT_NOW", "2019-05-13T12:00:00+00:00")
    write_site(tmp_path, {
        "_posts/2019-05-13-past.md": post("date: Mon, 13 May 2019 10:00:00 +0000"),
        "_posts/2019-05-13-future.md": post("date: Mon, 13 May 2019 14:00:00 +0000"),
        "_posts/2019-05-14-nodate.md": "---\nlayout: post\ntitle: t\npublished: false\n---\n",
    })
    doc = run_cli(["check", "--select", "DT005", "--output-format", "json", "."], cwd=tmp_path).json()
    found = [(d["path"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert found == [("_posts/2019-05-13-future.md", 4, 7), ("_posts/2019-05-14-nodate.md", 1, 1)]
    assert "unpublished" in doc["diagnostics"][1]["message"]
    (tmp_path / "_config.yml").write_text("future: true\n")
    assert run_cli(["check", "--select", "DT005", "."], cwd=tmp_path).code == 0


def test_dt003_fix_is_safe_and_dt002_fix_unsafe() -> None:
    [obsolete] = lint(post("date: Mon, 13 May 2019 12:45:33 GMT"), select=["DT003"])
    assert obsolete.fix is not None and obsolete.fix.applicability == "safe"
    [weekday] = lint(post("date: Tue, 13 May 2019 12:45:33 +0200"), select=["DT002"])
    assert weekday.fix is not None and weekday.fix.applicability == "unsafe"
    assert weekday.fix.edits[0].content == "Mon, 13 May 2019 12:45:33 +0200"
