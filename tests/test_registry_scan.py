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


def _meta(folder: Path, stem: str, entry_points: str | None, raw: bytes | None = None,
          metafile: str | None = "METADATA") -> None:
    meta = folder / stem
    meta.mkdir(parents=True)
    if metafile is not None:
        (meta / metafile).write_bytes(raw if raw is not None else b"Metadata-Version: 2.1\nName: a\nVersion: 1\n\n")
    if entry_points is not None:
        (meta / "entry_points.txt").write_text(entry_points)


G = registry.GROUP
# Layouts where reading the folders by hand could part from importlib.metadata:
# for each, the reader gives what importlib.metadata gives, or None (and then
# importlib.metadata is asked, raising where it raises).
ODD_LAYOUTS = {
    "section with inner blanks": lambda t: _meta(t, "a-1.dist-info", f"[ {G} ]\nA = a.rules\n"),
    "double brackets": lambda t: _meta(t, "a-1.dist-info", f"[[{G}]]\nA = a.rules\n"),
    "an extra bracket": lambda t: _meta(t, "a-1.dist-info", f"[{G}]]\nA = a.rules\n"),
    "a line without = in another section": lambda t: _meta(t, "a-1.dist-info", f"[x]\nbroken\n[{G}]\nA = a.r\n"),
    "a section line with a comment": lambda t: _meta(t, "a-1.dist-info", f"[x]\n[{G}] # c\nA = a.rules\n"),
    "lines before any section": lambda t: _meta(t, "a-1.dist-info", f"loose line\n[{G}]\nA = a.rules\n"),
    "version with trailing blanks": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n",
                                                    b"Name: a\nVersion: 1.0   \n\n"),
    "no blank after the colon": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b"Name:a\nVersion:\t2\n"),
    "a folded Name": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b"Name: a\n b\nVersion: 1\n\n"),
    "a line that is no header before Name": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n",
                                                            b"Metadata-Version: 2.1\nnot a header\nName: a\n\n"),
    "two Name headers": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b"Name: a\nname: b\n\n"),
    "CRLF metadata": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b"Name: a\r\nVersion: 3\r\n\r\n"),
    "dist-info with PKG-INFO only": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", metafile="PKG-INFO"),
    "egg-info with METADATA only": lambda t: _meta(t, "a-1.egg-info", f"[{G}]\nA = a.rules\n", metafile="METADATA"),
    "empty METADATA beside PKG-INFO": lambda t: (_meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b""),
                                                 (t / "a-1.dist-info" / "PKG-INFO").write_bytes(b"Name: p\n\n")),
    "non-UTF-8 METADATA": lambda t: _meta(t, "a-1.dist-info", f"[{G}]\nA = a.rules\n", b"Name: a\nAuthor: \xe9\n\n"),
    "non-UTF-8 entry_points.txt": lambda t: (_meta(t, "a-1.dist-info", None),
                                             (t / "a-1.dist-info" / "entry_points.txt").write_bytes(
                                                 f"[{G}]\nA = a.r\xe9\n".encode("latin-1"))),
    "an upper-case suffix sharing a Name": lambda t: (_meta(t, "X-1.DIST-INFO", f"[{G}]\nX = x.rules\n",
                                                            b"Name: y\nVersion: 1\n\n"),
                                                      _meta(t, "y-2.dist-info", f"[{G}]\nY = y.rules\n",
                                                            b"Name: y\nVersion: 2\n\n")),
}


@pytest.mark.parametrize("layout", sorted(ODD_LAYOUTS))
def test_odd_layouts_read_as_importlib_metadata_reads_them(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ODD_LAYOUTS[layout](tmp_path)
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    direct = entry_points.read_entry_points(G)
    try:
        expected: object = entry_points.metadata_entry_points(G)
    except Exception as exc:  # noqa: BLE001 - importlib.metadata raises: the reader must step aside
        expected = type(exc)
    assert direct is None or direct == expected, (direct, expected)


@pytest.mark.parametrize("entry", ["path", "bytes", "egg"])
def test_what_is_not_a_plain_folder_goes_to_importlib_metadata(
    entry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _meta(tmp_path, "a-1.dist-info", f"[{G}]\nA = a.rules\n")
    place: object = {"path": tmp_path, "bytes": bytes(tmp_path), "egg": tmp_path / "Old.EGG"}[entry]
    if entry == "egg":
        _meta(tmp_path / "Old.EGG", "EGG-INFO", f"[{G}]\nOO = old.rules\n", metafile="PKG-INFO")
    monkeypatch.setattr(sys, "path", [place])
    assert entry_points.read_entry_points(G) is None
    if entry != "bytes":  # (importlib.metadata finds nothing under a bytes entry)
        assert entry_points.metadata_entry_points(G) != []
