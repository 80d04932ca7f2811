"""What every browser test module imports: Playwright's `expect` and the marks it runs under."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or, in CI, fails) and says why
    expect = None

BROWSER_TEST = [
    pytest.mark.browser,
    # The live server reads committed rows. serialized_rollback puts back the rows migrations
    # create (Wagtail's root page and default Site) after the flush, so tests that run after this
    # one still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["BROWSER_TEST", "expect"]
