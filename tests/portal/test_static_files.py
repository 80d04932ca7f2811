"""The Academy's own favicon, linked from every page."""

from pathlib import Path
from xml.etree import ElementTree

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


def test_every_page_links_our_own_favicon(client, home_page):
    html = client.get("/").content.decode()
    href = staticfiles_storage.url("academy/favicon.svg")
    assert f'<link rel="icon" href="{href}" type="image/svg+xml">' in html


def test_the_favicon_is_a_square_svg_of_our_own_with_nothing_from_elsewhere():
    path = finders.find("academy/favicon.svg")
    assert path, "static/academy/favicon.svg is missing"
    svg = ElementTree.parse(path).getroot()  # noqa: S314 - our own committed file
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    _x, _y, width, height = (float(n) for n in svg.get("viewBox").split())
    assert width == height
    # An icon that draws with its own shapes: no text (whose font would vary), no linked image.
    text = Path(path).read_text()
    assert "<text" not in text
    assert "href" not in text
