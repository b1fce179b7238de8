"""An image field does not serve an image.

## What it does
For the fields configured as `image` (`feature_image` by default) and, with
`body-links`, the body's `<img src>` and Markdown images: reports a URL whose
final response works but whose `Content-Type` is not `image/*` (often an HTML
page: a gallery page, a login wall or a soft 404).

## Why is this bad?
The browser cannot show an HTML page as an image: the post is shown with a
broken image, or none.

## Example
```yaml
feature_image: "https://nieuws.example/fotos/sluizen"   # text/html
```

## Use instead
The address of the image file itself:
```yaml
feature_image: "https://nieuws.example/media/2019/05/sluizen-1008x567.jpg"
```

## Options
All URL rules share `[tool.postlint.urls]` (`[urls]` in `.postlint.toml`):
`fields` (front-matter field -> `"page"` or `"image"`; default
`{externe_link = "page", feature_image = "image"}`), `body-links` (default
false), `concurrency` (32), `per-host` (4), `timeout` (seconds, 10), `retries`
(2), `accept` (status codes, default `["2xx"]`), `user-agent`, `cache-max-age`
(`"1d"`), `allow-private` (false), `allow-hosts` (`[]`) and `network` (true;
`--no-network` sets it false). See the README, "URL checks".
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.diagnostic import Diagnostic
from postlint.urlcheck import OPTIONS, OPTIONS_TABLE, collect, findings

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect"]

CODE = "URL003"
NAME = "not-an-image"
SCOPE = "site"
SEVERITY = "error"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

