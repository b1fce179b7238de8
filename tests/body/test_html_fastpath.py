"""The fast path of analyze_html (postlint.analysis.body.fasthtml) answers exactly what
html5lib answers, whenever it answers at all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from postlint.analysis.body import fasthtml
from postlint.analysis.body import html as H
from postlint.analysis.body.html import HtmlInfo
from postlint.analysis.body.html_model import char_class

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"
EXAMPLES = REPO / "examples" / "_posts"


def both(text: str, fragments: list[tuple[int, int]] | None = None) -> tuple[bool, HtmlInfo]:
    """Both paths on one body; (whether the fast path answered, the answer)."""
    slow = H._analyze(text, fragments, fast=False)
    assert H._analyze(text, fragments, fast=True) == slow
    prepared = H._prepare(text, fragments)
    fast = fasthtml.fast_analyze(prepared) if prepared is not None else None
    if fast is not None:
        assert fast == slow == H._run(prepared)
    return fast is not None, slow


# ------------------------------------------------------------ the corpora

def _post_bodies(root: Path) -> list[tuple[str, str, list[tuple[int, int]] | None]]:
    """(path, body, fragments) of every post under root, fragments as
    postlint.analysis.body.shared computes them for a Markdown post."""
    from postlint.analysis.body.markdown import markdown_regions
    from postlint.engine.discover import POST_EXTENSIONS
    from postlint.model.post import parse

    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in POST_EXTENSIONS:
            continue
        post = parse(str(path), path.read_bytes())
        if post.decode_error is not None or post.binary:
            continue
        if post.is_markdown:
            regions = markdown_regions(post.body).html
            if regions:
                found.append((str(path), post.body, regions))
        else:
            found.append((str(path), post.body, None))
    return found


@pytest.mark.parametrize("root", [CORPORA, EXAMPLES], ids=["corpora", "examples"])
def test_corpus_bodies_same_on_both_paths(root: Path) -> None:
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    bodies = _post_bodies(root)
    fast = 0
    for path, body, fragments in bodies:
        try:
            accepted, _ = both(body, fragments)
        except AssertionError:
            pytest.fail(f"fast and slow paths differ on {path}")
        fast += accepted
    assert bodies and fast > 0         # the comparison covered the fast path


# ------------------------------------------------- generated safe documents

WORDS = ["Daniël", "coördinator", "reünie", "financiële", "één", "café", "naïef", "Noëlle",
         "gemeente", "x", "a > b", "=", "'", '"', "/", "-", "--", "->", ";", "#", "\U0001F600",
         "\ufffd", "\u2028", "\xa0"]
REFS = ["&amp;", "&quot;", "&eacute;", "&euml;", "&nbsp;", "&lt;", "&gt;", "&notin;", "&hellip;",
        "&#233;", "&#xE9;", "&#X1f600;", "&#9;", "&#10;", "&#12;", "&#32;", "&#160;", "&#0065;",
        "&#x10FFFD;", "&#xFDCF;", "&#x7E;", "&#xA0;", "& ", "&\n", "&&amp;", "&#x20;"]
SPACE = [" ", "\n", "\r\n", "\r", "\t", "\x0c", "  "]
WS = st.sampled_from(SPACE)


def _text(extra: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS + REFS + SPACE + list(extra)), max_size=6).map("".join)


@st.composite
def attributes(draw: Any) -> str:
    names = draw(st.lists(st.sampled_from(["href", "class", "id", "title", "alt", "src", "data-x",
                                           "lang", "xml:lang", "aria-label", "_a", "ALT"]),
                          max_size=3, unique_by=str.lower))
    out = []
    for name in names:
        how = draw(st.sampled_from(["dq", "sq", "unquoted", "none"]))
        eq = draw(st.sampled_from(["=", " = ", "\n=\t"]))
        if how == "none":
            attr = name
        elif how == "unquoted":
            attr = name + eq + draw(st.from_regex(r"[A-Za-z0-9./:#?;%()-]{1,8}", fullmatch=True))
        else:
            quote = '"' if how == "dq" else "'"
            value = draw(_text(("<", ">", "<b>", "=", "&#39;"))).replace(quote, "")
            attr = name + eq + quote + value + quote
        out.append(draw(WS) + attr)
    return "".join(out)


def _name(draw: Any, name: str) -> str:
    return draw(st.sampled_from([name, name.upper(), name.capitalize()]))


@st.composite
def element(draw: Any, name: str, context: str, open_formatting: frozenset[str], depth: int) -> str:
    attrs = draw(attributes())
    tag = _name(draw, name)
    if name in fasthtml._VOID:
        return f"<{tag}{attrs}{draw(WS) if draw(st.booleans()) else ''}{draw(st.sampled_from(['>', '/>']))}"
    if name in fasthtml.RAWTEXT:
        inner = draw(_text(("&bogus", "&", ">", "--")))
        return f"<{tag}{attrs}>{inner}</{_name(draw, name)}{draw(WS) if draw(st.booleans()) else ''}>"
    if name in fasthtml.LISTS:
        kind = "list:" + name
    elif name in fasthtml.PHRASING_BLOCKS or name in fasthtml._INLINE:
        kind = "heading" if (name in fasthtml.HEADINGS or context == "heading") else "phrasing"
    else:
        kind = "flow"
    if name in fasthtml.FORMATTING:
        open_formatting = open_formatting | {name}
    inner = draw(content(kind, open_formatting, depth + 1))
    return f"<{tag}{attrs}>{inner}</{_name(draw, name)}>"


@st.composite
def content(draw: Any, context: str, open_formatting: frozenset[str] = frozenset(), depth: int = 0) -> str:
    inline = sorted(fasthtml._INLINE - open_formatting - (fasthtml.RAWTEXT if context == "heading" else set()))
    block = sorted(fasthtml._BLOCK)
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if context.startswith("list:"):
            items = fasthtml.LISTS[context[5:]].split()
            choice = draw(st.sampled_from(["item", "item", "space", "comment"]))
            if choice == "item":
                parts.append(draw(element(draw(st.sampled_from(items)), "flow", open_formatting, depth)))
            elif choice == "space":
                parts.append(draw(WS))
            else:
                parts.append(draw(comment()))
            continue
        kinds = ["text", "inline", "comment"] + (["block", "block"] if context == "flow" else [])
        choice = draw(st.sampled_from(kinds))
        if choice == "text":
            parts.append(draw(_text()))
        elif choice == "comment":
            parts.append(draw(comment()))
        else:
            name = draw(st.sampled_from(inline if choice == "inline" else block))
            parts.append(draw(element(name, context, open_formatting, depth)))
    return "".join(parts)


def comment() -> st.SearchStrategy[str]:
    return st.sampled_from(["<!-- more -->", "<!---->", "<!--x-->", "<!-- <div> & -->",
                            "<!-- a - b -->", "<!--\n-\n-->", "<!-- <!x <p> -->"])


def documents() -> st.SearchStrategy[str]:
    return content("flow")


MUTANTS = [
    "", "<", "< ", "&", "&x", "&amp", "&#;", "&#x;", "&#128;", "&#0;", "&#13;", "&#xD800;",
    "&#x110000;", "&#xFFFE;", "&#x1FFFF;", "&#11;", "&#999999999;", "&bogus;", "&AMP;", "\x00",
    "\x01", "\x0b", "\x7f", "\x85", "\ufffe", "\ud800", "\U0001fffe", "\r", "</p>", "</li>",
    "</div>", "</b>", "</br>", "<br></br>", "<li>", "<dd>", "<p>", "<div>", "<h2>", "<b>", "<a>",
    "<a href=x>y</a>", "<div>x</div>", "<h3>x</h3>", "<ul><li>x</li></ul>", "<hr>", "<hr/>",
    "<p/>", "<div/>", "<foo>x</foo>", "<x-y>", "<quote>", "<table><tr><td>x</td></tr></table>",
    "<script>x</script>", "<style>p{}</style>", "<textarea>x</textarea>", "<!-->", "<!--->",
    "<!-- a -- b -->", "<!-- x --->", "<!-- x --!>", "<!-- open", "<!DOCTYPE html>", "<?xml?>",
    "<![CDATA[x]]>", "</ p>", "</p x>", "</p/>", "<p =x>", '<p a="1"b="2">', "<p a=1 a=2>",
    "<p A=1 a=2>", "<p a='1'/>", "<img alt=a&b>", '<img alt="&bogus;">', '<img alt="&amp">',
    "<img src=x/>", "<iframe>", "<iframe></iframe>", "<iframe>a<b</iframe>", "<b><b>x</b></b>",
    "<em><i>x</em></i>", "<h2><h3>x</h3></h2>", "<pre>\nx</pre>", "<dt>", "<dl><dt>a<dd>b</dl>",
    "\u00a0<", "&nbsp", "&notit;", "&noti;",
]


@st.composite
def mutated(draw: Any) -> str:
    text = draw(documents())
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["insert", "insert", "drop-end", "swap-end", "dup-attr", "delete"]))
        ends = [m.span() for m in re.finditer(r"</[^>]*>", text)]
        if how == "drop-end" and ends:
            a, b = draw(st.sampled_from(ends))
            text = text[:a] + text[b:]
        elif how == "swap-end" and len(ends) >= 2:
            (a, b), (c, d) = sorted(draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2, unique=True)))
            text = text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
        elif how == "dup-attr" and "<" in text:
            starts = [m.end(1) for m in re.finditer(r"<([A-Za-z0-9]+)", text)]
            if starts:
                at = draw(st.sampled_from(starts))
                text = text[:at] + draw(st.sampled_from([" id=a id=b", " ID='a' id=b", " x y X"])) + text[at:]
        elif how == "delete" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + draw(st.integers(1, 3)):]
        else:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(MUTANTS)) + text[at:]
    return text


@settings(max_examples=600, deadline=None)
@given(documents())
def test_safe_documents_take_the_fast_path(text: str) -> None:
    prepared = H._prepare(text, None)
    if prepared is None:
        return                              # nothing for either path to do
    info = fasthtml.fast_analyze(prepared)
    assert info is not None, "a document of the safe subset must take the fast path"
    assert info == H._run(prepared)
    event(f"headings: {min(len(info.headings), 3)}")


@settings(max_examples=1200, deadline=None)
@given(mutated())
def test_mutated_documents_same_on_both_paths(text: str) -> None:
    accepted, _info = both(text)
    event("fast path" if accepted else "html5lib")


@settings(max_examples=300, deadline=None)
@given(st.one_of(documents(), mutated()).flatmap(
    lambda text: st.tuples(st.just(text), st.lists(st.integers(0, len(text)), max_size=6))))
def test_markdown_fragments_same_on_both_paths(case: tuple[str, list[int]]) -> None:
    # Random fragment boundaries: whatever the masking leaves (half tags,
    # lone "&"...) must come out the same either way.
    text, cuts = case
    cuts = sorted(cuts)
    fragments = list(zip(cuts[::2], cuts[1::2]))
    accepted, _ = both(text, fragments)
    event("fast path" if accepted else "html5lib")


@settings(max_examples=100, deadline=None)
@given(documents())
def test_markdown_regions_same_on_both_paths(text: str) -> None:
    from postlint.analysis.body.markdown import markdown_regions

    body = "Inleiding met a < b en AT&T.\n\n" + text + "\n\n## Kop\n\nSlot *nadruk*.\n"
    both(body, markdown_regions(body).html)


# ------------------------------------------------------- chosen edge cases

@pytest.mark.parametrize("text", [
    "<p>x</p>", "<P>x</p>", "<br/>", "<img src=x/>", "<hr/>", "<!---->", "<!-- more -->",
    "<p>&#9;&#10;&#12;&#x10FFFD;&#0065;</p>", "<p>a & b &<b>c</b> &</p>", '<a href="?a=1&amp;b=2&">x</a>',
    "<ul>\n<li>a</li>\n</ul>", "<dl><dt>a</dt><dd><p>b</p></dd></dl>", "<iframe src=x></iframe >",
    '<blockquote><p>x</p></blockquote> <script async src="https://t.example/w.js" charset="utf-8"></script>',
    "<p><script>var a = 1 && b > 2; // --></script ></p>", "<SCRIPT>x</Script>",
    '<h2>Titel <img alt="&quot;foto&quot;"> <!-- x --> <a href=x>link</a></h2>', "<h1 \r\n class='a'\r\n>t</h1 >",
    "<div><blockquote><p>x</p></blockquote><figure><img src=x><figcaption>c</figcaption></figure></div>",
    "<details><summary>s</summary><pre>\ncode</pre></details>", "<video controls><source src=x></video>",
    # Code points html5lib's input stream reports (EN003's): text to both.
    "<p>x\x01</p>", "<h2>a\x07\x1fb \x85c</h2>", '<img alt="\x0b\ufffe" src=x>', "<!-- \x7f\ufdd0 -->",
    "<p>\U0001fffe</p>",
])
def test_fast_path_accepts(text: str) -> None:
    assert both(text)[0]


@pytest.mark.parametrize("text", [
    "<p><div>x</div></p>", "<p>x", "<ul><li>x</ul>", "<b><b>x</b></b>", "<a><a>x</a></a>",
    "<h2><h3>x</h3></h2>", "<p>a < b</p>", "<p>AT&T</p>", "<p>&amp</p>", "<p>&#128;</p>", "<p>&#13;</p>",
    "<p a=1 A=2>x</p>", "<p/>", "<quote>x</quote>", "<table><tr><td>x</td></tr></table>",
    "<script>a<b</script>", "<script>x</iframe></script>", "<iframe>x</script></iframe>", "<script>x",
    "<script><!--<script>x</script>--></script>", "<h2><script></script></h2>", "<ul><script></script></ul>",
    "<style>p{}</style>", "<p>\x00</p>", "<p>\ud800</p>", "<!-- a -- b -->", "<!--->", "<li>x</li>",
    "<b>x</i>", "<br></br>", '<p a="1"b="2">x</p>', "<h2><iframe></iframe></h2>", "<iframe>a<b</iframe>",
    '<a href="?a=1&b=2">x</a>', "<!DOCTYPE html>", "<p>x</P ><?php ?>",
])
def test_fast_path_declines(text: str) -> None:
    # Outside the subset: html5lib answers, and both paths agree.
    assert not both(text)[0]


def test_code_point_classes_match_html5lib() -> None:
    # html.py's classes of code points are html5lib's invalid_unicode_re
    # written as allowed ranges; check every code point.
    from html5lib._inputstream import invalid_unicode_re

    every = "".join(map(chr, range(0x110000)))

    def hits(pattern: re.Pattern[str] | str) -> set[int]:
        found = set()
        for m in re.finditer(getattr(pattern, "pattern", pattern), every, re.DOTALL):
            found.update(range(*m.span()))
        return found

    theirs = hits(invalid_unicode_re)
    assert len(theirs) > 2000
    assert hits(H._invalid()) == theirs
    assert hits(H._maskable()) == theirs | {ord("<"), ord("&")}
    assert hits(H._maskable_bmp()) == {c for c in theirs | {ord("<"), ord("&")} if c <= 0xFFFF}
    assert hits(f"(?!{char_class()}).") == theirs | {0}
    assert re.fullmatch(char_class() + "+", "Daniël \U0001F600\r\n")
    # What the fast path leaves to html5lib whatever else the text holds:
    # NUL and the surrogates, reported code points both; alone, after ASCII
    # or after Latin-1 text (each its own string kind).
    fatal = {0, *range(0xD800, 0xE000)}
    assert fatal <= theirs | {0}
    for before in ("", "a", "Daniël "):
        assert {c for c in range(0x110000) if fasthtml._fatal(before + chr(c))} == fatal
        # _mask picks its class by whether a code point is astral.
        assert {c for c in range(0x110000) if H._beyond_bmp(before + chr(c))} == set(range(0x10000, 0x110000))


def test_numeric_references_match_html5lib() -> None:
    import html5lib

    points = [*range(0x400), *range(0xD7F0, 0xE010), *range(0xFDC0, 0x10010),
              *[(p << 16) | low for p in range(1, 17) for low in (0, 0xFFFD, 0xFFFE, 0xFFFF)], 0x110000]
    for cp in points:
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        tree = parser.parseFragment(f"<p>&#x{cp:x};</p>")
        clean = not parser.errors
        assert fasthtml._code_point_ok(cp) == clean, hex(cp)
        if clean:
            assert tree[0].text == chr(cp)


def test_named_references_match_html5lib() -> None:
    from html5lib.constants import entities

    ours = {name: text for name, text in fasthtml._entities().items() if name.endswith(";")}
    assert ours == {name: text for name, text in entities.items() if name.endswith(";")}


def test_element_classes_match_html5lib_handlers() -> None:
    # Each class of fasthtml is defined by the in-body handlers html5lib
    # gives its elements; a new html5lib that moved one would break the
    # fast path's reasoning, so fail here first.
    from html5lib.constants import namespaces, specialElements
    from html5lib.html5parser import getPhases

    body = vars(getPhases(False)["inBody"])      # the dispatchers, unbound
    start = body["startTagHandler"]
    end = body["endTagHandler"]

    def handler(dispatcher: Any, name: str) -> str:
        return dispatcher[name].__name__            # falls back to .default

    for name in fasthtml.FLOW | set(fasthtml.LISTS):
        assert (handler(start, name), handler(end, name)) == ("startTagCloseP", "endTagBlock"), name
    for name in fasthtml.ITEMS:
        assert (handler(start, name), handler(end, name)) == ("startTagListItem", "endTagListItem")
    assert (handler(start, "p"), handler(end, "p")) == ("startTagCloseP", "endTagP")
    assert (handler(start, "pre"), handler(end, "pre")) == ("startTagPreListing", "endTagBlock")
    for name in fasthtml.HEADINGS:
        assert (handler(start, name), handler(end, name)) == ("startTagHeading", "endTagHeading")
    for name in fasthtml.FORMATTING:
        assert handler(start, name) == ("startTagA" if name == "a" else "startTagFormatting")
        assert handler(end, name) == "endTagFormatting"
    for name in fasthtml.INLINE_OTHER:
        assert (handler(start, name), handler(end, name)) == ("startTagOther", "endTagOther"), name
    for name in fasthtml.VOID_INLINE:
        assert handler(start, name) in ("startTagVoidFormatting", "startTagParamSource"), name
    assert handler(start, "hr") == "startTagHr"
    assert handler(start, "iframe") == "startTagIFrame"
    assert handler(start, "script") == "startTagProcessInHead"
    assert vars(getPhases(False)["inHead"])["startTagHandler"]["script"].__name__ == "startTagScript"
    # Lists stop html5lib's search for an li/dt/dd to close implicitly.
    assert all((namespaces["html"], name) in specialElements for name in fasthtml.LISTS)
    assert not any((namespaces["html"], name) in specialElements
                   for name in fasthtml.FORMATTING | fasthtml.INLINE_OTHER)


# --------------------------------------------------------- feed-like bodies

DUTCH = ["De gemeenteraad", "Wethouder Daniël de Groot", "De coördinator", "Burgemeester Noëlle Jansen",
         "De reünievereniging", "Een financiële adviseur", "heeft geïnvesteerd in", "één extra brug",
         "het café", "naïef", "zegt &quot;nee&quot;", "Jansen &amp; Zonen", "10 &euro;"]


@st.composite
def feed_bodies(draw: Any) -> tuple[str, list[str]]:
    sentence = st.lists(st.sampled_from(DUTCH), min_size=1, max_size=8).map(" ".join)
    blocks, titles = [], []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["p", "p", "p", "h2", "img", "link", "strong"]))
        text = draw(sentence)
        if kind == "h2":
            blocks.append(f"<h2>{text}</h2>")
            titles.append(text.replace("&quot;", '"').replace("&amp;", "&").replace("&euro;", "€"))
        elif kind == "img":
            blocks.append(f'<p><img src="https://beeld.example/{draw(st.integers(1, 9999))}.jpg" alt="{text}"></p>')
        elif kind == "link":
            blocks.append(
                f'<p>{text} Lees <a href="https://nieuws.example/artikel/{draw(st.integers(1, 99999))}">meer</a>.</p>'
            )
        elif kind == "strong":
            blocks.append(f"<p><strong>{draw(sentence)}:</strong> {text}</p>")
        else:
            blocks.append(f"<p>{text}</p>")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(blocks) + newline, titles


@settings(max_examples=300, deadline=None)
@given(feed_bodies())
def test_feed_bodies_take_the_fast_path(case: tuple[str, list[str]]) -> None:
    body, titles = case
    accepted, info = both(body)
    assert accepted
    assert info == ([], [], [], info.headings)
    assert [h.text for h in info.headings] == titles
    assert all(body[h.start:h.end].startswith("<h2>") and body[h.start:h.end].endswith("</h2>")
               for h in info.headings)
