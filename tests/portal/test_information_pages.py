"""The accessibility statement, privacy notice, cookies and contact pages: Wagtail pages editors
change, linked from every page's footer when "Show in menus" is ticked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy import services as people
from portal.demo_pages import INFORMATION_PAGES
from portal.pages import InformationPage
from tests.academy.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(course_tree):
    home = course_tree.home
    made = []
    for spec in INFORMATION_PAGES:
        page = home.add_child(
            instance=InformationPage(
                **spec, show_in_menus=True, last_reviewed=datetime.date(2026, 12, 1)
            )
        )
        page.save_revision().publish()
        made.append(page)
    return made


def test_every_page_links_the_information_pages_in_its_footer(client, pages, course_tree):
    for url in ("/", course_tree.course.url, reverse("certificates:lookup")):
        footer = client.get(url).content.decode().split("<footer", 1)[1]
        for page in pages:
            assert f'href="{page.url}">{page.title}</a>' in footer, (url, page.title)


def test_an_information_page_shows_its_text_and_review_date(client, pages):
    html = client.get(pages[0].url).content.decode()
    assert '<h1 class="nhsuk-heading-l">Accessibility statement</h1>' in html
    assert "WCAG" in html
    assert "Last reviewed on 1 December 2026." in html


def test_a_page_taken_out_of_menus_or_unpublished_leaves_the_footer(client, pages):
    accessibility, privacy = pages[0], pages[1]
    accessibility.show_in_menus = False
    accessibility.save_revision().publish()
    privacy.unpublish()
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert "Accessibility statement" not in footer
    assert "Privacy notice" not in footer
    assert "Cookies" in footer


def test_the_footer_is_served_from_the_cache_until_an_information_page_changes(client, pages):
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    terms = InformationPage(title="Terms of use", slug="terms", body="<p>x</p>", show_in_menus=True)
    pages[0].get_parent().add_child(instance=terms).save_revision().publish()
    with CaptureQueriesContext(connection) as after_publish:
        html = client.get("/").content.decode()
    assert "Terms of use" in html  # the publish emptied the cache
    assert len(after_publish) == len(warm) + 1  # one query for the links, whatever their number
    with CaptureQueriesContext(connection) as warm_again:
        client.get("/")
    assert len(warm_again) == len(warm)
    terms.delete()
    assert "Terms of use" not in client.get("/").content.decode()


def test_administrators_edit_the_information_pages_and_trainers_do_not(
    client, pages, administrator, staff_groups
):
    trainer = UserFactory(groups=[people.TRAINERS], mfa=True)
    edit = reverse("wagtailadmin_pages:edit", args=[pages[0].pk])
    client.force_login(administrator)
    assert client.get(edit).status_code == 200
    client.force_login(trainer)
    assert client.get(edit).status_code in (302, 403)
