"""Browser fixtures for any page of the site: the system Chromium through Playwright (never a downloaded
browser; `python3 scripts/dev.py test` finds one and passes its path in ZLHCG_CHROMIUM), a static server on 127.0.0.1, and a page that fails its test on any request leaving the machine, any
uncaught script error and any console error (CSP violations and missing files show up there).

    def test_x(serve, page, page_log):
        page.goto(serve(folder) + "search/")
        ...
        assert page_log.requests  # every URL the page asked for
"""

from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("ZLHCG_CHROMIUM") or "/usr/bin/chromium")  # set by scripts/dev.py test
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS)


@pytest.fixture(scope="session")
def browser():
    """The system Chromium. Missing Chromium is a failure, not a skip: these tests are part of the suite."""
    if not CHROMIUM.is_file():
        pytest.fail(f"找不到浏览器 {CHROMIUM}：请用 python3 scripts/dev.py test 运行测试（它会查找或安装 Chromium），"
                    "或用环境变量 ZLHCG_CHROMIUM 指定浏览器（测试从不下载浏览器）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(folder) → "http://127.0.0.1:<port>/": a static server for the folder until the session ends."""
    servers = []

    def start(folder) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class PageLog:
    requests: list[str] = field(default_factory=list)  # every URL requested, in order
    external: list[str] = field(default_factory=list)  # requests to other hosts (blocked)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions and console errors


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, page_log):
    """A fresh page (own context: empty cache). Requests to other hosts are blocked and fail the test."""
    context = browser.new_context(service_workers="block")

    def route(route):
        url = route.request.url
        page_log.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            page_log.external.append(url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: page_log.errors.append(f"uncaught: {error}"))
    tab.on("console", lambda message: page_log.errors.append(f"console: {message.text}")
           if message.type == "error" else None)
    yield tab
    context.close()
    if page_log.external:
        pytest.fail(f"the page requested other hosts: {page_log.external}")
    if page_log.errors:
        pytest.fail(f"the page reported errors: {page_log.errors}")


AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"  # axe-core's own build


@pytest.fixture(scope="session")
def serious_violations():
    """Runs axe-core in a page and returns its serious and critical violations, summarised for the assertion
    message. The script is evaluated by the browser rather than injected, so the page's CSP stays on."""
    script = AXE.read_text(encoding="utf-8")

    def run(page) -> list:
        page.evaluate(script)
        result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
        return [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]

    return run
