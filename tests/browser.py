"""Headless Chromium for the status page tests, and a local server that records every request it gets.

The server is both the page's origin and Chromium's proxy: the page itself is fetched directly from
127.0.0.1 (Chromium never proxies loopback), while any other request the page would make, http or https, to
any host, goes to the proxy and lands in `requests` as "GET http://host/path" or "CONNECT host:443".
So "only the page itself was requested" really means the page loaded nothing from anywhere.

Chromium itself also talks to Google on start, whatever the flags (on-device model manifest updates, the
account list; Debian's launcher adds API keys and remote extensions). Those few requests, matched exactly
below, are the browser's and not the page's: none carries a Referer, and a page asking for anything else, on
any host, is still caught (test_the_request_log_would_catch_an_external_resource proves the net works).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
REQUIRE_TOOLS = os.environ.get("PLANREPORTS_REQUIRE_TOOLS") == "1"
BASE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--hide-scrollbars", "--mute-audio", "--disable-extensions", "--disable-default-apps", "--no-pings",
              "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-breakpad",
              "--disable-features=NetworkTimeServiceQuerying,AutofillServerCommunication,OptimizationHints,"
              "Translate,MediaRouter")
BROWSER_OWN = (     # method + URL prefix of Chromium's own background requests (never with a Referer)
    "CONNECT update.googleapis.com:443", "POST http://update.googleapis.com/service/update2/json?",
    "CONNECT accounts.google.com:443", "GET http://clients2.google.com/time/1/current?",
)


def require_chromium() -> str:
    """The Chromium binary; a missing browser skips the test, or fails it when PLANREPORTS_REQUIRE_TOOLS=1."""
    if CHROMIUM is None:
        message = "Chromium is not installed (Debian package chromium, expected at /usr/bin/chromium)"
        if REQUIRE_TOOLS:
            pytest.fail(f"{message}, and PLANREPORTS_REQUIRE_TOOLS=1 requires it")
        pytest.skip(message)
    return CHROMIUM


class RecordingServer(ThreadingHTTPServer):
    pages: Mapping[str, bytes]
    headers: Mapping[str, str]  # sent with every page, e.g. a Content-Security-Policy
    requests: list[str]         # every request, in arrival order: "GET /page.html", "CONNECT host:443", ...

    def page_requests(self) -> list[str]:
        """The requests less Chromium's own background ones (which never carry a Referer)."""
        return [r for r in self.requests if not (r.startswith(BROWSER_OWN) and "(Referer:" not in r)]


class _Handler(BaseHTTPRequestHandler):
    server: RecordingServer

    def _record(self) -> None:
        referer = self.headers.get("Referer")
        self.server.requests.append(f"{self.command} {self.path}" + (f" (Referer: {referer})" if referer else ""))

    def do_GET(self) -> None:
        self._record()
        body = self.server.pages.get(urlsplit(self.path).path) if self.path.startswith("/") else None
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.server.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self) -> None:
        self._record()
        self.send_error(403)

    do_POST = do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(pages: Mapping[str, bytes], headers: Mapping[str, str] | None = None) -> Iterator[RecordingServer]:
    """Serve {path: html bytes} on 127.0.0.1 (a free port) in a thread while the block runs."""
    server = RecordingServer(("127.0.0.1", 0), _Handler)
    server.pages = pages
    server.headers = headers or {}
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run(chromium: str, server: RecordingServer, url_path: str, profile: Path, *flags: str) -> str:
    """Load http://127.0.0.1:PORT{url_path} once with `flags`; returns stdout (the DOM for --dump-dom)."""
    port = server.server_address[1]
    profile.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [chromium, *BASE_FLAGS, f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{port}", *flags,
         f"http://127.0.0.1:{port}{url_path}"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def keep(path: Path) -> None:
    """Copy an artefact to PLANREPORTS_SCREENSHOT_DIR when set, for a human to look at."""
    target = os.environ.get("PLANREPORTS_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / path.name)
