"""The compliance figures, each definition against a hand-worked answer
(docs/organisations.md, "Compliance and exports")."""

from datetime import timedelta

from django.utils import timezone

from academy.models import Membership, Organisation, RoleTier
from certificates.models import Certificate
from complaint_standards.models import Framework
from courses.models import Enrolment
from organisations.selectors import framework_for
from tests.academy.factories import MembershipFactory, OrganisationFactory
from tests.complaint_standards.factories import (
    ExpectationFactory,
    FrameworkFactory,
    PrincipleFactory,
)
from tests.courses.factories import CourseFactory, LessonFactory
from tests.organisations.compliance_support import (
    certificate,
    course_award,
    member,
    moment,
    report_for,
)
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory

ALL, COMPLAINTS, SENIOR = RoleTier.ALL_STAFF, RoleTier.COMPLAINTS_STAFF, RoleTier.SENIOR_STAFF


def test_trained_up_to_date_and_overdue_per_tier_and_in_total(catalogue):
    organisation = OrganisationFactory(name="Riverside NHS Foundation Trust")
    award = course_award(catalogue)
    course = CourseFactory(parent=catalogue, title="Resolving complaints")
    now = timezone.now()
    today = timezone.localdate()
    past, future = today - timedelta(days=3), today + timedelta(days=20)
    assignment = AssignmentFactory(organisation=organisation, course=course, due_on=past)
    withdrawn = AssignmentFactory(
        organisation=organisation, course=course, due_on=past, withdrawn_at=now
    )
    elsewhere = AssignmentFactory(organisation=OrganisationFactory(), course=course, due_on=past)

    def person(name, tier, **fields):
        return member(organisation, tier=tier, full_name=name, **fields)

    # All staff: only Alice (the manager, a member too) holds a current certificate.
    alice = person("Alice", ALL, role=Membership.Role.MANAGER)
    certificate(alice, award)
    certificate(person("Bob", ALL), award, status=Certificate.Status.REVOKED)
    certificate(person("Cara", ALL), award, status=Certificate.Status.SUSPENDED)
    certificate(
        person("Dan", ALL),
        award,
        issued_at=now - timedelta(days=400),
        valid_until=now - timedelta(days=35),
    )
    certificate(person("Dee", ALL), award, superseded_at=now)
    # Complaints staff: Eve met cycle 1 and cycle 2 is not due yet; Fay's cycle 2 is overdue;
    # Gus's overdue cycle ended (he moved tier) and another organisation's assignment to him is
    # overdue, which is not this organisation's business.
    eve, fay, gus = (person(name, COMPLAINTS) for name in ("Eve", "Fay", "Gus"))
    for who, second_due in ((eve, future), (fay, past)):
        PersonalAssignmentFactory(assignment=assignment, user=who, met_at=now - timedelta(days=9))
        PersonalAssignmentFactory(assignment=assignment, user=who, cycle=2, due_on=second_due)
    PersonalAssignmentFactory(assignment=assignment, user=gus, ended_at=now)
    PersonalAssignmentFactory(assignment=elsewhere, user=gus)
    # Senior staff: Hal's overdue assignment was withdrawn, and his met one too (neither counts);
    # Jo has two overdue items. Ian left, with a certificate: not counted at all.
    hal, jo = person("Hal", SENIOR), person("Jo", SENIOR)
    PersonalAssignmentFactory(assignment=withdrawn, user=hal)
    PersonalAssignmentFactory(assignment=withdrawn, user=hal, cycle=2, met_at=now)
    PersonalAssignmentFactory(assignment=assignment, user=jo)
    PersonalAssignmentFactory(assignment=withdrawn, user=jo, due_on=past, cycle=3)
    PersonalAssignmentFactory(
        assignment=AssignmentFactory(organisation=organisation, course=course, due_on=past),
        user=jo,
    )
    certificate(
        person("Ian", SENIOR, joined_at=now - timedelta(days=90), left_at=now - timedelta(days=1)),
        award,
    )
    # Someone else's member with a certificate.
    certificate(member(OrganisationFactory(), tier=SENIOR), award)

    report = report_for(organisation)

    rows = {tier.label: tier for tier in report.tiers}
    figures = {
        label: (row.staff, row.trained, row.up_to_date, row.overdue) for label, row in rows.items()
    }
    assert figures == {
        "All staff": (5, 1, 5, 0),
        "Complaints staff": (3, 1, 2, 1),
        "Senior staff": (2, 0, 1, 2),
        "All staff in the organisation": (10, 2, 8, 3),
    }
    assert (report.total.trained_share, report.total.up_to_date_share) == (20, 80)
    assert rows["Complaints staff"].trained_share == 33  # 1 of 3
    people = {p.name: (p.trained, p.up_to_date, p.overdue) for p in report.people}
    assert "Ian" not in people
    assert people["Eve"] == (True, True, 0)
    assert people["Fay"] == (False, False, 1)
    assert people["Gus"] == (False, True, 0)
    assert people["Hal"] == (False, True, 0)
    assert people["Jo"] == (False, False, 2)


def test_tier_and_team_filters_narrow_the_people(catalogue):
    organisation = OrganisationFactory()
    award = course_award(catalogue)
    certificate(member(organisation, tier=COMPLAINTS, team="Intake"), award)
    member(organisation, tier=COMPLAINTS, team="Reviews")
    member(organisation, tier=SENIOR, team="Intake")

    by_team = report_for(organisation, team="Intake")
    by_tier = report_for(organisation, tier=COMPLAINTS)
    both = report_for(organisation, tier=COMPLAINTS, team="Reviews")

    assert (by_team.total.staff, by_team.total.trained) == (2, 1)
    assert (by_tier.total.staff, by_tier.total.trained) == (2, 1)
    assert (both.total.staff, both.total.trained) == (1, 0)
    assert [row.staff for row in by_tier.tiers] == [0, 2, 0, 2]
    assert by_tier.tiers[0].trained_share is None  # no staff: no share, rather than 0%


def test_certificate_expiry_per_person(catalogue):
    organisation = OrganisationFactory()
    award = course_award(catalogue)
    other = course_award(catalogue, title="Investigating complaints")
    now = timezone.now()
    lasting = member(organisation, full_name="Lasting")
    certificate(lasting, award)
    certificate(lasting, other, valid_until=now + timedelta(days=30))
    expiring = member(organisation, full_name="Expiring")
    certificate(expiring, award, valid_until=now + timedelta(days=30))
    certificate(expiring, other, valid_until=now + timedelta(days=90))
    certificate(member(organisation, full_name="Revoked"), award, status="revoked")

    people = {p.name: p for p in report_for(organisation).people}

    assert people["Lasting"].expiry_text == "Does not expire"
    later = timezone.localtime(now + timedelta(days=90))
    assert people["Expiring"].certificate_expiry == now + timedelta(days=90)
    assert people["Expiring"].expiry_text == f"{later:%-d %B %Y}"
    assert people["Revoked"].expiry_text == "No current certificate"


def test_gaps_and_coverage_by_principle_and_expectation(catalogue):
    organisation = OrganisationFactory(kind=Organisation.Kind.NHS_TRUST)
    nhs = FrameworkFactory(name="NHS Complaint Standards", sector=Framework.Sector.NHS)
    FrameworkFactory(name="Government Complaint Standards", sector=Framework.Sector.GOVERNMENT)
    welcome = PrincipleFactory(framework=nhs, number=1, title="Welcoming complaints")
    answer = PrincipleFactory(framework=nhs, number=2, title="Giving fair answers")
    by_course = ExpectationFactory(principle=welcome, number=1, text="Staff are open.")
    by_lesson = ExpectationFactory(principle=welcome, number=2, text="Staff listen.")
    by_award = ExpectationFactory(principle=answer, number=1, text="Answers are clear.")
    nobody = ExpectationFactory(principle=answer, number=2, text="Remedies are fair.")
    course = CourseFactory(parent=catalogue, title="Opening up", expectations=[by_course])
    LessonFactory(parent=course, title="Listening", expectations=[by_lesson])
    unfinished = CourseFactory(parent=catalogue, title="Remedies", expectations=[nobody])
    award = course_award(catalogue, title="Clear answers", expectations=[by_award])

    finisher, holder, other = (member(organisation) for _ in range(3))
    Enrolment.objects.create(user=finisher, course=course, completed_at=timezone.now())
    Enrolment.objects.create(user=other, course=unfinished)  # not completed: covers nothing
    certificate(holder, award)
    certificate(other, award, status="revoked")  # not current: covers nothing
    gone = member(
        organisation, joined_at=timezone.now() - timedelta(days=9), left_at=timezone.now()
    )
    Enrolment.objects.create(user=gone, course=unfinished, completed_at=timezone.now())

    framework = framework_for(organisation=organisation, frameworks=list(Framework.objects.all()))
    report = report_for(organisation, framework=framework)

    assert framework == nhs
    assert [(gap.code, gap.text) for gap in report.gaps] == [("2.2", "Remedies are fair.")]
    assert [(p.label, p.covered, p.share) for p in report.principles] == [
        ("1. Welcoming complaints", 1, 33),
        ("2. Giving fair answers", 1, 33),
    ]
    assert [(e.code, e.covered) for p in report.principles for e in p.expectations] == [
        ("1.1", 1),
        ("1.2", 1),
        ("2.1", 1),
        ("2.2", 0),
    ]


def test_each_kind_of_organisation_answers_to_its_sectors_framework(db):
    nhs = FrameworkFactory(sector=Framework.Sector.NHS, version="2022")
    newer_nhs = FrameworkFactory(sector=Framework.Sector.NHS, version="2026")
    government = FrameworkFactory(sector=Framework.Sector.GOVERNMENT)
    frameworks = [nhs, newer_nhs, government]

    def chosen(kind):
        return framework_for(organisation=Organisation(kind=kind), frameworks=frameworks)

    assert chosen(Organisation.Kind.NHS_TRUST) == newer_nhs
    assert chosen(Organisation.Kind.INTEGRATED_CARE_BOARD) == newer_nhs
    assert chosen(Organisation.Kind.GOVERNMENT_DEPARTMENT) == government
    assert chosen(Organisation.Kind.OTHER_PUBLIC_BODY) == government
    assert framework_for(organisation=Organisation(kind="government"), frameworks=[nhs]) == nhs
    assert framework_for(organisation=Organisation(kind="nhs_trust"), frameworks=[]) is None


def test_trend_counts_members_and_certificates_at_each_months_end(catalogue):
    """Worked by hand: the figure for a month is taken at midnight (UK time) as it ends; the
    month still running is taken now."""
    organisation = OrganisationFactory()
    award = course_award(catalogue)
    course = CourseFactory(parent=catalogue, title="Refresher")
    now = moment("2026-12-06 12:00")

    # Expired on 20 November: trained at the end of October only.
    expired = member(organisation, joined_at=moment("2026-08-01 09:00"))
    certificate(
        expired,
        award,
        issued_at=moment("2026-10-15 10:00"),
        valid_until=moment("2026-11-20 10:00"),
    )
    # Joined half an hour before October ended, bringing a certificate; left on 30 November.
    mover = member(
        organisation,
        joined_at=moment("2026-10-31 23:30"),
        left_at=moment("2026-11-30 18:00"),
    )
    certificate(mover, award, issued_at=moment("2026-09-01 10:00"))
    # Revoked on 10 November: trained at the ends of September and October.
    revoked = member(organisation, joined_at=moment("2026-01-05 09:00"))
    certificate(
        revoked,
        award,
        issued_at=moment("2026-09-10 10:00"),
        status=Certificate.Status.REVOKED,
        status_changed_at=moment("2026-11-10 10:00"),
    )
    # Met cycle 1 on 5 October; cycle 2, due 15 November, is still open: overdue from then.
    refresher = member(organisation, joined_at=moment("2026-01-05 09:00"))
    assignment = AssignmentFactory(organisation=organisation, course=course)
    PersonalAssignmentFactory(
        assignment=assignment,
        user=refresher,
        due_on=moment("2026-10-31 00:00").date(),
        met_at=moment("2026-10-05 10:00"),
        created_at=moment("2026-09-01 10:00"),
    )
    PersonalAssignmentFactory(
        assignment=assignment,
        user=refresher,
        cycle=2,
        due_on=moment("2026-11-15 00:00").date(),
        created_at=moment("2026-10-05 10:00"),
    )
    # Joined at the very moment November ended: a member then, with a lasting certificate.
    starter = member(organisation, joined_at=moment("2026-12-01 00:00"))
    certificate(starter, award, issued_at=moment("2026-11-01 10:00"))

    report = report_for(
        organisation,
        now=now,
        first=moment("2026-09-01 00:00").date(),
        last=moment("2026-12-01 00:00").date(),
    )

    assert [(f"{p.month:%b}", p.staff, p.trained, p.share) for p in report.trend] == [
        ("Sep", 3, 1, 33),
        ("Oct", 4, 4, 100),
        ("Nov", 4, 1, 25),
        ("Dec", 4, 1, 25),
    ]
    assert report.trend[1].at == moment("2026-11-01 00:00")
    assert report.trend[-1].at == now


def test_people_count_in_the_trend_until_they_leave(db):
    organisation = OrganisationFactory()
    now = moment("2026-12-06 12:00")
    for left in ("2026-07-20 17:00", "2026-09-15 17:00"):
        MembershipFactory(
            organisation=organisation,
            joined_at=moment("2025-01-01 09:00"),
            left_at=moment(left),
        )
    member(organisation, joined_at=moment("2025-01-01 09:00"))

    report = report_for(
        organisation,
        now=now,
        first=moment("2026-08-01 00:00").date(),
        last=moment("2026-09-01 00:00").date(),
    )

    assert [p.staff for p in report.trend] == [2, 1]
    assert report.total.staff == 1
