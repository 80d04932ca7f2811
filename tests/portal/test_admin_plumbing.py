"""Loose ends of the Wagtail admin: bulk actions followed with nothing chosen, and the time zones
staff can choose on their account page."""

import zoneinfo

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.academy.factories import UserFactory

pytestmark = pytest.mark.django_db

BULK_LINKS = [
    "/admin/bulk/academy/user/assign_role/",
    "/admin/bulk/academy/user/delete/",
    "/admin/bulk/academy/user/set_active_state/",
    "/admin/bulk/wagtailimages/image/add_tags/",
    "/admin/bulk/wagtailimages/image/delete/",
    "/admin/bulk/wagtaildocs/document/add_to_collection/",
    "/admin/bulk/wagtailcore/page/publish/",
]


@pytest.mark.parametrize("link", BULK_LINKS)
def test_a_bulk_action_with_nothing_chosen_goes_back_with_a_word(client, administrator, link):
    client.force_login(administrator)
    response = client.get(link, HTTP_REFERER="http://testserver/admin/users/")
    assert response.status_code == 302
    assert response.url == "http://testserver/admin/users/"
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Tick the items you want first, then choose the action."


def test_it_goes_to_the_admin_home_rather_than_another_site(client, administrator):
    client.force_login(administrator)
    response = client.get(BULK_LINKS[0], HTTP_REFERER="https://elsewhere.example/admin/")
    assert response.url == "/admin/"


def test_a_bulk_action_with_items_chosen_is_wagtails_own(client, administrator):
    client.force_login(administrator)
    someone = UserFactory(full_name="Rhys ap Gwyn", email="rhys@example.org")
    response = client.get(
        "/admin/bulk/academy/user/set_active_state/", {"id": someone.pk, "next": "/admin/users/"}
    )
    assert response.status_code == 200
    assert "Rhys ap Gwyn" in response.content.decode()


def test_the_bulk_links_stay_closed_to_learners(client, learner):
    client.force_login(learner)
    response = client.get(BULK_LINKS[1])
    assert response.status_code in (302, 403)
    assert "/admin/users/" not in response.get("Location", "")


def test_staff_choose_only_time_zones_a_browser_knows():
    assert "localtime" not in settings.WAGTAIL_USER_TIME_ZONES
    assert "Europe/London" in settings.WAGTAIL_USER_TIME_ZONES
    assert len(settings.WAGTAIL_USER_TIME_ZONES) == len(
        zoneinfo.available_timezones() - {"localtime"}
    )


def test_the_user_forms_show_the_academys_fields(client, administrator, learner):
    client.force_login(administrator)
    add = client.get(reverse("wagtailusers_users:add")).content.decode()
    edit = client.get(reverse("wagtailusers_users:edit", args=[learner.pk])).content.decode()
    for html in (add, edit):
        for name in ("email", "full_name", "role_tier"):
            assert f'name="{name}"' in html, name
    assert 'name="is_active"' in edit
    assert 'name="is_active"' not in add
