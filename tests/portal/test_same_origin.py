"""What pages ask the browser to fetch stays on our own origin, checked without a browser (the
Chromium crawl is tests/browser/test_same_origin.py)."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

pytestmark = pytest.mark.django_db


def test_the_admin_shows_its_own_picture_instead_of_asking_gravatar(administrator):
    assert avatar_url(administrator, size=50).startswith("/static/wagtailadmin/")


def test_the_home_page_fetches_nothing_from_another_host(client, home_page):
    html = client.get("/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    fetched = [tag.get("href") for tag in soup.find_all("link")]
    fetched += [tag.get("src") for tag in soup.find_all(["script", "img", "iframe"])]
    assert all(url.startswith("/") and not url.startswith("//") for url in fetched if url)
    # NHS.UK frontend's CSS fetches Frutiger from the NHS's host for text set in it; nothing of
    # ours is, because the page sets its own font family straight after that style sheet.
    style = soup.find("style").string
    assert re.search(r"html \{ font-family: arial\b", style)
    assert "Frutiger" not in style
