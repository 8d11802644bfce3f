"""A real server (``assistant serve`` in a subprocess, temp corpus and index) and a real headless Chromium.

The browser is Debian's /usr/bin/chromium driven by Playwright for Python (scripts/install-system-deps.sh
installs both; Playwright's own browser download is never used). Every test's page fails if it asks
for anything outside the loopback address: the UI must load nothing from outside the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(
    url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 180.0
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"`assistant serve` exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(
        f"`assistant serve` did not answer on {url} within {seconds:.0f} s:\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus with its own index: uploads in the tests never touch corpus/."""
    tmp = tmp_path_factory.mktemp("e2e")
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    Assistant(Settings(corpus_dir=tmp / "corpus", index_dir=tmp / "index")).ingest()
    return tmp


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = "Debian's Chromium is not installed at /usr/bin/chromium: run `bash scripts/install-system-deps.sh`"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them quietly
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session", autouse=True)
def cpu_hog() -> Iterator[None]:
    """ASSISTANT_TEST_CPU_HOG=N starts N busy-loop processes for the whole browser session, to show
    the tests wait for the page and not for the clock on a loaded machine (off by default)."""
    count = int(os.environ.get("ASSISTANT_TEST_CPU_HOG", "0") or 0)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    yield
    for hog in hogs:
        hog.kill()
        hog.wait(timeout=10)


@pytest.fixture(scope="session")
def server(chromium: Path, workdir: Path) -> Iterator[str]:
    port = _free_port()
    log = workdir / "serve.log"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    for name in ("ASSISTANT_UI_USER", "ASSISTANT_UI_PASSWORD", "ASSISTANT_UI_AUTH_FILE"):
        env.pop(name, None)
    command = [
        sys.executable,
        "-m",
        "assistant",
        "--corpus",
        str(workdir / "corpus"),
        "--index",
        str(workdir / "index"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=workdir, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium: Path, server: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Chromium is installed but Playwright for Python is not: run `bash scripts/install-system-deps.sh`"
        )

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def artifacts() -> Path:
    """tests/artifacts/ (gitignored): screenshots for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remembers whether a test failed, so its page fixture can save a screenshot of the failure."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page on the app; fails the test if the page requested anything off loopback."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="sv-SE"
    )
    page = context.new_page()
    outside: list[str] = []

    def watch(request: Any) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            outside.append(url)

    page.on("request", watch)
    # generous: a shared 2-core machine under load can take tens of seconds for one step
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    page.goto(server)
    page.wait_for_selector("#question textarea")
    page.wait_for_selector("#sources section.sources")  # the empty sources panel, drawn
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield page
    if request.node.stash.get(_FAILED, False):
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()
    assert not outside, f"the page loaded resources from outside the machine: {outside}"
