"""Nothing a page asks for leaves the Academy's own origin: no fonts from another host, no
Gravatar pictures (which would send a hash of each person's e-mail address elsewhere), no
scripts, styles or images from anywhere else.

Chromium walks the site's main pages signed out, as a learner with a certificate and as a
superuser in the Wagtail admin, and records every request each page makes until the network is
quiet; every one must stay on our origin and succeed. Links to other sites (e.g. "Add to
LinkedIn profile") are not requests, so they are fine. The site's pages go through axe-core on
the way; the admin's are Wagtail's own.
"""

import io
from urllib.parse import urlsplit

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from assessments import services as assessment_services
from assessments.models import Assessment, Attempt
from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from portal import demo_content as demo
from tests.academy.factories import PASSWORD, UserFactory
from tests.browser.support import BROWSER_TEST, sign_in

pytestmark = BROWSER_TEST

LEARNER = "certified@example.org"


class RequestLog:
    """Every request a browser context makes, and those that went to another origin."""

    def __init__(self, context, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.elsewhere: list[str] = []
        self.broken: list[str] = []
        context.on("request", self._seen)
        context.on("response", self._answered)
        context.on("requestfailed", self._refused)

    def _seen(self, request) -> None:
        url = request.url
        if urlsplit(url).scheme in {"data", "blob", "about"}:
            return
        self.requests.append(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.elsewhere.append(f"{request.frame.url} -> {url}")

    def _refused(self, request) -> None:
        # A request the Content Security Policy refused never left the browser (NHS.UK
        # frontend's Frutiger, which Chromium asks for under the policy though nothing uses it).
        if request.failure == "csp":
            entry = f"{request.frame.url} -> {request.url}"
            if entry in self.elsewhere:
                self.elsewhere.remove(entry)

    def _answered(self, response) -> None:
        # A file a page needs (a style sheet, the favicon) that fails is as bad as one from afar.
        if response.status >= 400:
            self.broken.append(f"{response.frame.url} -> {response.status} {response.url}")


def visit(page, url: str, visited: list[str], a11y=None) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    # Fonts, images and lazy scripts are fetched after the load event.
    page.wait_for_load_state("networkidle")
    visited.append(url)
    if a11y is not None:
        a11y.check(page, url.split("/", 3)[-1] or "home")


def test_no_page_of_the_site_or_the_admin_requests_another_origin(
    live_server, new_context, a11y, screenshot
):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    certificate = Certificate.objects.get(learner__email=LEARNER)
    course = CoursePage.objects.get(pk=certificate.award.course.pk)
    lesson = LessonPage.objects.child_of(course).live().first()
    daniel = certificate.learner
    passed = Attempt.objects.filter(user=daniel, assessment=course.final_assessment).first()
    practice = Assessment.objects.get(title=demo.PRACTICE_ASSESSMENT["title"])
    attempt = assessment_services.start_attempt(user=daniel, assessment=practice)
    secret = generate_totp_secret()
    superuser = UserFactory(email="root@example.org", is_superuser=True)
    TOTP.activate(superuser, secret)
    home = Page.objects.get(depth=2, slug="home")

    context = new_context()
    log = RequestLog(context, base)
    page = context.new_page()
    visited: list[str] = []

    verify_page = urlsplit(certificate.verify_url).path
    for path in ("/", "/courses/", course.url, "/verify/", verify_page):
        visit(page, base + path, visited, a11y)
    screenshot(page, "verify-page-system-font")
    visit(page, base + reverse("account_login"), visited, a11y)
    visit(page, base + reverse("account_signup"), visited, a11y)

    sign_in(page, base, LEARNER, demo.PASSWORD)
    for path in (
        reverse("dashboard"),
        course.url,
        lesson.url,
        reverse("assessments:attempt", args=[attempt.pk]),
        reverse("assessments:result", args=[passed.pk]),
        reverse("complaint_standards:list"),
        reverse("mfa_index"),
    ):
        visit(page, base + path, visited, a11y)
    context.clear_cookies()

    sign_in(page, base, superuser.email, PASSWORD, secret=secret)
    for path in (
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/account/",
    ):
        visit(page, base + path, visited)

    assert not log.elsewhere, "Requests that left the Academy's origin:\n  " + "\n  ".join(
        sorted(set(log.elsewhere))
    )
    assert not log.broken, "Requests that failed:\n  " + "\n  ".join(log.broken)
    a11y.assert_clean()
    # The listener did see the pages' own files, so a silent listener cannot pass this test.
    assert any("/static/" in url for url in log.requests)
    assert len(visited) == 21
