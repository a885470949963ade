"""Fixtures for the browser tests: one headless Chromium per test module, a fresh context and
page per test, and the pages under test (built once). See tests/browser_support.py.

The browser is closed at the end of its module, also when a test fails: Playwright's sync API
keeps an event loop running in this thread while it is up, which would stop every later test
that calls ``asyncio.run`` (the CLI does), so it never outlives its module; the pages are
built in a worker thread for the same reason. Each context gets a fresh profile that
Playwright deletes when it closes. Pages load from ``file://`` under
the test's tmp folder. Skipped, with the reason, only where the browser cannot run here:
Playwright not installed (``pip install '.[test]'``) or no Chromium binary (``apt-get install
chromium``, or ``BRIEFER_CHROMIUM`` naming another).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import pytest
from browser_support import (
    ARGS,
    Example,
    Opener,
    Tab,
    chromium_path,
    digest_page,
    example_page,
    hostile_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


T = TypeVar("T")


def off_loop(build: Callable[..., T], *args: object) -> T:
    """``build(*args)`` in a worker thread, where no event loop is running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build, *args).result()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests: Playwright is not installed (pip install '.[test]')")
    executable, where = chromium_path()
    if executable is None:
        pytest.skip(f"browser tests: no Chromium at {where}")
    driver = sync_playwright().start()
    try:
        chromium = driver.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        driver.stop()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Opener]:
    """``tab(width=1280, javascript=True)``: a new page in a fresh context, closed after."""
    contexts: list[BrowserContext] = []

    def open_tab(width: int = 1280, *, javascript: bool = True) -> Tab:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        opened = Tab(context.new_page())
        opened.page.on("console", lambda m: opened.console.append(f"{m.type}: {m.text}"))
        opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
        return opened

    try:
        yield open_tab
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    folder = tmp_path_factory.mktemp("example")
    with pytest.MonkeyPatch.context() as patch:
        for key in [key for key in os.environ if key.startswith("BRIEFER_")]:
            patch.delenv(key)
        patch.setenv("BRIEFER_CACHE_DIR", str(folder / "cache"))
        return off_loop(example_page, folder)


@pytest.fixture(scope="session")
def hostile_html() -> str:
    return off_loop(hostile_page)


@pytest.fixture(scope="session")
def digest_html() -> str:
    return off_loop(digest_page)
