"""postlint.adapters.yaml against the installed PyYAML: scalar nodes get the
values yaml.safe_load gives them, and ReaderError still says where and why."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from postlint.adapters import yaml as adapter
from tests.adapters.support import require

LIB = "yaml"

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])

SCALARS = [
    "yes", "No", "on", "OFF", "true", "~", "null",
    "12", "-0", "0x1F", "0b101", "017", "1_000", "190:20:30", "+7",
    "1.5", "-.5", "1.0e3", ".inf", "-.Inf", ".nan", "6.8523015e+5", "190:20:30.15",
]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
def test_scalars_get_safe_loads_values(loader: Any) -> None:
    constructor = adapter.ScalarConstructor()
    kinds = {"tag:yaml.org,2002:bool": constructor.bool, "tag:yaml.org,2002:int": constructor.int,
             "tag:yaml.org,2002:float": constructor.float}
    seen = set()
    for text in SCALARS:
        root: Any = yaml.compose(f"k: {text}\n", Loader=loader)
        node = root.value[0][1]
        expected = yaml.safe_load(f"k: {text}\n")["k"]
        if node.tag not in kinds:
            continue
        seen.add(node.tag)
        value = kinds[node.tag](node)
        same = (value != value and expected != expected) or (value == expected and type(value) is type(expected))
        require(same, LIB, f"SafeConstructor.construct_yaml_{node.tag.rsplit(':', 1)[1]}",
                f"{text!r} -> {value!r}, safe_load gives {expected!r}")
    assert seen == set(kinds)


def test_a_wrong_text_is_an_exception_the_model_catches() -> None:
    constructor = adapter.ScalarConstructor()
    node = yaml.nodes.ScalarNode("tag:yaml.org,2002:int", "12a")
    with pytest.raises((ValueError, TypeError)):
        constructor.int(node)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
def test_reader_error_says_where_and_why(loader: Any) -> None:
    text = "a: b\nc: \x07d\n"
    try:
        yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        require(isinstance(exc, yaml.reader.ReaderError), LIB, "yaml.reader.ReaderError", type(exc).__name__)
        index, reason = adapter.reader_error(exc)
        require(index == text.index("\x07") and isinstance(reason, str) and reason, LIB,
                "ReaderError.position/.reason", f"{index}, {reason!r}")
    else:
        require(False, LIB, "yaml.reader (a control character)", "no error")
    assert adapter.reader_error(ValueError("x")) == (0, None)


HOSTILE = [
    "a: yes\nb: 'yes'\nc: \"12\"\nd: 12\ne: ~\nf: 2019-05-13\ng: !!str 12\nh: [1, '1', on]\n",
    "a: &x {k: 1, l: [y, n]}\nb: *x\n<<: {m: 0x1F}\n? [complex, key]\n: value\n",
    "a: |\n  12\nb: >-\n  yes\nc: 1_000\nd: .nan\ne: -.Inf\nf: 190:20:30\n",
    "a: " + "x" * 300 + "\nb: " + "1" * 300 + "\n",  # too long to remember: resolved each time
]


def _tags(node: Any) -> list[Any]:
    if isinstance(node, yaml.nodes.ScalarNode):
        return [(node.tag, node.value, node.style)]
    if isinstance(node, yaml.nodes.SequenceNode):
        return [node.tag, *(t for item in node.value for t in _tags(item))]
    return [node.tag, *(t for k, v in node.value for t in _tags(k) + _tags(v))]


def test_the_remembering_loader_resolves_as_the_safe_loader() -> None:
    loader = adapter.safe_loader()
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    require(hasattr(base, "resolve") and not base.yaml_path_resolvers, LIB, "Resolver.resolve",
            "the safe loader resolves tags by value alone")
    assert issubclass(loader, base)
    for text in HOSTILE * 2:  # the second time from what it remembered
        assert _tags(yaml.compose(text, Loader=loader)) == _tags(yaml.compose(text, Loader=base))


def test_the_reader_class_substitute_holds_the_same_characters() -> None:
    import re
    import sys

    written = re.compile(adapter.READER_NON_PRINTABLE)
    substitute = re.compile(adapter.NON_PRINTABLE)
    for start in range(0, sys.maxunicode + 1, 0x10000):       # a plane at a time
        plane = "".join(map(chr, range(start, start + 0x10000)))
        assert written.findall(plane) == substitute.findall(plane), hex(start)


def test_the_installed_pyyaml_compiles_the_class_substituted() -> None:
    # (A PyYAML that spells it otherwise compiles its own: correct, 5 ms slower.)
    import yaml.reader

    assert yaml.reader.Reader.NON_PRINTABLE.pattern in (adapter.READER_NON_PRINTABLE, adapter.NON_PRINTABLE)


def test_import_pyyaml_substitutes_only_that_class() -> None:
    import subprocess
    import sys

    code = (
        "import re; compile_ = re.compile\n"
        "from postlint.adapters import yaml as adapter\n"
        "adapter.import_pyyaml()\n"
        "import yaml.reader, yaml.resolver\n"
        "assert re.compile is compile_\n"
        "assert yaml.reader.Reader.NON_PRINTABLE.pattern == adapter.NON_PRINTABLE\n"
        "resolvers = [p.pattern for v in yaml.resolver.Resolver.yaml_implicit_resolvers.values() for _, p in v]\n"
        "assert resolvers and adapter.NON_PRINTABLE not in resolvers\n"
        "assert yaml.load('a: \\xe9', Loader=yaml.SafeLoader) == {'a': '\\xe9'}\n"
        "try:\n"
        "    yaml.load('a: \\x07', Loader=yaml.SafeLoader)\n"
        "except yaml.reader.ReaderError as exc:\n"
        "    assert exc.position == 3 and exc.character == 7, exc\n"
        "else:\n"
        "    raise AssertionError('no ReaderError')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
