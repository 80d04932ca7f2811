"""Static files as production serves them: collectstatic with the production settings succeeds,
a source map a package names but does not ship is dropped, and anything else missing still fails
loudly. Also the Academy's own favicon, linked from every page."""

import json
import secrets
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile

from config.staticfiles import StaticFilesStorage
from tests.academy.test_settings import production_env, run

NHSUK_CSS = "wagtailnhsukfrontend/css/nhsuk-frontend-10.4.2.min.css"
NHSUK_JS = "wagtailnhsukfrontend/js/nhsuk-frontend-10.4.2.min.js"


def post_process(tmp_path: Path, files: dict[str, str]) -> StaticFilesStorage:
    """Collect `files` (name -> content) into a fresh production storage and hash them."""
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    for name, content in files.items():
        storage.save(name, ContentFile(content.encode()))
    paths = {name: (storage, name) for name in files}
    for _name, _hashed, processed in storage.post_process(paths):
        if isinstance(processed, Exception):
            raise processed
    return storage


def hashed_text(storage: StaticFilesStorage, name: str) -> str:
    return Path(storage.path(storage.stored_name(name))).read_text()


def test_collectstatic_with_the_production_settings_collects_and_hashes_everything(tmp_path):
    static_root = tmp_path / "static"
    result = run(
        ["manage.py", "collectstatic", "--noinput"],
        production_env(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
            DJANGO_ALLOWED_HOSTS="academy.example.org",
            DATABASE_URL=f"sqlite:///{tmp_path / 'academy.sqlite3'}",
            DJANGO_STATIC_ROOT=str(static_root),
        ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in (NHSUK_CSS, NHSUK_JS, "academy/academy.css", "academy/favicon.svg"):
        hashed = static_root / manifest[name]
        assert hashed.exists()
        # The map these files name is not in the package, so its comment is gone.
        assert "sourceMappingURL" not in hashed.read_text()


def test_a_source_map_that_is_not_shipped_is_dropped_and_the_file_kept(tmp_path):
    css = "p{color:red}\n/*# sourceMappingURL=site.min.css.map */"
    js = "var a=1;\n//# sourceMappingURL=site.min.js.map"
    storage = post_process(tmp_path, {"site.min.css": css, "site.min.js": js})
    assert hashed_text(storage, "site.min.css").strip() == "p{color:red}"
    assert hashed_text(storage, "site.min.js").strip() == "var a=1;"


def test_a_source_map_that_is_shipped_is_pointed_at_its_hashed_copy(tmp_path):
    storage = post_process(
        tmp_path,
        {
            "site.css": "p{color:red}\n/*# sourceMappingURL=site.css.map */",
            "site.css.map": '{"version": 3, "sources": [], "mappings": ""}',
        },
    )
    hashed_map = storage.stored_name("site.css.map")
    assert hashed_map != "site.css.map"
    assert f"/*# sourceMappingURL={hashed_map} */" in hashed_text(storage, "site.css")


def test_a_missing_image_or_import_still_stops_collectstatic(tmp_path):
    with pytest.raises(ValueError, match="missing.png"):
        post_process(tmp_path / "url", {"site.css": "p{background:url(missing.png)}"})
    with pytest.raises(ValueError, match="missing.css"):
        post_process(tmp_path / "import", {"site.css": '@import "missing.css";'})


# The favicon ----------------------------------------------------------------------------------


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
