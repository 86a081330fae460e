"""Headless Chromium for the browser tests and the journeys (Debian's /usr/bin/chromium driven by
Playwright): one browser for the whole run, whichever folder's tests ask for it first.

Where Chromium is missing the tests are skipped with a reason, except under CI (CI=true), where a
missing browser is an error: CI must run them.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available():
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    """The run's one Chromium (Playwright's sync API allows one per thread)."""
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pick_timezone(page, name):
    """Choose a timezone in the event form as an editor does: open the list, search, pick."""
    field = page.locator(".field-timezone")
    field.locator(".select2-selection").click()
    page.locator('.select2-search__field[aria-controls="select2-id_timezone-results"]').fill(
        name.split("/")[-1].replace("_", " ")
    )
    page.locator(".select2-results__option", has_text=name).first.click()
    assert field.locator(".select2-selection__rendered").inner_text().strip().endswith(name)
