"""Rebuild the national figures' aggregate (portal.models NationalFigure and NationalCoverage).

Counting live over 500,000 enrolments, split three ways with each person's current memberships,
took seconds a page (docs/benchmarks.md), so the figures are counted here, whole, every quarter
of an hour (CELERY_BEAT_SCHEDULE), and the page reads a few hundred rows.

Each person counts once in each cell of the filters. A person's places are the (organisation
kind, region) of their current memberships, or ("none", "none") with none; a course's frameworks
are those of its expectations, or "none". Facts are first counted by the person's set of places
(few sets, however many people), then spread over the cells that set belongs to, so the work
grows with the rows read, not with rows times cells.
"""

import time
from collections import Counter, defaultdict
from itertools import product

from django.db import transaction
from django.utils import timezone

from academy import selectors as people
from assessments import selectors as assessments
from certificates import selectors as certificates
from complaint_standards import selectors as standards
from courses import selectors as courses

from .models import ALL, NONE, NationalCoverage, NationalFigure, NationalRefresh

# An organisation with no region recorded.
UNRECORDED = "unrecorded"
NOWHERE = frozenset({(NONE, NONE)})


def _place_cells(places: frozenset) -> list[tuple[str, str]]:
    """Every (kind, region) cell a person with these places counts in, each once."""
    cells = {(ALL, ALL)}
    for kind, region in places:
        cells.update({(kind, ALL), (ALL, region), (kind, region)})
    return sorted(cells)


@transaction.atomic
def refresh_national_figures() -> NationalRefresh:
    """Count every figure again and replace the aggregate with them, in one transaction, so the
    page reads either the old figures or the new, never half. Idempotent: running it twice
    leaves the same rows; a second run at the same moment waits for the first (the refresh row
    is locked)."""
    started = time.monotonic()
    state, _ = NationalRefresh.objects.get_or_create(pk=1)
    state = NationalRefresh.objects.select_for_update().get(pk=state.pk)

    # Who is where: each person's set of places, as a small number standing for the set.
    places = defaultdict(set)
    for user_id, kind, region in people.current_places():
        places[user_id].add((kind, region or UNRECORDED))
    signatures: dict[frozenset, int] = {NOWHERE: 0}
    person_signature = {
        user_id: signatures.setdefault(frozenset(found), len(signatures))
        for user_id, found in places.items()
    }
    cells_of = {number: _place_cells(found) for found, number in signatures.items()}

    # What each course, award and assessment is about.
    framework_of = standards.expectation_frameworks()
    course_tags = defaultdict(set)
    for course_id, expectation_id in courses.course_expectation_pairs():
        course_tags[course_id].add(expectation_id)

    def framework_cells(expectations) -> tuple[str, ...]:
        found = {str(framework_of[e]) for e in expectations if e in framework_of}
        return (ALL, *sorted(found or {NONE}))

    course_frameworks = {course: framework_cells(tags) for course, tags in course_tags.items()}
    untagged = (ALL, NONE)
    award_course, award_tags = certificates.award_topics()
    award_expectations = defaultdict(set)
    for award_id, course_id in award_course.items():
        award_expectations[award_id] |= course_tags.get(course_id, set())
    for award_id, expectation_id in award_tags:
        award_expectations[award_id].add(expectation_id)
    assessment_expectations = defaultdict(set)
    for course_id, assessment_id in courses.final_assessments():
        assessment_expectations[assessment_id] |= course_tags.get(course_id, set())

    # The facts, by (signature, what, month).
    enrolled, completed = Counter(), Counter()
    first = {}  # (person, framework cell) -> month of their first enrolment in it
    learning = defaultdict(set)  # person -> expectations of the courses they completed
    for user_id, course_id, enrolled_month, completed_month in courses.enrolment_facts():
        signature = person_signature.get(user_id, 0)
        enrolled[signature, course_id, enrolled_month] += 1
        if completed_month is not None:
            completed[signature, course_id, completed_month] += 1
            learning[user_id] |= course_tags.get(course_id, set())
        else:
            learning.setdefault(user_id, set())
        for framework in course_frameworks.get(course_id, untagged):
            key = (user_id, framework)
            if key not in first or enrolled_month < first[key]:
                first[key] = enrolled_month
    newcomers = Counter(
        (person_signature.get(user_id, 0), framework, month)
        for (user_id, framework), month in first.items()
    )
    issued = Counter(
        (person_signature.get(user_id, 0), award_id, month)
        for user_id, award_id, month in certificates.issue_facts()
    )
    attempts, passes = Counter(), Counter()
    for user_id, assessment_id, month, passed in assessments.released_attempt_facts():
        key = (person_signature.get(user_id, 0), assessment_id, month)
        attempts[key] += 1
        passes[key] += bool(passed)

    # Spread over the cells.
    figures = defaultdict(Counter)

    def spread(counter, frameworks_of, measure, assessment=False):
        for (signature, thing, month), count in counter.items():
            frameworks = frameworks_of(thing)
            for (kind, region), framework in product(cells_of[signature], frameworks):
                key = (month, kind, region, framework, thing if assessment else 0)
                figures[key][measure] += count

    spread(enrolled, lambda course: course_frameworks.get(course, untagged), "enrolments")
    spread(completed, lambda course: course_frameworks.get(course, untagged), "completions")
    spread(newcomers, lambda framework: (framework,), "learners")
    spread(issued, lambda award: framework_cells(award_expectations[award]), "certificates")
    for measure, counter in (("attempts", attempts), ("passed", passes)):
        spread(
            counter,
            lambda assessment: framework_cells(assessment_expectations[assessment]),
            measure,
            assessment=True,
        )

    coverage = Counter()
    for user_id, expectations in learning.items():
        for kind, region in cells_of[person_signature.get(user_id, 0)]:
            coverage[kind, region, 0] += 1
            for expectation_id in expectations:
                coverage[kind, region, expectation_id] += 1

    NationalFigure.objects.all().delete()
    NationalCoverage.objects.all().delete()
    NationalFigure.objects.bulk_create(
        (
            NationalFigure(
                month=month,
                kind=kind,
                region=region,
                framework=framework,
                assessment_id=assessment_id,
                **counts,
            )
            for (month, kind, region, framework, assessment_id), counts in figures.items()
        ),
        batch_size=5000,
    )
    NationalCoverage.objects.bulk_create(
        (
            NationalCoverage(kind=kind, region=region, expectation_id=expectation, learners=n)
            for (kind, region, expectation), n in coverage.items()
        ),
        batch_size=5000,
    )
    state.refreshed_at = timezone.now()
    state.took_ms = round((time.monotonic() - started) * 1000)
    state.save(update_fields=["refreshed_at", "took_ms"])
    return state
