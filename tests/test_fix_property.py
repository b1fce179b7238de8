"""Every fix is an improvement (issue 10.5): for every rule that declares a fix,
posts with that rule's defect are generated; applying the rule's fixes (safe,
and unsafe where the rule's fix is unsafe) leaves a post on which that rule no
longer fires and no other rule fires anew.  Plus every fixable finding on
../shared/corpora, fixed in memory (the corpora are never written).

The rules come from the registry: a fixable rule without a generator below
fails `test_every_fixable_rule_has_a_generator`, so a new fixable rule gets one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ftfy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postlint.engine.config import Settings
from postlint.engine.discover import discover
from postlint.engine.fixes import applicable, apply_fixes
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic
from tests.conftest import REPO, run_cli
from tests.net.conftest import server  # noqa: F401 - fixture
from tests.net.server import TestServer, redirect, reply
from tests.rules.test_urls import make_site

REGISTRY = load()
FIXABLE = {r.code: r for r in REGISTRY if r.fix}
PATH = "_posts/2019-05-13-bericht.md"
CORPORA = REPO.parent / "shared" / "corpora"

# -- generators (all text written for these tests) --------------------------------

WORDS = ["Het", "waterschap", "sluit", "de", "sluizen", "vandaag", "om", "tien", "uur",
         "Daniël", "café", "naïef", "coöperatie", "één", "reünie", "it’s", "“citaat”", "5 €", "—"]
ACCENTED = ["Daniël", "café", "naïef", "coöperatie", "één", "reünie", "it’s", "“citaat”", "€ 5", "—", "Zürich"]


def garble(s: str, encoding: str = "cp1252") -> str:
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode(encoding))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def _post(front: str = "", body: str = "Tekst.\n") -> str:
    return "---\nlayout: post\ntitle: Bericht\ndate: Mon, 13 May 2019 12:45:33 +0200\n" + front + "---\n" + body


prose = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(" ".join)


@st.composite
def mojibake_post(draw: Any) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8))
        bad = draw(st.sampled_from(ACCENTED))
        enc = draw(st.sampled_from(["cp1252", "latin-1"]))
        words.insert(draw(st.integers(0, len(words))), garble(bad, enc))
        lines.append(" ".join(words))
    markdown = draw(st.booleans())
    body = "\n\n".join(lines) + "\n" if markdown else "".join(f"<p>{line}</p>\n" for line in lines)
    title = garble(draw(st.sampled_from(ACCENTED))) if draw(st.booleans()) else "Bericht"
    return ("---\nlayout: post\ntitle: \"" + title + "\"\ndate: Mon, 13 May 2019 12:45:33 +0200\n---\n" + body,
            markdown)


STRAYS = ["\u200b", "\x01", "\x7f", "\u2060", "\x81", "\x1b", "\ufeff", "\u200b\u200b"]


@st.composite
def stray_post(draw: Any) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8))
        pos = draw(st.integers(0, len(words)))
        words[pos:pos] = [draw(st.sampled_from(STRAYS))]
        if draw(st.integers(0, 3)) == 0:      # mojibake holding a C1 control beside it
            words.insert(0, garble(draw(st.sampled_from(["❤", "“x”", "Á", "—"])), "latin-1"))
        glue = draw(st.sampled_from(["", " "]))
        lines.append(glue.join(words) if len(words) < 3 else " ".join(words[:-1]) + glue + words[-1])
    return _post(body="\n\n".join(lines) + "\n"), True


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _dated(draw: Any, make: Callable[[Any], str]) -> str:
    from datetime import datetime

    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    hour = draw(st.integers(6, 18))  # the same day in UTC, the build zone DT004 assumes
    when = datetime(2019, month, day, hour, draw(st.integers(0, 59)), draw(st.integers(0, 59)))
    value = make(when)
    return ("---\nlayout: post\ntitle: Bericht\ndate: " + value + "\n---\nTekst.\n",
            f"_posts/{when:%Y-%m-%d}-bericht.md")


def _rfc(when: Any, day: str | None = None, year: str | None = None, zone: str = "+0200") -> str:
    return (f"{day or DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} "
            f"{year or when.year} {when:%H:%M:%S} {zone}")


@st.composite
def invalid_date_post(draw: Any) -> tuple[str, str]:
    # Forms DT001 offers a fix for (a zone name it knows, ctime-style).
    form = draw(st.sampled_from(["short-zone", "zone-name", "ctime"]))
    if form == "short-zone":
        return _dated(draw, lambda w: _rfc(w, zone=draw(st.sampled_from(["+2", "+1", "-5"]))))
    if form == "zone-name":
        return _dated(draw, lambda w: _rfc(w, zone="CEST" if 4 <= w.month <= 9 else "CET"))
    return _dated(draw, lambda w: f"{DAYS[w.weekday()]} {MONTHS[w.month - 1]} {w.day:>2} {w:%H:%M:%S} "
                                  f"{'CEST' if 4 <= w.month <= 9 else 'CET'} {w.year}")


@st.composite
def wrong_weekday_post(draw: Any) -> tuple[str, str]:
    shift = draw(st.integers(1, 6))
    return _dated(draw, lambda w: _rfc(w, day=DAYS[(w.weekday() + shift) % 7]))


@st.composite
def obsolete_date_post(draw: Any) -> tuple[str, str]:
    zone = draw(st.sampled_from(["GMT", "UT", "EST", "EDT", "PDT", "+0200"]))
    two_digit = draw(st.booleans()) or zone == "+0200"
    return _dated(draw, lambda w: _rfc(w, year=f"{w.year % 100:02d}" if two_digit else None, zone=zone))


@st.composite
def unused_suppression_post(draw: Any) -> tuple[str, bool]:
    # A directive that silences nothing, in each place and shape the grammar
    # has; some beside a directive (or a selector) that is used.
    stray = "Het\u200bwaterschap sluit."
    shape = draw(st.sampled_from(["own-line", "end-of-line", "block", "front", "one-of-two", "two-on-a-line"]))
    code = draw(st.sampled_from(["EN003", "HD002", "EN", "stray-character"]))
    before, after = draw(prose), draw(prose)
    if shape == "own-line":
        body = f"{before}\n<!-- postlint-disable-next-line {code} -->\n{after}\n"
    elif shape == "end-of-line":
        body = f"{before} <!-- postlint-disable-line {code} -->\n\n{after}\n"
    elif shape == "block":
        body = f"{before}\n\n<!-- postlint-disable {code} -->\n{after}\n<!-- postlint-enable {code} -->\n"
    elif shape == "one-of-two":
        body = f"{stray} <!-- postlint-disable-line EN003, HD001 -->\n\n{after}\n"
    elif shape == "two-on-a-line":
        body = f"{before} <!-- postlint-disable-line HD001 --> <!-- postlint-disable-line HD003 -->\n"
    else:
        return _post(front="# postlint: disable-next-line=FM003\nauthor: Daniël\n", body=f"{before}\n"), True
    return _post(body=body), True


def _with_path(strategy: Any) -> Any:
    return strategy.map(lambda pm: (pm[0], PATH))


# code -> strategy of (source, path) for post rules; URL002 (a site rule that
# needs a server) has its own test below.
GENERATORS: dict[str, Any] = {
    "EN002": _with_path(mojibake_post()),
    "EN003": _with_path(stray_post()),
    "DT001": invalid_date_post(),
    "DT002": wrong_weekday_post(),
    "DT003": obsolete_date_post(),
    "PL002": _with_path(unused_suppression_post()),
}
SITE_GENERATORS = {"URL002": "test_url002_fix_is_an_improvement"}


def test_every_fixable_rule_has_a_generator() -> None:
    missing = sorted(set(FIXABLE) - set(GENERATORS) - set(SITE_GENERATORS))
    assert missing == [], f"fixable rules without a generator in {__file__}: {missing}"


# -- the property ----------------------------------------------------------------

def _offline(source: str, path: str) -> list[Diagnostic]:
    """Every offline finding of a one-post site: the post rules and the site
    rules, with the unused suppressions (PL002) that only the site pass knows."""
    from postlint.model.site import Site

    settings = Settings(root=Path("."))
    settings.select = ["ALL"]
    linter = Linter(settings, REGISTRY, Site(), network=False)
    result = linter.lint_source(path, source.encode("utf-8"))[1]
    site_findings, _ = linter.lint_site([result])
    return result.diagnostics + site_findings


def _fix_until_stable(code: str, source: str, path: str) -> str:
    unsafe = FIXABLE[code].fix == "unsafe"
    for _ in range(6):
        mine = [d for d in _offline(source, path) if d.code == code]
        fixes = applicable(mine, unsafe)
        if not fixes:
            return source
        new = apply_fixes(source, fixes).text
        if new == source:
            return source
        source = new
    return source


def _unstrayed(text: str) -> str:
    return "".join(c for c in text if c not in "".join(STRAYS))


def assert_fix_improves(code: str, source: str, path: str) -> None:
    before = _offline(source, path)
    mine = [d for d in before if d.code == code]
    assert any(d.fix is not None for d in mine), f"the generator made no fixable {code}: {source!r}"
    after_text = _fix_until_stable(code, source, path)
    after = _offline(after_text, path)
    left = [(d.line, d.column, d.message) for d in after if d.code == code]
    assert left == [], f"{code} still fires after its fix: {after_text!r}"
    if code.startswith("EN"):
        # No EN fix may make text that ftfy could repair unrepairable.
        assert _unstrayed(ftfy.fix_text(after_text)) == _unstrayed(ftfy.fix_text(source)), after_text
    old = Counter(d.code for d in before)
    new = Counter(d.code for d in after)
    appeared = {c: n - old[c] for c, n in new.items() if n > old[c]}
    assert appeared == {}, f"the {code} fix made new findings {appeared}: {source!r} -> {after_text!r}"


@pytest.mark.parametrize("code", sorted(GENERATORS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fix_is_an_improvement(code: str, data: Any) -> None:
    source, path = data.draw(GENERATORS[code])
    assert_fix_improves(code, source, path)


# The date fixes issue 10 quotes (ctime-style once wrote a date DT001 then
# rejected; hour 24 moved the day off the file name's).
DATE_CASES = [
    pytest.param("DT001", "Tue Mar  5 09:10:11 CET 2019", "_posts/2019-03-05-bericht.md", id="ctime-style"),
    pytest.param("DT001", "Mon, 13 May 2019 24:00:00 +0200", "_posts/2019-05-13-bericht.md", id="hour-24"),
]


@pytest.mark.parametrize(("code", "date", "path"), DATE_CASES)
def test_date_fix_cases(code: str, date: str, path: str) -> None:
    assert_fix_improves(code, "---\nlayout: post\ntitle: Bericht\ndate: " + date + "\n---\nTekst.\n", path)


# -- URL002: a permanent redirect, against a real server on 127.0.0.1 -------------

@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(slug=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), quoted=st.booleans())
def test_url002_fix_is_an_improvement(tmp_path_factory: Any, server: TestServer, slug: str, quoted: bool) -> None:
    server.route(f"/l/{slug}", redirect(301, f"/artikel/{slug}"))
    server.route(f"/artikel/{slug}", reply(200))
    url = server.url(f"/l/{slug}")
    value = f'"{url}"' if quoted else url
    root = make_site(tmp_path_factory.mktemp("site"), {PATH: _post(front=f"externe_link: {value}\n")})

    def codes() -> Counter[str]:
        result = run_cli(["check", "--no-cache", "--output-format", "json", "."], cwd=root)
        assert result.code in (0, 1), result.err
        return Counter(d["code"] for d in result.json()["diagnostics"])

    before = codes()
    assert before["URL002"] == 1
    fixed = run_cli(["check", "--no-cache", "--select", "URL002", "--fix", "--unsafe-fixes", "."], cwd=root)
    assert fixed.code in (0, 1), fixed.err
    assert server.url(f"/artikel/{slug}") in (root / PATH).read_text(encoding="utf-8")
    after = codes()
    assert after["URL002"] == 0
    assert {c: n for c, n in after.items() if n > before[c]} == {}


# -- every fixable finding on the corpora, fixed in memory ------------------------

def _corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        pytest.skip(f"corpora not found at {CORPORA} (../shared is absent)")
    return discover([CORPORA], root=CORPORA, exclude=[]).files


def test_every_fixable_finding_on_the_corpora_is_an_improvement() -> None:
    files = _corpus_files()
    fix_codes = sorted(c for c, r in FIXABLE.items() if not r.network)
    quick = Linter(Settings(root=CORPORA, select=fix_codes), REGISTRY, None, network=False)
    full = Linter(Settings(root=CORPORA, select=["ALL"]), REGISTRY, None, network=False)
    checked = 0
    problems = []
    for path in files:
        data = path.read_bytes()
        _, result = quick.lint_source(str(path), data)
        fixable = {d.code for d in result.diagnostics if d.fix is not None}
        if not fixable:
            continue
        post, before = full.lint_source(str(path), data)
        if not post.fixable:
            continue
        old = Counter(d.code for d in before.diagnostics)
        for code in sorted(fixable):
            unsafe = FIXABLE[code].fix == "unsafe"
            text = post.text
            for _ in range(6):
                mine = [d for d in full.lint_source(str(path), text.encode("utf-8"))[1].diagnostics
                        if d.code == code]
                new_text = apply_fixes(text, applicable(mine, unsafe)).text
                if new_text == text:
                    break
                text = new_text
            checked += 1
            after = full.lint_source(str(path), text.encode("utf-8"))[1].diagnostics
            new = Counter(d.code for d in after)
            if any(d.code == code and d.fix is not None for d in after):
                problems.append((path.name, code, "still fixable after its fix"))
            appeared = {c: n - old[c] for c, n in new.items() if n > old[c]}
            if appeared:
                problems.append((path.name, code, appeared))
    assert checked > 0
    assert problems == []
