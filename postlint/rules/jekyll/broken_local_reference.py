"""A link, image or URL field names a path of the site that Jekyll does not publish.

## What it does
Reads every site-relative and relative reference of a post: `<a href>` and
`<img src>`, Markdown links, images and reference definitions, written plainly
(`/assets/img/sluis.jpg`, `../fotos/a.jpg`) or with Liquid
(`{{ site.baseurl }}/x`, `{{ "/x" | relative_url }}`), and the values of the
URL fields (`[urls] fields`, see URL001) that start with `/`. Each must name
something `jekyll build` writes: a static file, a page (Markdown as `.html`,
Sass as `.css`; its `permalink`, or the site's `permalink` style), a post
(its URL as JK002 computes it, and its `redirect_from` entries), or a document
of a collection with `output: true`, with `exclude`, `include` and
`keep_files` applied; `_site` never counts. `/about/` is found as
`about/index.html` and `/a` as `a.html`, as a server finds them. A target
that differs only in letter case is reported as such: GitHub Pages and most
servers are case-sensitive.

A relative path is resolved against the post's own URL; a bare `/x` must hold
the site's `baseurl` (the Liquid forms add it). Query strings and `#anchors`
are ignored. Pages that plugins generate count: jekyll-feed's feed,
jekyll-sitemap's `sitemap.xml` and `robots.txt`, jekyll-paginate's pages,
jekyll-archives' archives; with a theme whose files are not in the
repository, anything under `/assets/` counts as the theme's.

The rule needs the whole site. It checks a site only when its folder holds
more than posts: a home page (`index.html`, `index.md`) or a `_layouts/`
folder at its root; a copy of only the `_posts` folders (a site's assets
absent) is not checked, and `--verbose` says so once per site. Given single
files (pre-commit's batches), it is skipped: the other posts' URLs are
unknown.

## Why is this bad?
The page is published with a broken image or a link that answers 404, and
`jekyll build` says nothing.

## Example
```markdown
![De sluis](/assets/img/sluis-2019.jpg)
[Eerder bericht]({{ site.baseurl }}/2019/05/14/waterschap-sluit-sluizen/)
```
with no `assets/img/sluis-2019.jpg` in the site, or a post at another URL.

## Use instead
Correct the path, or add the file.

## Options
In `[tool.postlint.urls]`: `fields` (see URL001), the front-matter fields
read; `generated-paths`, URL paths that other plugins or the deployment add
(`["/api/*", "/tags/**"]`: `*` stays within a folder, `**` crosses them),
counted as published. Posts' URLs are computed in the site's `timezone`,
else in UTC.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post
from postlint.model.record import NamedTuple
from postlint.rules.jekyll import refs
from postlint.rules.urls.check import OPTIONS as _URL_OPTIONS

CODE = "JK003"
NAME = "broken-local-reference"
SCOPE = "site"
SEVERITY = "error"
# Libraries whose versions decide this rule's facts (the result cache keys on them):
# the Markdown parse finds the code the references are read around.
LIBRARIES = ("markdown_it", "pyromark")
OPTIONS_TABLE = "urls"
OPTIONS = {
    "fields": _URL_OPTIONS["fields"],
    "generated-paths": {
        "type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
        "description": "URL paths that plugins or the deployment add, counted as published (JK003): "
                       "globs such as \"/api/*\" or \"/tags/**\"",
    },
}


class Ref(NamedTuple):
    source: str  # the field, or "link" / "image"
    written: str
    target: str
    based: bool
    at: refs.Where


class Fact(NamedTuple):
    root: str | None
    relative: str
    url: str | None  # the post's own URL (None: a draft, unpublished, or no post name)
    redirects: tuple[str, ...]
    references: tuple[Ref, ...]

    @classmethod
    def from_data(cls, data: Any) -> Fact:
        """The Fact back from its packed form (refs.pack)."""
        root, relative, url, redirects, references = refs.unpack(data)
        return cls(root, relative, url, tuple(redirects),
                   tuple(Ref(s, w, t, b, refs.as_where(at)) for s, w, t, b, at in references))


def _field_refs(post: Post, fields: dict[str, str]) -> Iterator[Ref]:
    data = post.data
    for name in fields:
        value = data.get(name)
        paths: list[tuple[Any, ...]] = []
        if isinstance(value, str):
            paths.append((name,))
        elif isinstance(value, list):
            paths.extend((name, i) for i, item in enumerate(value) if isinstance(item, str))
        elif isinstance(value, dict) and isinstance(value.get("path"), str):
            paths.append((name, "path"))  # jekyll-seo-tag's image: {path: ...}
        for path in paths:
            item: Any = data
            for key in path:
                item = item[key]
            text = item.strip()
            if not text.startswith("/") or text.startswith("//"):
                continue
            start, end = post.locate(path)
            content = post.scalar_content(path)
            if content is not None:
                start, end = content[0], content[0] + len(content[1])
            yield Ref(name, text, text, True, refs.where(post, start, end))


def _redirects(post: Post) -> tuple[str, ...]:
    value = post.data.get("redirect_from")
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple("/" + str(v).strip().lstrip("/") for v in items if isinstance(v, (str, int)) and str(v).strip())


def collect(post: Post, options: dict[str, Any]) -> str | None:
    from postlint.analysis.body.links import local_references
    from postlint.rules.jekyll.duplicate_url import cached_post_url

    if post.front_matter is None:
        return None
    found = list(_field_refs(post, options.get("fields") or {}))
    base = post.body_offset

    def code() -> list[tuple[int, int]]:
        from postlint.analysis.body.shared import code_ranges

        # Shared with the HD and EN rules: the body is parsed once.
        return [(start - base, end - base) for start, end in code_ranges(post)]

    found.extend(
        Ref("image" if ref.kind == "image" else "link", ref.written, ref.target, ref.based,
            refs.where(post, base + ref.start, base + ref.end))
        for ref in local_references(post.body, post.is_markdown, code)
    )
    site = post.site
    draft = "/_drafts/" in f"/{post.path}" or post.data.get("published") is False
    url = None if draft else cached_post_url(post, site)
    redirects = () if draft else _redirects(post)
    if not found and url is None and not redirects:
        return None
    return refs.pack(Fact(refs.site_root(post), refs.relative_path(post), url, redirects, tuple(found)))


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    from postlint.rules.jekyll.published import url_forms
    from postlint.rules.jekyll.site_files_store import files_of

    if context.partial:
        context.notes.append(f"{CODE} skipped: it needs every post's URL, and only single files were given")
        context.skipped[CODE] = "it needs the whole site, and only single files were given"
        return
    by_root: dict[str, dict[str, Fact]] = {}
    facts = {path: Fact.from_data(fact) for path, fact in refs.unpack_all(facts).items()}
    for path, fact in facts.items():
        if fact is not None and fact.root is not None:
            by_root.setdefault(fact.root, {})[path] = fact
    for root, posts in sorted(by_root.items()):
        if not any(f.references for f in posts.values()):
            continue
        site = refs.load(root, context)
        files = files_of(site, context.shared)
        if not files.whole:
            refs.note_once(context, CODE, root, "local references not checked: the site's root has no home page "
                           "(index.html, index.md) and no _layouts/, so it is taken for a copy of its posts only")
            continue
        published = dict(files.urls)
        generated = [_glob(g) for g in options.get("generated-paths") or ()]
        for fact in posts.values():
            for url in ((fact.url,) if fact.url else ()) + fact.redirects:
                for form in url_forms(refs.clean_path(url)):
                    published.setdefault(form, fact.relative)
        folded: dict[str, str] = {}
        for url in sorted(published):
            folded.setdefault(url.lower(), url)
        for path, fact in sorted(posts.items()):
            for ref in fact.references:
                message = _judge(ref, fact, site, files, published, folded, generated)
                if message:
                    yield refs.finding(path, ref.at, CODE, message)


def _glob(pattern: str) -> re.Pattern[str]:
    """A URL glob: `*` within one folder, `**` across folders."""
    parts = re.split(r"(\*\*|\*)", "/" + pattern.lstrip("/"))
    body = "".join(".*" if p == "**" else "[^/]*" if p == "*" else re.escape(p) for p in parts)
    return re.compile(body + r"\Z")


def _judge(ref: Ref, fact: Fact, site: Any, files: Any, published: dict[str, str],
           folded: dict[str, str], generated: list[re.Pattern[str]] | None = None) -> str | None:
    target = ref.target
    shown = f"{ref.source} {ref.written}"
    if not target.startswith("/"):
        if fact.url is None:
            return None  # a draft's relative links resolve against a URL it does not have
        folder = fact.url if fact.url.endswith("/") else posixpath.dirname(fact.url) + "/"
        target = folder + target
    path = refs.clean_path(target)
    if not ref.based and ref.target.startswith("/") and site.baseurl:
        if path == site.baseurl or path.startswith(site.baseurl + "/"):
            path = path[len(site.baseurl):] or "/"
        elif path in published or files.is_covered(path):
            return (f"{shown}: lacks the site's baseurl {site.baseurl}: the site publishes it at "
                    f"{site.baseurl}{path}; write {{{{ \"{path}\" | relative_url }}}}")
    if path in published or files.is_covered(path) or any(g.match(path) for g in generated or ()):
        return None
    same = folded.get(path.lower())
    if same is not None:
        return (f"{shown}: names {path}, but the site publishes {same} (only the letter case differs; "
                "GitHub Pages and most servers are case-sensitive)")
    return f"{shown}: the site publishes nothing at {path}"
