"""An image field does not serve an image.

## What it does
For the fields configured as `image` (`feature_image` by default) and, with
`body-links`, the body's `<img src>` and Markdown images: reports a URL whose
final response works but whose `Content-Type` is not `image/*` (often an HTML
page: a gallery page, a login wall or a soft 404).

Browsers show an image by what its bytes are, whatever the `Content-Type`
says, so such a response is asked for its first 4 KB (one GET, read raw, with
`Range`): when they are a PNG, JPEG, GIF, WebP, BMP, ICO or AVIF image (the
WHATWG sniffing patterns), there is no finding. `gzip` and `deflate` codings
are undone for that look only, to at most 1 KB each, so a compressed bomb
stays small. `X-Content-Type-Options: nosniff` means the type is taken as sent.

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
The `[tool.postlint.urls]` options of URL001 (`postlint rule URL001`), shared by
all URL rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "URL003"
NAME = "not-an-image"
SCOPE = "site"
SEVERITY = "error"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

