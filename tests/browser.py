"""A real headless Chromium for tests that look at pages.

Playwright drives Debian's chromium (`/usr/bin/chromium`, installed by `.ci/run`) rather than a
browser it downloads itself, because this project's machines reach only the package registries.
The flags stop Chromium's own background traffic, which a closed network refuses noisily.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ARTEFACTS = Path(os.environ.get("TRUSTKG_TEST_ARTEFACTS", Path(__file__).parent / "artefacts"))

_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Where Debian's chromium is, or None."""
    return os.environ.get("TRUSTKG_CHROMIUM") or shutil.which("chromium")


@contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[object]:
    """Yield a Playwright page in headless Chromium; skip the test where there is no browser."""
    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def screenshot(page: object, name: str) -> Path:
    """Keep a full-page screenshot under tests/artefacts/ (ignored by git) and return its path."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTEFACTS / name
    page.screenshot(path=str(out), full_page=True)  # type: ignore[attr-defined]
    return out
