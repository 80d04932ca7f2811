"""Recording attendance at a webinar session and what it earns: the rules of
courses.services.attendance, the `webinar_attended` signal sent once per person, and each
listener (the CPD log, the certificate of attendance, organisations' assignments, the feedback
survey); removing attendance marked by mistake and what that undoes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.models import AuditEntry
from accreditation.models import CPDEntry
from certificates.models import Award, BulkIssue, Certificate
from courses import services, signals
from courses.errors import AttendanceError
from courses.models import Attendance, WebinarSession
from feedback.models import Offer
from organisations import services as organisation_services
from organisations.models import Assignment, PersonalAssignment
from portal import privacy
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.complaint_standards.factories import ExpectationFactory
from tests.courses.attendance_support import mark, started_session
from tests.feedback.factories import make_survey
from tests.organisations.factories import assign, in_days, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(catalogue):
    return started_session(catalogue, title="Remedies that put things right")


@pytest.fixture
def announced():
    """Every `webinar_attended` the test sends: (session, user ids, by)."""
    sent = []

    def listener(sender, session, attendances, by, **kwargs):
        sent.append((session.pk, [a.user_id for a in attendances], by))

    signals.webinar_attended.connect(listener, dispatch_uid="test-listener")
    yield sent
    signals.webinar_attended.disconnect(dispatch_uid="test-listener")


# The rules --------------------------------------------------------------------------------------


def test_recording_is_idempotent_and_announces_each_person_once(session, trainer, announced):
    ann, ben, cat = UserFactory(), UserFactory(), UserFactory()
    first = mark(session, [ann, ben], trainer)
    assert {a.user for a in first} == {ann, ben}
    again = mark(session, [ann, ben, cat], trainer)
    assert [a.user for a in again] == [cat]
    assert mark(session, [ann, cat], trainer) == []
    assert Attendance.objects.filter(session=session).count() == 3
    assert announced == [
        (session.pk, [ann.pk, ben.pk], trainer),
        (session.pk, [cat.pk], trainer),
    ]
    recorded = AuditEntry.objects.filter(action="webinar.attendance_recorded")
    assert [e.details["people"] for e in recorded.order_by("pk")] == [[ann.pk, ben.pk], [cat.pk]]
    assert all(e.actor == trainer and e.target_id == str(session.pk) for e in recorded)


def test_a_report_records_each_persons_minutes(session, trainer):
    ann, ben = UserFactory(), UserFactory()
    mark(session, [ann, ben], trainer, source=Attendance.Source.REPORT, minutes={ann.pk: 58})
    minutes = dict(Attendance.objects.values_list("user_id", "minutes"))
    assert minutes == {ann.pk: 58, ben.pk: None}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"report"}


def test_nothing_before_the_session_starts(catalogue, trainer, announced):
    session = started_session(catalogue, hours_ago=-1)
    with pytest.raises(AttendanceError, match="once the session has started"):
        mark(session, [UserFactory()], trainer)
    assert not Attendance.objects.exists() and announced == []


def test_nothing_for_a_cancelled_session(session, trainer, announced):
    WebinarSession.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
    with pytest.raises(AttendanceError, match="cancelled"):
        mark(session, [UserFactory()], trainer)
    assert not Attendance.objects.exists() and announced == []


def test_an_unknown_source_is_refused(session, trainer):
    with pytest.raises(AttendanceError):
        mark(session, [UserFactory()], trainer, source="guess")


def test_removing_needs_a_reason_and_is_audited(session, trainer):
    ann = UserFactory()
    mark(session, [ann], trainer)
    with pytest.raises(AttendanceError, match="Say why"):
        services.remove_attendance(session=session, user=ann, by=trainer, reason="  ")
    assert services.remove_attendance(
        session=session, user=ann, by=trainer, reason="Ticked the wrong Ann"
    )
    assert not Attendance.objects.exists()
    entry = AuditEntry.objects.get(action="webinar.attendance_removed")
    assert entry.reason == "Ticked the wrong Ann" and entry.actor == trainer
    assert entry.details["person"] == ann.pk and entry.details["recorded_by"] == trainer.pk
    assert services.remove_attendance(session=session, user=ann, by=trainer, reason="again") is (
        False
    )
    # Marked again after the mistake is put right: announced afresh.
    assert len(mark(session, [ann], trainer)) == 1


# The CPD log ------------------------------------------------------------------------------------


def test_attending_adds_the_cpd_hours_once_per_person_and_session(catalogue, trainer):
    expectation = ExpectationFactory()
    session = started_session(catalogue, cpd_hours=Decimal("2.5"), expectations=[expectation])
    ann = UserFactory()
    mark(session, [ann], trainer)
    mark(session, [ann], trainer)
    entry = CPDEntry.objects.get(learner=ann)
    assert entry.source == f"webinar-attendance:{session.pk}"
    assert entry.hours == Decimal("2.5")
    assert entry.activity == session.webinar.title
    assert entry.activity_date == timezone.localdate(session.starts_at)
    assert entry.recorded_as == "Webinar attended"
    assert list(entry.expectations.all()) == [expectation]

    # Another session of the same webinar is another entry.
    second = WebinarSession.objects.create(
        webinar=session.webinar, starts_at=timezone.now() - timedelta(days=1)
    )
    mark(second, [ann], trainer)
    assert CPDEntry.objects.filter(learner=ann).count() == 2


def test_an_entry_already_there_is_left_alone(session, trainer):
    ann, ben = UserFactory(), UserFactory()
    CPDEntry.objects.create(
        learner=ann,
        kind=CPDEntry.Kind.RECORDED,
        source=f"webinar-attendance:{session.pk}",
        activity="Recorded earlier",
        activity_date=timezone.localdate(),
        hours=Decimal("1.0"),
    )
    mark(session, [ann, ben], trainer)
    assert CPDEntry.objects.get(learner=ann).activity == "Recorded earlier"
    assert CPDEntry.objects.filter(learner=ben).count() == 1


def test_removing_attendance_takes_the_cpd_entry_out(session, trainer):
    ann, ben = UserFactory(), UserFactory()
    mark(session, [ann, ben], trainer)
    services.remove_attendance(session=session, user=ann, by=trainer, reason="Not there")
    assert list(CPDEntry.objects.values_list("learner_id", flat=True)) == [ben.pk]


# The certificate of attendance ------------------------------------------------------------------


def test_a_webinar_with_a_certificate_issues_one_to_each_attendee(
    catalogue, trainer, django_capture_on_commit_callbacks
):
    expectation = ExpectationFactory()
    session = started_session(
        catalogue, issues_certificate=True, cpd_hours=Decimal("1.0"), expectations=[expectation]
    )
    people = [UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        mark(session, people, trainer)
    award = Award.objects.get(webinar=session.webinar)
    assert award.kind == Award.Kind.WEBINAR_ATTENDANCE
    assert award.title == session.webinar.title and award.cpd_hours == Decimal("1.0")
    assert list(award.expectations.all()) == [expectation]
    batch = BulkIssue.objects.get()
    assert (batch.award, batch.requested_by, batch.status, batch.done) == (
        award,
        trainer,
        "finished",
        3,
    )
    day = timezone.localtime(session.starts_at).strftime("%-d %B %Y")
    assert batch.reason == f"Attended the webinar “{session.webinar.title}” on {day}"
    issued = Certificate.objects.filter(award=award)
    assert sorted(c.learner_id for c in issued) == sorted(p.pk for p in people)
    assert all(c.issued_by == trainer for c in issued)

    # A second session of the same webinar: the same award, and nobody gets a second one.
    again = WebinarSession.objects.create(
        webinar=session.webinar, starts_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        mark(again, people[:1], trainer)
    assert Award.objects.filter(webinar=session.webinar).count() == 1
    assert Certificate.objects.filter(award=award).count() == 3


def test_someone_with_no_name_is_still_marked_and_their_certificate_reported(
    catalogue, trainer, django_capture_on_commit_callbacks
):
    session = started_session(catalogue, issues_certificate=True)
    nameless = UserFactory(full_name="")
    with django_capture_on_commit_callbacks(execute=True):
        mark(session, [nameless, UserFactory()], trainer)
    assert Attendance.objects.filter(session=session).count() == 2
    batch = BulkIssue.objects.get()
    assert (batch.done, batch.failed) == (1, 1)
    assert "no name" in batch.learners.get(learner=nameless).message


def test_no_certificate_when_the_webinar_gives_none(session, trainer):
    mark(session, [UserFactory()], trainer)
    assert not Award.objects.exists() and not BulkIssue.objects.exists()


# Organisations' assignments ---------------------------------------------------------------------


def test_attending_meets_webinar_assignments_from_the_sessions_start(session, trainer):
    organisation = OrganisationFactory()
    ann, ben = member(organisation), member(organisation)
    assignment = assign(
        organisation, session.webinar, kind=Assignment.Kind.WEBINAR, due_on=in_days(30)
    )
    mark(session, [ann], trainer)
    rows = {p.user_id: p.met_at for p in PersonalAssignment.objects.filter(assignment=assignment)}
    assert (rows[ann.pk], rows[ben.pk]) == (session.starts_at, None)


def test_the_nightly_reconciliation_meets_webinar_assignments_from_attendance(session, trainer):
    organisation = OrganisationFactory()
    ann = member(organisation)
    mark(session, [ann], trainer)
    # Assigned after the attendance, with the signal long gone: the assignment is met at once,
    # and a row opened any other way is met at night.
    assignment = assign(organisation, session.webinar, kind=Assignment.Kind.WEBINAR)
    row = PersonalAssignment.objects.get(assignment=assignment, user=ann)
    assert row.met_at == session.starts_at
    PersonalAssignment.objects.filter(pk=row.pk).update(met_at=None)
    assert organisation_services.refresh_met() == 1
    row.refresh_from_db()
    assert row.met_at == session.starts_at


# The feedback survey ----------------------------------------------------------------------------


def test_the_webinars_survey_is_offered_once_to_each_attendee(session, trainer):
    survey = make_survey(webinar=session.webinar)
    ann, ben = UserFactory(), UserFactory()
    Offer.objects.create(survey=survey, user=ann, state=Offer.State.SKIPPED)
    mark(session, [ann, ben], trainer)
    states = dict(Offer.objects.values_list("user_id", "state"))
    assert states == {ann.pk: "skipped", ben.pk: "offered"}


def test_no_offer_when_the_survey_is_closed(session, trainer):
    make_survey(webinar=session.webinar, is_open=False)
    mark(session, [UserFactory()], trainer)
    assert not Offer.objects.exists()


# Many at once -----------------------------------------------------------------------------------


def _queries_to_mark(catalogue, trainer, count: int) -> int:
    session = started_session(catalogue)
    organisation = OrganisationFactory()
    people = [member(organisation) for _ in range(count)]
    assign(
        organisation,
        session.webinar,
        kind=Assignment.Kind.WEBINAR,
        people=people[:1],
        audience=Assignment.Audience.PEOPLE,
    )
    make_survey(webinar=session.webinar)
    with CaptureQueriesContext(connection) as queries:
        mark(session, people, trainer)
    return len(queries)


def test_marking_many_costs_the_same_queries_as_marking_few(catalogue, trainer):
    """A report may name hundreds: what each listener does for them is done for all at once,
    except for the people who have an assignment to meet."""
    assert _queries_to_mark(catalogue, trainer, 3) == _queries_to_mark(catalogue, trainer, 30)


def test_the_persons_download_lists_the_sessions_they_attended(session, trainer):
    ann = UserFactory()
    mark(session, [ann], trainer, source=Attendance.Source.REPORT, minutes={ann.pk: 52})
    [row] = privacy.personal_data(user=ann)["webinar_attendance"]
    assert row["webinar"] == session.webinar.title
    assert (row["how"], row["minutes"]) == ("Attendance report", 52)
