"""Import the items of an RSS feed as Jekyll posts, and refuse to write a
post in which postlint finds an error.

    python examples/importer/import_feed.py examples/importer/feed.xml SITE

Each item becomes SITE/_posts/YYYY-MM-DD-slug.md, built with
python-frontmatter. Before a post is written, `postlint.lint_post` lints it
exactly as `frontmatter.dump` will write it, with the configuration and the
Jekyll site of SITE, so each finding's line and column point into that file.
A post with an error is not written: its findings are printed and the
importer exits 1. Findings of lesser severity are printed; the post is
written. Needs `pip install 'postlint[frontmatter]'`.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path

import frontmatter

import postlint

DC = "{http://purl.org/dc/elements/1.1/}"


def items(feed: Path) -> Iterator[dict[str, str]]:
    """The feed's items as plain text fields (a local file, read with the
    standard library; an RSS 2.0 <item> with the Dublin Core creator)."""
    # A feed file the user names; expat (2.4.1 and later) refuses entity-expansion bombs.
    root = ET.parse(feed).getroot()  # noqa: S314
    for item in root.iter("item"):
        yield {
            "title": (item.findtext("title") or "").strip(),
            "link": (item.findtext("link") or "").strip(),
            "date": (item.findtext("pubDate") or "").strip(),
            "author": (item.findtext(f"{DC}creator") or "").strip(),
            "category": (item.findtext("category") or "").strip(),
            "body": (item.findtext("description") or "").strip() + "\n",
        }


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "bericht"


def file_name(item: dict[str, str]) -> str:
    """YYYY-MM-DD-slug.md from the item's date (its own day, as written);
    an item whose date does not parse gets a name without a date, which
    postlint then reports (JK001)."""
    day: str | None = None
    try:
        day = parsedate_to_datetime(item["date"]).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        pass
    return f"{day}-{slug(item['title'])}.md" if day else f"{slug(item['title'])}.md"


def build(item: dict[str, str]) -> frontmatter.Post:
    post = frontmatter.Post(item["body"])
    post["layout"] = "post"
    post["title"] = item["title"]
    post["date"] = item["date"]
    if item["author"]:
        post["author"] = item["author"]
    if item["category"]:
        post["category"] = item["category"]
    if item["link"]:
        post["externe_link"] = item["link"]
    return post


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("feed", type=Path, help="an RSS 2.0 file")
    parser.add_argument("site", type=Path, help="the Jekyll site to write the posts into")
    args = parser.parse_args(argv)

    refused = 0
    for item in items(args.feed):
        post = build(item)
        path = args.site / "_posts" / file_name(item)
        # The same text frontmatter.dump writes below, linted as that file.
        findings = postlint.lint_post(post, path)
        for d in findings:
            print(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}")
        if any(d.severity == "error" for d in findings):
            refused += 1
            print(f"{path}: not written: postlint found errors")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        frontmatter.dump(post, path)
        print(f"{path}: written")
    if refused:
        print(f"{refused} post{'s' if refused != 1 else ''} not written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
