"""The Content Security Policy: one strict policy for the site, Wagtail's needs on the admin
only, and the site's one inline style allowed by a hash that matches it
(docs/decisions.md, "Content Security Policy")."""

import base64
import hashlib
import re

import pytest
from django.conf import settings

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def assert_strict_site_policy(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["media-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_a_learner_page_carries_the_strict_policy(learner_client, course):
    response = learner_client.get(course.url)
    assert response.status_code == 200
    assert_strict_site_policy(directives(response))


@pytest.mark.django_db
def test_the_dashboard_and_a_json_response_carry_it_too(learner_client):
    assert_strict_site_policy(directives(learner_client.get("/dashboard/")))
    data = learner_client.get("/dashboard/my-data.json")
    assert data.status_code == 200
    assert_strict_site_policy(directives(data))


@pytest.mark.django_db
def test_every_inline_style_on_the_site_is_allowed_by_its_hash(client, home_page):
    """base.html's font stack is inline (docs/decisions.md, "Fonts"); if someone edits it, the
    hash in the settings must follow, or browsers drop it and fetch Frutiger."""
    response = client.get("/accounts/login/")
    html = response.content.decode()
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert styles, "base.html's inline font stack went missing"
    allowed = directives(response)["style-src"]
    for style in styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, style
    assert settings.ACADEMY_CSP_FONT_STYLE_HASH in allowed
    # No inline script and no inline event handler: the policy would refuse them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.django_db
def test_the_admin_alone_allows_wagtails_inline_scripts_and_styles(client, trainer):
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # Everything else stays as strict as on the site.
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_a_page_the_admin_previews_in_a_frame_may_be_framed_by_the_site_only():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from academy.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("preview")
        response["X-Frame-Options"] = "SAMEORIGIN"  # as Wagtail's preview views set it
        return response

    request = RequestFactory().get("/admin/pages/3/edit/preview/")
    middleware = ContentSecurityPolicyMiddleware(view)
    response = middleware(request)
    assert directives(response)["frame-ancestors"] == ["'self'"]
