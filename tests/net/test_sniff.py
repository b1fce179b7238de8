"""URL003 looks at an image's first bytes as a browser does, with a bounded,
raw read; against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from typing import Any

import pytest

from postlint.net import NetSettings, UrlCheck, Verdict, resolve
from postlint.net.sniff import SNIFF_OUTPUT, decoded_prefix, image_type, sniff

from .server import TestServer, by_method, raw, reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 200
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 200


def settings(**overrides: Any) -> NetSettings:
    base: dict[str, Any] = {
        "timeout": 2.0,
        "retries": 0,
        "use_cache": False,
        "cache_dir": None,
        "allow_hosts": ("127.0.0.1",),
    }
    base.update(overrides)
    return NetSettings(**base)


def one(url: str, kind: str = "image") -> Verdict:
    verdicts, _ = resolve([UrlCheck(url, kind)], settings())  # type: ignore[arg-type]
    return verdicts[UrlCheck(url, kind)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (PNG, "image/png"), (JPEG, "image/jpeg"), (b"GIF89a\x01\x00", "image/gif"), (b"GIF87a", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"), (b"BM\x36\x00", "image/bmp"),
        (b"\x00\x00\x01\x00\x01\x00", "image/x-icon"), (b"\x00\x00\x00\x1cftypavif\x00\x00", "image/avif"),
        (b"<!doctype html><p>", None), (b"RIFF\x24\x00\x00\x00WAVEfmt ", None), (b"\x89PN", None), (b"", None),
    ],
)
def test_image_type_patterns(data: bytes, mime: str | None) -> None:
    assert image_type(data) == mime


def test_codings_are_undone_with_a_bounded_output() -> None:
    assert sniff(gzip.compress(PNG), "gzip") == "image/png"
    assert sniff(gzip.compress(gzip.compress(JPEG)), "gzip, gzip") == "image/jpeg"
    assert sniff(zlib.compress(PNG), "deflate") == "image/png"
    raw_deflate = zlib.compressobj(wbits=-15)
    assert sniff(raw_deflate.compress(PNG) + raw_deflate.flush(), "deflate") == "image/png"
    assert sniff(PNG, "br") is None  # cannot tell
    bomb = gzip.compress(gzip.compress(b"\0" * (8 << 20)))
    out = decoded_prefix(bomb, "gzip, gzip")
    assert out is not None and len(out) <= SNIFF_OUTPUT


@pytest.mark.parametrize("content_type", ["application/octet-stream", "binary/octet-stream", "text/plain"])
def test_an_image_served_with_another_type_is_no_finding(server: TestServer, content_type: str) -> None:
    url = server.route("/pic", reply(200, PNG, {"Content-Type": content_type}))
    assert one(url).code is None
    assert server.hits("/pic", "HEAD") == 1 and server.hits("/pic", "GET") == 1


def test_an_image_served_without_content_type_is_no_finding(server: TestServer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(JPEG)
    url = server.route("/pic", by_method(HEAD=raw(head), GET=raw(head + JPEG)))
    assert one(url).code is None


def test_a_gzip_encoded_image_is_sniffed(server: TestServer) -> None:
    body = gzip.compress(PNG)
    url = server.route(
        "/pic", reply(200, body, {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip"})
    )
    assert one(url).code is None


def test_an_html_page_in_an_image_field_is_url003_after_one_look(server: TestServer) -> None:
    url = server.route("/page", reply(200, b"<!doctype html><p>photo gallery</p>"))
    assert one(url).code == "URL003"
    assert server.hits("/page", "GET") == 1


def test_nosniff_means_the_type_is_taken_as_sent(server: TestServer) -> None:
    headers = {"Content-Type": "application/octet-stream", "X-Content-Type-Options": "nosniff"}
    url = server.route("/pic", reply(200, PNG, headers))
    assert one(url).code == "URL003"
    assert server.hits("/pic", "GET") == 0


def test_a_page_field_is_never_sniffed(server: TestServer) -> None:
    url = server.route("/pic", reply(200, PNG, {"Content-Type": "application/octet-stream"}))
    assert one(url, "page").code is None
    assert server.hits("/pic", "GET") == 0


def test_a_gzip_bomb_in_an_image_field_is_sniffed_within_bounds(server: TestServer) -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * (64 << 20), compresslevel=9), compresslevel=9)
    headers = {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip, gzip"}
    url = server.route("/bomb", by_method(GET=reply(200, bomb, headers)))
    tracemalloc.start()
    try:
        verdict = one(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict.code == "URL003"  # zeros are no image
    assert peak < 16 << 20


def test_a_large_body_is_read_only_as_far_as_the_sniff_needs(server: TestServer) -> None:
    from .server import endless

    url = server.route("/endless", by_method(GET=endless(limit_bytes=64 << 20, limit_seconds=5)))
    assert one(url).code == "URL003"  # text/html, and x's are no image
    assert server.bytes_sent("/endless") < 8 << 20  # the client hung up early
