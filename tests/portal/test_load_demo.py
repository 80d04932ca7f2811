"""The demo loader: one idempotent command that builds a working Academy."""

import re
from datetime import time, timedelta
from io import BytesIO, StringIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.models import Page

from academy.models import AuditEntry, Membership, Organisation, User
from accreditation import selectors as accreditation_selectors
from accreditation.models import (
    Appeal,
    Candidacy,
    Competency,
    CPDEntry,
    Decision,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
    QualitySample,
    Requirement,
)
from assessments.models import Assessment, AssessmentQuestion, Attempt, Question, QuestionVersion
from certificates import rendering
from certificates.models import BulkIssue, Certificate, CertificateDesign
from complaint_standards.models import Expectation
from courses import services as course_services
from courses.models import (
    Attendance,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    Registration,
    WebinarPage,
    WebinarRecording,
    WebinarSession,
)
from courses.uk_time import UK
from feedback import results as feedback_results
from feedback.models import Answer, Offer, Response, Survey
from portal import demo_webinars
from portal.demo_content import (
    CERTIFICATE_DESIGN,
    COURSES,
    KNOWLEDGE_CHECKS,
    PASSWORD,
    PEOPLE,
    SAMPLE_LEARNERS,
    WEBINAR,
)

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Organisation,
    Membership,
    Page,
    CoursePage,
    LessonPage,
    Expectation,
    Question,
    QuestionVersion,
    Assessment,
    AssessmentQuestion,
    Attempt,
    Enrolment,
    LessonCompletion,
    Certificate,
    CertificateDesign,
    get_image_model(),
    AuditEntry,
    Programme,
    ProgrammeVersion,
    Requirement,
    PortfolioUnit,
    Competency,
    Candidacy,
    Survey,
    Offer,
    Response,
    Answer,
    WebinarSession,
    Registration,
    Attendance,
    CPDEntry,
    BulkIssue,
)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker) -> str:
    """The demo, loaded once for the module (about 6 s a load) in a transaction rolled back at
    its end; each test's own changes, a second load included, are rolled back after it to a
    savepoint (pytest-django's). What the command printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_load_demo_twice_changes_nothing_and_prints_the_certificates_verify_url(client, demo):
    first_output = demo
    first = counts()
    assert first["CoursePage"] == len(COURSES)
    certificate = Certificate.objects.get(learner__email="certified@example.org")
    assert Attempt.objects.filter(user__email__startswith="sample").count() == len(SAMPLE_LEARNERS)
    assert certificate.verify_url in first_output
    assert re.search(r"http://testserver/verify/(\w{5}-){3}\w{5}/", first_output)

    second_output = load_demo()
    assert counts() == first
    assert certificate.verify_url in second_output

    # The printed link works for anyone.
    path = certificate.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    assert certificate.name_on_certificate in response.content.decode()


def test_the_demo_certificate_prints_the_designs_logo_signature_and_signatory():
    certificate = Certificate.objects.get(learner__email="certified@example.org")
    design = CertificateDesign.objects.get()
    assert certificate.design == design
    assert (certificate.signatory_name, certificate.signatory_role) == (
        CERTIFICATE_DESIGN["signatory_name"],
        CERTIFICATE_DESIGN["signatory_role"],
    )
    for image in (design.logo, design.signature_image):
        assert image.file.storage.exists(image.file.name)

    pdf = PdfReader(BytesIO(rendering.certificate_pdf(certificate)))
    # Drawn at the size our code made them (both are within the renditions' limits), beside the
    # QR code.
    sizes = sorted(drawn.image.size for drawn in pdf.pages[0].images)
    assert (design.logo.width, design.logo.height) in sizes
    assert (design.signature_image.width, design.signature_image.height) in sizes
    assert len(sizes) == 3
    text = pdf.pages[0].extract_text()
    assert CERTIFICATE_DESIGN["signatory_name"] in text
    assert text.startswith("Certificate of completion")  # the logo stands where the name was


def test_the_demo_site_serves_its_home_page_and_catalogue(client):
    home = client.get("/")
    assert home.status_code == 200
    assert "PHSO Academy" in home.content.decode()
    catalogue = client.get("/courses/").content.decode()
    for course in CoursePage.objects.live():
        assert course.title in catalogue


def test_every_demo_account_can_sign_in(settings):
    """Each account in PEOPLE signs in with the printed password, as under `make run` (whose
    settings let staff in without an authenticator app): learners reach their dashboard, staff
    the admin."""
    settings.ACADEMY_STAFF_MFA_REQUIRED = False
    for email, full_name, *_rest, group in PEOPLE:
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        assert response.status_code == 302, email
        dashboard = client.get("/dashboard/")
        assert dashboard.status_code == 200 and full_name in dashboard.content.decode(), email
        assert client.get("/admin/").status_code == (200 if group else 403), email


def test_a_demo_lesson_asks_a_knowledge_check_from_the_bank(client):
    lesson = LessonPage.objects.get(slug="spotting-a-concern")
    (block,) = [block for block in lesson.body if block.block_type == "knowledge_check"]
    assert block.value["question"].title == KNOWLEDGE_CHECKS[0]["title"]
    learner = User.objects.get(email="learner@example.org")
    course_services.enrol(user=learner, course=lesson.get_parent().specific)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "Check your understanding" in html
    assert "nobody returned her calls" in html


def test_the_practice_round_draws_questions_on_pages_and_lets_learners_check_answers(client):
    course = CoursePage.objects.get(slug="practising-first-responses")
    assessment = course.final_assessment
    assert assessment.shuffle_questions and assessment.shuffle_options
    assert assessment.questions_per_page == 2
    assert assessment.check_during_attempt and not assessment.review_during_answers
    draws = [slot for slot in assessment.assessment_questions.all() if slot.is_draw]
    assert [(slot.draw_count, slot.expectation.code) for slot in draws] == [(2, "1.2"), (2, "1.3")]

    learner = User.objects.get(email="learner@example.org")
    enrolment = course_services.enrol(user=learner, course=course)
    for lesson in LessonPage.objects.child_of(course).live():
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    assert attempt.max_points == 5
    assert attempt.page_count == 3
    client.force_login(learner)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert html.count('name="check_answer"') == 2  # two questions to a page


def test_sample_attempts_give_the_item_analysis_a_spread_of_results(client):
    assessment = CoursePage.objects.get(slug="welcoming-complaints").final_assessment
    attempts = Attempt.objects.filter(
        assessment=assessment, user__email__in=[email for email, _name in SAMPLE_LEARNERS]
    )
    assert attempts.filter(status=Attempt.Status.SUBMITTED).count() == len(SAMPLE_LEARNERS)
    percents = set(attempts.values_list("percent", flat=True))
    assert len(percents) > 5
    assert attempts.filter(passed=True).exists() and attempts.filter(passed=False).exists()

    trainer = User.objects.get(email="trainer@example.org")
    TOTP.activate(trainer, generate_totp_secret())
    client.force_login(trainer)
    response = client.get(reverse("item_analysis", args=[assessment.pk]), {"attempts": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "WC1 complaint as information" in html
    assert f"{len(SAMPLE_LEARNERS)}" in html


def test_loading_the_demo_again_makes_an_earlier_demos_assessments_safe():
    """A demo loaded before issue 13 showed every answer at once, with unlimited attempts."""
    old = {"max_attempts": None, "review_later_answers": True, "review_later_feedback": True}
    Assessment.objects.update(**old)
    load_demo()
    final = Assessment.objects.get(title="Welcoming complaints: final assessment")
    assert final.max_attempts == 3
    assert not final.review_later_answers and not final.review_later_feedback
    assert final.review_closed_answers


def test_the_demo_has_two_published_programmes_with_a_candidate_on_each():
    programmes = {p.slug: p for p in Programme.objects.all()}
    assert set(programmes) == {"intake-caseworker", "senior-caseworker"}
    for programme in programmes.values():
        version = accreditation_selectors.current_version(programme)
        assert version.number == 1
        assert version.requirements.filter(kind=Requirement.Kind.UNIT).exists()
    senior = Candidacy.objects.get(candidate__email="senior@example.org")
    assert senior.programme.invitation_only and senior.enrolled_by.email == "programmes@example.org"
    assert Candidacy.objects.get(candidate__email="intake@example.org").enrolled_by is None
    every_competency = set(Competency.objects.values_list("name", flat=True))
    assert every_competency == {
        "Investigation",
        "Evidence and judgement",
        "Remedy",
        "Communication",
        "Learning culture",
    }
    assert all(c.expectations.exists() for c in Competency.objects.all())


def test_only_the_ombudsman_assesses_its_own_staff():
    assert list(
        Organisation.objects.filter(assesses_own_staff=True).values_list("kind", flat=True)
    ) == [Organisation.Kind.PHSO]


def test_the_demo_has_candidates_at_every_stage():
    by_email = {c.candidate.email: c for c in Candidacy.objects.select_related("candidate")}
    rows = {
        email: {row.requirement.kind + ":" + row.state for row in rows_of(candidacy)}
        for email, candidacy in by_email.items()
    }
    assert "unit:In progress" in rows["intake@example.org"]
    assert "unit:Submitted" in rows["aisha@example.org"]
    assert "unit:Not yet competent" in rows["chidi@example.org"]
    assert Appeal.objects.filter(
        decision__submission__work__candidacy=by_email["chidi@example.org"]
    )
    assert {"unit:Being assessed", "unit:Competent"} <= rows["senior@example.org"]
    assert by_email["mei@example.org"].status == Candidacy.Status.AWARDED
    now = timezone.now()
    renewing = accreditation_selectors.renewal_status(candidacy=by_email["rhiannon@example.org"])
    assert renewing.is_open and not renewing.has_lapsed and renewing.problems
    lapsed = accreditation_selectors.renewal_status(candidacy=by_email["farhan@example.org"])
    assert lapsed.has_lapsed
    farhan = Certificate.objects.get(
        learner__email="farhan@example.org", award__kind="accreditation"
    )
    assert farhan.valid_until < now
    # Each assessor's first decision waits for the IQA; the appeal waits for a panel.
    assert QualitySample.objects.filter(outcome="").count() >= 2
    # Loading again makes nothing new.
    before = (Candidacy.objects.count(), Decision.objects.count(), Certificate.objects.count())
    load_demo()
    assert (Candidacy.objects.count(), Decision.objects.count(), Certificate.objects.count()) == (
        before
    )


def rows_of(candidacy):
    return accreditation_selectors.requirement_rows(candidacy=candidacy)


def test_the_demo_has_feedback_to_read_and_a_survey_waiting(client):
    assert Survey.objects.filter(course__isnull=False).count() == len(COURSES)
    sampled = Survey.objects.get(assessment__title="Welcoming complaints: final assessment")
    results = feedback_results.survey_results(survey_id=sampled.pk)
    # Every ninth made-up learner skips; the rest answer, over three months.
    assert results.responses == len(SAMPLE_LEARNERS) - len(SAMPLE_LEARNERS) // 9
    assert results.texts_shown and len(results.months) == 3
    assert Offer.objects.filter(survey=sampled, state=Offer.State.SKIPPED).count() == 3
    waiting = Offer.objects.get(user__email="certified@example.org", state=Offer.State.OFFERED)
    client.force_login(waiting.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"Tell us about {waiting.survey.item_title}" in page


def test_the_demo_webinar_has_a_sitting_held_and_one_to_come_and_a_second_load_adds_nothing():
    webinar = WebinarPage.objects.get(slug=WEBINAR["slug"])
    past, coming = WebinarSession.objects.filter(webinar=webinar).order_by("starts_at")
    today = timezone.localdate()
    at = time(WEBINAR["hour"])
    for sitting, days in ((past, -demo_webinars.PAST_DAYS_AGO), (coming, WEBINAR["days_ahead"])):
        local = timezone.localtime(sitting.starts_at, UK)
        assert local.time() == at
        assert local.weekday() in (1, 2, 3)  # Tuesday to Thursday
        assert 0 <= (local.date() - (today + timedelta(days=days))).days < 5
    assert past.duration_minutes == coming.duration_minutes == WEBINAR["minutes"]

    # The sitting held: who booked, who came (with their minutes from the report), who did
    # not, and the one who came without booking.
    booked = {email for email, _days, _minutes in demo_webinars.PAST_BOOKINGS}
    no_shows = {email for email, _days, minutes in demo_webinars.PAST_BOOKINGS if minutes is None}
    walk_ins = {email for email, _minutes in demo_webinars.PAST_WALK_INS}
    assert "learner@example.org" in booked - no_shows
    assert no_shows and walk_ins and not walk_ins & booked
    registrations = Registration.objects.filter(session=past)
    assert {r.user.email for r in registrations} == booked
    assert all(r.registered_at < past.starts_at for r in registrations)
    assert {r.status for r in registrations} == {Registration.Status.PLACE}
    attendances = Attendance.objects.filter(session=past).select_related("user")
    came = {a.user.email for a in attendances}
    assert came == (booked - no_shows) | walk_ins
    assert all(a.source == Attendance.Source.REPORT and a.minutes for a in attendances)
    assert all(a.recorded_by.email == "trainer@example.org" for a in attendances)
    assert all(a.recorded_at > past.ends_at for a in attendances)

    # Recording it did what attending does: CPD hours on the day, the survey offered and a
    # certificate of attendance, issued the day of the session.
    entries = CPDEntry.objects.filter(source=f"webinar-attendance:{past.pk}")
    assert {e.learner.email for e in entries} == came
    assert {(e.hours, e.activity_date) for e in entries} == {
        (webinar.cpd_hours, timezone.localdate(past.starts_at))
    }
    offers = Offer.objects.filter(survey__webinar=webinar)
    assert {o.user.email for o in offers} == came
    certificates = Certificate.objects.filter(award__webinar=webinar)
    assert {c.learner.email for c in certificates} == came
    assert {timezone.localdate(c.issued_at) for c in certificates} == {
        timezone.localdate(past.starts_at)
    }

    # The sitting to come: places booked, some still free, nobody there yet.
    coming_booked = {email for email, _days in demo_webinars.COMING_BOOKINGS}
    places = Registration.objects.filter(session=coming, status=Registration.Status.PLACE)
    assert {r.user.email for r in places} == coming_booked
    assert "learner@example.org" in coming_booked
    assert 0 < course_services.places_left(coming) < coming.capacity
    assert not Attendance.objects.filter(session=coming).exists()

    # Each booking was confirmed once, when it was made; loading again sends and makes nothing.
    everyone = Registration.objects.filter(session__webinar=webinar)
    assert not everyone.filter(confirmation_sent_at__isnull=True).exists()
    assert all(r.confirmation_sent_at == r.registered_at for r in everyone)
    before, sent = counts(), len(mail.outbox)
    load_demo()
    assert counts() == before
    assert len(mail.outbox) == sent


def test_the_trusts_lead_sees_their_staff_at_both_sittings(client):
    manager = User.objects.get(email="manager@example.org")
    trust = Organisation.objects.get(memberships__user=manager, memberships__role="manager")
    past, coming = WebinarSession.objects.filter(webinar__slug=WEBINAR["slug"]).order_by(
        "starts_at"
    )
    client.force_login(manager)
    sessions = client.get(reverse("organisations:webinars", args=[trust.pk]))
    assert sessions.status_code == 200
    assert sessions.content.decode().count(WEBINAR["title"]) >= 2

    held = client.get(reverse("organisations:webinar_session", args=[trust.pk, past.pk]))
    html = held.content.decode()
    assert "Amira Okafor" in html
    assert "Did not register" in html  # the walk-in
    (minutes,) = [m for e, _d, m in demo_webinars.PAST_BOOKINGS if e == "learner@example.org"]
    assert f"Attended</strong> ({minutes} minutes)" in html
    to_come = client.get(reverse("organisations:webinar_session", args=[trust.pk, coming.pk]))
    assert to_come.status_code == 200
    assert "Amira Okafor" in to_come.content.decode()


def test_the_demo_webinar_has_a_published_recording_with_captions_and_slides(client):
    recording = WebinarRecording.objects.get(webinar__slug=WEBINAR["slug"])
    assert recording.is_published and recording.counts_as_attending
    assert recording.session.starts_at < recording.published_at
    assert recording.transcript.startswith("Nia Okafor: Good afternoon")
    assert recording.captions.read().startswith(b"WEBVTT")
    assert len(PdfReader(recording.slides.open("rb")).pages) == len(demo_webinars.RECORDING_SLIDES)
    booked = {email for email, *_ in demo_webinars.PAST_BOOKINGS + demo_webinars.PAST_WALK_INS} | {
        email for email, _ in demo_webinars.COMING_BOOKINGS
    }
    assert set(recording.notices.values_list("user__email", flat=True)) == booked
    client.force_login(User.objects.get(email="learner@example.org"))
    page = client.get(recording.webinar.url).content.decode()
    assert "Watch again" in page and "Read the transcript" in page
    load_demo()
    assert WebinarRecording.objects.count() == 1
