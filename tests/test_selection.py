"""Selection that adds up (repeatable --select/--ignore/--extend-select,
--exclude and --per-file-ignores on the command line) and severities that mean
something (--fail-on, info never fails a run, the severity shown as a word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_site

# DT001 (invalid date) at line 3, FM003 (duplicate key) at 5, HD001 (h1 -> h3) at 9.
POST = "---\nlayout: post\ndate: 2019-13-45\ntitle: a\ntitle: b\n---\n# A\n\n### C\n"
OTHER = "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>x</p>\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, {"_posts/2019-05-13-a.md": POST, "_posts/2019-05-14-b.md": OTHER})


def _codes(site: Path, *args: str) -> list[tuple[str, int, str]]:
    result = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", *args], cwd=site)
    assert result.code in (0, 1), result.err
    return sorted((d["path"].rsplit("/", 1)[-1], d["line"], d["code"]) for d in result.json()["diagnostics"])


def test_reported_case_repeated_select_adds_up(site: Path) -> None:
    found = _codes(site, "--select", "DT001", "--select", "HD001", ".")
    assert {code for _, _, code in found} == {"DT001", "HD001"}
    assert found == _codes(site, "--select", "DT001,HD001", ".")


def test_repeated_ignore_and_extend_select_add_up(site: Path) -> None:
    base = ["--select", "FM003"]
    assert {c for *_, c in _codes(site, *base, "--extend-select", "DT001", "--extend-select", "HD001", ".")} == {
        "FM003", "DT001", "HD001",
    }
    found = _codes(site, "--select", "FM003,DT001,HD001", "--ignore", "DT001", "--ignore", "HD001", ".")
    assert {c for *_, c in found} == {"FM003"}


def test_command_line_selection_adds_to_the_configuration(site: Path) -> None:
    (site / ".postlint.toml").write_text('select = ["FM003"]\nignore = ["DT001"]\n', encoding="utf-8")
    found = _codes(site, "--extend-select", "DT", "--extend-select", "HD001", "--ignore", "DT004", ".")
    assert {c for *_, c in found} == {"FM003", "HD001"}


def test_exclude_and_extend_exclude_on_the_command_line(site: Path) -> None:
    (site / ".postlint.toml").write_text('exclude = ["2019-05-13-a.md"]\n', encoding="utf-8")
    assert {p for p, *_ in _codes(site, "--select", "FM003", ".")} == {"2019-05-14-b.md"}
    # --exclude replaces the configuration's list, --extend-exclude adds to it.
    assert {p for p, *_ in _codes(site, "--select", "FM003", "--exclude", "nothing-*", ".")} == {
        "2019-05-13-a.md", "2019-05-14-b.md",
    }
    assert _codes(site, "--select", "FM003", "--extend-exclude", "*-b.md", ".") == []
    assert _codes(site, "--select", "FM003", "--exclude", "*-a.md", "--exclude", "_posts/2019-05-14-b.md", ".") == []


def test_per_file_ignores_on_the_command_line(site: Path) -> None:
    (site / ".postlint.toml").write_text('[per-file-ignores]\n"*-b.md" = ["FM003"]\n', encoding="utf-8")
    sel = ["--select", "FM003,DT001"]
    assert _codes(site, *sel, ".") == [
        ("2019-05-13-a.md", 3, "DT001"), ("2019-05-13-a.md", 3, "DT001"), ("2019-05-13-a.md", 5, "FM003")]
    # --extend-per-file-ignores adds to the configuration's table, repeatable.
    assert _codes(site, *sel, "--extend-per-file-ignores", "*-a.md:DT001",
                  "--extend-per-file-ignores", "_posts/2019-05-13-a.md:duplicate-key", ".") == []
    # --per-file-ignores replaces it.
    assert _codes(site, *sel, "--per-file-ignores", "*-a.md:DT001,FM003", ".") == [("2019-05-14-b.md", 4, "FM003")]
    # A pattern with "/" is relative to where postlint runs, as the paths are.
    assert _codes(site / "_posts", *sel, "--per-file-ignores", "2019-05-13-a.md:DT001,FM003", ".") == [
        ("2019-05-14-b.md", 4, "FM003")]


@pytest.mark.parametrize("value", ["no-colon", ":FM003", "*.md:", "*.md:NOPE1"])
def test_bad_per_file_ignores_is_a_usage_error(site: Path, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["check", "--per-file-ignores", value, "."], cwd=site)
    said = result.err + capsys.readouterr().err  # argparse writes to sys.stderr itself
    assert result.code == 2 and ("--per-file-ignores" in said or "NOPE1" in said)


# -- severity: --fail-on, info never fails, the word in text output --------------------------

def _run(site: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(["check", "--no-network", "--no-cache", *args], cwd=site)


def test_reported_case_info_findings_do_not_fail_the_run(site: Path) -> None:
    (site / ".postlint.toml").write_text('[severity]\nFM003 = "info"\n', encoding="utf-8")
    result = _run(site, "--select", "FM003", "--output-format", "json", ".")
    assert [d["severity"] for d in result.json()["diagnostics"]] == ["info", "info"]
    assert result.code == 0


@pytest.mark.parametrize(
    "levels, fail_on, status",
    [
        ({"FM003": "info"}, None, 0),
        ({"FM003": "info"}, "info", 1),
        ({"FM003": "warning"}, None, 1),
        ({"FM003": "warning"}, "warning", 1),
        ({"FM003": "warning"}, "error", 0),
        ({"FM003": "error"}, "error", 1),
        ({"FM003": "info", "DT001": "error"}, "error", 1),
        ({"FM003": "warning", "DT001": "info"}, "error", 0),
    ],
)
def test_fail_on_sets_the_threshold(site: Path, levels: dict, fail_on: str, status: int) -> None:  # type: ignore[type-arg]
    table = "".join(f'{k} = "{v}"\n' for k, v in levels.items())
    (site / ".postlint.toml").write_text(f"[severity]\n{table}", encoding="utf-8")
    args = ["--select", ",".join(levels)] + (["--fail-on", fail_on] if fail_on else []) + ["."]
    assert _run(site, *args).code == status


def test_fail_on_in_the_configuration_and_the_command_line_wins(site: Path) -> None:
    (site / ".postlint.toml").write_text('fail-on = "error"\n[severity]\nFM003 = "warning"\n', encoding="utf-8")
    assert _run(site, "--select", "FM003", ".").code == 0
    assert _run(site, "--select", "FM003", "--fail-on", "warning", ".").code == 1
    (site / ".postlint.toml").write_text('fail-on = "fatal"\n', encoding="utf-8")
    bad = _run(site, ".")
    assert bad.code == 2 and ".postlint.toml:1" in bad.err


def test_exit_zero_and_internal_errors_still_decide(site: Path) -> None:
    (site / ".postlint.toml").write_text('[severity]\nFM003 = "error"\n', encoding="utf-8")
    assert _run(site, "--select", "FM003", "--fail-on", "info", "--exit-zero", ".").code == 0


@pytest.mark.parametrize("output_format", ["text", "concise"])
def test_text_output_shows_the_severity_as_a_word(site: Path, output_format: str) -> None:
    import re

    (site / ".postlint.toml").write_text(
        '[severity]\nDT001 = "info"\nFM003 = "warning"\nHD001 = "error"\n', encoding="utf-8"
    )
    result = _run(site, "--select", "FM003,DT001,HD001", "--output-format", output_format, ".")
    head = re.compile(
        r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<code>[A-Z]+\d{3})(?: \[\*\])? \S"
    )
    found = [(m["path"].rsplit("/", 1)[-1], int(m["line"]), int(m["col"]), m["sev"], m["code"])
             for m in map(head.match, result.out.splitlines()) if m]
    assert found == [
        ("2019-05-13-a.md", 3, 12, "info", "DT001"), ("2019-05-13-a.md", 3, 15, "info", "DT001"),
        ("2019-05-13-a.md", 5, 1, "warning", "FM003"), ("2019-05-13-a.md", 9, 1, "error", "HD001"),
        ("2019-05-14-b.md", 4, 1, "warning", "FM003"),
    ]


def test_command_line_select_starts_a_new_selection(site: Path) -> None:
    # As in ruff: the configuration ignores HD001 and DT001, yet `--select
    # HD001` on the command line runs HD001 (and only what it names); its
    # own --ignore still applies.
    (site / ".postlint.toml").write_text('select = ["FM003"]\nignore = ["HD001", "DT001"]\n', encoding="utf-8")
    assert {c for *_, c in _codes(site, ".")} == {"FM003"}
    assert {c for *_, c in _codes(site, "--select", "HD001", ".")} == {"HD001"}
    assert {c for *_, c in _codes(site, "--select", "HD001,DT001", "--ignore", "DT001", ".")} == {"HD001"}


def test_unclosed_div_is_found_with_ht002_and_ht003_ignored(tmp_path: Path) -> None:
    """No rule's findings depend on which other rules are selected: the parse
    error of an unclosed <div> is HT001's as well as HT002's."""
    write_site(tmp_path, {"_posts/2019-05-13-x.html": "---\nlayout: post\ntitle: t\n---\n<div>\n<p>hi</p>\n"})
    result = run_cli(["check", "--no-cache", "--no-network", "--ignore", "HT002,HT003", "--output-format", "json",
                      "."], cwd=tmp_path)
    assert result.code == 1, result.out
    found = [(d["code"], d["line"], d["column"]) for d in result.json()["diagnostics"]]
    assert found == [("HT001", 6, 10)]  # at the end of input, after the last </p>


def test_no_code_finds_less_or_more_when_selected_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code's findings on examples/ are the same with every rule selected
    and with that code alone. PL002 (an unused suppression) is the exception
    by its nature: a suppression of a rule that did not run is not unused."""
    import json

    from tests.conftest import REPO

    monkeypatch.setenv("POSTLINT_NOW", "2026-06-01T00:00:00+00:00")  # DT005 judges against the clock
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    site = REPO / "examples"

    def found(*args: str) -> list[tuple[str, int, int, int, int, str, str]]:
        result = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", *args, "."], cwd=site)
        assert result.code in (0, 1), result.err
        return sorted((d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"], d["message"])
                      for d in json.loads(result.out)["diagnostics"])

    everything = found()
    codes = sorted({f[5] for f in everything} - {"PL002"})
    assert len(codes) >= 10  # examples/ shows most rules
    for code in codes:
        assert found("--select", code) == [f for f in everything if f[5] == code], code
        # and ignoring it changes no other code's findings
        others = [f for f in everything if f[5] not in (code, "PL002")]
        assert [f for f in found("--ignore", code) if f[5] != "PL002"] == others, code
