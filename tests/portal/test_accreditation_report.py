"""The accreditation report: each programme's pipeline, units, IQA agreement and appeals."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from accreditation import services
from accreditation.models import Appeal, Candidacy, Decision, QualitySample, Submission, UnitWork
from certificates.models import Certificate
from tests.academy.factories import UserFactory
from tests.accreditation.factories import CandidacyFactory, VersionFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("accreditation_report")


@pytest.fixture
def manager_client(client, staff_groups):
    client.force_login(UserFactory(groups=[people.PROGRAMME_MANAGERS], mfa=True))
    return client


def submit(candidacy, *, number=1, status=Submission.Status.SUBMITTED, days_ago=0):
    requirement = candidacy.version.requirements.get()
    work, _ = UnitWork.objects.get_or_create(candidacy=candidacy, requirement=requirement)
    submission = Submission.objects.create(
        work=work,
        number=number,
        statement="Statement.",
        status=status,
        assessor=None if status == Submission.Status.SUBMITTED else UserFactory(),
    )
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    submission.refresh_from_db()
    return submission


def decide(submission, outcome):
    return Decision.objects.create(
        submission=submission,
        outcome=outcome,
        feedback="Feedback.",
        decided_by=submission.assessor,
    )


def build(version, *, extra=0):
    """Candidates at every stage of one programme; `extra` more working towards it."""
    for _ in range(2 + extra):
        CandidacyFactory(version=version)
    submit(CandidacyFactory(version=version))
    CandidacyFactory(version=version, status=Candidacy.Status.WITHDRAWN)
    # Three decided units: one competent first time, one not yet competent then competent.
    first = submit(CandidacyFactory(version=version), status=Submission.Status.DECIDED, days_ago=4)
    competent = decide(first, Decision.Outcome.COMPETENT)
    second_candidacy = CandidacyFactory(version=version)
    failed = submit(second_candidacy, status=Submission.Status.DECIDED, days_ago=10)
    not_yet = decide(failed, Decision.Outcome.NOT_YET_COMPETENT)
    again = submit(second_candidacy, number=2, status=Submission.Status.DECIDED, days_ago=2)
    decide(again, Decision.Outcome.COMPETENT)
    QualitySample.objects.create(
        decision=competent, reason=QualitySample.Reason.FIRST_DECISION, outcome="confirmed"
    )
    QualitySample.objects.create(decision=not_yet, reason=QualitySample.Reason.SHARE)
    Appeal.objects.create(decision=not_yet, grounds="My evidence was not read.")
    for candidacy in Candidacy.objects.filter(version=version, status="active"):
        services.check_award(candidacy=candidacy)


def test_the_report_counts_every_stage(manager_client):
    version = VersionFactory(programme__name="Senior caseworker accreditation")
    build(version)
    # One accreditation due for renewal, none lapsed yet.
    certificate = Certificate.objects.filter(award__programme=version.programme).first()
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.now() + timedelta(days=20)
    )
    page = manager_client.get(REPORT).content.decode()
    assert "Senior caseworker accreditation" in page
    report = page.split("Pipeline of")[1]
    cells = [cell.split("</td>")[0] for cell in report.split("<td>")[1:9]]
    # working, in assessment, accredited, due, lapsed, suspended, revoked, withdrawn
    assert cells == ["2", "1", "1", "1", "0", "0", "0", "1"]
    assert "3 decisions sampled" not in page
    assert "2 decisions sampled for IQA: 1 confirmed, 0 overturned (100% agreement)" in page
    assert "1 appeal: 0 upheld, 0 dismissed, 1 waiting." in page
    assert "67%" in page  # two of three decisions competent
    assert "50%" in page  # one of two first submissions competent


def test_the_report_costs_the_same_queries_however_many_candidates(manager_client):
    build(VersionFactory())
    with CaptureQueriesContext(connection) as small:
        manager_client.get(REPORT)
    build(VersionFactory(), extra=20)
    with CaptureQueriesContext(connection) as large:
        manager_client.get(REPORT)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_csv_lists_each_measure_and_neutralises_formulas(manager_client):
    build(VersionFactory(programme__name="=HYPERLINK(1)"))
    response = manager_client.get(reverse("accreditation_report_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Accreditation report"
    assert rows[1] == ["Programme", "Section", "Measure", "Value"]
    assert ["'=HYPERLINK(1)", "Pipeline", "Withdrawn", "1"] in rows
    assert ["'=HYPERLINK(1)", "Appeals", "Waiting", "1"] in rows


def test_only_programme_managers_and_administrators_see_it(client, staff_groups, administrator):
    for group in (people.ASSESSORS, people.TRAINERS, people.EXTERNAL_QUALITY_ASSURERS):
        client.force_login(UserFactory(groups=[group], mfa=True))
        assert client.get(REPORT).status_code in (302, 403)
    client.force_login(administrator)
    assert client.get(REPORT).status_code == 200
