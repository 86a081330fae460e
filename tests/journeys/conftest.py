"""Journeys: a visitor, an editor and a subscriber walk the site in a real headless Chromium at
1280 px and 390 px, by visible labels and links, as people do; every step is screenshotted.

Screenshots go to ``$TEST_OUTPUT_DIR/journeys/<journey>-<width>/NN-<step>.png`` (default
``test-output/`` in the checkout, ignored by git): look at them after a run. Chromium is Debian's
(/usr/bin/chromium, through Playwright); without it the journeys are skipped, except under CI.
"""

import os
import re
from pathlib import Path

import pytest

from tests.chromium import pick_timezone  # noqa: F401 - for the journeys

WIDTHS = (1280, 390)
OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output"))


class Journey:
    """One person's walk: a page at one width, and numbered screenshots of each step."""

    def __init__(self, page, base_url, folder, width):
        self.page, self.base_url, self.folder, self.width = page, base_url, folder, width
        self.step = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    @property
    def wide(self):
        return self.width >= 1024

    def go(self, path):
        self.page.goto(self.base_url + path)

    def shot(self, name):
        """Screenshot the whole page as the person sees it now."""
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)

    def download(self, link):
        """Click a download link and return the file's bytes."""
        with self.page.expect_download() as info:
            link.click()
        return Path(info.value.path()).read_bytes()

    def fits_the_width(self):
        """Nothing runs off the right edge: no horizontal scrolling."""
        return self.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(params=WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def journey(request, browser, live_server):
    width = request.param
    # The browser's language: English unless the test says otherwise (@pytest.mark.browser_locale).
    marker = request.node.get_closest_marker("browser_locale")
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        timezone_id="Asia/Tokyo",  # a visitor far from Vienna: the site's times must still read right
        accept_downloads=True,
        locale=marker.args[0] if marker else "en-US",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = request.node.originalname.removeprefix("test_")
    yield Journey(page, live_server.url, OUTPUT / "journeys" / f"{name}-{width}", width)
    context.close()
