"""A person's record as their organisation's managers see it (audited, theirs only), and what
managers change: the person's tier, and that they left."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, Membership, RoleTier
from accreditation.models import CPDEntry
from assessments.models import Attempt
from courses.models import Enrolment
from tests.academy.factories import UserFactory
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory
from tests.organisations.staffing import certificate, completed, join, organisation_with_manager

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def trust():
    return organisation_with_manager("Riverside NHS Trust")


@pytest.fixture
def ana(trust):
    return join(
        trust[0],
        tier=RoleTier.COMPLAINTS_STAFF,
        team="Intake",
        full_name="Ana Bell",
        email="ana@example.org",
    )


@pytest.fixture
def manager_client(client, trust):
    client.force_login(trust[1])
    return client


def person_url(organisation, user, name="person"):
    return reverse(f"organisations:{name}", args=[organisation.pk, user.pk])


def date_post(day, **fields):
    return {"left_on_0": day.day, "left_on_1": day.month, "left_on_2": day.year, **fields}


def test_the_record_shows_the_persons_learning(manager_client, trust, ana, course_tree):
    organisation, _ = trust
    course, assessment = course_tree.course, course_tree.assessment
    person = ana.user
    completed(person, course, days_ago=3)
    certificate(person, course, valid_days=200)
    Attempt.objects.create(
        user=person,
        assessment=assessment,
        number=1,
        status=Attempt.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=5),
        percent=Decimal("50"),
        passed=False,
        released_at=timezone.now(),
    )
    Attempt.objects.create(
        user=person,
        assessment=assessment,
        number=2,
        status=Attempt.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=3),
        percent=Decimal("100"),
        passed=True,
        released_at=timezone.now(),
    )
    CPDEntry.objects.create(
        learner=person,
        kind=CPDEntry.Kind.REFLECTIVE,
        activity="Reading group",
        activity_date=TODAY,
        hours=Decimal("2.5"),
    )
    assignment = AssignmentFactory(organisation=organisation, course=course)
    PersonalAssignmentFactory(assignment=assignment, user=person, met_at=timezone.now())
    withdrawn = AssignmentFactory(organisation=organisation, course=course)
    PersonalAssignmentFactory(assignment=withdrawn, user=person, ended_at=timezone.now())

    response = manager_client.get(person_url(organisation, person))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Ana Bell",
        "ana@example.org",
        "Intake",
        "Complaints staff",
        "Completed</strong> on",
        "Passed</strong>",
        "Not passed</strong>",
        "Valid</strong>",
        f"valid until {timezone.localtime(timezone.now() + timedelta(days=200)):%-d %B %Y}",
        "No longer applies",
        "Met</strong>",
    ):
        assert text in page, text
    assert response.context["record"].cpd_hours == Decimal("2.5")
    assert "100%" not in page  # outcomes, never scores or answers


def test_viewing_a_record_is_audited_once_per_view(manager_client, trust, ana):
    organisation, manager = trust

    manager_client.get(person_url(organisation, ana.user))

    (entry,) = AuditEntry.objects.filter(action="learner_record.viewed")
    assert entry.actor == manager
    assert (entry.target_type, entry.target_id) == ("academy.user", str(ana.user.pk))
    assert entry.details == {"organisation": organisation.pk}
    manager_client.get(person_url(organisation, ana.user))
    assert AuditEntry.objects.filter(action="learner_record.viewed").count() == 2


def test_the_record_shows_learning_from_before_joining(manager_client, trust, course):
    organisation, _ = trust
    person = UserFactory(full_name="Newcomer")
    completed(person, course, days_ago=500)
    certificate(person, course, valid_days=300)
    join(organisation, person)  # joined 400 days ago, after the course

    page = manager_client.get(person_url(organisation, person)).content.decode()

    assert "Welcoming complaints" in page
    assert "Completed</strong>" in page


def test_the_record_takes_a_fixed_number_of_queries(
    manager_client, trust, ana, course, django_assert_max_num_queries
):
    organisation, _ = trust
    completed(ana.user, course)
    certificate(ana.user, course)
    assignment = AssignmentFactory(organisation=organisation, course=course)
    PersonalAssignmentFactory(assignment=assignment, user=ana.user)
    manager_client.get(person_url(organisation, ana.user))

    with django_assert_max_num_queries(20):
        manager_client.get(person_url(organisation, ana.user))


def test_a_manager_changes_a_persons_tier(manager_client, trust, ana):
    organisation, manager = trust

    response = manager_client.post(
        person_url(organisation, ana.user, "change_tier"), {"role_tier": "senior_staff"}
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.role_tier == RoleTier.SENIOR_STAFF
    entry = AuditEntry.objects.get(action="membership.tier_changed")
    assert entry.actor == manager
    assert entry.details["before"] == "complaints_staff"
    assert entry.details["after"] == "senior_staff"
    page = manager_client.get(response["Location"]).content.decode()
    assert "Ana Bell is now in the tier Senior staff." in page


def test_an_unknown_tier_changes_nothing(manager_client, trust, ana):
    organisation, _ = trust

    response = manager_client.post(
        person_url(organisation, ana.user, "change_tier"), {"role_tier": "wizard"}
    )

    assert response.status_code == 400
    assert "Choose one of the role tiers" in response.content.decode()
    ana.refresh_from_db()
    assert ana.role_tier == RoleTier.COMPLAINTS_STAFF
    assert not AuditEntry.objects.filter(action="membership.tier_changed").exists()


def test_a_manager_records_that_someone_left(manager_client, trust, ana):
    organisation, manager = trust
    url = person_url(organisation, ana.user, "record_leaving")
    page = manager_client.get(url).content.decode()
    assert "Record that Ana Bell left Riverside NHS Trust?" in page

    response = manager_client.post(
        url, date_post(TODAY - timedelta(days=2), reason="Moved to Hillside Trust")
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert timezone.localdate(ana.left_at) == TODAY - timedelta(days=2)
    entry = AuditEntry.objects.get(action="membership.ended")
    assert (entry.actor, entry.reason) == (manager, "Moved to Hillside Trust")
    home = manager_client.get(response["Location"]).content.decode()
    assert "Recorded that Ana Bell left Riverside NHS Trust." in home
    assert "ana@example.org" not in home
    assert manager_client.get(person_url(organisation, ana.user)).status_code == 404
    assert manager_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("days_ahead", "reason", "message"),
    [
        (1, "Moved", "The leaving date must be today or in the past."),
        (-401, "Moved", "Ana Bell joined on"),
        (0, "", "Say why you are recording that they left"),
    ],
)
def test_a_bad_leaving_changes_nothing(manager_client, trust, ana, days_ahead, reason, message):
    organisation, _ = trust

    response = manager_client.post(
        person_url(organisation, ana.user, "record_leaving"),
        date_post(TODAY + timedelta(days=days_ahead), reason=reason),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    ana.refresh_from_db()
    assert ana.left_at is None


def test_an_impossible_date_is_explained(manager_client, trust, ana):
    organisation, _ = trust
    response = manager_client.post(
        person_url(organisation, ana.user, "record_leaving"),
        {"left_on_0": "31", "left_on_1": "2", "left_on_2": "2026", "reason": "Moved"},
    )
    assert "Enter a real date, for example 27 3 2026" in response.content.decode()
    ana.refresh_from_db()
    assert ana.left_at is None


def test_a_manager_cannot_record_their_own_leaving(manager_client, trust):
    organisation, manager = trust
    url = person_url(organisation, manager, "record_leaving")

    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, date_post(TODAY, reason="Bye")).status_code == 404
    assert manager.memberships.get().left_at is None
    record = manager_client.get(person_url(organisation, manager)).content.decode()
    assert url not in record


def test_another_organisations_people_are_out_of_reach(client, trust, ana):
    """Every URL with an id, tried by someone who may not: another organisation's manager, the
    person's own organisation manager about a stranger, a learner of the organisation."""
    organisation, manager = trust
    other, other_manager = organisation_with_manager("Hillside Trust", manager_name="Olu Ade")
    stranger = join(other, full_name="Zed Young").user
    learner = join(organisation, full_name="Ben Cole").user

    def tries(user_organisation, person):
        return [
            ("get", person_url(user_organisation, person), {}),
            (
                "post",
                person_url(user_organisation, person, "change_tier"),
                {"role_tier": "all_staff"},
            ),
            ("get", person_url(user_organisation, person, "record_leaving"), {}),
            (
                "post",
                person_url(user_organisation, person, "record_leaving"),
                date_post(TODAY, reason="x"),
            ),
        ]

    for actor, attempts, expected in (
        (other_manager, tries(organisation, ana.user), {404}),  # another organisation's manager
        (manager, tries(organisation, stranger), {404}),  # not one of theirs, via their own id
        (manager, tries(other, ana.user), {404}),  # an organisation they do not manage
        (learner, tries(organisation, ana.user), {404}),  # a learner is no manager
    ):
        client.force_login(actor)
        for method, url, data in attempts:
            response = getattr(client, method)(url, data)
            assert response.status_code in expected, (actor, method, url)
    client.logout()
    for method, url, data in tries(organisation, ana.user):
        assert getattr(client, method)(url, data).status_code == 302  # to the sign-in page
    assert Membership.objects.filter(left_at__isnull=False).count() == 0
    assert ana.user.memberships.get().role_tier == RoleTier.COMPLAINTS_STAFF
    assert not AuditEntry.objects.filter(action="learner_record.viewed").exists()


def test_a_learner_says_they_left_from_their_dashboard(client, trust, ana):
    organisation, _ = trust
    client.force_login(ana.user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    url = reverse("organisations:leave", args=[ana.pk])
    assert "My organisations" in dashboard
    assert url in dashboard

    assert client.post(url, date_post(TODAY + timedelta(days=1))).status_code == 400
    ana.refresh_from_db()
    assert ana.left_at is None
    response = client.post(url, date_post(TODAY))

    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.left_at is not None
    entry = AuditEntry.objects.get(action="membership.ended")
    assert entry.actor == ana.user
    dashboard = client.get(response["Location"]).content.decode()
    assert "You are no longer a member of Riverside NHS Trust." in dashboard
    assert "You do not belong to any organisation in the Academy." in dashboard
    assert client.get(url).status_code == 404  # already ended


def test_a_learner_can_end_only_their_own_learner_memberships(client, trust, ana):
    organisation, manager = trust
    other = join(organisation, full_name="Ben Cole")
    client.force_login(ana.user)

    assert client.get(reverse("organisations:leave", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("organisations:leave", args=[other.pk]), date_post(TODAY)).status_code
        == 404
    )

    client.force_login(manager)
    own = manager.memberships.get()
    page = client.get(reverse("organisations:leave", args=[own.pk])).content.decode()
    assert "ask another manager there" in page
    response = client.post(reverse("organisations:leave", args=[own.pk]), date_post(TODAY))
    assert response.status_code == 400
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.left_at is None and other.left_at is None


def test_learning_stays_with_the_person_who_left(client, trust, ana, course):
    organisation, manager = trust
    completed(ana.user, course)
    held = certificate(ana.user, course)
    client.force_login(manager)
    client.post(
        person_url(organisation, ana.user, "record_leaving"), date_post(TODAY, reason="Moved")
    )

    assert Enrolment.objects.get(user=ana.user).completed_at is not None
    client.force_login(ana.user)
    assert held.title_on_certificate in client.get(reverse("dashboard")).content.decode()
