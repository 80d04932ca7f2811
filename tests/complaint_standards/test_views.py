"""The public pages presenting the Complaint Standards, and tagging content with them."""

import re

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaint_standards.models import Expectation
from courses import services as course_services
from tests.complaint_standards.factories import (
    ExpectationFactory,
    FrameworkFactory,
    PrincipleFactory,
)

pytestmark = pytest.mark.django_db


def framework_with(principles=2, expectations=3, **fields):
    framework = FrameworkFactory(**fields)
    for p in range(1, principles + 1):
        principle = PrincipleFactory(framework=framework, number=p, title=f"Principle {p} title")
        for e in range(1, expectations + 1):
            ExpectationFactory(principle=principle, number=e, text=f"Expectation {p}.{e} text")
    return framework


def test_the_list_shows_each_framework_with_its_principles(client):
    nhs = framework_with(name="NHS Complaint Standards", slug="nhs")
    gov = framework_with(name="UK Central Government Complaint Standards", slug="gov")
    html = client.get(reverse("complaint_standards:list")).content.decode()
    for framework in (nhs, gov):
        assert framework.name in html
        assert reverse("complaint_standards:detail", args=[framework.slug]) in html
    assert "Principle 2 title" in html


def test_the_list_says_when_nothing_is_published(client):
    html = client.get(reverse("complaint_standards:list")).content.decode()
    assert "No frameworks have been published yet." in html


def test_a_framework_page_lists_numbered_expectations_in_order(client):
    framework = framework_with(name="NHS Complaint Standards", slug="nhs")
    html = client.get(reverse("complaint_standards:detail", args=["nhs"])).content.decode()
    assert framework.name in html
    positions = [html.index(f"Expectation {p}.{e} text") for p in (1, 2) for e in (1, 2, 3)]
    assert positions == sorted(positions)
    assert ">1.2<" in html
    assert ">2.3<" in html


def test_each_expectation_on_a_framework_page_has_its_own_anchor(client):
    framework_with(slug="nhs")
    html = client.get(reverse("complaint_standards:detail", args=["nhs"])).content.decode()
    anchors = re.findall(r'id="([^"]+)"', html)
    assert len(anchors) == len(set(anchors))
    for expectation in Expectation.objects.filter(principle__framework__slug="nhs"):
        path, fragment = expectation.get_absolute_url().split("#")
        assert path == reverse("complaint_standards:detail", args=["nhs"])
        assert fragment[0].isalpha()
        row = re.search(rf'id="{fragment}"><dt[^>]*>([^<]+)</dt><dd[^>]*>([^<]+)</dd>', html)
        assert row.groups() == (expectation.code, expectation.text)


def test_an_unknown_framework_is_not_found(client):
    assert client.get(reverse("complaint_standards:detail", args=["nope"])).status_code == 404


def test_the_list_and_detail_query_counts_do_not_grow_with_the_standards(
    client, django_assert_max_num_queries
):
    framework_with(slug="small", principles=1, expectations=1)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    list_url = reverse("complaint_standards:list")
    detail_url = reverse("complaint_standards:detail", args=["small"])
    client.get(list_url)  # the first page fills the footer's cache
    small_list, small_detail = queries(list_url), queries(detail_url)

    framework_with(slug="big", principles=4, expectations=5)
    framework_with(slug="other", principles=4, expectations=5)
    with django_assert_max_num_queries(2):
        assert queries(list_url) == small_list
    with django_assert_max_num_queries(3):
        assert queries(reverse("complaint_standards:detail", args=["big"])) == small_detail


def test_an_expectation_reads_as_its_code_and_framework(db):
    framework = FrameworkFactory(name="NHS Complaint Standards")
    principle = PrincipleFactory(framework=framework, number=3)
    expectation = ExpectationFactory(principle=principle, number=2, text="Explain what was found.")
    expectation = Expectation.objects.get(pk=expectation.pk)
    assert expectation.code == "3.2"
    assert expectation.anchor == "expectation-3-2"
    assert str(expectation) == "NHS Complaint Standards 3.2: Explain what was found."


def test_numbers_are_unique_within_a_principle(db):
    principle = PrincipleFactory()
    ExpectationFactory(principle=principle, number=1)
    with pytest.raises(IntegrityError):
        ExpectationFactory(principle=principle, number=1)


def test_course_and_lesson_pages_show_the_standards_they_cover(client, learner, course_tree):
    expectation = ExpectationFactory(text="People can raise a concern in the way that suits them.")
    course_tree.course.expectations.set([expectation])
    course_tree.course.save_revision().publish()
    lesson = course_tree.lessons[0]
    lesson.expectations.set([expectation])
    lesson.save_revision().publish()

    html = client.get(course_tree.course.url).content.decode()
    assert "Complaint Standards covered" in html
    assert f"{expectation.code}: {expectation.text}" in html

    course_services.enrol(user=learner, course=course_tree.course)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert f"{expectation.code}: {expectation.text}" in html
