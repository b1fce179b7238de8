"""A span of a post's text and a key path into its front matter: what the
post model (postlint.model.post) and the flat front-matter reader
(postlint.model.flat_yaml) both speak."""

from __future__ import annotations

from postlint.model.record import NamedTuple

# A path into the front matter's data: keys and list indices.
KeyPath = tuple[str | int, ...]


class Span(NamedTuple):
    start: int
    end: int
