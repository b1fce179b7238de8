"""The Markdown analysis of a post does not make the cyclic collector walk
its tokens again and again (bench_hostile many-headings: half the time)."""

from __future__ import annotations

import gc

from postlint.analysis.body import shared as bodycheck
from postlint.model.post import parse

HEAD = "---\nlayout: post\ntitle: Koppen\n---\n"


def _post(n: int):
    return parse("_posts/2019-05-13-koppen.md", (HEAD + "# Kop\n\n###### Diep\n\n#\n\n" * n).encode())


def _collections_during(fn):
    seen = []

    def callback(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(callback)
    try:
        result = fn()
    finally:
        gc.callbacks.remove(callback)
    return seen, result


def test_markdown_parse_of_many_headings_runs_no_collection(monkeypatch):
    from postlint.analysis.body import markdown

    parse_regions = markdown.markdown_regions
    during: list = []

    def recorded(text):
        seen, info = _collections_during(lambda: parse_regions(text))
        during.extend(seen)
        return info

    monkeypatch.setattr(markdown, "markdown_regions", recorded)
    post = _post(5000)
    assert gc.isenabled()
    found = bodycheck.headings(post)
    assert during == []                    # was dozens, each over every token so far
    assert gc.isenabled()                  # and the collector is back on afterwards
    assert [h.level for h in found[:2]] == [1, 6]
    assert len(found) == 10000
    assert len(bodycheck.hash_lines(post)) == 5000


def test_same_analysis_with_the_collector_on_or_off():
    on = bodycheck.headings(_post(300))
    gc.disable()
    try:
        off = bodycheck.headings(_post(300))
    finally:
        gc.enable()
    assert [(h.start, h.end, h.level, h.text) for h in on] == [(h.start, h.end, h.level, h.text) for h in off]


def test_collector_left_off_when_it_was_off():
    gc.disable()
    try:
        bodycheck.headings(_post(10))
        assert not gc.isenabled()
    finally:
        gc.enable()
