"""The entry-point scan read directly finds what importlib.metadata finds (issue 14)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from postlint.engine import entry_points, registry


def _dist(folder: Path, stem: str, name: str, version: str, entry_points: str | None, *, egg: bool = False) -> None:
    meta = folder / stem
    meta.mkdir(parents=True)
    (meta / ("PKG-INFO" if egg else "METADATA")).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: x: y\n\nName: not-this\n")
    if entry_points is not None:
        (meta / "entry_points.txt").write_text(entry_points)


def test_the_installed_environment() -> None:
    direct = entry_points.read_entry_points(registry.GROUP)
    assert direct is not None
    assert direct == entry_points.metadata_entry_points(registry.GROUP)
    assert any(origin.startswith("postlint ") for _, _, origin in direct)


def test_crafted_folders_on_sys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, missing = tmp_path / "a", tmp_path / "b", tmp_path / "missing"
    a.mkdir()
    b.mkdir()
    group = registry.GROUP
    _dist(a, "first_plugin-1.0.dist-info", "First.Plugin", "1.0",
          f"# a comment\n[console_scripts]\nx = y:z\n\n[{group}]\n  AB = first_plugin.rules  \n"
          f"#another comment\nAC=first_plugin.more:thing\n[other]\nAD = no.such\n")
    _dist(a, "second-2.0.egg-info", "second", "2.0", f"[{group}]\nXY = second.rules\n", egg=True)
    _dist(a, "nothing-1.0.dist-info", "nothing", "1.0", None)
    _dist(a, "unrelated-3.dist-info", "unrelated", "3", "[console_scripts]\nu = v:w\n")
    # The same distribution again later on sys.path (another version): the first one wins.
    _dist(b, "First_Plugin-0.9.dist-info", "first-plugin", "0.9", f"[{group}]\nOLD = first_plugin.old\n")
    # Another distribution naming a module already named: left out.
    _dist(b, "third-1.dist-info", "third", "1", f"[{group}]\nAB2 = first_plugin.rules\nTH = third.rules\n")
    monkeypatch.setattr(sys, "path", [str(a), str(missing), str(b)])
    direct = entry_points.read_entry_points(registry.GROUP)
    assert direct == entry_points.metadata_entry_points(registry.GROUP)
    assert direct == [
        ("AB", "first_plugin.rules", "First.Plugin 1.0"), ("AC", "first_plugin.more:thing", "First.Plugin 1.0"),
        ("XY", "second.rules", "second 2.0"), ("TH", "third.rules", "third 1"),
    ]
    # A line of the group that is no entry: importlib.metadata decides (it raises).
    (b / "third-1.dist-info" / "entry_points.txt").write_text(f"[{group}]\nTH = third.rules\nbroken\n")
    assert entry_points.read_entry_points(registry.GROUP) is None


def test_what_it_cannot_read_goes_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        z.writestr("zipped-1.0.dist-info/entry_points.txt", f"[{registry.GROUP}]\nZZ = zipped.rules\n")
    egg = tmp_path / "old.egg"
    _dist(egg, "EGG-INFO", "old", "0.1", f"[{registry.GROUP}]\nOO = old.rules\n", egg=True)
    # A file on sys.path (a zip, an egg), an egg folder.
    for path in ([str(archive)], [str(tmp_path), str(archive)], [str(egg)]):
        monkeypatch.setattr(sys, "path", path)
        assert entry_points.read_entry_points(registry.GROUP) is None
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert entry_points.metadata_entry_points(registry.GROUP) == [("ZZ", "zipped.rules", "zipped 1.0")]

    class Finder:
        @staticmethod
        def find_spec(*args: object) -> None:
            return None

        @staticmethod
        def find_distributions(*args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert entry_points.read_entry_points(registry.GROUP) is None
