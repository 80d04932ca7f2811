"""Keeping an accreditation: renewal once the window is open, the CPD of every year of the
period is logged and the renewal requirements are met again; the reminders say how."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import VersionLockedError
from accreditation.models import Candidacy, ProgrammeVersion, Requirement
from certificates import services as certificate_services
from certificates.models import Certificate
from tests.academy.factories import UserFactory
from tests.courses.factories import CourseFactory

from .factories import CandidacyFactory, ChecklistFactory, CPDEntryFactory, VersionFactory
from .test_awarding import judge_competent
from .test_casework import all_met

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    """An accreditation (three years, 10 CPD hours a year, a casework review needed again to
    renew) awarded two years and ten months ago: its renewal window is open."""
    version = VersionFactory(validity_years=3, cpd_hours_per_year=10)
    checklist = ChecklistFactory()
    review = Requirement.objects.create(
        version=version,
        sort_order=5,
        kind=Requirement.Kind.CASEWORK_REVIEW,
        stage=Requirement.Stage.RENEWAL,
        checklist=checklist,
    )
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get(kind=Requirement.Kind.UNIT))
    assert services.check_award(candidacy=candidacy)
    back = timedelta(days=3 * 365 - 60)
    started = timezone.now() - back
    Candidacy.objects.filter(pk=candidacy.pk).update(awarded_at=started, cycle_started_at=started)
    Certificate.objects.filter(learner=candidacy.candidate).update(
        issued_at=started, valid_until=started + timedelta(days=3 * 365)
    )
    candidacy.refresh_from_db()
    return candidacy, review


def log_hours(candidacy, hours_each_year=(10, 10, 10)):
    for year, hours in enumerate(hours_each_year):
        CPDEntryFactory(
            learner=candidacy.candidate,
            activity_date=(candidacy.cycle_started_at + timedelta(days=365 * year + 30)).date(),
            hours=Decimal(hours),
        )


def review_competent(candidacy, requirement):
    return services.record_casework_review(
        candidacy=candidacy,
        requirement=requirement,
        reviewer=UserFactory(),
        case_reference="CAS-77",
        judgements=all_met(requirement),
        summary="Sound work.",
    )


def test_meeting_everything_in_the_window_renews_once_for_another_period(held):
    candidacy, review_requirement = held
    log_hours(candidacy)
    status = selectors.renewal_status(candidacy=candidacy)
    assert status.is_open and not status.has_lapsed
    assert [year.met for year in status.cpd_years] == [True, True, True]
    assert status.problems == [
        f"Meet this again since {candidacy.cycle_started_at:%-d %B %Y}: {review_requirement.title}."
    ]
    review_competent(candidacy, review_requirement)

    candidacy.refresh_from_db()
    assert candidacy.cycle == 2
    renewed = Certificate.objects.get(learner=candidacy.candidate, cycle=2)
    assert renewed.valid_until - renewed.issued_at > timedelta(days=3 * 365 - 1)
    assert AuditEntry.objects.filter(action="candidacy.renewed").count() == 1
    assert services.check_renewal(candidacy=candidacy) is False
    assert Certificate.objects.filter(learner=candidacy.candidate).count() == 2


def test_a_year_short_of_cpd_holds_renewal_back_and_says_so(held):
    candidacy, review_requirement = held
    log_hours(candidacy, (10, 4, 10))
    review_competent(candidacy, review_requirement)
    candidacy.refresh_from_db()
    assert candidacy.cycle == 1
    problems = selectors.renewal_status(candidacy=candidacy).problems
    assert problems == ["Log 6 more hours of CPD in year 2 of your accreditation (4 of 10)."]
    # Logging the hours renews it at once.
    services.add_reflective_entry(
        learner=candidacy.candidate,
        activity="Peer review of two investigations",
        activity_date=(candidacy.cycle_started_at + timedelta(days=400)).date(),
        hours=Decimal(6),
        learned="Where my plans were thin.",
        expectations=[],
    )
    candidacy.refresh_from_db()
    assert candidacy.cycle == 2


def test_needs_met_before_the_window_opens_renew_when_the_daily_sweep_finds_it_open(held):
    candidacy, review_requirement = held
    early = timezone.now() - timedelta(days=300)  # the window opened 30 days ago
    log_hours(candidacy)
    review_competent(candidacy, review_requirement)
    candidacy.refresh_from_db()
    assert candidacy.cycle == 2  # open already: renewed at once
    # Another, not yet open: met now, renewed by the sweep once its window opens.
    Candidacy.objects.filter(pk=candidacy.pk).update(cycle=1, cycle_started_at=early)
    candidacy.refresh_from_db()
    status = selectors.renewal_status(candidacy=candidacy)
    assert not status.is_open
    assert services.check_due_renewals() == 0
    later = early + timedelta(days=3 * 365 - 80)
    assert selectors.renewal_status(candidacy=candidacy, now=later).is_open


def test_a_lapsed_accreditation_is_renewed_once_everything_is_met(held, client):
    candidacy, review_requirement = held
    lapsed = timezone.now() - timedelta(days=3 * 365 + 20)
    Candidacy.objects.filter(pk=candidacy.pk).update(awarded_at=lapsed, cycle_started_at=lapsed)
    Certificate.objects.filter(learner=candidacy.candidate).update(
        issued_at=lapsed, valid_until=lapsed + timedelta(days=3 * 365)
    )
    candidacy.refresh_from_db()
    client.force_login(candidacy.candidate)
    page = client.get(reverse("accreditation:candidacy", args=[candidacy.pk])).content.decode()
    assert "Your accreditation lapsed on" in page and "Still to do" in page
    log_hours(candidacy, (10, 10, 10, 0))
    review_competent(candidacy, review_requirement)
    candidacy.refresh_from_db()
    assert candidacy.cycle == 2
    assert Certificate.objects.filter(learner=candidacy.candidate, cycle=2).exists()


def test_the_expiry_reminder_tells_a_candidate_how_an_accreditation_renews(held):
    candidacy, _ = held
    certificate = Certificate.objects.get(learner=candidacy.candidate)
    assert certificate_services.send_expiry_reminder(certificate=certificate, days_before=90)
    message = mail.outbox[-1]
    assert "will say it has lapsed" in message.body
    assert "10 hours in each year" in message.body
    assert reverse("accreditation:candidacy", args=[candidacy.pk]) in message.body


def test_a_course_or_unit_cannot_be_needed_to_renew(catalogue):
    draft = VersionFactory(status=ProgrammeVersion.Status.DRAFT)
    Requirement.objects.create(
        version=draft,
        sort_order=3,
        kind=Requirement.Kind.COURSE,
        stage=Requirement.Stage.BOTH,
        course=CourseFactory(parent=catalogue),
    )
    with pytest.raises(VersionLockedError, match="cannot be needed to renew"):
        services.publish_version(version=draft, by=UserFactory())


def test_renewal_opens_when_the_certificates_first_reminder_goes():
    from certificates import validity

    assert (
        selectors.RENEWAL_WINDOW_DAYS == validity.RENEWAL_WINDOW_DAYS == max(validity.REMINDER_DAYS)
    )


def test_a_lapse_is_recorded_once_and_a_renewal_clears_it(held):
    candidacy, review_requirement = held
    ended = timezone.now() - timedelta(days=3 * 365 + 10)
    Candidacy.objects.filter(pk=candidacy.pk).update(awarded_at=ended, cycle_started_at=ended)
    assert services.record_lapses() == 1
    assert services.record_lapses() == 0
    entry = AuditEntry.objects.get(action="candidacy.lapsed")
    assert entry.actor is None and entry.reason == "Not renewed by the end of its period"
    candidacy.refresh_from_db()
    assert candidacy.lapsed_at is not None
    log_hours(candidacy)
    review_competent(candidacy, review_requirement)
    candidacy.refresh_from_db()
    assert (candidacy.cycle, candidacy.lapsed_at) == (2, None)
