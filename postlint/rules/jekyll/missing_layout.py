"""A post's `layout` names no layout of the site or its theme.

## What it does
Takes each post's `layout` (its own, else the front-matter `defaults` of
`_config.yml` that apply to it) and looks for a file of that name, any
extension, in `_layouts/` (`layouts_dir`). `null` and `none` mean no layout.
A name that differs only in letter case is reported as such.

With a `theme` or `remote_theme` in `_config.yml`, a layout not in
`_layouts/` may be the theme's: when the theme's gem is vendored in the
repository (`vendor/bundle/ruby/*/gems/NAME-*`), its `_layouts/` is searched
too; otherwise such layouts are not checked, and `--verbose` says so once per
site (a note, not a finding per post). A site folder with neither
`_layouts/` nor a home page (a copy of its posts only) is not checked either.

The finding is at the post's `layout` value, or at its opening `---` when
the layout comes from the defaults.

## Why is this bad?
Jekyll only warns ("Layout 'artikel' requested ... does not exist") and
publishes the post without its template: no header, no styles, no navigation.

## Example
```yaml
layout: artikel   # _layouts/ has post.html and default.html
```

## Use instead
```yaml
layout: post
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post
from postlint.model.record import NamedTuple
from postlint.rules.jekyll import refs

CODE = "JK005"
NAME = "missing-layout"
SCOPE = "site"
SEVERITY = "error"


class Fact(NamedTuple):
    root: str | None
    layout: str
    from_defaults: bool
    at: refs.Where

    @classmethod
    def from_data(cls, data: Any) -> Fact:
        """The Fact back from its packed form (refs.pack)."""
        root, layout, from_defaults, at = refs.unpack(data)
        return cls(root, layout, from_defaults, refs.as_where(at))


def collect(post: Post, options: dict[str, Any]) -> str | None:
    if post.front_matter is None or not isinstance(post.front_matter.data, dict):
        return None
    data = post.data
    if "layout" in data:
        layout, from_defaults = data["layout"], False
        start, end = post.locate(("layout",))
        content = post.scalar_content(("layout",))
        if content is not None:
            start, end = content[0], content[0] + len(content[1])
    else:
        layout = post.site.defaults_for(post.path).get("layout")
        from_defaults = True
        start, end = post.locate(())
    if not isinstance(layout, str) or not layout.strip() or layout in ("none", "null"):
        return None
    return refs.pack(Fact(refs.site_root(post), layout, from_defaults, refs.where(post, start, end)))


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    from postlint.rules.jekyll.published import theme_entries
    from postlint.rules.jekyll.site_files_store import files_of

    themes: dict[str, set[str]] = {}
    facts = {path: Fact.from_data(fact) for path, fact in refs.unpack_all(facts).items()}
    for path, fact in sorted(facts.items()):
        if fact is None or fact.root is None:
            continue
        site = refs.load(fact.root, context)
        files = files_of(site, context.shared)
        if fact.layout in files.layouts:
            continue
        if site.theme:
            if not files.theme_files:
                refs.note_once(context, CODE, fact.root, f"layouts not in {site.layouts_dir}/ not checked: the theme "
                               f"{site.theme}'s files are not in the repository")
                continue
            if fact.root not in themes:
                themes[fact.root] = theme_entries(fact.root, site.theme, "_layouts")
            if fact.layout in themes[fact.root]:
                continue
        elif not files.whole:
            refs.note_once(context, CODE, fact.root, f"layouts not checked: the site has no {site.layouts_dir}/ "
                           "and no home page (a copy of its posts only)")
            continue
        origin = " (from the front matter defaults in _config.yml)" if fact.from_defaults else ""
        same = files.folded("layouts").get(fact.layout.lower())
        where = f"{site.layouts_dir}/" + (f" or the theme {site.theme}" if site.theme else "")
        if same is not None:
            message = (f"layout {fact.layout!r}{origin}: the layout is {same!r} (only the letter case differs; "
                       "Jekyll does not find it)")
        else:
            message = f"layout {fact.layout!r}{origin}: no such layout in {where}"
        yield refs.finding(path, fact.at, CODE, message)
