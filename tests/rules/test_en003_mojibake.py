"""EN003 leaves mojibake to EN002 (issue 10.4): a control character inside a
span EN002 reports is never an EN003 finding, whatever is selected, and no fix,
alone or combined, makes text that ftfy could repair unrepairable."""

from __future__ import annotations

from pathlib import Path

import ftfy
import pytest

from postlint.engine.fixes import applicable, apply_fixes
from tests.conftest import lint, run_cli, spans, write_site

FRONT = "---\nlayout: post\ntitle: Test\n---\n"

# Written for these tests: C1 controls (and one zero-width space) inside and
# beside mojibake, each a case ftfy repairs.
CASES = [
    "I \u00e2\x9d\u00a4 Jekyll\n",                       # ❤ as cp1252/latin-1 mojibake: E2 9D A4
    "\u00e2\x80\x9cquoted\u00e2\x80\x9d text\n",          # “quoted” read as Latin-1
    "Caf\u00c3\x81 and \u00e2\x80\x94 dash\n",           # Á and an em dash, C1 in both
    "Jekyll \u00e2\x9d\u00a4 and a stray\x01 control\n",  # a real stray beside mojibake
    "it\x92s \u00e2\x80\x99 too, and a\u200b gap\n",       # cp1252-meaning C1, ZWSP
]
SELECTIONS = [["EN003"], ["EN002"], ["EN002", "EN003"], ["ALL"]]


def _fixed(text: str, select: list[str]) -> str:
    """The body after --fix passes with `select` until nothing changes."""
    source = FRONT + text
    for _ in range(5):
        fixes = applicable(lint(source, select=select), unsafe=False)
        new = apply_fixes(source, fixes).text
        if new == source:
            break
        source = new
    return source[len(FRONT):]


def _strip_strays(text: str) -> str:
    return "".join(c for c in text if c not in "\x01\u200b")


@pytest.mark.parametrize("select", SELECTIONS)
@pytest.mark.parametrize("text", CASES)
def test_no_fix_makes_repairable_text_unrepairable(text: str, select: list[str]) -> None:
    repaired = ftfy.fix_text(text)
    assert repaired != text                          # the case is one ftfy repairs
    after = _fixed(text, select)
    # Whatever the fixes did, ftfy still gets to the same text (less the
    # genuinely stray characters EN003 may delete).
    assert _strip_strays(ftfy.fix_text(after)) == _strip_strays(repaired)


@pytest.mark.parametrize("select", SELECTIONS)
def test_control_inside_mojibake_is_never_en003(select: list[str]) -> None:
    found = spans(lint(FRONT + CASES[0], select=select))
    # `I â\x9d¤ Jekyll`: the \x9d at column 4 belongs to EN002's span 3-6.
    assert [f for f in found if f[4] == "EN003"] == []
    if "EN002" in select or select == ["ALL"]:
        assert [f for f in found if f[4] == "EN002"] == [(5, 3, 5, 6, "EN002")]


def test_stray_beside_mojibake_still_reported() -> None:
    found = spans(lint(FRONT + CASES[3], select=["EN002", "EN003"]))
    assert found == [(5, 8, 5, 11, "EN002"), (5, 23, 5, 24, "EN003")]


def test_select_en003_fix_keeps_the_heart(tmp_path: Path) -> None:
    # The case on a real file: `--select EN003 --fix` used to delete
    # the \x9d, after which `❤` could not be recovered.
    post = "_posts/2019-05-13-hart.md"
    write_site(tmp_path, {post: FRONT + CASES[0]})
    run_cli(["check", "--no-network", "--select", "EN003", "--fix", "."], cwd=tmp_path)
    after = (tmp_path / post).read_text(encoding="utf-8")
    assert after == FRONT + CASES[0]
    assert ftfy.fix_text(after[len(FRONT):]) == "I ❤ Jekyll\n"
    run_cli(["check", "--no-network", "--fix", "."], cwd=tmp_path)
    assert (tmp_path / post).read_text(encoding="utf-8") == FRONT + "I ❤ Jekyll\n"


def test_many_strays_beside_mojibake_cost_one_check_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Linear in the line (issue 12): the ftfy check of EN003's deletions runs
    # once per line with mojibake, not once per stray character.
    import postlint.rules.encoding.detect as m

    real = m.find_mojibake
    calls = [0]

    def counting(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(m, "find_mojibake", counting)
    line = "Daniël zei\u200b het\u200b " * 2000 + "Caf\u00c3\u00a9\n"
    from postlint.engine.config import Settings

    settings = Settings(root=Path("."))
    settings.max_findings_per_rule = 0  # every one of them, not the first 100
    found = lint(FRONT + line, select=["EN002", "EN003"], settings=settings)
    assert sum(d.code == "EN003" and d.fix is not None for d in found) == 4000
    assert [d.code for d in found].count("EN002") == 1
    assert calls[0] <= 2 + 1 + 2  # two front-matter values, the body, the line before and after


def test_invalid_byte_after_mojibake_lead_is_en001_only() -> None:
    # "Ã" then an invalid byte: our decoding puts U+FFFD there, which EN002
    # would call the lossy mojibake "Ã�" -> "�". One defect: EN001's.
    source = FRONT.encode() + b"Dit is \xc3\x83\xa9 en dat.\n"
    assert spans(lint(source)) == [(5, 9, 5, 10, "EN001")]
