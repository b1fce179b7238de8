"""`postlint server` end to end: the installed console script driven over stdio
by a real LSP client (pytest-lsp's, on pygls), as an editor drives it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POSTLINT, lint, missing_tool, write_site

try:
    import pytest_lsp
    from lsprotocol import types as lsp
    from pygls.uris import from_fs_path
    from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
except ImportError:  # pragma: no cover - the test extra installs them
    missing_tool("pytest-lsp and pygls (pip install -e '.[test]')")

POST = "_posts/2019-05-13-nieuws.md"
OTHER = "_posts/2019-05-12-ander.md"
CLEAN = "---\nlayout: post\ntitle: Ander\n---\n<p>Tekst.</p>\n"
# FM003 at line 4 (a duplicate key); on line 6 an astral character (two UTF-16
# code units) before an unclosed <b> (HT002, and HT001's parse error at the
# end of input); on line 7 mojibake (EN002, a safe fix).
TEXT = (
    "---\nlayout: post\ntitle: a\ntitle: b\n---\n"
    "<p>\U0001F600 <b>x</p>\n"
    "<p>\U0001F600 CafÃ© open.</p>\n"
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[POSTLINT, "server"]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    site = tmp_path / "site"
    site.mkdir()
    write_site(site, {OTHER: CLEAN})
    lsp_client.site = site  # type: ignore[attr-defined]
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(site)), name="site")],
    ))
    lsp_client.result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


# -- helpers: what an editor does with positions and edits ---------------------------------

def lines_of(text: str) -> list[str]:
    """Lines as LSP counts them (split at \\r\\n, \\n, \\r), without their breaks."""
    return re.split(r"\r\n|\r|\n", text)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position(text: str, line: int, column: int) -> tuple[int, int]:
    """LSP (line, UTF-16 character) of a 1-based line and code-point column."""
    return line - 1, utf16(lines_of(text)[line - 1][: column - 1])


def offset(text: str, pos: lsp.Position) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    line_start = starts[pos.line]
    units = 0
    i = line_start
    while units < pos.character:
        units += utf16(text[i])
        i += 1
    return i


def apply(text: str, edit: lsp.WorkspaceEdit, uri: str) -> str:
    if edit.document_changes:
        edits = [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    else:
        edits = list((edit.changes or {}).get(uri, []))
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def codes(client: LanguageClient, uri: str) -> list[str] | None:
    found = client.diagnostics.get(uri)
    return None if found is None else sorted(str(d.code) for d in found)


async def until(predicate: Callable[[], bool], what: str) -> None:
    for _ in range(2400):  # a bound for a loaded machine, not a timing assertion
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {what}")


def uri_of(client: LanguageClient, rel: str) -> str:
    return from_fs_path(str(client.site / rel))  # type: ignore[attr-defined]


def open_doc(client: LanguageClient, rel: str, text: str, version: int = 1) -> str:
    uri = uri_of(client, rel)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str, at: lsp.Range | None = None) -> None:
    event: Any = (lsp.TextDocumentContentChangePartial(range=at, text=text) if at is not None
                  else lsp.TextDocumentContentChangeWholeDocument(text=text))
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[event]))


async def actions(client: LanguageClient, uri: str, line: int, character: int,
                  only: list[str] | None = None) -> list[lsp.CodeAction]:
    here = lsp.Position(line=line, character=character)
    found = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=lsp.Range(start=here, end=here),
        context=lsp.CodeActionContext(diagnostics=list(client.diagnostics.get(uri, [])), only=only)))
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


# -- the session an editor has ---------------------------------------------------------------

@pytest.mark.asyncio
async def test_open_change_diagnostics_code_action_hover(client: LanguageClient) -> None:
    caps = client.result.capabilities  # type: ignore[attr-defined]
    assert caps.hover_provider and caps.code_action_provider
    assert "source.fixAll.postlint" in caps.code_action_provider.code_action_kinds
    uri = open_doc(client, POST, TEXT)
    await until(lambda: codes(client, uri) == ["EN002", "FM003", "HT001", "HT002"], "diagnostics on open")
    by_code = {d.code: d for d in client.diagnostics[uri]}

    # Exact ranges in UTF-16 code units: the astral character counts two.
    ht = by_code["HT002"]
    assert (ht.range.start.line, ht.range.start.character) == position(TEXT, 6, 6) == (5, 6)
    assert (ht.range.end.line, ht.range.end.character) == (5, 9)
    # Every range is the command line's span (1-based code points) converted.
    for d in lint(TEXT, path=POST):
        got = by_code[d.code].range
        assert (got.start.line, got.start.character) == position(TEXT, d.line, d.column)
        assert (got.end.line, got.end.character) == position(TEXT, d.end_line, d.end_column)
    en = by_code["EN002"]
    assert en.range.start.character == utf16(lines_of(TEXT)[6][: lines_of(TEXT)[6].index("Ã")]) + 0
    # Severity, source and the link to the rule's documentation.
    assert ht.severity == lsp.DiagnosticSeverity.Error and ht.source == "postlint"
    assert ht.code_description is not None and ht.code_description.href.endswith("#ht002-unclosed-element")

    # A change: the editor's text is linted (nothing is on disk), debounced.
    assert not (client.site / POST).exists()  # type: ignore[attr-defined]
    change(
        client, uri, 2, "", lsp.Range(start=lsp.Position(line=3, character=0), end=lsp.Position(line=4, character=0))
    )
    text = TEXT.replace("title: b\n", "")
    await until(lambda: codes(client, uri) == ["EN002", "HT001", "HT002"], "diagnostics after the change")

    # The quick fix of EN002, applied as the editor applies it.
    en = next(d for d in client.diagnostics[uri] if d.code == "EN002")
    found = await actions(client, uri, en.range.start.line, en.range.start.character + 1)
    fix = next(a for a in found if a.title.startswith("Fix EN002"))
    assert fix.kind == lsp.CodeActionKind.QuickFix and fix.is_preferred
    text = apply(text, fix.edit, uri)
    assert "<p>\U0001F600 Café open.</p>" in text
    change(client, uri, 3, text)
    await until(lambda: codes(client, uri) == ["HT001", "HT002"], "diagnostics after the fix")

    # "Disable HT002 for this line": a comment the linter then honours.
    ht = next(d for d in client.diagnostics[uri] if d.code == "HT002")
    found = await actions(client, uri, ht.range.start.line, ht.range.start.character)
    disable = next(a for a in found if a.title == "Disable HT002 for this line")
    text = apply(text, disable.edit, uri)
    assert "<p>\U0001F600 <b>x</p> <!-- postlint-disable-line HT002 -->\n" in text
    change(client, uri, 4, text)
    # HT001's parse error (end of input with <b> open) stands at the end, not on the line.
    await until(lambda: codes(client, uri) == ["HT001"], "diagnostics after the suppression")

    # Hover shows the rule's documentation, on the finding only.
    change(client, uri, 5, TEXT)
    await until(lambda: codes(client, uri) == ["EN002", "FM003", "HT001", "HT002"], "diagnostics again")
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=5, character=7)))
    assert hover is not None and hover.range is not None and hover.range.start.character == 6
    assert "HT002" in hover.contents.value and "unclosed-element" in hover.contents.value
    assert "## What it does" in hover.contents.value
    nothing = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=2)))
    assert nothing is None

    # Fix all safe fixes (codeActionsOnSave asks for source.fixAll).
    found = await actions(client, uri, 0, 0, only=["source.fixAll"])
    assert [a.kind for a in found] == ["source.fixAll.postlint"]
    fixed = apply(TEXT, found[0].edit, uri)
    assert fixed == TEXT.replace("CafÃ©", "Café")
    change(client, uri, 6, fixed)
    await until(lambda: codes(client, uri) == ["FM003", "HT001", "HT002"], "diagnostics after fix all")
    assert await actions(client, uri, 0, 0, only=["source.fixAll"]) == []  # no safe fix left


@pytest.mark.asyncio
async def test_front_matter_suppression_and_unsafe_fix(client: LanguageClient) -> None:
    uri = open_doc(client, POST, TEXT)
    await until(lambda: codes(client, uri) == ["EN002", "FM003", "HT001", "HT002"], "diagnostics on open")
    found = await actions(client, uri, 3, 1)
    disable = next(a for a in found if a.title == "Disable FM003 for this line")
    text = apply(TEXT, disable.edit, uri)
    assert "title: b # postlint: disable=FM003\n" in text
    change(client, uri, 2, text)
    await until(lambda: codes(client, uri) == ["EN002", "HT001", "HT002"], "FM003 suppressed")
    # Only quick fixes when asked for quick fixes; no fix-all among them.
    en = next(d for d in client.diagnostics[uri] if d.code == "EN002")
    only_quick = await actions(client, uri, en.range.start.line, en.range.start.character, only=["quickfix"])
    assert only_quick and all(a.kind == "quickfix" for a in only_quick)

    # An unsafe fix is offered as a quick fix, said so and not preferred; fix
    # all leaves it alone.
    dated = text.replace("layout: post\n", "layout: post\ndate: Tue, 13 May 2019 10:00:00 +0200\n")
    change(client, uri, 3, dated)
    await until(lambda: codes(client, uri) == ["DT002", "EN002", "HT001", "HT002"], "DT002")
    dt = next(d for d in client.diagnostics[uri] if d.code == "DT002")
    found = await actions(client, uri, dt.range.start.line, dt.range.start.character)
    unsafe = next(a for a in found if a.title.startswith("Fix DT002"))
    assert "(unsafe)" in unsafe.title and not unsafe.is_preferred
    fixed = apply(dated, unsafe.edit, uri)
    assert "date: Mon, 13 May 2019 10:00:00 +0200\n" in fixed
    fix_all = await actions(client, uri, 0, 0, only=["source.fixAll.postlint"])
    assert "Tue, 13 May" in apply(dated, fix_all[0].edit, uri)
    change(client, uri, 4, fixed)
    await until(lambda: codes(client, uri) == ["EN002", "HT001", "HT002"], "DT002 fixed")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[POSTLINT, "server"]))
async def client8(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    """A client that prefers UTF-8 positions (as Neovim and Helix may offer)."""
    write_site(tmp_path, {})
    lsp_client.site = tmp_path  # type: ignore[attr-defined]
    capabilities = client_capabilities("neovim")
    capabilities.general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind.Utf8])
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=from_fs_path(str(tmp_path))))
    assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_utf8_positions_when_the_client_asks(client8: LanguageClient) -> None:
    uri = open_doc(client8, POST, TEXT)
    await until(lambda: codes(client8, uri) == ["EN002", "FM003", "HT001", "HT002"], "diagnostics on open")
    ht = next(d for d in client8.diagnostics[uri] if d.code == "HT002")
    line = lines_of(TEXT)[5]
    assert (ht.range.start.line, ht.range.start.character) == (5, len(line[: line.index("<b>")].encode("utf-8")))


@pytest.mark.asyncio
async def test_site_rules_use_the_workspace_full_lint(client: LanguageClient) -> None:
    site: Path = client.site  # type: ignore[attr-defined]
    same = "---\nlayout: post\ntitle: Zelfde\npermalink: /zelfde/\n---\n<p>x</p>\n"
    (site / "_posts/2019-05-10-een.md").write_text(same, encoding="utf-8")
    # The full lint ran at initialize, before that file existed: a watched-file
    # event makes the server lint the folder again.
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri_of(client, "_posts/2019-05-10-een.md"), type=lsp.FileChangeType.Created)]))
    uri = open_doc(client, POST, same)
    await until(lambda: codes(client, uri) == ["JK002"], "JK002 against the other post on disk")
    # The full lints were shown as work-done progress, begun and ended.
    reports = [[type(value).__name__ for value in values] for values in client.progress_reports.values()]
    assert reports  # at initialize, and after the event unless the first had not started yet
    assert all(r[0] == "WorkDoneProgressBegin" and r[-1] == "WorkDoneProgressEnd" for r in reports)
    # Typing in the body changes none of the post's site facts: JK002 stays.
    change(client, uri, 2, same.replace("<p>x</p>", "<p>x <b>y</p>"))
    await until(lambda: codes(client, uri) == ["HT001", "HT002", "JK002"], "JK002 kept while the body changes")
    # Its suppression is honoured at once (the same facts, new suppressions).
    jk = next(d for d in client.diagnostics[uri] if d.code == "JK002")
    found = await actions(client, uri, jk.range.start.line, jk.range.start.character)
    disable = next(a for a in found if a.title == "Disable JK002 for this line")
    suppressed = apply(same, disable.edit, uri)
    assert "\npermalink: /zelfde/ # postlint: disable=JK002\n" in suppressed
    change(client, uri, 3, suppressed)
    await until(lambda: codes(client, uri) == [], "JK002 suppressed")
    change(client, uri, 4, same)
    await until(lambda: codes(client, uri) == ["JK002"], "JK002 back without the suppression")
    # The editor's text, not the disk, decides: another permalink, no JK002.
    change(client, uri, 5, same.replace("/zelfde/", "/ander/"))
    await until(lambda: codes(client, uri) == [], "JK002 gone after the change")


@pytest.mark.asyncio
async def test_configuration_reload(client: LanguageClient) -> None:
    site: Path = client.site  # type: ignore[attr-defined]
    # The server asks to be told of configuration changes.
    await until(lambda: any(r.method == "workspace/didChangeWatchedFiles"
                            for r in client.registrations), "the file watchers registered")  # type: ignore[attr-defined]
    globs = [w["globPattern"] for r in client.registrations for w in r.register_options["watchers"]]  # type: ignore[attr-defined]
    assert {"**/.postlint.toml", "**/pyproject.toml", "**/_config.yml"} <= set(globs)
    uri = open_doc(client, POST, TEXT)
    await until(lambda: codes(client, uri) == ["EN002", "FM003", "HT001", "HT002"], "diagnostics on open")
    (site / ".postlint.toml").write_text('ignore = ["HT002"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri_of(client, ".postlint.toml"), type=lsp.FileChangeType.Created)]))
    await until(lambda: codes(client, uri) == ["EN002", "FM003", "HT001"], "the new configuration applied")
    # Saving _config.yml in the editor reloads too: the post is now excluded.
    (site / "_config.yml").write_text("title: Test\nexclude: [_posts/2019-05-13-*]\n", encoding="utf-8")
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri_of(client, "_config.yml"))))
    await until(lambda: codes(client, uri) == [], "the excluded post cleared")
    # A broken configuration is said, and shown on the file.
    (site / ".postlint.toml").write_text('ignore = "HT002"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri_of(client, ".postlint.toml"), type=lsp.FileChangeType.Changed)]))
    config = uri_of(client, ".postlint.toml")
    await until(lambda: codes(client, config) is not None and len(client.diagnostics[config]) == 1,
                "the configuration error on the file")
    assert any("configuration error" in m.message for m in client.messages)


@pytest.mark.asyncio
async def test_only_posts_are_linted(client: LanguageClient) -> None:
    readme = open_doc(client, "README.md", TEXT)
    draft = open_doc(client, "_drafts/concept.md", TEXT)
    await until(lambda: codes(client, draft) == ["EN002", "FM003", "HT001", "HT002"], "the draft linted")
    await until(lambda: codes(client, readme) == [], "nothing on a file that is no post")


@pytest.mark.asyncio
async def test_network_rules_only_on_save_when_enabled(client: LanguageClient) -> None:
    from tests.net.server import TestServer, reply

    site: Path = client.site  # type: ignore[attr-defined]
    with TestServer() as http:
        gone = http.route("/gone", reply(404))
        (site / ".postlint.toml").write_text('[urls]\nallow-hosts = ["127.0.0.1"]\nretries = 0\n', encoding="utf-8")
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=uri_of(client, ".postlint.toml"), type=lsp.FileChangeType.Created)]))
        text = f"---\nlayout: post\ntitle: Link\nexterne_link: {gone}\n---\n<p>x</p>\n"
        uri = open_doc(client, POST, text)
        await until(lambda: codes(client, uri) == [], "the offline lint")
        change(client, uri, 2, text + "<p>y</p>\n")
        (site / POST).write_text(text + "<p>y</p>\n", encoding="utf-8")
        client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
        change(client, uri, 3, text)
        await asyncio.sleep(1.0)
        assert codes(client, uri) == [] and http.hits() == 0  # default: never
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"postlint": {"networkOnSave": True}}))
        change(client, uri, 4, text + "<p>z</p>\n")
        await until(lambda: codes(client, uri) == [], "the lint after the change")
        assert http.hits() == 0  # on change: never
        client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
        await until(lambda: codes(client, uri) == ["URL001"], "URL001 after the save")
        assert http.hits("/gone") >= 1
        url = client.diagnostics[uri][0]
        assert (url.range.start.line, url.range.start.character) == (3, len("externe_link: "))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[POSTLINT, "server"]))
async def client2(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    """Two workspace folders, two sites, each with its configuration."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_site(tmp_path / name, {OTHER: CLEAN})
    (tmp_path / "b" / ".postlint.toml").write_text('ignore = ["HT002"]\n', encoding="utf-8")
    lsp_client.site = tmp_path  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        return None

    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(tmp_path / n)), name=n) for n in ("a", "b")],
    ))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_each_workspace_folder_has_its_configuration(client2: LanguageClient) -> None:
    a = open_doc(client2, f"a/{POST}", TEXT)
    b = open_doc(client2, f"b/{POST}", TEXT)
    await until(lambda: codes(client2, a) == ["EN002", "FM003", "HT001", "HT002"], "folder a's findings")
    await until(lambda: codes(client2, b) == ["EN002", "FM003", "HT001"], "folder b's findings (HT002 ignored there)")
    # Closing a document clears its diagnostics.
    client2.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=a)))
    await until(lambda: codes(client2, a) == [], "diagnostics cleared on close")
