"""benchmarks/vnu_compare.py: which Nu Html Checker messages are parse errors."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import REPO


def _module():
    spec = importlib.util.spec_from_file_location("vnu_compare", REPO / "benchmarks" / "vnu_compare.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Messages of vnu's HTML parser (tree builder), as vnu 26 prints them.
PARSE = [
    "End tag “b” violates nesting rules.",                  # <b><p>q</b>
    "End tag “br”.",                                         # </br>
    "No “p” element in scope but a “p” end tag seen.",
    "Stray end tag “embed”.",
    "Unclosed element “span”.",
    "Duplicate attribute “id”.",
]
# Content model: not parse errors.
NOT_PARSE = [
    "Element “p” not allowed as child of element “b” in this context. (Suppressing further errors from this subtree.)",
    "An “img” element must have an “alt” attribute, except under certain conditions.",
    "The “tt” element is obsolete. Use CSS instead.",
]


@pytest.mark.parametrize("message", PARSE)
def test_parse_errors_are_recognised(message: str) -> None:
    assert _module().is_parse_error(message)


@pytest.mark.parametrize("message", NOT_PARSE)
def test_content_model_errors_are_not(message: str) -> None:
    assert not _module().is_parse_error(message)
