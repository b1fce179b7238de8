"""What Jekyll would publish from a site's source folder, and at which URLs.

Long because: it follows Jekyll's own EntryFilter, Page, StaticFile and
Document (exclusions, permalinks, collections, the pages plugins generate,
themes), which only answer together whether a URL is published.

One walk of the site's root (never `_site`, `.git`, `node_modules` or
`vendor/bundle`) lists its files; from them, as Jekyll's EntryFilter, Page,
StaticFile and Document do:

* static files and pages (files outside `_`-folders that Jekyll reads: no
  leading `.`, `_`, `#` or `~`, no trailing `~`, not in `exclude` (Jekyll's
  defaults included) unless in `include`), at their URLs: Markdown becomes
  `.html`, Sass `.css`, CoffeeScript `.js`; a page's own `permalink` and the
  site's `permalink` style (pretty: `/about/`) count;
* the documents and static files of collections with `output: true`, at
  their collection's `permalink` (default `/:collection/:path:output_ext`);
* the posts (by file name, for `{% post_url %}`), layouts and includes.

Posts' own URLs are not computed here: they need each post's front matter
(the site rules collect them). Everything a reference may name but postlint
cannot see is `covered`: `keep_files`, the pages jekyll-feed, jekyll-sitemap,
jekyll-redirect-from, jekyll-paginate and jekyll-archives generate, and, with
a theme whose files are not in the repository, `/assets/`.

A URL is looked up as a server would find it: `/about/` is also
`/about/index.html` and `/about`, `/a.html` is also `/a` (GitHub Pages and
Netlify serve it without the extension).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterator
from functools import lru_cache

from postlint.model.patterns import lazy
from postlint.model.record import FACTORY, Record
from postlint.model.site import JEKYLL_EXCLUDE, Site

MARKDOWN_EXTENSIONS = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")
_CONVERTED = {".scss": ".css", ".sass": ".css", ".coffee": ".js"}
_HTML = (".html", ".xhtml", ".htm")
# Never walked: version control and caches (anywhere: Jekyll never publishes
# a dot-folder), and at the root the build's output and the dependencies
# Jekyll excludes by default (`assets/vendor/` is published, `vendor/bundle/` not).
_NEVER = {".git", ".hg", ".svn", ".jekyll-cache", ".sass-cache", ".postlint_cache"}
_NEVER_AT_ROOT = {"node_modules", "vendor/bundle", "vendor/cache", "vendor/gems", "vendor/ruby"}
_MAX_FILES = 200_000  # a walk stops here: a repository that big is not a site
_PERMALINK = lazy(r"^permalink:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_PUBLISHED_FALSE = lazy(r"^published:[ \t]*false[ \t]*$", re.MULTILINE)
_FRONT_END = lazy(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_PLACEHOLDER = lazy(r":([a-z_]+)")


class SiteFiles(Record):
    _uncompared = _unshown = ("walked", "read", "odd")

    root: str
    files: set[str]  # every file walked, relative, "/"-separated
    urls: dict[str, str]  # URL (decoded) -> the source file
    posts: dict[str, list[str]]  # a post's name without extension -> paths
    layouts: set[str]  # names: the path in _layouts without extension
    includes: set[str]  # paths inside _includes
    linkable: set[str]  # what {% link %} may name: pages, static files, documents
    covered: list[re.Pattern[str]]
    has_index: bool  # a home page at the root
    has_layouts: bool
    has_includes: bool
    theme_files: bool  # the theme's gem is vendored in the repository
    truncated: bool
    _folded: dict[str, dict[str, str]]
    # What the walk's answer rests on, for keeping it between runs
    # (postlint.rules.jekyll.site_files_store): each folder walked and each file whose
    # front matter was read, with its stat signature; each entry that was not
    # a plain regular file, with the verdict of _regular_inside. Neither
    # compared nor shown.
    walked: list[tuple[str, str]] | None
    read: list[tuple[str, str]]
    odd: list[tuple[str, bool]]

    def __init__(
        self,
        root: str,
        files: set[str] = FACTORY,
        urls: dict[str, str] = FACTORY,
        posts: dict[str, list[str]] = FACTORY,
        layouts: set[str] = FACTORY,
        includes: set[str] = FACTORY,
        linkable: set[str] = FACTORY,
        covered: list[re.Pattern[str]] = FACTORY,
        has_index: bool = False,
        has_layouts: bool = False,
        has_includes: bool = False,
        theme_files: bool = False,
        truncated: bool = False,
        _folded: dict[str, dict[str, str]] = FACTORY,
        walked: list[tuple[str, str]] | None = None,
        read: list[tuple[str, str]] = FACTORY,
        odd: list[tuple[str, bool]] = FACTORY,
    ) -> None:
        self.root = root
        self.files = set() if files is FACTORY else files
        self.urls = {} if urls is FACTORY else urls
        self.posts = {} if posts is FACTORY else posts
        self.layouts = set() if layouts is FACTORY else layouts
        self.includes = set() if includes is FACTORY else includes
        self.linkable = set() if linkable is FACTORY else linkable
        self.covered = [] if covered is FACTORY else covered
        self.has_index = has_index
        self.has_layouts = has_layouts
        self.has_includes = has_includes
        self.theme_files = theme_files
        self.truncated = truncated
        self._folded = {} if _folded is FACTORY else _folded
        self.walked = walked
        self.read = [] if read is FACTORY else read
        self.odd = [] if odd is FACTORY else odd

    @property
    def whole(self) -> bool:
        """Does the folder hold a whole site, not only its posts? A site has a
        home page or layouts of its own; a copy of `_posts` has neither."""
        return self.has_index or self.has_layouts

    def add_url(self, url: str, source: str) -> None:
        for form in url_forms(url):
            self.urls.setdefault(form, source)

    def is_covered(self, url: str) -> bool:
        return any(p.match(url) for p in self.covered)

    def folded(self, what: str) -> dict[str, str]:
        """lower-case -> as written, for the set named `what` (built once)."""
        table = self._folded.get(what)
        if table is None:
            items = self.urls if what == "urls" else getattr(self, what)
            table = {}
            for item in sorted(items):
                table.setdefault(item.lower(), item)
            self._folded[what] = table
        return table


def url_forms(url: str) -> list[str]:
    """The URLs at which a server serves what Jekyll wrote for `url`."""
    forms = [url]
    if url.endswith("/index.html"):
        forms += [url[: -len("index.html")], url[: -len("/index.html")] or "/"]
    elif url.endswith("/"):
        forms += [url + "index.html"]
        if url != "/":
            forms.append(url[:-1])
    elif url.endswith(".html"):
        forms.append(url[: -len(".html")])
    elif "." not in url.rsplit("/", 1)[-1]:
        forms.append(url + ".html")  # permalink: /about -> about.html
    return forms


def _matches(patterns: tuple[str, ...], relative: str) -> bool:
    return _matcher(patterns)(relative)


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Does a path match one of Jekyll's exclude/include patterns: the path or
    its name is the pattern, the path lies under it, or (a pattern with glob
    characters) the path or its name matches it as fnmatch does. Built once
    per list: a site walk asks it of every file."""
    literal: set[str] = set()
    globs: list[str] = []
    for pattern in patterns:
        pattern = pattern.strip().strip("/") if pattern.strip() not in ("/", "") else ""
        if not pattern:
            continue
        literal.add(pattern)
        if any(c in pattern for c in "*?["):
            globs.append(fnmatch.translate(pattern))
    wild = re.compile("|".join(f"(?:{g})" for g in globs)).match if globs else None

    def matches(relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        if relative in literal or name in literal:
            return True
        slash = relative.find("/")
        while slash != -1:
            if relative[:slash] in literal:
                return True
            slash = relative.find("/", slash + 1)
        return wild is not None and (wild(relative) is not None or wild(name) is not None)

    return matches


def _special(name: str) -> bool:
    return name[:1] in (".", "_", "#", "~") or name.endswith("~")


_DIGITS = {"year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}", "i_month": r"\d{1,2}", "i_day": r"\d{1,2}",
           "short_year": r"\d{2}", "y_day": r"\d{3}", "hour": r"\d{2}", "minute": r"\d{2}", "second": r"\d{2}",
           "num": r"\d+", "output_ext": r"(?:\.[^/]*)?"}


def _template_regex(template: str) -> re.Pattern[str]:
    """The URLs a URL template (`/tag/:name/`, `/:year/`) makes, as a pattern
    of whole URLs (a folder URL also as its index.html)."""
    template = "/" + template.lstrip("/")
    parts = [
        _DIGITS.get(piece[1:], "[^/]+") if piece.startswith(":") else re.escape(piece)
        for piece in re.split(r"(:[a-z_]+)", template)
    ]
    tail = r"(?:index\.html)?" if template.endswith("/") else r"(?:\.html)?"
    return re.compile("".join(parts) + tail + r"\Z")


def _front_matter(path: str, found: SiteFiles | None = None, relative: str = "") -> str | None:
    """The front matter of a file that has one (Jekyll: the first line is
    `---`), else None. Reads at most 64 KiB of a regular file (never blocks
    on a FIFO)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if found is not None and found.walked is not None:
            try:  # unreadable now: readable later is a change of its ctime
                found.read.append((relative, signature(os.stat(path))))
            except OSError:
                found.read.append((relative, "-"))
        return None
    try:
        st = os.fstat(fd)
        if found is not None and found.walked is not None:
            found.read.append((relative, signature(st)))
        if not stat.S_ISREG(st.st_mode):
            return None
        head = os.read(fd, 65536)
    except OSError:
        return None
    finally:
        os.close(fd)
    if not re.match(rb"---[ \t]*\r?\n", head):
        return None
    text = head.decode("utf-8", "replace")
    body = text[text.index("\n") + 1:]
    end = _FRONT_END.search(body)
    return body[: end.start()] if end else body


def _permalink(front: str) -> str | None:
    m = _PERMALINK.search(front)
    if m is None:
        return None
    value = m.group(1).split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value or None


def output_extension(extension: str) -> str:
    extension = extension.lower()
    if extension in MARKDOWN_EXTENSIONS:
        return ".html"
    return _CONVERTED.get(extension, extension)


def _pretty(site: Site) -> bool:
    style = site.permalink
    return style == "pretty" or (style not in ("date", "ordinal", "weekdate", "none") and style.endswith("/"))


def _page_url(relative: str, front: str, site: Site) -> str | None:
    folder, _, name = relative.rpartition("/")
    base, dot, ext = name.rpartition(".")
    if not dot:
        base, ext = name, ""
    out_ext = output_extension("." + ext if ext else "")
    values = {"path": folder, "basename": base, "output_ext": out_ext, "name": base}
    template = _permalink(front)
    if template is None:
        if out_ext not in _HTML:
            template = "/:path/:basename:output_ext"
        elif base == "index":
            template = "/:path/"
        else:
            template = "/:path/:basename/" if _pretty(site) else "/:path/:basename:output_ext"
    elif any(m.group(1) not in values for m in _PLACEHOLDER.finditer(template)):
        return None
    url = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def _document_url(
    collection: str, inner: str, front: str, template: str | None, site: Site,
) -> tuple[str | None, str | None]:
    """(URL, None) of a collection's document, or (None, covered prefix
    template) when its permalink has placeholders postlint does not fill."""
    stem, dot, ext = inner.rpartition(".")
    if not dot:
        stem, ext = inner, ""
    name = stem.rsplit("/", 1)[-1]
    values = {"collection": collection, "path": stem, "name": name, "title": name, "slug": name,
              "output_ext": output_extension("." + ext if ext else ""), "basename": name}
    own = _permalink(front)
    if own is not None:
        template = own
    if template is None:
        template = "/:collection/:path/" if _pretty(site) else "/:collection/:path:output_ext"
    if any(m.group(1) not in values for m in _PLACEHOLDER.finditer(template)):
        return None, template.replace(":collection", collection)
    url = _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/"), None


def site_files(site: Site, *, record: bool = False) -> SiteFiles:
    """The files of a site and what Jekyll publishes from them (one walk).
    With `record`, also what the answer rests on (SiteFiles.walked, .read,
    .odd)."""
    found = _walked(site, record)
    return found if found.truncated else _cover(found, site)


def _walked(site: Site, record: bool = False) -> SiteFiles:
    """site_files() before _cover: what the walk itself found."""
    root = str(site.root) if site.root is not None else "."
    found = SiteFiles(root)
    if record:
        found.walked = []
    exclude = tuple(site.exclude) + JEKYLL_EXCLUDE
    include = tuple(site.include)
    collections_dir = site.collections_dir.strip("/")
    collections = {name: (output, permalink) for name, output, permalink in site.collections}
    destination = site.destination.strip("/")
    count = 0
    for rel_folder, names in _walk(root, destination, found.walked):
        for name, regular in names:
            count += 1
            if count > _MAX_FILES:
                found.truncated = True
                return found
            relative = f"{rel_folder}/{name}" if rel_folder else name
            if not regular:
                inside = _regular_inside(os.path.join(root, *relative.split("/")), root)
                if record:
                    found.odd.append((relative, inside))
                if not inside:
                    continue  # a link out of the site, a broken one, a FIFO: never read, never published
            found.files.add(relative)
            _classify(found, site, relative, exclude, include, collections_dir, collections)
    return found


def signature(st: os.stat_result) -> str:
    """What a later stat must equal for a file or folder to be unchanged."""
    return f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}:{st.st_dev}"


def _walk(
    root: str, destination: str, walked: list[tuple[str, str]] | None = None, start: str = "",
) -> Iterator[tuple[str, list[tuple[str, bool]]]]:
    """os.walk(root) top-down, the folders of each sorted and those never
    walked left out, links to folders not followed: (folder relative to the
    root, [(name, is a regular file that is no link)] in the order the system
    lists them). The kind comes from the listing itself (no lstat per file
    where the file system says it); anything else (a link, a FIFO) is looked
    at by the caller. `walked` receives (folder, stat signature) of each
    folder listed, taken before listing it. `start`: the folder (relative)
    whose subtree alone is walked."""
    stack = [start]
    skip_at_root = _NEVER_AT_ROOT | {destination}
    while stack:
        rel_folder = stack.pop()
        folder = os.path.join(root, *rel_folder.split("/")) if rel_folder else root
        dirs: list[str] = []
        names: list[tuple[str, bool]] = []
        try:
            if walked is not None:
                walked.append((rel_folder, signature(os.stat(folder))))
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        try:
                            names.append((entry.name, entry.is_file(follow_symlinks=False)))
                        except OSError:
                            names.append((entry.name, False))
                        continue
                    name = entry.name
                    if name in _NEVER or (f"{rel_folder}/{name}" if rel_folder else name) in skip_at_root:
                        continue
                    try:
                        if entry.is_symlink():
                            continue  # os.walk lists it among the folders and does not walk into it
                    except OSError:
                        continue
                    dirs.append(name)
        except OSError:
            continue
        yield rel_folder, names
        stack.extend(f"{rel_folder}/{d}" if rel_folder else d for d in sorted(dirs, reverse=True))


def _regular_inside(path: str, root: str) -> bool:
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            from postlint.files.safe import inside

            if not inside(path, root):
                return False
            mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode)


def inert_folder(site: Site, folder: str) -> bool:
    """Does every file directly in `folder` (relative, not the root) only
    count among the site's files, whatever its name: no layout, include,
    post, document or page (a dot-folder or an excluded one, not included)?
    _classify's own tests, on the folder's part of the path."""
    parts = folder.split("/")
    if parts[0] in (site.layouts_dir, site.includes_dir) or "_posts" in parts:
        return False
    inner: list[str] | None = parts
    collections_dir = site.collections_dir.strip("/")
    if collections_dir:
        prefix = collections_dir.split("/")
        inner = parts[len(prefix):] if parts[: len(prefix)] == prefix else None
    if inner and inner[0].startswith("_") and inner[0][1:] in {name for name, _, _ in site.collections}:
        return False
    exclude = tuple(site.exclude) + JEKYLL_EXCLUDE
    include = tuple(site.include)
    for depth in range(len(parts)):
        partial = "/".join(parts[: depth + 1])
        if (_special(parts[depth]) or _matches(exclude, partial)) and not _matches(include, partial):
            return True
    return False


def _classify(found: SiteFiles, site: Site, relative: str, exclude: tuple[str, ...], include: tuple[str, ...],
              collections_dir: str, collections: dict[str, tuple[bool, str | None]]) -> None:
    parts = relative.split("/")
    top = parts[0]
    if top == site.layouts_dir:
        found.has_layouts = True
        found.layouts.add("/".join(parts[1:]).rsplit(".", 1)[0])
        return
    if top == site.includes_dir:
        found.has_includes = True
        found.includes.add("/".join(parts[1:]))
        return
    if "_posts" in parts[:-1]:
        if _matches(exclude, relative) and not _matches(include, relative):
            return
        name = parts[-1]
        found.posts.setdefault(name.rsplit(".", 1)[0] if "." in name else name, []).append(relative)
        found.linkable.add(relative)
        return
    inner_parts: list[str] | None = parts
    if collections_dir:
        if parts[: len(collections_dir.split("/"))] != collections_dir.split("/"):
            inner_parts = None
        else:
            inner_parts = parts[len(collections_dir.split("/")):]
    if inner_parts and len(inner_parts) > 1 and inner_parts[0].startswith("_") and inner_parts[0][1:] in collections:
        name = inner_parts[0][1:]
        output, template = collections[name]
        if not output or any(_special(p) for p in inner_parts[1:]):
            return
        inner = "/".join(inner_parts[1:])
        front = _front_matter(os.path.join(found.root, *parts), found, relative)
        found.linkable.add(relative)
        if front is None:
            found.add_url(f"/{name}/{inner}", relative)
            return
        url, prefix = _document_url(name, inner, front, template, site)
        if url is not None:
            found.add_url(url, relative)
        elif prefix is not None:
            found.covered.append(_template_regex(prefix))
        return
    for depth in range(len(parts)):
        partial = "/".join(parts[: depth + 1])
        if (_special(parts[depth]) or _matches(exclude, partial)) and not _matches(include, partial):
            return
    front = _front_matter(os.path.join(found.root, *parts), found, relative)
    found.linkable.add(relative)
    if len(parts) == 1 and parts[0].rsplit(".", 1)[0] == "index":
        found.has_index = True
    if front is None:
        found.add_url("/" + relative, relative)
        return
    if _PUBLISHED_FALSE.search(front):
        return
    url = _page_url(relative, front, site)
    if url is None:
        found.covered.append(_template_regex(_permalink(front) or "/"))
        return
    found.add_url(url, relative)
    if url == "/":
        found.has_index = True


def _plugin(site: Site, *names: str) -> bool:
    return any(p in site.plugins for p in names)


def _cover(found: SiteFiles, site: Site) -> SiteFiles:
    generated = dict(site.generated)
    for entry in site.keep_files:
        entry = entry.strip("/")
        if entry:
            found.covered.append(re.compile(re.escape("/" + entry) + "(?:/|$)"))
    if _plugin(site, "jekyll-feed"):
        found.add_url("/" + generated.get("feed", "feed.xml").lstrip("/"), "jekyll-feed")
    if _plugin(site, "jekyll-sitemap"):
        found.add_url("/sitemap.xml", "jekyll-sitemap")
        found.add_url("/robots.txt", "jekyll-sitemap")
    if _plugin(site, "jekyll-redirect-from"):
        found.add_url("/redirects.json", "jekyll-redirect-from")
    if _plugin(site, "jekyll-paginate", "jekyll-paginate-v2"):
        template = generated.get("paginate_path", "/page:num/")
        found.covered.append(_template_regex(template if template.endswith("/") else template + "/"))
    if _plugin(site, "jekyll-archives"):
        templates = [t for k, t in site.generated if k == "archive"] or [
            "/:year/", "/:year/:month/", "/:year/:month/:day/", "/tag/:name/", "/category/:name/"]
        found.covered.extend(_template_regex(t) for t in templates)
    if site.theme:
        found.theme_files = _vendored_theme(found.root, site.theme)
        if not found.theme_files:
            # A theme's gem may hold assets/ (Jekyll merges it into the site).
            found.covered.append(re.compile(r"/assets(?:/|$)"))
    return found


def _vendored_theme(root: str, theme: str) -> bool:
    """Is the theme's gem in the repository (vendor/bundle/ruby/*/gems/NAME-*)?"""
    import glob

    name = theme.rsplit("/", 1)[-1].split("@", 1)[0]
    return bool(glob.glob(os.path.join(glob.escape(root), "vendor", "bundle", "ruby", "*", "gems",
                                       glob.escape(name) + "-*", "_layouts")))


def theme_entries(root: str, theme: str, folder: str) -> set[str]:
    """What a vendored theme's gem holds in `_layouts` (names without
    extension) or `_includes` (paths)."""
    import glob

    name = theme.rsplit("/", 1)[-1].split("@", 1)[0]
    out: set[str] = set()
    for base in glob.glob(os.path.join(glob.escape(root), "vendor", "bundle", "ruby", "*", "gems",
                                       glob.escape(name) + "-*", folder)):
        for where, _, names in os.walk(base):
            inner = os.path.relpath(where, base).replace(os.sep, "/")
            for entry in names:
                path = entry if inner == "." else f"{inner}/{entry}"
                out.add(path.rsplit(".", 1)[0] if folder == "_layouts" else path)
    return out
