"""Hostile schemas, configurations and front matter (issue 12, point 6): schema
regexes in linear time (RE2), $ref cycles and non-file $refs refused at load,
nesting bounded everywhere, huge numbers are values."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from postlint.analysis.schema.validate import InvalidSchema, compile_schema, violations
from postlint.engine.config import ConfigError, load_settings
from postlint.engine.registry import load
from tests.conftest import lint, positions, run_cli, write_site

HOSTILE = "^(a+)+$"  # catastrophic backtracking in Python's re: ~2**n steps
VALUE = "a" * 35 + "!"
POST = f'---\nlayout: post\ntitle: "{VALUE}"\n---\n<p>x</p>\n'
A = "_posts/2019-05-13-a.md"


def _site(tmp_path: Path, schema: object, post: str = POST, name: str = "schema.json") -> Path:
    write_site(tmp_path, {A: post})
    (tmp_path / name).write_text(json.dumps(schema) if not isinstance(schema, str) else schema, encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text(f'schema = "{name}"\n', encoding="utf-8")
    return tmp_path


def _run(site: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli(
        ["check", "--no-network", "--no-cache", "--select", "FM", "--output-format", "json", *extra, "."], cwd=site
    )


def _found(result) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return sorted((d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"])


# -- regular expressions -----------------------------------------------------------------


def test_backtracking_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    site = _site(tmp_path, {"properties": {"title": {"type": "string", "pattern": HOSTILE}}})
    result = _run(site)
    assert result.code == 1, result.err
    assert _found(result) == [(3, 8, "FM100")]


def test_backtracking_pattern_on_a_megabyte_value() -> None:
    validator = compile_schema({"properties": {"t": {"pattern": HOSTILE}}}).validator
    assert [v.path for v in violations(validator, {"t": "a" * 1_000_000 + "!"})] == [("t",)]
    assert violations(validator, {"t": "a" * 1_000_000}) == []


@pytest.mark.parametrize("keyword", ["additionalProperties", "unevaluatedProperties"])
def test_backtracking_pattern_properties(keyword: str) -> None:
    schema = {"patternProperties": {HOSTILE: {"type": "integer"}}, keyword: False}
    validator = compile_schema(schema).validator
    found = violations(validator, {VALUE: 1, "a" * 40: "not an integer"})
    assert sorted((v.path, v.keyword) for v in found) == sorted([(("a" * 40,), "type"), ((VALUE,), keyword)])


def test_pattern_properties_in_the_post_schema_point_at_the_key(tmp_path: Path) -> None:
    schema = {
        "patternProperties": {HOSTILE: {"type": "integer"}, "^(layout|title)$": {}},
        "additionalProperties": False,
    }
    site = _site(tmp_path, schema, POST.replace("---\n<p>", f"{VALUE}: 1\n---\n<p>"))
    result = _run(site)
    assert _found(result) == [(4, 1, "FM100")]


@pytest.mark.parametrize(
    "pattern, pointer",
    [
        ("(?=x)y", "#/properties/title/pattern"),
        ("(a)\\1", "#/properties/title/pattern"),
        ("(?<!a)b", "#/properties/title/pattern"),
    ],
)
def test_patterns_re2_cannot_run_are_configuration_errors(tmp_path: Path, pattern: str, pointer: str) -> None:
    site = _site(tmp_path, {"properties": {"title": {"pattern": pattern}}})
    result = _run(site)
    assert result.code == 2
    assert "schema.json" in result.err and pointer in result.err


def test_pattern_property_re2_cannot_run_names_its_pointer(tmp_path: Path) -> None:
    site = _site(tmp_path, {"$defs": {"x": {"patternProperties": {"(?=a)": {}}}}})
    result = _run(site)
    assert result.code == 2 and "#/$defs/x/patternProperties/(?=a)" in result.err


def test_re2_patterns_in_a_referenced_file_are_checked(tmp_path: Path) -> None:
    (tmp_path / "defs.json").write_text(json.dumps({"$defs": {"t": {"pattern": "(?=x)"}}}), encoding="utf-8")
    site = _site(tmp_path, {"properties": {"title": {"$ref": "defs.json#/$defs/t"}}})
    result = _run(site)
    assert result.code == 2 and "defs.json" in result.err and "#/properties/title/$ref" in result.err


def test_unicode_patterns_still_match() -> None:
    validator = compile_schema({"properties": {"t": {"pattern": "^[a-zé]+$"}}}).validator
    assert violations(validator, {"t": "café"}) == []
    assert [v.path for v in violations(validator, {"t": "Café"})] == [("t",)]


# -- $ref cycles and targets ---------------------------------------------------------------


@pytest.mark.parametrize(
    "schema, pointer",
    [
        ({"$ref": "#"}, "#/$ref"),
        (
            {
                "properties": {"title": {"$ref": "#/$defs/a"}},
                "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
            },
            "#/$defs/",
        ),
        ({"$defs": {"a": {"allOf": [{"not": {"$ref": "#/$defs/a"}}]}}}, "#/$defs/a/allOf/0/not/$ref"),
        ({"anyOf": [{"$ref": "#"}]}, "#/anyOf/0/$ref"),
        ({"if": {"$ref": "#"}}, "#/if/$ref"),
    ],
)
def test_ref_cycles_are_configuration_errors(tmp_path: Path, schema: dict, pointer: str) -> None:
    site = _site(tmp_path, schema)
    result = _run(site)
    assert result.code == 2, result.out
    assert "schema.json" in result.err and pointer in result.err
    with pytest.raises(InvalidSchema):
        compile_schema(schema)


def test_ref_cycle_through_another_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text(
        json.dumps({"$defs": {"x": {"$ref": "schema.json#/$defs/y"}}}), encoding="utf-8"
    )
    schema = {
        "properties": {"p": {"$ref": "other.json#/$defs/x"}},
        "$defs": {"y": {"anyOf": [{"$ref": "other.json#/$defs/x"}]}},
    }
    result = _run(_site(tmp_path, schema))
    assert result.code == 2 and "other.json#/$defs/x" in result.err


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"tags": {"items": {"$ref": "#"}}}},  # descends: a tree
        {"$defs": {"node": {"properties": {"children": {"items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"},
        {
            "allOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"}],
            "$defs": {"a": {"type": "object"}},
        },  # shared, no cycle
    ],
)
def test_recursive_schemas_that_descend_are_accepted(tmp_path: Path, schema: dict) -> None:
    result = _run(_site(tmp_path, schema))
    assert result.code in (0, 1), result.err
    assert "PL000" not in result.out


@pytest.mark.parametrize("target", ["/dev/zero", "fifo.json", "folder.json"])
def test_refs_to_anything_but_a_regular_file_are_configuration_errors(tmp_path: Path, target: str) -> None:
    os.mkfifo(tmp_path / "fifo.json")  # would block a reader forever
    (tmp_path / "folder.json").mkdir()
    site = _site(tmp_path, {"properties": {"title": {"$ref": target}}})
    result = _run(site)
    assert result.code == 2
    assert "#/properties/title/$ref" in result.err and target in result.err


def test_schema_file_itself_must_be_regular(tmp_path: Path) -> None:
    write_site(tmp_path, {A: POST})
    os.symlink("/dev/zero", tmp_path / "schema.json")
    (tmp_path / ".postlint.toml").write_text('schema = "schema.json"\n', encoding="utf-8")
    assert _run(tmp_path).code == 2


@pytest.mark.parametrize("depth", [150, 5000, 100_000])
def test_deeply_nested_schema_is_a_configuration_error(tmp_path: Path, depth: int) -> None:
    site = _site(tmp_path, '{"not":' * depth + "{}" + "}" * depth)
    result = _run(site)
    assert result.code == 2 and "schema.json" in result.err


def test_deeply_nested_referenced_schema_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text('{"not":' * 3000 + "{}" + "}" * 3000, encoding="utf-8")
    result = _run(_site(tmp_path, {"properties": {"title": {"$ref": "deep.json"}}}))
    assert result.code == 2 and "deep.json" in result.err and "#/properties/title/$ref" in result.err


# -- nesting in front matter and configuration -------------------------------------------


@pytest.mark.parametrize("depth", [101, 5000, 50_000])
def test_deep_toml_front_matter_is_fm002(depth: int) -> None:
    source = "+++\ntitle = " + "[" * depth + "]" * depth + "\n+++\n<p>x</p>\n"
    found = lint(source)
    assert positions(found) == [(1, 1, "FM002")]


def test_deep_toml_dotted_keys_are_fm002() -> None:
    source = "+++\n" + ".".join(["a"] * 5000) + " = 1\n+++\n<p>x</p>\n"
    assert positions(lint(source)) == [(1, 1, "FM002")]


@pytest.mark.parametrize("depth", [101, 5000])
def test_deep_yaml_front_matter_is_fm002(depth: int) -> None:
    source = "---\ntitle: " + "[" * depth + "]" * depth + "\n---\n<p>x</p>\n"
    assert [d.code for d in lint(source)] == ["FM002"]


def test_nesting_within_the_bound_is_validated() -> None:
    # 90 levels of a recursive schema validate without exhausting the stack.
    source = "---\nlayout: post\ntitle: T\ntags: " + "[" * 90 + "]" * 90 + "\n---\n<p>x</p>\n"
    found = lint(source, select=["FM", "PL"])
    assert [d.code for d in found] == ["FM100"]  # tags must hold strings, not lists


@pytest.mark.parametrize("depth", [40, 5000, 50_000])
def test_deep_configuration_is_a_configuration_error(tmp_path: Path, depth: int) -> None:
    write_site(tmp_path, {A: POST})
    config = tmp_path / ".postlint.toml"
    config.write_text("select = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings([tmp_path], table_schemas=load().tables())
    assert error.value.file == config
    result = run_cli(["check", "--no-network", "."], cwd=tmp_path)
    assert result.code == 2 and ".postlint.toml" in result.err and "Traceback" not in result.err


def test_deep_configuration_tables(tmp_path: Path) -> None:
    write_site(tmp_path, {A: POST})
    (tmp_path / ".postlint.toml").write_text("[" + ".".join(["t"] * 5000) + "]\nx = 1\n", encoding="utf-8")
    result = run_cli(["check", "--no-network", "."], cwd=tmp_path)
    assert result.code == 2 and ".postlint.toml" in result.err


# -- huge numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0x" + "f" * 4000, "-0x" + "f" * 4000, "0" + "7" * 6000, "0b" + "1" * 20000],
)
def test_huge_yaml_integers_are_values(value: str) -> None:
    source = f"---\nlayout: post\ntitle: {value}\n---\n<p>x</p>\n"
    assert positions(lint(source, select=["FM", "PL"])) == [(3, 8, "FM100")]


def test_huge_decimal_yaml_integer_is_no_crash() -> None:
    source = f"---\nlayout: post\ntitle: {'9' * 5000}\n---\n<p>x</p>\n"
    assert "PL000" not in [d.code for d in lint(source)]


def test_huge_toml_integers() -> None:
    hexa = lint("+++\nlayout = \"post\"\ntitle = 0x" + "f" * 4000 + "\n+++\n<p>x</p>\n", select=["FM", "PL"])
    assert positions(hexa) == [(1, 1, "FM100")]  # TOML front matter keeps no positions
    decimal = lint("+++\nlayout = \"post\"\ntitle = " + "9" * 5000 + "\n+++\n<p>x</p>\n", select=["FM", "PL"])
    assert positions(decimal) == [(1, 1, "FM002")]


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "concise", "html"])
def test_huge_integer_in_every_report(tmp_path: Path, output_format: str) -> None:
    write_site(tmp_path, {A: "---\nlayout: post\ntitle: 0x" + "f" * 4000 + "\n---\n<p>x</p>\n"})
    result = run_cli(["check", "--no-network", "--output-format", output_format, "."], cwd=tmp_path)
    assert result.code == 1 and "FM100" in result.out
    if output_format == "sarif":
        codes = [r["ruleId"] for run in json.loads(result.out)["runs"] for r in run["results"]]
    elif output_format == "json":
        codes = [d["code"] for d in result.json()["diagnostics"]]
    else:
        codes = ["PL000"] if "PL000" in result.out else ["FM100"]
    assert "PL000" not in codes and "FM100" in codes


def test_schema_that_is_a_link_loop_is_a_configuration_error(tmp_path: Path) -> None:
    write_site(tmp_path, {A: POST})
    os.symlink("schema.json", tmp_path / "schema.json")
    (tmp_path / ".postlint.toml").write_text('schema = "schema.json"\n', encoding="utf-8")
    result = _run(tmp_path)
    assert result.code == 2 and ".postlint.toml" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("key", ["date", "permalink", "tags", "externe_link", "feature_image", "published", "lang"])
def test_huge_integer_under_any_key_is_no_crash(key: str) -> None:
    found = lint(f"---\nlayout: post\n{key}: 0x{'f' * 4000}\n---\n<p>x</p>\n")
    assert "PL000" not in [d.code for d in found] and found
