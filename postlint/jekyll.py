"""What postlint needs to know of the Jekyll site: its root and its _config.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

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


@dataclass(frozen=True)
class Site:
    root: Optional[Path] = None  # the folder of _config.yml
    exclude: tuple[str, ...] = ()
    timezone: Optional[str] = None
    future: bool = False
    permalink: str = "date"
    problems: tuple[str, ...] = field(default=(), compare=False)

    def fingerprint(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "future": self.future, "permalink": self.permalink}


def find_site(start: Path) -> Site:
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        config = folder / "_config.yml"
        if config.is_file():
            return load_site(config)
    return Site()


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
    return Site(
        root=config.parent,
        exclude=tuple(str(e) for e in exclude),
        timezone=str(timezone) if timezone else None,
        future=data.get("future") is True,
        permalink=str(permalink),
    )
