"""Real-browser fixtures: the app served by `streamlit run` on a loopback port, driven by Playwright in Debian's
chromium (/usr/bin/chromium; Playwright's own browser download is impossible here).

`app_server("tiny")` builds tests/fixtures/tiny into a temporary database, starts the app on it and returns the base
URL; `app_server("demo")` uses a small demo company. Servers are stopped by PID at the end of the test.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"app at {url} not healthy after {timeout}s")


def _database(name: str, folder: Path) -> Path:
    path = folder / f"{name}.duckdb"
    if name == "demo":
        from kam import db, demo
        con = db.connect(path)
        demo.build(con, n_accounts=60, n_orders=6_000, n_opportunities=300)
        con.close()
    else:
        build_db(name, path).close()
    return path


@pytest.fixture
def app_server(tmp_path):
    """Factory: start the app on fixture `name` ('demo' for a small demo company); returns the base URL."""
    started: list[subprocess.Popen] = []

    def start(name: str = "tiny") -> str:
        port = _free_port()
        env = {**os.environ, "KAM_DB": str(_database(name, tmp_path)), "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process)
        return url

    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def wait_idle(page, settle_ms: int = 300) -> None:
    """Wait until Streamlit has finished the current script run, then a short settle.

    The app root carries data-test-script-state ('running' while the script runs, 'notRunning' after); a click
    starts a run a moment later, hence the settle before and after.
    """
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(settle_ms)


GRID_ROW_HEIGHT = 35  # px: Streamlit's default data-grid header and row height


def click_grid_row(page, grid, row: int = 0) -> None:
    """Select row `row` of a data grid by clicking its row-selection cell at the left edge (the grid is a canvas,
    so rows have no DOM elements), then wait for the run it triggers."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + GRID_ROW_HEIGHT + 19 + row * GRID_ROW_HEIGHT)
    wait_idle(page)


@pytest.fixture
def idle():
    """wait_idle as a fixture, for test modules that prefer not to import from conftest."""
    return wait_idle
