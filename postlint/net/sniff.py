"""What image, if any, the first bytes of a body are (URL003).

Browsers show an `<img>` by what its bytes are, not by the Content-Type the
server sent (WHATWG MIME Sniffing, "image type pattern matching"): a feature
image served as `application/octet-stream` or with no Content-Type at all
still shows. So when an image field's response does not say `image/*`,
postlint reads the first SNIFF_BYTES of the body, raw, and matches them here.

Bodies are never decompressed beyond what the match needs: each content
coding (gzip, deflate; `gzip, gzip` is two) is undone with an output limit of
SNIFF_OUTPUT bytes, so a decompression bomb yields SNIFF_OUTPUT bytes at most.
A coding this module cannot undo (br, zstd, unknown) means "cannot tell".
"""

from __future__ import annotations

import zlib

SNIFF_BYTES = 4096  # raw bytes read from the body
SNIFF_OUTPUT = 1024  # bytes kept after undoing each content coding

_PATTERNS: tuple[tuple[bytes, bytes, str], ...] = (
    # (pattern, mask, MIME type), from the WHATWG image type pattern table
    (b"\x00\x00\x01\x00", b"\xff\xff\xff\xff", "image/x-icon"),
    (b"\x00\x00\x02\x00", b"\xff\xff\xff\xff", "image/x-icon"),
    (b"BM", b"\xff\xff", "image/bmp"),
    (b"GIF87a", b"\xff" * 6, "image/gif"),
    (b"GIF89a", b"\xff" * 6, "image/gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP", b"\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff", "image/webp"),
    (b"\x89PNG\r\n\x1a\n", b"\xff" * 8, "image/png"),
    (b"\xff\xd8\xff", b"\xff\xff\xff", "image/jpeg"),
)
# ISO BMFF images (AVIF, HEIF), which browsers also show: an `ftyp` box first.
_FTYP_BRANDS = {b"avif": "image/avif", b"avis": "image/avif", b"heic": "image/heic", b"mif1": "image/heif"}


def image_type(data: bytes) -> str | None:
    """The image MIME type `data` starts with, or None."""
    for pattern, mask, mime in _PATTERNS:
        if len(data) >= len(pattern) and all(
            (data[i] & mask[i]) == pattern[i] for i in range(len(pattern))
        ):
            return mime
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(data[8:12])
    return None


def _undo(coding: str, data: bytes) -> bytes | None:
    if coding in ("", "identity"):
        return data[:SNIFF_OUTPUT]
    if coding in ("gzip", "x-gzip"):
        candidates = [zlib.MAX_WBITS | 16]
    elif coding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
        candidates = [zlib.MAX_WBITS, -zlib.MAX_WBITS]
    else:
        return None
    for wbits in candidates:
        try:
            return zlib.decompressobj(wbits).decompress(data, SNIFF_OUTPUT)
        except zlib.error:
            continue
    return None


def decoded_prefix(data: bytes, content_encoding: str) -> bytes | None:
    """The first bytes of the content, with at most SNIFF_OUTPUT bytes produced
    per content coding; None if a coding cannot be undone."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    if len(codings) > 4:
        return None
    out: bytes | None = data[:SNIFF_BYTES]
    for coding in reversed(codings):  # the last applied is listed last
        assert out is not None
        out = _undo(coding, out)
        if out is None:
            return None
    return out


def sniff(data: bytes, content_encoding: str = "") -> str | None:
    """The image type of a body that starts with `data` (raw, as sent)."""
    prefix = decoded_prefix(data, content_encoding)
    return image_type(prefix) if prefix is not None else None
