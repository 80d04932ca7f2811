"""What a signed-in page reads from the shared cache, read in one round trip once the session is
known (academy.page_cache.SignedInPrefetchMiddleware): the person's row, the header's and
footer's links, the page's route and the site root paths that every link is made from, however
many links the page shows. Each kept value stays as current as when it was read one at a time."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from wagtail.models import Site

from courses import services as course_services
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def reads(monkeypatch):
    """Each read of the shared cache (a get_many once, not once per key as the local-memory cache
    answers it), by the key it asked for, or the sorted keys."""
    asked = []
    inside = []
    backend = type(caches["default"])
    for method in ("get", "get_many"):
        original = getattr(backend, method)

        def spy(self, key, *args, _original=original, **kwargs):
            if not inside:
                asked.append(key if isinstance(key, str) else sorted(key))
            inside.append(key)
            try:
                return _original(self, key, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, method, spy)
    return asked


def read_on_second_visit(client, url, reads) -> list:
    assert client.get(url).status_code == 200  # fills the cache
    reads.clear()
    assert client.get(url).status_code == 200
    return list(reads)


def test_a_lesson_reads_the_cache_twice_the_session_then_everything_else(
    learner_client, learner, course_tree, reads
):
    course_services.enrol(user=learner, course=course_tree.course)
    asked = read_on_second_visit(learner_client, course_tree.lessons[1].url, reads)
    assert len(asked) == 2, asked
    session, rest = asked
    assert "sessions" in session
    for wanted in (f"user:{learner.pk}", f"header-links:{learner.pk}", "portal:footer-links"):
        assert wanted in rest
    assert any("remembered-route" in key for key in rest)


def test_the_dashboard_reads_the_cache_twice_however_many_courses_it_links_to(
    learner_client, learner, catalogue, reads
):
    for title in ("Welcoming complaints", "Investigating well", "Putting things right"):
        course = build_course(catalogue=catalogue, title=title).course
        course_services.enrol(user=learner, course=course)
    asked = read_on_second_visit(learner_client, reverse("dashboard"), reads)
    assert len(asked) == 2, asked
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert 'href="/courses/putting-things-right/"' in html


def prefetched(reads) -> bool:
    """Whether one of the reads was the prefetch's (the only one that asks for the site root
    paths kept beside the pages)."""
    return any("page-cache:site-root-paths" in key for key in reads)


def test_a_form_sent_is_not_prefetched(learner_client, learner, course_tree, reads):
    course_services.enrol(user=learner, course=course_tree.course)
    lesson = course_tree.lessons[0]
    learner_client.get(lesson.url)
    assert prefetched(reads)
    reads.clear()
    learner_client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    assert reads and not prefetched(reads)


def test_a_visitor_s_pages_are_not_prefetched(client, course_tree, reads):
    read_on_second_visit(client, course_tree.course.url, reads)
    assert reads and not prefetched(reads)


def test_links_follow_a_new_site_address_at_once(learner_client, learner, course_tree):
    course_services.enrol(user=learner, course=course_tree.course)
    assert 'href="/courses/welcoming-complaints/"' in (
        learner_client.get(reverse("dashboard")).content.decode()
    )
    # A second site answering for another host makes links to the first absolute.
    site = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="other.example.org", root_page=site.root_page.get_parent())
    site.hostname, site.port = "academy.example.org", 443
    site.save()
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert 'href="https://academy.example.org/courses/welcoming-complaints/"' in html


def test_a_lesson_link_follows_its_course_s_new_slug_at_once(learner_client, learner, course_tree):
    course_services.enrol(user=learner, course=course_tree.course)
    learner_client.get(reverse("dashboard"))
    course = course_tree.course
    course.slug = "welcoming-every-complaint"
    course.save_revision().publish()
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert 'href="/courses/welcoming-every-complaint/"' in html
