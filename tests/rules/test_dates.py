"""DT001-DT005 through the engine: codes and positions in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.engine.config import Settings
from postlint.model.site import Site
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
        ("date: 11-9-2017", [(4, 7, 4, 16, "DT001")]),  # day first: checked as a numeric date
        ("date: 2019-5-3 9:05:00", []),  # a YAML 1.1 timestamp
        ("date: Mon, 13 May 2019 12:45:33 -0000", []),  # current syntax: UTC, local offset unknown
        ("date: Tue Mar  5 09:10:11 CET 2019", [(4, 7, 4, 35, "DT001")]),
    ],
)
def test_date_rules_positions(date_line: str, expected: list, newline: str) -> None:  # type: ignore[type-arg]
    found = spans(lint(post(date_line, newline), select=["DT001", "DT002", "DT003"]))
    assert found == expected


def test_date_format_is_configurable() -> None:
    settings = Settings(root=Path("."), tables={"dates": {"format": "jekyll", "accept": []}})
    assert [
        d.code for d in lint(post("date: Mon, 13 May 2019 12:45:33 +0200"), settings=settings, select=["DT001"])
    ] == ["DT001"]
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


def dates_settings(**options: object) -> Settings:
    return Settings(root=Path("."), tables={"dates": dict(options)})


def test_dt004_assumes_a_utc_build_without_site_timezone() -> None:
    text = post("date: Tue, 14 May 2019 00:30:00 +0200")
    path = "_posts/2019-05-13-x.md"
    # No timezone in _config.yml: Jekyll on GitHub Pages builds in UTC, where this is 13 May, 22:30.
    assert lint(text, path=path, select=["DT004"]) == []
    assert spans(lint(text, path="_posts/2019-05-14-x.md", select=["DT004"])) == [(4, 7, 4, 38, "DT004")]
    # Another assumed build zone, named in the message as assumed.
    [found] = lint(text, path=path, select=["DT004"], settings=dates_settings(**{"build-timezone": "Europe/Amsterdam"}))
    assert spans([found]) == [(4, 7, 4, 38, "DT004")]
    assert "Europe/Amsterdam" in found.message and "build-timezone" in found.message
    # The site's own timezone wins over the assumption, and is named.
    [found] = lint(text, path=path, select=["DT004"], site=Site(timezone="Asia/Tokyo"))
    assert "Asia/Tokyo" in found.message and "build-timezone" not in found.message
    assert lint(text, path=path, select=["DT004"], site=Site(timezone="UTC")) == []


@pytest.mark.parametrize(
    "date_line, expected",
    [
        # a plain YAML timestamp without zone is UTC: 01:30 on the 14th in Amsterdam
        ("date: 2019-05-13 23:30:00", [(4, 7, 4, 26, "DT004")]),
        # a quoted one is a string: Ruby reads it as local (Amsterdam) time
        ("date: '2019-05-13 23:30:00'", []),
        # no seconds: not a YAML timestamp, local time
        ("date: 2019-05-13 23:30", []),
        ("date: 2019-05-13", []),
        ("date: 2019-05-13 23:30:00 UTC", [(4, 7, 4, 30, "DT004")]),
    ],
)
def test_dt004_reads_zoneless_dates_as_jekyll_does(date_line: str, expected: list) -> None:  # type: ignore[type-arg]
    site = Site(timezone="Europe/Amsterdam")
    assert spans(lint(post(date_line), select=["DT004"], site=site)) == expected


def test_unknown_build_timezone_is_a_configuration_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-x.md": post("date: 2019-05-13 12:00:00 +0000")})
    (tmp_path / ".postlint.toml").write_text('[dates]\nbuild-timezone = "Mars/Olympus_Mons"\n')
    result = run_cli(["check", "--select", "DT004", "."], cwd=tmp_path)
    assert result.code == 2 and "build-timezone" in result.err
    (tmp_path / ".postlint.toml").write_text('[dates]\nbuild-timezone = "America/New_York"\n')
    assert run_cli(["check", "--select", "DT004", "."], cwd=tmp_path).code == 0


def test_jk002_converts_dates_to_the_build_zone(tmp_path: Path) -> None:
    # 00:30 at +0200 on the 14th is the 13th in UTC: the same URL as the dateless post.
    write_site(tmp_path, {
        "_posts/2019-05-13-zelfde.md": post("date: Tue, 14 May 2019 00:30:00 +0200"),
        "_posts/2019-05-13-zelfde.html": "---\nlayout: post\ntitle: t\n---\n<p>x</p>\n",
    })
    doc = run_cli(["check", "--select", "JK002", "--output-format", "json", "."], cwd=tmp_path).json()
    assert sorted(d["path"] for d in doc["diagnostics"]) == [
        "_posts/2019-05-13-zelfde.html",
        "_posts/2019-05-13-zelfde.md",
    ]
    (tmp_path / "_config.yml").write_text("timezone: Europe/Amsterdam\n")
    doc = run_cli(["check", "--select", "JK002", "--output-format", "json", "."], cwd=tmp_path).json()
    assert doc["diagnostics"] == []


def test_jk002_names_the_zone_it_assumed_for_a_dated_post(tmp_path: Path) -> None:
    write_site(tmp_path, {
        "_posts/2019-05-13-zelfde.md": post("date: Tue, 14 May 2019 00:30:00 +0200"),
        "_posts/2019-05-13-zelfde.html": "---\nlayout: post\ntitle: t\n---\n<p>x</p>\n",
    })
    doc = run_cli(["check", "--select", "JK002", "--output-format", "json", "."], cwd=tmp_path).json()
    by_path = {d["path"]: d["message"] for d in doc["diagnostics"]}
    # The dated post's URL took its day in the assumed build zone: say which.
    assert "UTC" in by_path["_posts/2019-05-13-zelfde.md"]
    assert "build-timezone" in by_path["_posts/2019-05-13-zelfde.md"]
    # The dateless one took it from its file name: no zone to name.
    assert "build-timezone" not in by_path["_posts/2019-05-13-zelfde.html"]
    (tmp_path / ".postlint.toml").write_text('[dates]\nbuild-timezone = "Europe/London"\n')
    doc = run_cli(["check", "--select", "JK002", "--output-format", "json", "."], cwd=tmp_path).json()
    by_path = {d["path"]: d["message"] for d in doc["diagnostics"]}
    assert "Europe/London" in by_path["_posts/2019-05-13-zelfde.md"]


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


def test_issue_cases_through_the_engine() -> None:
    # Ruby's Time#to_s, which Jekyll reads: valid; -0000 is current RFC 5322 syntax.
    assert lint(post("date: 2019-05-13 23:30:00 UTC"), select=["DT"]) == []
    assert lint(post("date: Mon, 13 May 2019 12:45:33 -0000"), select=["DT"]) == []
    assert lint(post("date: 2019-5-3 9:05:00 +2"), path="_posts/2019-05-03-x.md", select=["DT"]) == []
    # A ctime-style date: one DT001, fixed to the RFC 5322 date it stands for.
    text = post("date: Tue Mar  5 09:10:11 CET 2019")
    [found] = lint(text, path="_posts/2019-03-05-x.md", select=["DT"])
    assert spans([found]) == [(4, 7, 4, 35, "DT001")]
    assert found.fix is not None and found.fix.applicability == "unsafe"
    assert [e.content for e in found.fix.edits] == ["Tue, 5 Mar 2019 09:10:11 +0100"]
    # An ambiguous zone name: reported, no fix.
    [found] = lint(post("date: Tue Mar  5 09:10:11 CST 2019"), path="_posts/2019-03-05-x.md", select=["DT"])
    assert found.code == "DT001" and found.fix is None


def test_no_fix_that_would_contradict_the_file_name() -> None:
    # The corrected date falls on the 5th, the file says the 4th: which is wrong is not known.
    [found] = lint(post("date: Tue Mar  5 09:10:11 CET 2019"), path="_posts/2019-03-04-x.md", select=["DT"])
    assert found.code == "DT001" and found.fix is None
    assert "2019-03-04" in found.message


def test_no_fix_that_would_change_what_yaml_reads() -> None:
    # In a flow mapping the comma the fix adds would end the value.
    text = "---\n{title: t, date: Mon 13 May 2019 12:45:33 +0200}\n---\n<p>x</p>\n"
    [found] = lint(text, select=["DT001"])
    assert found.fix is None
    [found] = lint(post("date: Mon 13 May 2019 12:45:33 +0200"), select=["DT001"])
    assert found.fix is not None and found.fix.edits[0].content == "Mon, 13 May 2019 12:45:33 +0200"


def test_unsafe_fix_of_a_ctime_date_on_disk(tmp_path: Path) -> None:
    original = post("date: 'Tue Mar  5 09:10:11 CET 2019'", "\r\n")
    write_site(tmp_path, {"_posts/2019-03-05-x.md": original})
    target = tmp_path / "_posts/2019-03-05-x.md"
    assert run_cli(["check", "--select", "DT", "--fix", "."], cwd=tmp_path).code == 1  # unsafe: not applied
    assert target.read_bytes() == original.encode()
    run_cli(["check", "--select", "DT", "--fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert (
        target.read_bytes()
        == original.replace("Tue Mar  5 09:10:11 CET 2019", "Tue, 5 Mar 2019 09:10:11 +0100").encode()
    )
    assert run_cli(["check", "--select", "ALL", "--no-network", "."], cwd=tmp_path).code == 0
    again = run_cli(["check", "--select", "DT", "--fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert again.code == 0 and target.read_bytes().count(b"\r\n") == original.count("\r\n")


def test_dt005_reads_zoneless_dates_in_the_build_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTLINT_NOW", "2019-05-13T11:00:00+00:00")
    write_site(tmp_path, {"_posts/2019-05-13-x.md": post("date: 2019-05-13 12:00")})
    # Built in UTC, 12:00 is an hour ahead of the clock: not published yet.
    doc = run_cli(["check", "--select", "DT005", "--output-format", "json", "."], cwd=tmp_path).json()
    assert [(d["line"], d["column"]) for d in doc["diagnostics"]] == [(4, 7)]
    # Built in Amsterdam, 12:00 is 10:00 UTC: published.
    (tmp_path / ".postlint.toml").write_text('[dates]\nbuild-timezone = "Europe/Amsterdam"\n')
    assert run_cli(["check", "--select", "DT005", "."], cwd=tmp_path).code == 0
