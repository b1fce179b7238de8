"""A `{% post_url %}`, `{% link %}` or `{% include %}` names a file the site does not have.

## What it does
Checks the target of each Liquid tag that names a file of the site:

* `{% post_url 2019-05-14-waterschap-sluit-sluizen %}`: a post of that name
  (file name without extension, optionally after a folder) in a `_posts`
  folder;
* `{% link _posts/2019-05-14-x.md %}` and `{% link over-ons.md %}`: a file
  Jekyll reads, by its path from the site's root (a page, a static file, a
  post or a collection's document; excluded files do not count);
* `{% include kader.html %}` (and jekyll-include-cache's `{% include_cached %}`):
  a file in `_includes/` (`includes_dir`);
* `{% include_relative fragment.md %}`: a file beside the post.

A target that differs only in letter case is reported as such. Names built
with Liquid (`{% include {{ page.kader }} %}`) are not checked, nor tags
inside `{% raw %}` or `{% comment %}`.

`post_url`, `include_relative` and a `link` to a post are always checked: the
posts are there. An `include`, and a `link` to anything else, need the whole
site: they are checked when the site's root has an `_includes/` folder (for
`include`), a home page or `_layouts/`; with a `theme` whose files are not
in the repository, a missing include may be the theme's and is not
reported. `--verbose` says once per site what was not checked.

## Why is this bad?
`jekyll build` stops with "Could not find post", "Could not find document"
or "Could not locate the included file": the whole site is not published.

## Example
```liquid
Lees ook [het eerdere bericht]({% post_url 2019-05-14-waterschap-sluit-sluis %}).
{% include foto-kader.html %}
```

## Use instead
```liquid
Lees ook [het eerdere bericht]({% post_url 2019-05-14-waterschap-sluit-sluizen %}).
{% include fotokader.html %}
```

## Options
None.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.patterns import contains
from postlint.model.post import Post
from postlint.model.record import NamedTuple
from postlint.rules.jekyll import refs

CODE = "JK004"
NAME = "missing-liquid-target"
SCOPE = "site"
SEVERITY = "error"


class Tag(NamedTuple):
    tag: str
    name: str
    at: refs.Where


class Fact(NamedTuple):
    root: str | None
    relative: str
    tags: tuple[Tag, ...]

    @classmethod
    def from_data(cls, data: Any) -> Fact:
        """The Fact back from its packed form (refs.pack)."""
        root, relative, tags = refs.unpack(data)
        return cls(root, relative, tuple(Tag(tag, name, refs.as_where(at)) for tag, name, at in tags))


def collect(post: Post, options: dict[str, Any]) -> str | None:
    from postlint.analysis.body.links import liquid_references

    found = liquid_references(post.body) if contains(post.text, "{%") else []
    if not found:
        return None
    base = post.body_offset
    tags = tuple(Tag(r.tag, r.name, refs.where(post, base + r.start, base + r.end)) for r in found)
    return refs.pack(Fact(refs.site_root(post), refs.relative_path(post), tags))


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    from postlint.rules.jekyll.published import theme_entries
    from postlint.rules.jekyll.site_files_store import files_of

    facts = {path: Fact.from_data(fact) for path, fact in refs.unpack_all(facts).items()}
    for path, fact in sorted(facts.items()):
        if fact is None or fact.root is None:
            continue
        site = refs.load(fact.root, context)
        files = files_of(site, context.shared)
        theme_includes: set[str] | None = None
        for tag in fact.tags:
            message: str | None = None
            if tag.tag == "post_url":
                message = _post_url(tag.name, files)
            elif tag.tag == "include_relative":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(fact.relative), tag.name))
                message = _lookup(target, files.files, files.folded("files"), "beside the post")
            elif tag.tag == "link":
                target = tag.name.lstrip("/")
                if "_posts" not in target.split("/")[:-1] and not files.whole:
                    refs.note_once(context, CODE, fact.root, "{% link %} to pages not checked: the site's root "
                                   "has no home page and no _layouts/ (a copy of its posts only)")
                    continue
                message = _lookup(target, files.linkable, files.folded("linkable"), "among the files Jekyll reads")
                if message and target in files.files:
                    message = f"{target} is excluded from the site (exclude, or a name starting with _ or .)"
            elif tag.tag in ("include", "include_cached"):
                if tag.name in files.includes:
                    continue
                if site.theme and files.theme_files:
                    if theme_includes is None:
                        theme_includes = theme_entries(fact.root, site.theme, "_includes")
                    if tag.name in theme_includes:
                        continue
                elif site.theme:
                    refs.note_once(context, CODE, fact.root, f"includes not in {site.includes_dir}/ not checked: "
                                   f"they may be the theme {site.theme}'s, whose files are not in the repository")
                    continue
                if not files.has_includes and not files.whole:
                    refs.note_once(context, CODE, fact.root,
                                   f"{{% include %}} not checked: the site has no {site.includes_dir}/ folder, "
                                   "no home page and no _layouts/ (a copy of its posts only)")
                    continue
                message = _lookup(tag.name, files.includes, files.folded("includes"), f"in {site.includes_dir}/")
            if message:
                yield refs.finding(path, tag.at, CODE, f"{{% {tag.tag} {tag.name} %}}: {message}")


def _lookup(target: str, existing: set[str], folded: dict[str, str], where: str) -> str | None:
    if target in existing:
        return None
    same = folded.get(target.lower())
    if same is not None:
        return f"the file is {same} (only the letter case differs; Jekyll on Linux does not find it)"
    return f"no file {target} {where}"


def _post_url(name: str, files: Any) -> str | None:
    folder, _, stem = name.strip("/").rpartition("/")
    candidates = files.posts.get(stem, [])
    if folder and candidates:
        inside = [p for p in candidates if f"/{folder}/" in f"/{p}"]
        candidates = inside or candidates
    if candidates:
        return None
    same = files.folded("posts").get(stem.lower())
    if same is not None:
        return f"the post is {same} (only the letter case differs)"
    return "no post of that name in _posts"
