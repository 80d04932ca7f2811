"""The learner's dashboard: their certificates, their courses and progress."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from certificates import services as certificate_services
from certificates.models import Award, Certificate
from courses import services as course_services
from tests.academy.factories import MembershipFactory, OrganisationFactory
from tests.courses.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_a_signed_in_learner(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_new_learner_is_told_how_to_start(learner_client):
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "You have no certificates yet." in html
    assert "You are not enrolled on any course." in html


def test_the_dashboard_lists_certificates_enrolments_and_memberships(
    learner_client, learner, other_learner, course_tree, catalogue
):
    MembershipFactory(user=learner, organisation=OrganisationFactory(name="Northfield NHS Trust"))
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    course_services.complete_lesson(enrolment=enrolment, lesson=course_tree.lessons[0])
    course_services.record_visit(enrolment=enrolment, lesson=course_tree.lessons[1])
    certified = CourseFactory(parent=catalogue, title="Responding well")
    certificate = certificate_services.issue_for_course(learner=learner, course=certified)
    someone_elses = certificate_services.issue_for_course(learner=other_learner, course=certified)

    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "Northfield NHS Trust" in html
    assert "Welcoming complaints" in html
    assert "1 of 3 lessons done" in html
    assert f"Continue: {course_tree.lessons[1].title}" in html
    assert "Responding well" in html
    assert certificate.display_code in html
    assert certificate.get_absolute_url() in html
    assert "PDF being prepared" in html
    assert someone_elses.display_code not in html


@pytest.mark.parametrize(
    ("change", "kwargs", "says"),
    [
        (certificate_services.revoke, {"public_reason": "Issued in error"}, "Revoked on"),
        (certificate_services.suspend, {}, "Suspended"),
    ],
)
def test_a_revoked_or_suspended_certificate_offers_no_sharing(
    learner_client, learner, catalogue, administrator, change, kwargs, says
):
    certified = CourseFactory(parent=catalogue, title="Responding well")
    certificate = certificate_services.issue_for_course(learner=learner, course=certified)
    certificate_services.render_pdf(certificate=certificate)
    change(certificate=certificate, by=administrator, reason="Checked", **kwargs)

    main, _ = _sections(learner_client.get(reverse("dashboard")).content.decode())
    assert says in main
    assert "cannot be shared" in main
    for offer in ("Link to share", "Add to LinkedIn profile", "linkedin.com", "Download"):
        assert offer not in main
    # The verification page stays, so the learner can read why.
    assert f'href="{certificate.get_absolute_url()}">Verification page' in main


def _certificates_over(learner, catalogue, *, cycles: int) -> list[Certificate]:
    """One award's certificates for `cycles` yearly cycles, oldest first, each renewed 30 days
    before it expired."""
    award = certificate_services.award_for_course(course=CourseFactory(parent=catalogue))
    award.validity_unit, award.validity_length = Award.ValidityUnit.YEARS, 1
    award.save()
    issued = [certificate_services.issue_certificate(learner=learner, award=award)]
    for _ in range(cycles - 1):
        # A year passes, less 30 days: the latest is due for renewal and the older ones move back.
        year_ago = timedelta(days=335)
        Certificate.objects.filter(award=award).update(
            issued_at=F("issued_at") - year_ago, valid_until=F("valid_until") - year_ago
        )
        issued[-1].refresh_from_db()
        issued.append(
            certificate_services.renew_certificate(
                certificate=issued[-1], passed_at=timezone.now(), reason="Passed again"
            )
        )
    return issued


def _sections(html) -> tuple[str, str]:
    """The "My certificates" list and what is listed under "Earlier certificates" (or "")."""
    certificates = html.split("My certificates</h2>")[1].split("My courses</h2>")[0]
    main, _, earlier = certificates.partition("Earlier certificates</h3>")
    return main, earlier


def test_a_renewed_award_shows_its_newest_cycle_with_the_earlier_one_below(
    learner_client, learner, catalogue
):
    first, renewed = _certificates_over(learner, catalogue, cycles=2)

    main, earlier = _sections(learner_client.get(reverse("dashboard")).content.decode())
    assert main.count(f">{renewed.title_on_certificate}</h3>") == 1
    assert renewed.display_code in main
    assert first.display_code not in main
    assert first.display_code in earlier
    assert first.get_absolute_url() in earlier
    assert date_format(timezone.localtime(first.issued_at), "j F Y") in earlier
    valid_until = date_format(timezone.localtime(first.valid_until), "j F Y")
    assert f"Valid until {valid_until}" in earlier
    assert renewed.display_code not in earlier


def test_a_learner_with_no_renewals_sees_no_earlier_certificates(
    learner_client, learner, catalogue
):
    _certificates_over(learner, catalogue, cycles=1)
    certificate_services.issue_for_course(learner=learner, course=CourseFactory(parent=catalogue))
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert html.count("academy-code") == 2
    assert "Earlier certificates" not in html


def test_a_certificate_replaced_by_a_correction_is_not_listed_in_either_list(
    learner_client, learner, catalogue, administrator
):
    [first] = _certificates_over(learner, catalogue, cycles=1)
    corrected = certificate_services.correct_name(
        certificate=first, by=administrator, new_name="Priya Sharma-Jones", reason="Married"
    )
    Certificate.objects.filter(pk=corrected.pk).update(
        issued_at=F("issued_at") - timedelta(days=335),
        valid_until=F("valid_until") - timedelta(days=335),
    )
    corrected.refresh_from_db()
    renewed = certificate_services.renew_certificate(
        certificate=corrected, passed_at=timezone.now(), reason="Passed again"
    )

    main, earlier = _sections(learner_client.get(reverse("dashboard")).content.decode())
    assert renewed.display_code in main
    assert corrected.display_code in earlier
    assert first.display_code not in main + earlier


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def _enrol_with_progress(learner, catalogue):
    course = CourseFactory(parent=catalogue)
    lessons = [LessonFactory(parent=course) for _ in range(2)]
    enrolment = course_services.enrol(user=learner, course=course)
    course_services.complete_lesson(enrolment=enrolment, lesson=lessons[0])
    course_services.record_visit(enrolment=enrolment, lesson=lessons[1])
    certificate_services.issue_for_course(learner=learner, course=course)


def test_the_dashboard_query_count_does_not_grow_with_enrolments(
    learner_client, learner, catalogue, django_assert_max_num_queries
):
    _enrol_with_progress(learner, catalogue)
    learner_client.get(reverse("dashboard"))  # the first request caches the site's root paths
    one = _dashboard_queries(learner_client)
    for _ in range(5):
        _enrol_with_progress(learner, catalogue)
    with django_assert_max_num_queries(5):
        six = _dashboard_queries(learner_client)
    assert six == one


def test_the_dashboard_query_count_does_not_grow_with_certificates_and_cycles(
    learner_client, learner, catalogue, django_assert_max_num_queries
):
    _certificates_over(learner, catalogue, cycles=1)
    learner_client.get(reverse("dashboard"))  # the first request caches the site's root paths
    one = _dashboard_queries(learner_client)
    for _ in range(4):
        _certificates_over(learner, catalogue, cycles=3)
    with django_assert_max_num_queries(5):
        many = _dashboard_queries(learner_client)
    assert many == one
    main, earlier = _sections(learner_client.get(reverse("dashboard")).content.decode())
    assert main.count("academy-code") == 5
    assert earlier.count("academy-code") == 8
