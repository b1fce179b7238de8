"""What postlint needs to know of the Jekyll site: its root and its _config.yml.

Long because: Jekyll's reading of its configuration is many small rules
(defaults by scope, exclude/include, permalink styles, time zone, the
folder a file belongs to, found fast for each post of a run), and each is
short; they share the one Site they describe.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from postlint.model.patterns import lazy
from postlint.model.record import FrozenRecord, NamedTuple

# Jekyll's own default exclusions (Jekyll::Configuration::DEFAULTS["exclude"]).
JEKYLL_EXCLUDE = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)


class Site(FrozenRecord):
    _uncompared = ("problems",)

    root: Path | None  # the folder of _config.yml
    exclude: tuple[str, ...]
    timezone: str | None
    future: bool
    permalink: str
    # Front matter defaults (`defaults:` in _config.yml): (scope path, scope type, values)
    defaults: tuple[tuple[str, str | None, Any], ...]
    problems: tuple[str, ...]
    # What the whole-site reference rules (JK003-JK005) need of _config.yml.
    baseurl: str  # "" or "/blog": no trailing slash
    theme: str | None  # `theme:`, else `remote_theme:` (as written)
    include: tuple[str, ...]
    keep_files: tuple[str, ...]
    plugins: tuple[str, ...]  # `plugins:` and the older `gems:`
    # Collections: (name, output, permalink or None); posts are not among them.
    collections: tuple[tuple[str, bool, str | None], ...]
    collections_dir: str
    includes_dir: str
    layouts_dir: str
    destination: str
    # Plugin settings that say where generated pages go: (key, value) pairs.
    generated: tuple[tuple[str, str], ...]

    def __init__(
        self,
        root: Path | None = None,
        exclude: tuple[str, ...] = (),
        timezone: str | None = None,
        future: bool = False,
        permalink: str = "date",
        defaults: tuple[tuple[str, str | None, Any], ...] = (),
        problems: tuple[str, ...] = (),
        baseurl: str = "",
        theme: str | None = None,
        include: tuple[str, ...] = (),
        keep_files: tuple[str, ...] = (".git", ".svn"),
        plugins: tuple[str, ...] = (),
        collections: tuple[tuple[str, bool, str | None], ...] = (),
        collections_dir: str = "",
        includes_dir: str = "_includes",
        layouts_dir: str = "_layouts",
        destination: str = "_site",
        generated: tuple[tuple[str, str], ...] = (),
    ) -> None:
        set_ = object.__setattr__
        set_(self, "root", root)
        set_(self, "exclude", exclude)
        set_(self, "timezone", timezone)
        set_(self, "future", future)
        set_(self, "permalink", permalink)
        set_(self, "defaults", defaults)
        set_(self, "problems", problems)
        set_(self, "baseurl", baseurl)
        set_(self, "theme", theme)
        set_(self, "include", include)
        set_(self, "keep_files", keep_files)
        set_(self, "plugins", plugins)
        set_(self, "collections", collections)
        set_(self, "collections_dir", collections_dir)
        set_(self, "includes_dir", includes_dir)
        set_(self, "layouts_dir", layouts_dir)
        set_(self, "destination", destination)
        set_(self, "generated", generated)

    def fingerprint(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone, "future": self.future, "permalink": self.permalink,
            "defaults": repr(self.defaults), "baseurl": self.baseurl,
        }

    def relative(self, path: str) -> str:
        """A post's path relative to the site's root ("/"-separated)."""
        if self.root is None:
            return path
        from postlint.files.paths import relative_posix, resolved_str

        # The root resolved once per Site (an lstat of it at each post's
        # call, 4-5 us; the Site is the site as read, _config.yml included).
        root = self.__dict__.get("_resolved_root")
        if root is None:
            root = resolved_str(self.root)
            object.__setattr__(self, "_resolved_root", root)
        relative = relative_posix(resolved_str(path), root)
        return relative if relative is not None else path

    def defaults_for(self, path: str) -> dict[str, Any]:
        """The front matter defaults Jekyll gives a post at `path`, more specific
        scopes winning over less specific ones, as in Jekyll."""
        relative = self.relative(path)
        merged: dict[str, Any] = {}
        matching = [
            (scope_path, values)
            for scope_path, scope_type, values in self.defaults
            if scope_type in (None, "", "posts", "drafts") and _scope_matches(scope_path, relative)
        ]
        for _, values in sorted(matching, key=lambda item: len(item[0])):
            merged.update(values)
        return merged


def _scope_matches(scope_path: str, relative: str) -> bool:
    scope_path = scope_path.strip("/")
    if not scope_path:
        return True
    if "*" in scope_path:
        from postlint.files.globs import match

        return match(scope_path, relative) or match(scope_path + "/**", relative)
    return relative == scope_path or relative.startswith(scope_path + "/")


def find_site(start: Path) -> Site:
    """The site a file or folder belongs to: the nearest _config.yml above it."""
    import os

    from postlint.files.paths import resolved_str

    real = resolved_str(start)  # resolves each folder once per process
    return _site_of_folder(_folder_path(real if os.path.isdir(real) else os.path.dirname(real)))


@lru_cache(maxsize=4096)
def _folder_path(folder: str) -> Path:
    # One Path per folder: _config_of_folder's cache hashes it once.
    return Path(folder)


def _site_of_folder(folder: Path) -> Site:
    config = _config_of_folder(folder)
    if config is None:
        return Site()
    import os
    import stat as stat_

    # The folder is resolved (find_site), so a _config.yml in it that is no
    # symbolic link is inside its boundary: one lstat instead of resolving
    # every component of its path again (a run asks this once per post).
    try:
        st = os.lstat(config)
    except OSError:
        st = None
    if st is not None and stat_.S_ISREG(st.st_mode):
        return _load_site_cached(config, st.st_mtime_ns, st.st_size)
    from postlint.files.safe import inside

    if not inside(str(config)):  # a link to a file outside the repository (or site)
        return Site(
            root=config.parent,
            problems=(
                (
                    f"{config}: is a symbolic link to a file outside the repository (or site); not read: "
                    "postlint reads nothing outside the site"
                ),
            ),
        )
    stat = config.stat()
    return _load_site_cached(config, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _config_of_folder(folder: Path) -> Path | None:
    config = folder / "_config.yml"
    if config.is_file():
        return config
    if folder.parent == folder:
        return None
    return _config_of_folder(folder.parent)


@lru_cache(maxsize=256)
def _load_site_cached(config: Path, mtime_ns: int, size: int) -> Site:
    # Keyed by the file's mtime and size: an edited _config.yml is read again.
    return load_site(config)


def load_site(config: Path) -> Site:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(config.read_bytes(), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        return Site(root=config.parent, problems=(f"{config}: cannot read Jekyll configuration: {exc}",))
    if not isinstance(data, dict):
        data = {}
    exclude = data.get("exclude") or []
    if not isinstance(exclude, list):
        exclude = [exclude]
    timezone = data.get("timezone")
    permalink = data.get("permalink") or "date"
    defaults = []
    for entry in data.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope")
        if not isinstance(scope, dict):
            scope = {}
        defaults.append((str(scope.get("path") or ""), scope.get("type"), _plain(entry["values"])))
    return Site(
        defaults=tuple(defaults),
        root=config.parent,
        exclude=tuple(str(e) for e in exclude),
        timezone=str(timezone) if timezone else None,
        future=data.get("future") is True,
        permalink=str(permalink),
        **_build_settings(data),
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    return tuple(str(v) for v in value if v is not None and not isinstance(v, (dict, list)))


def _build_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The settings of _config.yml that say which files Jekyll publishes where."""
    out: dict[str, Any] = {}
    baseurl = data.get("baseurl")
    if isinstance(baseurl, str) and baseurl.strip("/"):
        out["baseurl"] = "/" + baseurl.strip().strip("/")
    for key in ("theme", "remote_theme"):
        if isinstance(data.get(key), str) and data[key].strip():
            out["theme"] = data[key].strip()
            break
    out["include"] = _strings(data.get("include"))
    if "keep_files" in data:
        out["keep_files"] = _strings(data.get("keep_files"))
    out["plugins"] = _strings(data.get("plugins")) + _strings(data.get("gems"))
    collections: list[tuple[str, bool, str | None]] = []
    raw = data.get("collections")
    if isinstance(raw, list):
        raw = {str(name): {} for name in raw if isinstance(name, (str, int))}
    if isinstance(raw, dict):
        for name, meta in raw.items():
            meta = meta if isinstance(meta, dict) else {}
            permalink = meta.get("permalink")
            collections.append((str(name), meta.get("output") is True or str(name) == "posts",
                                str(permalink) if isinstance(permalink, str) and permalink else None))
    out["collections"] = tuple(c for c in collections if c[0] != "posts")
    for key, attr in (("collections_dir", "collections_dir"), ("includes_dir", "includes_dir"),
                      ("layouts_dir", "layouts_dir"), ("destination", "destination")):
        value = data.get(key)
        if isinstance(value, str) and value.strip("/ "):
            out[attr] = value.strip().strip("/")
    generated: list[tuple[str, str]] = []
    feed = data.get("feed")
    if isinstance(feed, dict) and isinstance(feed.get("path"), str):
        generated.append(("feed", feed["path"]))
    if isinstance(data.get("paginate_path"), str):
        generated.append(("paginate_path", data["paginate_path"]))
    archives = data.get("jekyll-archives")
    if isinstance(archives, dict) and isinstance(archives.get("permalinks"), dict):
        generated.extend(
            ("archive", template) for template in archives["permalinks"].values() if isinstance(template, str)
        )
    out["generated"] = tuple(generated)
    return out


def _plain(value: Any) -> Any:
    """Defaults as the schema sees front matter: dates and times as strings."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    return value


# -- a post's date and URL, as Jekyll computes them ---------------------------

# Jekyll::Document::DATE_FILENAME_MATCHER, applied to the file name.
POST_NAME = lazy(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^.]+)$")
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


# The zone names this process resolved from the tz database (a warm run's
# record names the files they came from: postlint.engine.warm).
RESOLVED_ZONES: set[str] = set()


def site_zone(site: Site) -> Any:
    """The site's `timezone` as a tzinfo, or None when unset or unknown here."""
    if not site.timezone:
        return None
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(site.timezone)
    except Exception:  # noqa: BLE001 - unknown zone name or no tz database
        return None
    RESOLVED_ZONES.add(site.timezone)
    return zone


def posts_folder(path: str) -> str | None:
    """"_posts" or "_drafts": the nearest such folder above a post, if any."""
    for part in reversed(path.split("/")[:-1]):
        if part in ("_posts", "_drafts"):
            return part
    return None


def intended_as_post(path: str, has_front_matter: bool) -> bool:
    """A file in _posts with neither front matter nor a post's name is an
    include or an asset kept beside the posts, not a post gone wrong."""
    if posts_folder(path) != "_posts":
        return True
    return has_front_matter or POST_NAME.match(path.rsplit("/", 1)[-1]) is not None


def filename_date(path: str) -> tuple[int, int, int] | None:
    name = path.rsplit("/", 1)[-1]
    m = POST_NAME.match(name)
    if m is None:
        return None
    year, month, day = (int(g) for g in m.group(1, 2, 3))
    return (year, month, day)


# -- the zone Jekyll builds in ---------------------------------------------------
#
# Jekyll sets TZ from `timezone` in _config.yml; without it, Ruby uses the build
# machine's zone, and GitHub Pages, GitHub Actions and Netlify build in UTC.
# Every front-matter date becomes `Time.parse(date.to_s).localtime`
# (Jekyll::Utils.parse_date): a date with an offset is converted to that zone,
# one without is read as wall-clock time in it -- except a plain (unquoted) YAML
# timestamp with seconds and no zone, which YAML 1.1 and Psych read as UTC first.

DEFAULT_BUILD_TIMEZONE = "UTC"
_UTC_NAMES = ("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "UCT", "Zulu", "Universal")


def zone_named(name: str) -> Any:
    """A tzinfo for an IANA zone name (UTC without a tz database), or None."""
    import datetime as dt

    if name in _UTC_NAMES:
        return dt.timezone.utc
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(name)
    except Exception:  # noqa: BLE001 - unknown zone name, bad key, or no tz database
        return None
    RESOLVED_ZONES.add(name)
    return zone


class BuildZone(NamedTuple):
    tzinfo: Any
    name: str
    why: str  # where the zone comes from, for messages

    @property
    def assumed(self) -> bool:
        """True when _config.yml has no timezone and `build-timezone` is assumed."""
        return "build-timezone" in self.why

    def describe(self) -> str:
        return f"in {self.name} ({self.why})"


def build_zone(site: Site, build_timezone: str | None = None) -> BuildZone:
    import datetime as dt

    zone = site_zone(site)
    if zone is not None:
        return BuildZone(zone, str(site.timezone), "timezone in _config.yml")
    if site.timezone:
        # Jekyll sets TZ to it anyway; the C library reads an unknown zone as UTC.
        return BuildZone(dt.timezone.utc, "UTC", f"_config.yml's timezone {site.timezone!r} is not a known zone")
    name = build_timezone or DEFAULT_BUILD_TIMEZONE
    tz = zone_named(name)
    if tz is None:  # refused by the rules' prepare(); never silently another zone
        raise ValueError(f"unknown time zone {name!r} in [dates] build-timezone")
    return BuildZone(tz, name, "assumed: _config.yml sets no timezone; see [dates] build-timezone")


def is_yaml_timestamp(post: Any, key: str) -> bool:
    """Is the date key a plain YAML scalar, so that a zoneless time with seconds
    is a YAML timestamp (read as UTC) rather than a string (read as local time)?"""
    fm = getattr(post, "front_matter", None)
    if fm is None or fm.format != "yaml":
        return False
    entry = fm.scalars.get((key,))
    return entry is not None and not entry[0]


# jekyll_moment's answers per process: the URL (JK002), DT004, DT005 and
# the date facts each ask for a post's moment, and a zone conversion costs
# some microseconds. Datetimes are immutable; at most _MOMENTS_MAX are kept.
_MOMENTS: dict[tuple[Any, Any, bool], Any] = {}
_MOMENTS_MAX = 4096


def jekyll_moment(parsed: Any, zone: BuildZone, yaml_timestamp: bool = False) -> Any:
    """The moment Jekyll makes of a parsed date, in the build zone (an aware
    datetime), or None when Python cannot represent it."""
    key = (parsed, zone.tzinfo, yaml_timestamp)
    try:
        return _MOMENTS[key]
    except KeyError:
        pass
    moment = _moment(parsed, zone, yaml_timestamp)
    if len(_MOMENTS) >= _MOMENTS_MAX:
        _MOMENTS.clear()
    _MOMENTS[key] = moment
    return moment


def _moment(parsed: Any, zone: BuildZone, yaml_timestamp: bool) -> Any:
    import datetime as dt

    moment = parsed.to_datetime()
    if moment is None:
        return None
    try:
        if moment.tzinfo is None:
            if yaml_timestamp and parsed.has_time and parsed.second is not None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            else:
                return moment.replace(tzinfo=zone.tzinfo)
        return moment.astimezone(zone.tzinfo)
    except (OverflowError, ValueError):
        return None


def local_date(
    parsed: Any, site: Site, build_timezone: str | None = None, *, yaml_timestamp: bool = False,
) -> tuple[int, int, int] | None:
    """The calendar day Jekyll gives a parsed date: in the site's `timezone`
    when _config.yml has one, else in `build_timezone` (default UTC)."""
    moment = jekyll_moment(parsed, build_zone(site, build_timezone), yaml_timestamp)
    if moment is None:
        return None
    return (moment.year, moment.month, moment.day)


def forget_sites() -> None:
    """Forget which folders have a _config.yml and what each said: a process
    that outlives edits (the language server) calls this when one is created,
    changed or removed."""
    _config_of_folder.cache_clear()
    _load_site_cached.cache_clear()
