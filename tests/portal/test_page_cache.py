"""Visitors' pages kept in the shared cache (academy/page_cache.py): who is served from it, what is
never kept, and each change that makes a kept page stale at once."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from academy import page_cache
from assessments.models import AssessmentQuestion
from certificates import services as certificate_services
from complaint_standards.models import Framework
from courses.models import WebinarRecording
from portal.pages import InformationPage
from tests.certificates.factories import AwardFactory
from tests.courses.factories import CourseFactory, WebinarFactory, WebinarSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 300


def kept(client, url, django_assert_num_queries, **kwargs) -> str:
    """The page as a second visitor gets it: from the cache, without a query."""
    first = client.get(url, **kwargs)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url, **kwargs)
    assert again.content == first.content
    return again.content.decode()


def made_again(client, url, **kwargs) -> str:
    """The page, which must have been made again (at least one query), not served as kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert len(queries) > 0, f"{url} came from the cache"
    return response.content.decode()


# Who is served from the cache, and what is kept ------------------------------------------------


def test_a_visitor_gets_the_catalogue_from_the_cache_with_every_header(
    client, course, django_assert_num_queries
):
    first = client.get("/courses/")
    with django_assert_num_queries(0):
        again = client.get("/courses/")
    assert again.content == first.content
    assert course.title in again.content.decode()
    # The middleware above the cache still adds the security headers to a kept page.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert again[header] == first[header]


def test_someone_signed_in_is_never_served_a_kept_page_nor_has_theirs_kept(
    client, course, learner, django_assert_num_queries
):
    kept(client, course.url, django_assert_num_queries)
    client.force_login(learner)
    html = made_again(client, course.url)
    assert "Sign out" in html and "Enrol on this course" in html
    client.logout()
    client.cookies.clear()
    assert "Sign out" not in kept(client, course.url, django_assert_num_queries)


def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(client, course):
    client.cookies["messages"] = "anything"
    made_again(client, "/courses/")
    made_again(client, "/courses/")


def test_only_the_query_parameters_a_page_answers_to_are_kept(
    client, catalogue, django_assert_num_queries
):
    CourseFactory(parent=catalogue, title="For senior leaders", audience="senior_staff")
    CourseFactory(parent=catalogue, title="For everyone at work", audience="all_staff")
    html = kept(client, "/courses/", django_assert_num_queries, data={"audience": "senior_staff"})
    assert "For senior leaders" in html and "For everyone at work" not in html
    # Each value is a page of its own.
    assert "For everyone at work" in kept(client, "/courses/", django_assert_num_queries)
    # Anything else in the address is made each time and never kept, so made-up addresses cannot
    # fill the cache.
    made_again(client, "/courses/", data={"utm_source": "mail"})
    made_again(client, "/courses/", data={"utm_source": "mail"})


def test_a_page_that_hands_out_a_csrf_token_or_a_session_is_not_kept(client, course):
    response = page_cache.offer(client.get("/courses/"))
    cache.clear()  # the middleware kept that one
    request = RequestFactory().get("/courses/")
    generations = {scope: None for scope in page_cache.SCOPES}

    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    page_cache.keep(request, response, dict(generations), "page")
    assert page_cache.lookup(request, "page")[0] is None

    request = RequestFactory().get("/courses/")
    request.session = type("Session", (), {"modified": True})()
    page_cache.keep(request, response, dict(generations), "page")
    assert page_cache.lookup(request, "page")[0] is None

    response.set_cookie("anything", "1")
    page_cache.keep(RequestFactory().get("/courses/"), response, dict(generations), "page")
    assert page_cache.lookup(RequestFactory().get("/courses/"), "page")[0] is None


def test_a_page_made_while_a_change_was_committing_is_kept_stale(client, course):
    """The generation is read before the page is made: a change in between makes it stale."""
    request = RequestFactory().get("/courses/")
    _, generations = page_cache.lookup(request, "page")
    response = page_cache.offer(client.get("/courses/"))
    page_cache.forget(page_cache.CONTENT)
    page_cache.keep(request, response, generations, "page")
    assert page_cache.lookup(request, "page")[0] is None


def test_the_cache_is_off_at_zero_seconds(client, course, settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 0
    client.get("/courses/")
    made_again(client, "/courses/")


def test_an_unknown_page_and_a_redirect_are_not_kept(client, course):
    assert client.get("/courses/no-such-course/").status_code == 404
    assert client.get("/courses/no-such-course/").status_code == 404
    url = reverse("certificates:lookup") + "?code=abcde-fghjk-mnpqr-stvwx"
    assert client.get(url).status_code == 302
    assert client.get(url).status_code == 302


# What makes a kept page stale -------------------------------------------------------------------


def test_publishing_a_course_shows_it_in_the_catalogue_at_once(
    client, catalogue, course, django_assert_num_queries
):
    draft = CourseFactory(parent=catalogue, title="Putting things right", live=False)
    assert "Putting things right" not in kept(client, "/courses/", django_assert_num_queries)
    draft.save_revision().publish()
    assert "Putting things right" in made_again(client, "/courses/")


def test_a_published_change_to_a_course_page_shows_at_once(
    client, course, django_assert_num_queries
):
    kept(client, course.url, django_assert_num_queries)
    course.summary = "A new summary for the course."
    course.save_revision().publish()
    assert "A new summary for the course." in made_again(client, course.url)


def test_unpublishing_a_course_takes_it_away_at_once(client, course, django_assert_num_queries):
    url = course.url
    kept(client, url, django_assert_num_queries)
    assert course.title in kept(client, "/courses/", django_assert_num_queries)
    course.unpublish()
    assert client.get(url).status_code == 404
    assert course.title not in made_again(client, "/courses/")


def test_moving_a_page_changes_every_page_at_once(
    client, home_page, course, django_assert_num_queries
):
    """Every page's footer lists the information pages in tree order: a move reorders it."""
    first, second = (
        home_page.add_child(
            instance=InformationPage(title=title, slug=slug, body="<p>x</p>", show_in_menus=True)
        )
        for title, slug in (("Accessibility", "accessibility"), ("Privacy", "privacy"))
    )
    html = kept(client, course.url, django_assert_num_queries)
    assert html.index("Accessibility") < html.index("Privacy")
    first.move(second, pos="right")
    html = made_again(client, course.url)
    assert html.index("Privacy") < html.index("Accessibility")


def test_a_new_webinar_session_shows_in_the_catalogue_at_once(
    client, catalogue, django_assert_num_queries
):
    webinar = WebinarFactory(parent=catalogue, title="Answering well")
    html = kept(client, "/courses/", django_assert_num_queries)
    assert "Answering well" in html
    soon = timezone.now() + timedelta(days=2)
    WebinarSessionFactory(webinar=webinar, starts_at=soon)
    assert soon.strftime("%-d %B %Y") in made_again(client, "/courses/")


def test_the_catalogue_is_kept_only_until_its_first_webinar_begins(client, catalogue):
    WebinarFactory(parent=catalogue, starts_at=timezone.now() + timedelta(seconds=90))
    response = page_cache.offer(client.get("/courses/"))
    assert response.page_cache["seconds"] is None  # offered by the page itself, not here
    catalogue_page = catalogue.specific
    context = catalogue_page.get_context(RequestFactory().get("/courses/"))
    assert 0 < catalogue_page.page_cache_seconds(context) <= 90


def test_publishing_a_webinar_recording_lists_it_at_once(
    client, catalogue, trainer, django_assert_num_queries
):
    webinar = WebinarFactory(parent=catalogue, title="Answering well")
    assert "Webinar recordings" not in kept(client, "/courses/", django_assert_num_queries)
    WebinarRecording.objects.create(
        webinar=webinar,
        video_url="https://video.example.org/watch/1",
        transcript="What was said.",
        published_at=timezone.now(),
    )
    assert "Webinar recordings" in made_again(client, "/courses/")


def test_a_change_to_the_final_assessment_shows_on_the_course_page_at_once(
    client, course_tree, django_assert_num_queries
):
    url = course_tree.course.url
    assert "3 questions" in kept(client, url, django_assert_num_queries)
    AssessmentQuestion.objects.filter(assessment=course_tree.assessment).first().delete()
    assert "2 questions" in made_again(client, url)


def test_a_change_to_the_complaint_standards_shows_at_once(client, django_assert_num_queries):
    framework = Framework.objects.create(name="Standards for testing", slug="testing", version="1")
    url = reverse("complaint_standards:detail", args=[framework.slug])
    kept(client, url, django_assert_num_queries)
    assert "Standards for testing" in kept(
        client, reverse("complaint_standards:list"), django_assert_num_queries
    )
    framework.name = "Renamed standards"
    framework.save()
    assert "Renamed standards" in made_again(client, url)
    assert "Renamed standards" in made_again(client, reverse("complaint_standards:list"))


# The verification page --------------------------------------------------------------------------


@pytest.fixture
def certificate(course, learner):
    award = AwardFactory(course=course, validity_unit="years", validity_length=3)
    return certificate_services.issue_certificate(learner=learner, award=award)


def test_a_revoked_certificate_says_so_at_once(
    client, certificate, administrator, django_assert_num_queries
):
    url = certificate.get_absolute_url()
    assert "Valid: this certificate" in kept(client, url, django_assert_num_queries)
    certificate_services.revoke(
        certificate=certificate, by=administrator, reason="Issued in error", public_reason="Error"
    )
    assert "Revoked on" in made_again(client, url)


def test_a_corrected_certificate_names_its_replacement_at_once(
    client, certificate, administrator, django_assert_num_queries
):
    url = certificate.get_absolute_url()
    kept(client, url, django_assert_num_queries)
    certificate_services.correct_name(
        certificate=certificate,
        by=administrator,
        new_name="Amira K. Haddad",
        reason="Asked by the learner",
    )
    assert "Superseded by" in made_again(client, url)


def test_a_certificate_is_kept_as_valid_only_until_it_expires(client, certificate):
    certificate.valid_until = timezone.now() + timedelta(seconds=2)
    certificate.save(update_fields=["valid_until"])
    url = certificate.get_absolute_url()
    assert "Valid: this certificate" in client.get(url).content.decode()
    time.sleep(2.1)  # the cache's own clock decides when the entry goes
    assert "Expired on" in made_again(client, url)


def test_every_verification_counts_towards_the_rate_limit_even_from_the_cache(
    client, certificate, settings
):
    settings.ACADEMY_VERIFY_RATE = "3/m"
    url = certificate.get_absolute_url()
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


# Finding pages from the route cache, signed in or not ----------------------------------------


def test_a_learner_s_lesson_is_found_from_the_route_cache(
    client, course_tree, learner, django_assert_num_queries
):
    from courses.services import enrol

    course = course_tree.course
    enrol(user=learner, course=course)
    client.force_login(learner)
    lesson = course_tree.lessons[0]
    client.get(lesson.url)
    # The enrolment, with whether the lesson is done: the session (cached_db), the person, the
    # page, its course, its neighbours, what it covers and the header's links come from the cache.
    with django_assert_num_queries(1):
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert lesson.title in response.content.decode()


def test_unpublishing_a_lesson_takes_it_away_from_learners_at_once(client, course_tree, learner):
    from courses.services import enrol

    enrol(user=learner, course=course_tree.course)
    client.force_login(learner)
    lesson = course_tree.lessons[1]
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_an_enrolled_learner_s_course_page_lists_its_lessons_as_now_published(
    client, course_tree, learner
):
    """The lesson list travels with the course in the route cache: a renamed, unpublished or new
    lesson shows on the learner's course page at once, with their progress beside it."""
    from courses.services import complete_lesson, enrol
    from tests.courses.factories import LessonFactory

    course = course_tree.course
    enrolment = enrol(user=learner, course=course)
    first, second = course_tree.lessons[0], course_tree.lessons[1]
    complete_lesson(enrolment=enrolment, lesson=first)
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert second.title in page

    second.title = "Listening before answering"
    second.save_revision().publish()
    page = client.get(course.url).content.decode()
    assert "Listening before answering" in page
    assert f'<a href="{first.url}">{first.title}</a> <strong' in page  # done, still

    second.unpublish()
    assert "Listening before answering" not in client.get(course.url).content.decode()

    added = LessonFactory(parent=course, title="Writing the final answer")
    page = client.get(course.url).content.decode()
    assert f'<a href="{added.url}">Writing the final answer</a>' in page


def test_a_new_view_restriction_applies_at_once(client, course, django_assert_num_queries):
    from wagtail.models import PageViewRestriction

    kept(client, course.url, django_assert_num_queries)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_pages_kept_before_an_evicted_generation_never_come_back(
    client, catalogue, course, django_assert_num_queries
):
    kept(client, course.url, django_assert_num_queries)
    course.summary = "A summary written after the page was kept."
    course.save_revision().publish()
    # Redis evicts the generation, and another page is kept under a new one (the first request
    # after the eviction starts it, and keeps nothing made under none).
    cache.delete("page-cache:generation:content")
    client.get("/courses/")
    kept(client, "/courses/", django_assert_num_queries)
    assert "A summary written after the page was kept." in made_again(client, course.url)
