"""Random but realistic data for the benchmarks and for trying the reports at scale: organisations
of every kind and region, people with memberships (tiers, managers, some who left and moved on),
assignments with each person's part of them (met, open, overdue), enrolments with completions,
released attempts at the courses' final assessments, and certificates.

The rows are written with bulk_create, not through the services: the services audit, send
e-mail and queue PDFs one person at a time, and 500,000 enrolments would take hours that way.
What the services guarantee (one enrolment per person and course, one certificate per person,
award and cycle, unique codes, one current membership per person and organisation) is kept by
how the rows are drawn. Courses are pages, so they are added through Wagtail's page API.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from academy.models import Membership, Organisation, Region, RoleTier, User
from assessments.models import Assessment, Attempt
from certificates import codes
from certificates.models import Award, Certificate
from complaint_standards.models import Expectation
from courses.models import CatalogueIndexPage, CoursePage, Enrolment
from organisations.models import Assignment, PersonalAssignment

_FIRST = (
    "Aisha Ben Chloe Dev Emma Fatima George Hannah Imran Jack Kate Liam Maya Niamh Olu Priya "
    "Ravi Sarah Tom Uma Wei Yusuf Zara Owen Ffion Callum Isla Hamza Grace Rhys"
)
_LAST = (
    "Smith Jones Patel Williams Khan Brown Taylor Davies Evans Wilson Thomas Roberts Ahmed "
    "Walker Wright Robinson Thompson Hughes Edwards Green Hall Wood Clarke Singh Ali Murphy"
)
FIRST_NAMES, LAST_NAMES = _FIRST.split(), _LAST.split()
NATIONAL_KINDS = {
    Organisation.Kind.GOVERNMENT_DEPARTMENT,
    Organisation.Kind.OTHER_PUBLIC_BODY,
    Organisation.Kind.PHSO,
}
TIERS = [RoleTier.ALL_STAFF] * 6 + [RoleTier.COMPLAINTS_STAFF] * 3 + [RoleTier.SENIOR_STAFF]
DAYS = 730  # two years of history
BATCH = 5000


@dataclass
class Made:
    organisations: int = 0
    learners: int = 0
    memberships: int = 0
    assignments: int = 0
    personal_assignments: int = 0
    courses: int = 0
    enrolments: int = 0
    completions: int = 0
    attempts: int = 0
    certificates: int = 0

    def describe(self) -> str:
        return ", ".join(
            f"{value:,} {name.replace('_', ' ')}" for name, value in vars(self).items()
        )


def already_made(prefix: str) -> int:
    """How many organisations an earlier run with this prefix made."""
    return Organisation.objects.filter(name__startswith=f"{prefix.title()} organisation ").count()


@contextmanager
def given_times(*models):
    """Let bulk_create write the times given: auto_now_add would stamp every row with now."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now_add", 0)]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def courses_to_use(rnd: random.Random, *, wanted: int, catalogue) -> list[CoursePage]:
    """The catalogue's live courses, with generated ones added until there are `wanted`: each
    tagged with one to three expectations and most with a final assessment already made."""
    live = list(CoursePage.objects.child_of(catalogue).live().order_by("path"))
    expectations = list(Expectation.objects.all())
    assessments = list(Assessment.objects.all())
    taken = set(CoursePage.objects.values_list("slug", flat=True))
    number = 0
    while len(live) < wanted:
        number += 1
        slug = f"generated-course-{number:02d}"
        if slug in taken:
            continue
        course = catalogue.add_child(
            instance=CoursePage(
                title=f"Generated course {number:02d}",
                slug=slug,
                summary="Made by create_random_data.",
                audience=rnd.choice(TIERS),
                learning_outcomes="<ul><li>Handle complaints well</li></ul>",
                estimated_minutes=rnd.choice([20, 30, 45, 60]),
                cpd_hours=Decimal(rnd.choice(["0.5", "1.0", "1.5"])),
                final_assessment=rnd.choice(assessments)
                if assessments and rnd.random() < 0.7
                else None,
            )
        )
        if expectations:
            course.expectations.set(
                rnd.sample(expectations, min(len(expectations), rnd.randint(1, 3)))
            )
        course.save_revision().publish()
        live.append(CoursePage.objects.get(pk=course.pk))
    return live


def generate(
    *,
    learners: int,
    organisations: int,
    enrolments_per_learner: int = 10,
    courses: int = 15,
    completion_rate: float = 0.6,
    seed: int = 2026,
    prefix: str = "random",
    log=lambda message: None,
) -> Made:
    """Write the data. `prefix` names the rows (organisations, e-mail addresses), so a second
    run with another prefix adds more alongside (the benchmark's second size)."""
    rnd = random.Random(seed)  # noqa: S311 (made-up data, repeatable by the seed)
    now = timezone.now()
    made = Made()
    catalogue = CatalogueIndexPage.objects.live().first()
    if catalogue is None:
        raise ValueError("There is no course catalogue: run `manage.py load_demo` first.")
    wanted = max(courses, enrolments_per_learner)
    course_list = courses_to_use(rnd, wanted=wanted, catalogue=catalogue)
    made.courses = len(course_list)
    awards = {}
    for course in course_list:
        awards[course.pk], _ = Award.objects.get_or_create(
            course=course,
            defaults={
                "kind": Award.Kind.COURSE_COMPLETION,
                "title": course.title,
                "cpd_hours": course.cpd_hours,
            },
        )
    log(f"{len(course_list)} courses")

    def ago(days: float):
        return now - timedelta(days=days)

    with transaction.atomic():
        kinds = list(Organisation.Kind.values)
        regions = [r for r in Region.values if r != Region.NATIONAL]
        title = prefix.title()
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"{title} organisation {i:04d}",
                kind=(kind := kinds[i % len(kinds)]),
                region=Region.NATIONAL if kind in NATIONAL_KINDS else rnd.choice(regions),
            )
            for i in range(1, organisations + 1)
        )
        made.organisations = len(orgs)
        # Some organisations are much bigger than others.
        weights = [rnd.paretovariate(1.5) for _ in orgs]

        unusable = make_password(None)
        people = User.objects.bulk_create(
            (
                User(
                    email=f"{prefix}-learner-{i:06d}@example.org",
                    full_name=f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}",
                    password=unusable,
                    date_joined=ago(rnd.uniform(0, DAYS)),
                )
                for i in range(1, learners + 1)
            ),
            batch_size=BATCH,
        )
        made.learners = len(people)
        log(f"{made.organisations:,} organisations, {made.learners:,} learners")

        memberships, members = [], {org.pk: [] for org in orgs}
        leavers = set()
        for person in people:
            roll = rnd.random()
            if roll < 0.08:
                continue  # in no organisation
            [org] = rnd.choices(orgs, weights)
            tier = rnd.choice(TIERS)
            joined = person.date_joined
            if roll < 0.14:
                # Left, and in most cases joined another organisation.
                left = joined + (now - joined) * rnd.uniform(0.2, 0.8)
                memberships.append(
                    Membership(
                        user=person,
                        organisation=org,
                        role_tier=tier,
                        joined_at=joined,
                        left_at=left,
                    )
                )
                leavers.add(person.pk)
                if rnd.random() < 0.7:
                    [new] = rnd.choices(orgs, weights)
                    memberships.append(
                        Membership(user=person, organisation=new, role_tier=tier, joined_at=left)
                    )
                    members[new.pk].append((person, tier, left))
                continue
            memberships.append(
                Membership(
                    user=person,
                    organisation=org,
                    role_tier=tier,
                    joined_at=joined,
                    team=rnd.choice(["", "", "Intake", "Casework"]),
                )
            )
            members[org.pk].append((person, tier, joined))
            if roll > 0.98:  # a second organisation at the same time (e.g. a bank role)
                other = rnd.choice(orgs)
                if other.pk != org.pk:
                    memberships.append(
                        Membership(
                            user=person,
                            organisation=other,
                            role_tier=RoleTier.ALL_STAFF,
                            joined_at=joined,
                        )
                    )
                    members[other.pk].append((person, RoleTier.ALL_STAFF, joined))
        # Each organisation's first current member manages it.
        managed = set()
        for membership in memberships:
            if membership.left_at is None and membership.organisation_id not in managed:
                membership.role = Membership.Role.MANAGER
                managed.add(membership.organisation_id)
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        made.memberships = len(memberships)
        log(f"{made.memberships:,} memberships ({len(leavers):,} people left one)")

        assignments, parts = [], []
        with given_times(Assignment, PersonalAssignment):
            for org in orgs:
                if not members[org.pk]:
                    continue
                for audience, tier in (
                    (Assignment.Audience.EVERYONE, ""),
                    (Assignment.Audience.TIER, RoleTier.COMPLAINTS_STAFF),
                ):
                    due = (now + timedelta(days=rnd.randint(-180, 180))).date()
                    assignments.append(
                        Assignment(
                            organisation=org,
                            kind=Assignment.Kind.COURSE,
                            course=rnd.choice(course_list),
                            audience=audience,
                            role_tier=tier,
                            due_on=due,
                            repeat_every_months=12 if audience == "everyone" else None,
                            created_at=ago(rnd.uniform(200, 400)),
                        )
                    )
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)
            made.assignments = len(assignments)
            for assignment in assignments:
                for person, tier, joined in members[assignment.organisation_id]:
                    if assignment.audience == "tier" and tier != assignment.role_tier:
                        continue
                    state = rnd.random()
                    due = assignment.due_on
                    parts.append(
                        PersonalAssignment(
                            assignment=assignment,
                            user=person,
                            due_on=due,
                            created_at=max(joined, assignment.created_at),
                            met_at=ago(rnd.uniform(1, 150)) if state < 0.6 else None,
                        )
                    )
            PersonalAssignment.objects.bulk_create(parts, batch_size=BATCH)
        made.personal_assignments = len(parts)
        log(f"{made.assignments:,} assignments, {made.personal_assignments:,} people's parts")

        assessment_of = {c.pk: c.final_assessment_id for c in course_list}
        enrolments, attempts, certificates = [], [], []
        tried = {}  # (person, assessment) -> attempts so far: two courses may share one
        for person in people:
            count = min(len(course_list), max(1, round(rnd.gauss(enrolments_per_learner, 2))))
            start = (now - person.date_joined).total_seconds() / 86400
            for course in rnd.sample(course_list, count):
                enrolled = ago(rnd.uniform(0, start))
                completed = None
                if rnd.random() < completion_rate:
                    completed = min(now, enrolled + timedelta(days=rnd.expovariate(1 / 20)))
                enrolments.append(
                    {
                        "user_id": person.pk,
                        "course_id": course.pk,
                        "enrolled_at": enrolled,
                        "completed_at": completed,
                    }
                )
                assessment = assessment_of[course.pk]
                if assessment and (completed or rnd.random() < 0.3):
                    tries = [completed is not None]
                    if rnd.random() < 0.2:
                        tries.insert(0, False)
                    for index, passed in enumerate(tries):
                        number = tried.get((person.pk, assessment), 0) + 1
                        tried[person.pk, assessment] = number
                        released = (completed or now) - timedelta(minutes=10 * (2 - index))
                        attempts.append(
                            {
                                "user_id": person.pk,
                                "assessment_id": assessment,
                                "number": number,
                                "status": Attempt.Status.SUBMITTED,
                                "started_at": released - timedelta(minutes=20),
                                "submitted_at": released,
                                "released_at": released,
                                "percent": Decimal(
                                    rnd.randint(75, 100) if passed else rnd.randint(20, 74)
                                ),
                                "passed": passed,
                            }
                        )
                if completed and rnd.random() < 0.9:
                    award = awards[course.pk]
                    certificates.append(
                        {
                            "code": codes.new_code(),
                            "learner_id": person.pk,
                            "award_id": award.pk,
                            "name_on_certificate": person.full_name,
                            "title_on_certificate": award.title,
                            "cpd_hours": award.cpd_hours,
                            "issued_at": completed + timedelta(minutes=1),
                        }
                    )
            if len(enrolments) >= BATCH * 4:
                write(made, enrolments, attempts, certificates)
                log(f"{made.enrolments:,} enrolments")
        write(made, enrolments, attempts, certificates)
    return made


def write(made: Made, enrolments: list, attempts: list, certificates: list) -> None:
    """Write a batch of learning (dicts of field values), counted in `made`, and empty the
    lists for the next."""
    made.enrolments += insert(Enrolment, enrolments)
    made.completions += sum(1 for e in enrolments if e["completed_at"])
    made.attempts += insert(Attempt, attempts)
    made.certificates += insert(Certificate, certificates)
    for rows in (enrolments, attempts, certificates):
        rows.clear()


def insert(model, rows: list[dict]) -> int:
    """Insert rows given as {field name: value}, every other field taking its default. On
    PostgreSQL with COPY, five to ten times faster than bulk_create for the hundreds of
    thousands of rows here; elsewhere (SQLite) with bulk_create."""
    if connection.vendor != "postgresql":
        with given_times(model):
            model.objects.bulk_create((model(**row) for row in rows), batch_size=BATCH)
        return len(rows)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,  # ours, no input
    ):
        for row in rows:
            values = defaults | row
            copy.write_row([values[f.attname] for f in fields])
    return len(rows)
