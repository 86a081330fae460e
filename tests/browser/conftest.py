"""A page in headless Chromium at 1280 px, New York time (the browser itself: ``tests/chromium.py``)."""

import pytest


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    page = context.new_page()
    yield page
    context.close()
