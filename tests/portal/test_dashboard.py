"""The learner's dashboard: their certificates, their courses and progress."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from assessments import services as assessment_services
from assessments.models import QuestionKind
from certificates import services as certificate_services
from certificates.models import Award, Certificate
from courses import services as course_services
from tests.academy.factories import MembershipFactory, OrganisationFactory
from tests.accreditation.factories import CPDEntryFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answers,
    essay_question,
    wrong_answers,
)
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
    # Two of them are the header's: is the learner staff (for its Admin link), and which
    # organisations do they manage (for My organisation)? Four more: their assignments,
    # surveys waiting for them, their webinar registrations and recordings to watch.
    with django_assert_max_num_queries(14):
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
    with django_assert_max_num_queries(14):
        many = _dashboard_queries(learner_client)
    assert many == one
    main, earlier = _sections(learner_client.get(reverse("dashboard")).content.decode())
    assert main.count("academy-code") == 5
    assert earlier.count("academy-code") == 8


def _essay_answer(attempt) -> dict:
    return {
        response.pk: ["My answer, in a few paragraphs."] for response in attempt.responses.all()
    }


def _attempted(learner, *, title, answers=None, essay=False, submit=True):
    """An attempt of the learner's at a new stand-alone assessment: passed with
    answers=correct_answers, failed with wrong_answers, handed in for marking with essay=True."""
    questions = [essay_question()] if essay else [QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)]
    assessment = AssessmentFactory(title=title, questions=questions, pass_mark=50)
    attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
    if essay:
        answers = _essay_answer
    if answers:
        assessment_services.save_answers(attempt=attempt, answers=answers(attempt))
    if submit:
        assessment_services.submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    return attempt


def _assessments_section(html) -> str:
    return html.split("My assessments</h2>")[1].split("My CPD</h2>")[0]


def test_every_attempt_is_listed_with_its_state_and_a_link(learner_client, learner, other_learner):
    passed = _attempted(learner, title="Quick check", answers=correct_answers)
    failed = _attempted(learner, title="Second check", answers=wrong_answers)
    marking = _attempted(learner, title="Written investigation exercise", essay=True)
    open_one = _attempted(learner, title="Timed quiz", submit=False)
    someone_elses = _attempted(other_learner, title="Not mine", answers=correct_answers)

    section = _assessments_section(learner_client.get(reverse("dashboard")).content.decode())
    assert "Passed</strong> with 100%" in section
    assert "Not passed</strong> with 0%" in section
    assert "Waiting to be marked" in section
    assert "In progress" in section
    for attempt in (passed, failed, marking):
        assert reverse("assessments:result", args=[attempt.pk]) in section
    assert reverse("assessments:attempt", args=[open_one.pk]) in section
    assert "Written investigation exercise" in section
    assert "Not mine" not in section
    assert reverse("assessments:result", args=[someone_elses.pk]) not in section


def test_marks_the_review_options_hide_are_not_shown_on_the_dashboard(learner_client, learner):
    attempt = _attempted(learner, title="Quiet quiz", answers=correct_answers)
    attempt.assessment.__class__.objects.filter(pk=attempt.assessment_id).update(
        review_immediately_marks=False, review_later_marks=False
    )
    section = _assessments_section(learner_client.get(reverse("dashboard")).content.decode())
    assert "Result released" in section
    assert "100%" not in section


def test_a_learner_with_no_attempts_or_completions_is_told_what_comes(learner_client):
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "You have not attempted any assessment yet." in html
    assert "Courses you complete and assessments you pass are added to your CPD log" in html


def test_cpd_gives_the_hours_of_the_cpd_log_and_links_to_it(learner_client, learner, catalogue):
    done = CourseFactory(parent=catalogue, title="Responding well", cpd_hours="1.5")
    course_services.evaluate_completion(enrolment=course_services.enrol(user=learner, course=done))
    CPDEntryFactory(learner=learner, hours="2")
    CPDEntryFactory(learner=learner, hours="3", activity_date=timezone.localdate() - timedelta(800))
    html = learner_client.get(reverse("dashboard")).content.decode()
    cpd = html.split("My CPD</h2>")[1]
    assert "you have logged <strong>3.5 hours</strong>" in cpd
    assert "6.5 hours in all" in cpd
    assert reverse("accreditation:cpd_log") in cpd


def _limited(learner, *, handed_in: int):
    """An assessment of two attempts, `handed_in` of them made: whether any is left decides
    what the record may show of them."""
    assessment = AssessmentFactory(questions=[QuestionFactory()], max_attempts=2)
    for _ in range(handed_in):
        attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
        assessment_services.submit_attempt(attempt=attempt)


def test_the_dashboard_query_count_does_not_grow_with_attempts(
    learner_client, learner, django_assert_max_num_queries
):
    _attempted(learner, title="First", answers=correct_answers)
    _limited(learner, handed_in=2)
    learner_client.get(reverse("dashboard"))
    one = _dashboard_queries(learner_client)
    for index in range(3):
        _attempted(learner, title=f"Passed {index}", answers=correct_answers)
        _attempted(learner, title=f"Marking {index}", essay=True)
        _attempted(learner, title=f"Open {index}", submit=False)
        _limited(learner, handed_in=index)
    with django_assert_max_num_queries(15):
        many = _dashboard_queries(learner_client)
    assert many == one


def test_a_one_lesson_course_says_lesson_not_lessons(learner_client, learner, catalogue):
    course = CourseFactory(parent=catalogue, title="A short one")
    LessonFactory(parent=course)
    course_services.enrol(user=learner, course=course)
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "0 of 1 lesson done" in html
    assert "1 lessons" not in html


def test_the_dashboard_lists_the_learners_accreditation_programmes(learner_client, learner):
    from tests.accreditation.factories import CandidacyFactory

    candidacy = CandidacyFactory(candidate=learner)
    page = learner_client.get(reverse("dashboard")).content.decode()
    assert "My accreditation" in page
    assert reverse("accreditation:candidacy", args=[candidacy.pk]) in page
