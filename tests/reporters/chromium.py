"""Debian's headless Chromium, driven over the DevTools protocol on a pipe.

The browser is started with a fresh profile (a temporary --user-data-dir) and
no network: every connection goes to a proxy on 127.0.0.1:9 (the discard port,
nothing listens) and every host name resolves to nothing, so not a packet
leaves loopback; its background services (updates, sync, metrics) are off.
The protocol runs over --remote-debugging-pipe (file descriptors 3 and 4,
NUL-separated JSON messages): no port is opened and no library is needed.

`Browser.page()` opens a tab that records what a test asserts on: console
messages and errors, uncaught exceptions, network requests and JavaScript
dialogs (an `alert()` is dismissed and recorded).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.conftest import missing_tool

FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-pings",
    "--mute-audio",
    "--hide-scrollbars",
    "--password-store=basic",
    "--use-mock-keychain",
]


def find_chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium_or_skip() -> str:
    found = find_chromium()
    if found is None:
        missing_tool("chromium not found (Debian: apt-get install chromium)")
    assert found is not None
    return found


class ProtocolError(Exception):
    pass


class Browser:
    def __init__(self, binary: str, profile: Path) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        commands_r, self._commands = os.pipe()
        self._replies, replies_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's file descriptors 3 and 4
            # Out of the way first: either end may itself be 3 or 4.
            high_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD_CLOEXEC, 10)
            high_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        flags = [*FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium's sandbox refuses to run as root
        self.log = profile / "chromium.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [binary, *flags, "about:blank"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                # Not close_fds: it would close 3 and 4 after `wire`. Every other
                # descriptor of this process is close-on-exec (PEP 446).
                preexec_fn=wire, close_fds=False,
            )
        os.close(commands_r)
        os.close(replies_w)
        self._next = 0
        self._lock = threading.Lock()
        self._waiting: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._pages: dict[str, Page] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._replies, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                for waiting in list(self._waiting.values()):
                    waiting.put({"error": {"message": "the browser went away"}})
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    waiting = self._waiting.pop(message["id"], None)
                    if waiting is not None:
                        waiting.put(message)
                else:
                    page = self._pages.get(message.get("sessionId", ""))
                    if page is not None:
                        page._event(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            ident = self._next
            answer: queue.Queue[dict[str, Any]] = queue.Queue()
            self._waiting[ident] = answer
            message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
            if session is not None:
                message["sessionId"] = session
            os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        try:
            reply = answer.get(timeout=timeout)
        except queue.Empty:
            raise ProtocolError(f"{method}: no answer in {timeout} s; {self._log_tail()}") from None
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error']}; {self._log_tail()}")
        return reply.get("result", {})

    def _log_tail(self) -> str:
        try:
            return "chromium said: " + self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def page(self, width: int = 1280, height: int = 900, scripts: bool = True) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        self._pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        if not scripts:
            page.send("Emulation.setScriptExecutionDisabled", {"value": True})
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except ProtocolError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._commands, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass


class Page:
    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target
        self.console: list[dict[str, Any]] = []  # Runtime.consoleAPICalled
        self.log: list[dict[str, Any]] = []  # Log.entryAdded (CSP violations, failed loads...)
        self.exceptions: list[dict[str, Any]] = []  # Runtime.exceptionThrown
        self.requests: list[dict[str, Any]] = []  # Network.requestWillBeSent
        self.dialogs: list[dict[str, Any]] = []  # Page.javascriptDialogOpening
        self._loaded = threading.Event()

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 60) -> dict[str, Any]:
        return self.browser.send(method, params, self.session, timeout)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            self.console.append(params)
        elif method == "Log.entryAdded":
            self.log.append(params["entry"])
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(params)
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"])
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params)
            # Answered from the reader thread's side: a dialog blocks the page.
            threading.Thread(target=self._dismiss, daemon=True).start()
        elif method == "Page.loadEventFired":
            self._loaded.set()

    def _dismiss(self) -> None:
        try:
            self.send("Page.handleJavaScriptDialog", {"accept": False}, timeout=10)
        except ProtocolError:
            pass

    def open(self, url: str, timeout: float = 60) -> None:
        self._loaded.clear()
        reply = self.send("Page.navigate", {"url": url})
        if reply.get("errorText"):
            raise ProtocolError(f"{url}: {reply['errorText']}")
        if not self._loaded.wait(timeout):
            raise ProtocolError(f"{url}: not loaded in {timeout} s")

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise ProtocolError(f"{expression!r}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def errors(self) -> list[str]:
        """Every error the page reported: console errors and assertions,
        uncaught exceptions, and the browser's own error and warning entries
        (a refused script or style, a failed load)."""
        out = [
            f"console.{c['type']}: {c.get('args')}" for c in self.console if c["type"] in ("error", "assert", "warning")
        ]
        out += [f"exception: {e['exceptionDetails']}" for e in self.exceptions]
        out += [f"{entry['level']} ({entry.get('source')}): {entry.get('text')}" for entry in self.log
                if entry.get("level") in ("error", "warning")]
        return out

    def screenshot(self, path: Path) -> Path:
        """The whole page (not only the viewport) as a PNG."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        data = self.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})[
            "data"
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def settle(self, seconds: float = 0.2) -> None:
        """Let events already on their way (console messages) arrive."""
        self.evaluate("0")
        time.sleep(seconds)
