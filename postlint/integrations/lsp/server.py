"""The language server: postlint's findings while a post is written.

Long because: the language server's handlers share the state of the open
documents, the linter and results of each folder and the debouncing, and pygls
registers every handler on one server object.

What it does, for the posts `postlint check` would lint (Markdown and HTML
under `_posts/` and `_drafts/`, minus the configuration's and the site's
exclusions), with the configuration the command line would use for that file
(the nearest `.postlint.toml` or `pyproject.toml` with `[tool.postlint]`
above it):

- diagnostics on open, on change (debounced: the editor's text, never the
  file on disk) and on save: severity, code, a link to the rule's
  documentation, ranges in the position encoding agreed with the client
  (UTF-16 code units unless it offers UTF-8 or UTF-32);
- offline rules on every change; the rules that need the network (URL*) never
  on change, only on save and only when the client's settings say
  ``networkOnSave: true`` (off by default) and the configuration does not turn
  the network off; site rules (JK002...) against the other posts' facts from
  the last full lint of the workspace folder, run offline in the background
  at start-up and again after a configuration change (until it is done they
  wait, as on a partial `postlint check`);
- code actions: each finding's fix (`quickfix`, unsafe ones said so), every
  safe fix at once (`source.fixAll.postlint`, for codeActionsOnSave) and
  "Disable CODE for this line" (a suppression comment in the syntax of the
  place: HTML comment in the body, YAML comment in front matter);
- hover on a finding: the rule's documentation;
- the configuration and `_config.yml` read again when they change
  (workspace/didChangeWatchedFiles, which the server registers for when the
  client allows, and on save of those files), then every open post linted
  again.

Client settings (initializationOptions, or workspace/didChangeConfiguration
under "postlint"): ``networkOnSave`` (false), ``debounce`` (seconds, 0.3).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from postlint import __version__
from postlint.engine.config import Settings, load_settings
from postlint.engine.linter import FileResult, Linter, sort_diagnostics
from postlint.engine.registry import Registry, load
from postlint.engine.run import RunOptions, check_source
from postlint.integrations.lsp.positions import Positions
from postlint.model.diagnostic import Diagnostic, Edit
from postlint.model.errors import ConfigError
from postlint.model.lines import LineIndex

log = logging.getLogger("postlint.server")

FIX_ALL = "source.fixAll.postlint"
QUICKFIX = "quickfix"
WATCHED_NAMES = (".postlint.toml", "pyproject.toml", "_config.yml")
WATCH_GLOBS = ("**/.postlint.toml", "**/pyproject.toml", "**/_config.yml", "**/_posts/**", "**/_drafts/**")
DEBOUNCE = 0.3
SEVERITY: dict[str | None, lsp.DiagnosticSeverity] = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
# Distinct (line, code) pairs offered "Disable ... for this line" per request:
# each is checked by parsing the post with the comment in it.
MAX_DISABLE_ACTIONS = 20


@dataclass
class ClientOptions:
    network_on_save: bool = False
    debounce: float = DEBOUNCE

    def update(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            return
        raw = raw.get("postlint", raw) if isinstance(raw.get("postlint"), dict) else raw
        value = raw.get("networkOnSave", raw.get("network_on_save"))
        if isinstance(value, bool):
            self.network_on_save = value
        delay = raw.get("debounce")
        if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 10:
            self.debounce = float(delay)


@dataclass
class Linted:
    """The last lint of an open document."""

    uri: str
    version: int | None
    text: str  # the editor's text that was linted
    path: Path
    settings: Settings
    diagnostics: list[Diagnostic]  # postlint's
    published: list[lsp.Diagnostic]
    post_text: str  # the text the findings' positions count in (without a BOM)
    base: int  # 1 when the editor's text starts with U+FEFF (not part of post_text)
    positions: Positions = field(repr=False)  # of the editor's text, in the client's encoding
    lines: LineIndex = field(repr=False)  # of post_text

    def offset(self, line: int, column: int) -> int:
        """An offset into the editor's text of postlint's 1-based (line, column)."""
        return self.base + self.lines.offset(line, column)

    def range_of(self, start: int, end: int) -> lsp.Range:
        a, b = self.positions.position(start), self.positions.position(max(start, end))
        return lsp.Range(start=lsp.Position(line=a[0], character=a[1]), end=lsp.Position(line=b[0], character=b[1]))

    def span(self, d: Diagnostic) -> tuple[int, int]:
        start = self.offset(d.line, d.column)
        return start, max(start, self.offset(d.end_line, d.end_column))

    def edit(self, e: Edit) -> lsp.TextEdit:
        return lsp.TextEdit(range=self.range_of(self.base + e.start, self.base + e.end), new_text=e.content)


@dataclass
class Folder:
    path: Path
    results: dict[str, FileResult] = field(default_factory=dict)  # display path -> facts, suppressions
    ready: bool = False
    generation: int = 0
    queued: bool = False  # a full lint waits for the site thread
    version: int = 0  # changes whenever a post's site facts in `results` do


_VERSIONS = itertools.count(1)


def _light(result: FileResult) -> FileResult:
    """What the site rules need of another post: its facts (not its findings)."""
    return FileResult(result.path, [], result.facts, [], result.fixable, result.relpath)


class PostlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("postlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.registry: Registry = load()
        self.options = ClientOptions()
        self.folders: dict[str, Folder] = {}
        self.linted: dict[str, Linted] = {}
        # uri -> (what the site pass read of the post, its findings there)
        self.site_memo: dict[str, tuple[Any, list[Diagnostic]]] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # Tasks started and not awaited: the event loop keeps only weak
        # references, so they are held here until they end.
        self.background: set[asyncio.Future[None]] = set()
        self.settings_cache: dict[str, Settings | ConfigError] = {}
        self.linters: dict[tuple[str, bool], Linter] = {}
        # Lints of open documents, one at a time and in order; the full lints
        # of the workspace and the network checks each in their own thread,
        # so that neither delays what the writer sees while typing.
        self.lint_pool = ThreadPoolExecutor(1, thread_name_prefix="postlint-lint")
        self.site_pool = ThreadPoolExecutor(1, thread_name_prefix="postlint-site")
        self.net_pool = ThreadPoolExecutor(1, thread_name_prefix="postlint-net")
        self.loop: asyncio.AbstractEventLoop | None = None
        self.generation = 0  # bumped at each reload of the configuration
        self.errors_shown: set[str] = set()
        self.error_uris: set[str] = set()
        self.markdown = True

    # -- configuration, linters ----------------------------------------------------------

    def settings_for(self, path: Path) -> Settings:
        """The configuration the command line would use for this file (raises ConfigError)."""
        key = str(path.parent)
        found = self.settings_cache.get(key)
        if found is None:
            try:
                found = load_settings([path], table_schemas=self.registry.tables())
            except ConfigError as exc:
                found = exc
            self.settings_cache[key] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def linter_for(self, settings: Settings, network: bool) -> Linter:
        key = (str(settings.config_file or settings.root), network)
        linter = self.linters.get(key)
        if linter is None:
            linter = self.linters[key] = Linter(settings, self.registry, None, network=network and settings.network)
        return linter

    def folder_of(self, path: Path) -> Folder | None:
        best: Folder | None = None
        text = str(path)
        for folder in self.folders.values():
            root = str(folder.path)
            if (text == root or text.startswith(root.rstrip(os.sep) + os.sep)) and (
                best is None or len(root) > len(str(best.path))
            ):
                best = folder
        return best

    def forget(self) -> None:
        """Read the configurations and sites again (in the lint thread)."""
        from postlint.model.site import forget_sites

        self.settings_cache.clear()
        self.linters.clear()
        self.site_memo.clear()
        forget_sites()

    # -- linting --------------------------------------------------------------------------

    def lint(self, uri: str, text: str, version: int | None) -> Linted | None:
        """In the lint thread: the document's findings, offline; None when it
        is not a post postlint lints (or its configuration is broken)."""
        from postlint.engine.discover import is_discovered

        path = _path(uri)
        if path is None:
            return None
        try:
            settings = self.settings_for(path)
            if not is_discovered(path, root=settings.root, exclude=settings.exclude):
                return None
            linter = self.linter_for(settings, network=False)
        except ConfigError as exc:
            self.config_error(exc)
            return None
        folder = self.folder_of(path)
        source = text.encode("utf-8", "surrogatepass")
        # The post alone first (its site facts, and the site rules that need
        # no other post); the whole site's pass only when it could say
        # something new about this post.
        result = check_source(path, source, settings, self.registry, RunOptions(network=False, partial=True),
                              linter=linter)
        own = result.result
        diagnostics = result.diagnostics
        if folder is not None and own is not None:
            light = _light(own)
            stored = folder.results.get(own.path)
            if stored is None or stored.facts != light.facts:
                folder.version = next(_VERSIONS)  # other posts' site findings may change
            folder.results[own.path] = light
            if folder.ready:
                diagnostics = sort_diagnostics(own.diagnostics + self.site_findings(uri, folder, linter, own))
        return self.linted_of(uri, version, text, path, settings, diagnostics)

    def site_findings(self, uri: str, folder: Folder, linter: Linter, own: FileResult) -> list[Diagnostic]:
        """The site rules' findings (and PL002's) in this post, against the
        other posts of its folder. The same inputs give the same findings: a
        keystroke that changes none of the post's site facts, suppressions or
        silenced findings, while no other post changed, costs no pass over the
        whole site (1,500 posts: ~45 ms a pass)."""
        key = (folder.version, own.relpath, own.facts, tuple(own.suppressions), own.used)
        memo = self.site_memo.get(uri)
        if memo is not None and memo[0] == key:
            return memo[1]
        others = [r for p, r in folder.results.items() if p != own.path]
        found, _ = linter.lint_site([*others, own], partial=False)
        site = [d for d in found if d.path == own.path]
        self.site_memo[uri] = (key, site)
        return site

    def linted_of(
        self, uri: str, version: int | None, text: str, path: Path, settings: Settings,
        diagnostics: list[Diagnostic],
    ) -> Linted:
        post_text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        base = 1 if post_text.startswith("\ufeff") else 0
        post_text = post_text[base:]
        positions = Positions(text, str(self.workspace.position_encoding or "utf-16"))
        linted = Linted(uri, version, text, path, settings, diagnostics, [], post_text, base, positions,
                        LineIndex(post_text))
        linted.published = [self.to_lsp(linted, d) for d in diagnostics]
        return linted

    def network_findings(self, linted: Linted) -> list[Diagnostic]:
        """In the network thread: the findings of the rules that need the
        network, for this post alone (never the whole site's URLs)."""
        try:
            linter = self.linter_for(linted.settings, network=True)
        except ConfigError as exc:
            self.config_error(exc)
            return []
        codes = {r.code for r in linter.rules if r.network}
        if not codes:
            return []
        result = check_source(linted.path, linted.text.encode("utf-8", "surrogatepass"), linted.settings,
                              self.registry, RunOptions(network=True, partial=True), linter=linter)
        return [d for d in result.diagnostics if d.code in codes]

    def to_lsp(self, linted: Linted, d: Diagnostic) -> lsp.Diagnostic:
        rule = self.registry.rules.get(d.code)
        start, end = linted.span(d)
        description = None
        if rule is not None and rule.origin.startswith("postlint"):
            from postlint.reporters.sarif import help_uri

            description = lsp.CodeDescription(href=help_uri(rule))
        tags = [lsp.DiagnosticTag.Unnecessary] if d.code == "PL002" else None
        return lsp.Diagnostic(
            range=linted.range_of(start, end),
            message=d.message,
            severity=SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Error),
            code=d.code,
            code_description=description,
            source="postlint",
            tags=tags,
            data={"fix": d.fix.applicability} if d.fix is not None and d.fix.edits else None,
        )

    def config_error(self, exc: ConfigError) -> None:
        """Said once per message (until the configuration is read again), and
        shown on the configuration file itself."""
        message = str(exc)
        if message in self.errors_shown or self.loop is None:
            return
        self.errors_shown.add(message)
        self.loop.call_soon_threadsafe(self._show_config_error, exc, message)

    def _show_config_error(self, exc: ConfigError, message: str) -> None:
        self.window_show_message(
            lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"postlint: configuration error: {message}")
        )
        if exc.file is not None:
            uri = from_fs_path(str(exc.file)) or ""
            line = max(0, (exc.line or 1) - 1)
            self.error_uris.add(uri)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[
                        lsp.Diagnostic(
                            range=lsp.Range(
                                start=lsp.Position(line=line, character=0), end=lsp.Position(line=line + 1, character=0)
                            ),
                            message=f"configuration error: {message}",
                            severity=lsp.DiagnosticSeverity.Error,
                            source="postlint",
                        )
                    ],
                )
            )

    # -- scheduling -----------------------------------------------------------------------

    def schedule(self, uri: str, delay: float = 0.0, *, save: bool = False) -> None:
        old = self.pending.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()

        async def later() -> None:
            if delay > 0:
                await asyncio.sleep(delay)
            await self.lint_and_publish(uri, save=save)

        self.pending[uri] = asyncio.ensure_future(later())

    async def lint_and_publish(self, uri: str, *, save: bool = False) -> Linted | None:
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        text, version = document.source, document.version
        loop = asyncio.get_running_loop()
        try:
            linted = await loop.run_in_executor(self.lint_pool, self.lint, uri, text, version)
        except Exception as exc:
            log.exception("lint failed")
            self.window_log_message(
                lsp.LogMessageParams(type=lsp.MessageType.Error, message=f"postlint: lint failed: {exc!r}")
            )
            return None
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != version:
            return None  # closed, or changed since: a newer lint follows
        if linted is None:
            if uri in self.linted:
                del self.linted[uri]
            self.publish(uri, [], version)
            return None
        self.linted[uri] = linted
        self.publish(uri, linted.published, version)
        if save and self.options.network_on_save and linted.settings.network:
            self._in_background(self.network_pass(linted))
        return linted

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def network_pass(self, linted: Linted) -> None:
        loop = asyncio.get_running_loop()
        try:
            found = await loop.run_in_executor(self.net_pool, self.network_findings, linted)
        except Exception as exc:
            log.exception("network checks failed")
            self.window_log_message(
                lsp.LogMessageParams(type=lsp.MessageType.Error, message=f"postlint: URL checks failed: {exc!r}")
            )
            return
        if self.linted.get(linted.uri) is not linted or not found:
            return  # edited since: the URL findings would stand at old places
        from postlint.engine.linter import sort_diagnostics

        linted.diagnostics = sort_diagnostics(linted.diagnostics + found)
        linted.published = [self.to_lsp(linted, d) for d in linted.diagnostics]
        self.publish(linted.uri, linted.published, linted.version)

    def publish(self, uri: str, diagnostics: list[lsp.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def relint_open(self, folder: Folder | None = None, *, but: str | None = None) -> None:
        for uri in list(self.workspace.text_documents):
            if uri == but:
                continue
            path = _path(uri)
            if folder is not None and (path is None or self.folder_of(path) is not folder):
                continue
            self.schedule(uri)

    async def current(self, uri: str) -> Linted | None:
        """The lint of the document's text as it is now (linted again if it changed)."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        linted = self.linted.get(uri)
        if linted is not None and linted.version == document.version and linted.text == document.source:
            return linted
        pending = self.pending.pop(uri, None)
        if pending is not None and not pending.done():
            pending.cancel()
        return await self.lint_and_publish(uri)

    # -- the workspace's full lint ----------------------------------------------------------

    def add_folder(self, path: Path) -> None:
        key = str(path)
        if key not in self.folders:
            self.folders[key] = Folder(path)

    def start_full_lints(self) -> None:
        for folder in list(self.folders.values()):
            self.start_full_lint(folder)

    def start_full_lint(self, folder: Folder) -> None:
        if folder.queued:
            return  # one that has not started yet will see this change too
        folder.queued = True
        loop = asyncio.get_running_loop()

        async def job() -> None:
            token = await self.progress_begin(f"linting {folder.path.name or folder.path} for the site rules")
            try:
                generation, (results, notes) = await loop.run_in_executor(self.site_pool, self.full_lint, folder)
            except ConfigError as exc:
                self.config_error(exc)
                return
            except Exception as exc:
                log.exception("full lint failed")
                self.window_log_message(lsp.LogMessageParams(
                    type=lsp.MessageType.Error, message=f"postlint: lint of {folder.path} failed: {exc!r}"))
                return
            finally:
                self.progress_end(token)
            if generation != self.generation or self.folders.get(str(folder.path)) is not folder:
                return  # the configuration changed meanwhile: a newer full lint runs
            # Open documents' own results (their editors' text) win over the disk's.
            merged = {r.path: _light(r) for r in results}
            merged.update({p: r for p, r in folder.results.items() if self._is_open_display(p)})
            folder.results = merged
            folder.version = next(_VERSIONS)
            folder.ready = True
            folder.generation = generation
            self.window_log_message(
                lsp.LogMessageParams(
                    type=lsp.MessageType.Info,
                    message=f"postlint: {folder.path}: {len(results)} posts linted for the site rules"
                    + (f" ({'; '.join(notes)})" if notes else ""),
                )
            )
            self.relint_open(folder)

        self._in_background(job())

    async def progress_begin(self, message: str) -> str | None:
        """A work-done progress the editor shows (when it can), or None."""
        if not get_capability(self.client_capabilities, "window", "work_done_progress"):
            return None
        token = f"postlint-{next(_VERSIONS)}"
        try:
            await self.work_done_progress.create_async(token)
        except Exception as exc:  # noqa: BLE001 - a client that refuses: no progress shown
            log.info("no work-done progress: %r", exc)
            return None
        self.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(title="postlint", message=message))
        return token

    def progress_end(self, token: str | None) -> None:
        if token is not None:
            self.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="done"))

    def full_lint(self, folder: Folder) -> tuple[int, tuple[list[FileResult], list[str]]]:
        """In the site thread: every post of the folder, offline, as
        `postlint check --no-network` on it would lint them."""
        from postlint.engine.discover import discover
        from postlint.engine.run import file_results

        folder.queued = False
        generation = self.generation  # the configuration this lint reads
        settings = load_settings([folder.path], table_schemas=self.registry.tables())
        found = discover([folder.path], root=settings.root, exclude=settings.exclude)
        return generation, file_results(found.files, settings, self.registry, network=False)

    def _is_open_display(self, display: str) -> bool:
        from postlint.engine.discover import display_path

        for uri in self.workspace.text_documents:
            path = _path(uri)
            if path is not None and display_path(path) == display:
                return True
        return False

    async def reload(self) -> None:
        """The configuration or a _config.yml changed: read them again, lint
        the workspace and the open posts again."""
        self.generation += 1
        self.errors_shown.clear()
        for uri in list(self.error_uris):
            self.publish(uri, [], None)
        self.error_uris.clear()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.lint_pool, self.forget)
        for folder in self.folders.values():
            folder.ready = False
            folder.results = {}
        self.start_full_lints()
        self.relint_open()

    # -- code actions, hover ----------------------------------------------------------------

    def edit_for(self, linted: Linted, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
        changes = get_capability(self.client_capabilities, "workspace", "workspace_edit", "document_changes")
        if changes:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=linted.uri, version=linted.version),
                edits=edits)])
        return lsp.WorkspaceEdit(changes={linted.uri: edits})

    def code_actions(self, linted: Linted, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        """In the lint thread."""
        from postlint.integrations.lsp.suppress import disable_for_line

        only = params.context.only
        quick = _wanted(QUICKFIX, only)
        fix_all = _wanted(FIX_ALL, only)
        first = linted.positions.offset(params.range.start.line, params.range.start.character)
        last = linted.positions.offset(params.range.end.line, params.range.end.character)
        actions: list[lsp.CodeAction] = []
        if quick:
            here = [(d, lspd) for d, lspd in zip(linted.diagnostics, linted.published)
                    if _overlap(linted.span(d), (first, last))]
            for d, lspd in here:
                if d.fix is None or not d.fix.edits:
                    continue
                unsafe = d.fix.applicability != "safe"
                actions.append(lsp.CodeAction(
                    title=f"Fix {d.code}{' (unsafe)' if unsafe else ''}: {_short(d.message)}",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[lspd],
                    is_preferred=not unsafe,
                    edit=self.edit_for(linted, [linted.edit(e) for e in d.fix.edits]),
                ))
            seen: set[tuple[int, str]] = set()
            for d, lspd in here:
                if d.code == "PL000" or (d.line, d.code) in seen or len(seen) >= MAX_DISABLE_ACTIONS:
                    continue
                seen.add((d.line, d.code))
                disable = disable_for_line(str(linted.path), linted.post_text, d.line, d.code, self.registry.resolve)
                if disable is None:
                    continue
                actions.append(lsp.CodeAction(
                    title=disable.title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[lspd],
                    edit=self.edit_for(linted, [linted.edit(disable.edit)]),
                ))
        if fix_all:
            action = self.fix_all(linted)
            if action is not None:
                actions.append(action)
        return actions

    def fix_all(self, linted: Linted) -> lsp.CodeAction | None:
        from postlint.engine.fixes import applicable

        if not applicable(linted.diagnostics, False):
            return None
        linter = self.linter_for(linted.settings, network=False)
        folder = self.folder_of(linted.path)
        others = list(folder.results.values()) if folder is not None and folder.ready else []
        result = check_source(linted.path, linted.text.encode("utf-8", "surrogatepass"), linted.settings,
                              self.registry, RunOptions(fix=True, network=False), linter=linter, others=others)
        if result.fixed_source is None or not result.fixed:
            return None
        new = result.fixed_source.decode("utf-8")
        new = new.removeprefix("\ufeff")
        old = linted.post_text
        # One edit: the changed middle of the text.
        head = 0
        limit = min(len(old), len(new))
        while head < limit and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
            tail += 1
        edit = Edit(head, len(old) - tail, new[head : len(new) - tail])
        return lsp.CodeAction(
            title=f"postlint: fix all safe fixes ({result.fixed})",
            kind=FIX_ALL,
            edit=self.edit_for(linted, [linted.edit(edit)]),
        )

    def hover(self, linted: Linted, position: lsp.Position) -> lsp.Hover | None:
        at = linted.positions.offset(position.line, position.character)
        parts: list[str] = []
        where: lsp.Range | None = None
        for d, lspd in zip(linted.diagnostics, linted.published):
            start, end = linted.span(d)
            if not (start <= at < end or start == end == at):
                continue
            where = where or lspd.range
            parts.append(self.rule_doc(d))
        if not parts:
            return None
        kind = lsp.MarkupKind.Markdown if self.markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value="\n\n---\n\n".join(parts)), range=where)

    def rule_doc(self, d: Diagnostic) -> str:
        rule = self.registry.rules.get(d.code)
        if rule is None:
            return f"{d.code}: {d.message}"
        from postlint.reporters.sarif import help_uri

        head = f"**{rule.code}** `{rule.name}` ({d.severity}): {d.message}"
        doc = rule.doc.split("\n", 1)
        body = doc[1].strip() if len(doc) > 1 else ""
        link = f"\n\n[{rule.code} documentation]({help_uri(rule)})" if rule.origin.startswith("postlint") else ""
        return f"{head}\n\n{doc[0]}\n\n{body}{link}".rstrip()


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _overlap(span: tuple[int, int], wanted: tuple[int, int]) -> bool:
    return span[0] <= wanted[1] and wanted[0] <= span[1]


def _short(message: str, limit: int = 80) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def get_capability(capabilities: Any, *names: str) -> Any:
    value = capabilities
    for name in names:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


server = PostlintServer()


@server.feature(lsp.INITIALIZE)
def initialize(ls: PostlintServer, params: lsp.InitializeParams) -> None:
    ls.options.update(params.initialization_options)
    for folder in params.workspace_folders or []:
        path = _path(folder.uri)
        if path is not None:
            ls.add_folder(path)
    if not ls.folders:
        root = _path(params.root_uri) if params.root_uri else (Path(params.root_path) if params.root_path else None)
        if root is not None:
            ls.add_folder(root)
    formats = get_capability(params.capabilities, "text_document", "hover", "content_format")
    ls.markdown = not formats or lsp.MarkupKind.Markdown in formats


@server.feature(lsp.INITIALIZED)
async def initialized(ls: PostlintServer, params: lsp.InitializedParams) -> None:
    ls.loop = asyncio.get_running_loop()
    ls.start_full_lints()
    if get_capability(ls.client_capabilities, "workspace", "did_change_watched_files", "dynamic_registration"):
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="postlint-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]),
            )]))
        except Exception as exc:  # noqa: BLE001 - a client that refuses: saves still reload
            log.info("file watchers not registered: %r", exc)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PostlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.loop = ls.loop or asyncio.get_running_loop()
    ls.schedule(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PostlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.options.debounce)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
async def did_save(ls: PostlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = _path(uri)
    if path is not None and path.name in WATCHED_NAMES:
        await ls.reload()
        return
    ls.schedule(uri, save=True)
    # Another open post may now (or no longer) share this one's URL (JK002).
    if path is not None:
        ls.relint_open(ls.folder_of(path), but=uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PostlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    pending = ls.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    ls.linted.pop(uri, None)
    ls.site_memo.pop(uri, None)
    ls.publish(uri, [], None)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: PostlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    names = {(_path(change.uri) or Path("")).name for change in params.changes}
    if names & set(WATCHED_NAMES):
        await ls.reload()
        return
    # A post changed on disk (a checkout, another program): the site rules'
    # view of the folder is refreshed by a new full lint (cached posts cost a hash).
    folders = {id(f): f for c in params.changes if (p := _path(c.uri)) and (f := ls.folder_of(p))}
    for folder in folders.values():
        ls.start_full_lint(folder)


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: PostlintServer, params: lsp.DidChangeConfigurationParams) -> None:
    ls.options.update(params.settings)
    ls.relint_open()


@server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_folders(ls: PostlintServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
    for removed in params.event.removed:
        path = _path(removed.uri)
        if path is not None:
            ls.folders.pop(str(path), None)
    for added in params.event.added:
        path = _path(added.uri)
        if path is not None and str(path) not in ls.folders:
            ls.add_folder(path)
            ls.start_full_lint(ls.folders[str(path)])


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False),
)
async def code_action(ls: PostlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    linted = await ls.current(params.text_document.uri)
    if linted is None:
        return None
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(ls.lint_pool, ls.code_actions, linted, params) or None


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def hover(ls: PostlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    linted = await ls.current(params.text_document.uri)
    if linted is None:
        return None
    return ls.hover(linted, params.position)


@server.feature(lsp.SHUTDOWN)
def shutdown(ls: PostlintServer, params: None) -> None:
    for task in ls.pending.values():
        task.cancel()
    for pool in (ls.lint_pool, ls.site_pool, ls.net_pool):
        pool.shutdown(wait=False, cancel_futures=True)


def start() -> int:
    import sys

    logging.basicConfig(level=os.environ.get("POSTLINT_LOG_LEVEL", "WARNING").upper(), format="%(name)s: %(message)s")
    # Standard output carries the protocol alone: the server writes to a copy
    # of it, and file descriptor 1 (a print, a C library, a worker process of
    # the full lint's pool) goes to standard error instead.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, channel)
    return 0
