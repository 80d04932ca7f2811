"""The CPD log's entries for what people did before it existed: each completed course, and each
assessment passed with a released result, as accreditation.services.cpd records them from now
on. Entries already there are left alone, so running it on a log that has them adds nothing."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

BATCH = 500


def _through(model, field):
    return model._meta.get_field(field).remote_field.through


def _add(CPDEntry, found, have):
    """found: {(learner id, source): (activity, date, hours, expectation ids)}."""
    EntryExpectation = _through(CPDEntry, "expectations")
    new = [key for key in found if key not in have]
    for start in range(0, len(new), BATCH):
        keys = new[start : start + BATCH]
        entries = CPDEntry.objects.bulk_create(
            CPDEntry(
                learner_id=learner_id,
                kind="recorded",
                source=source,
                activity=found[(learner_id, source)][0][:255],
                activity_date=found[(learner_id, source)][1],
                hours=found[(learner_id, source)][2],
            )
            for learner_id, source in keys
        )
        EntryExpectation.objects.bulk_create(
            EntryExpectation(cpdentry_id=entry.pk, expectation_id=expectation_id)
            for entry, key in zip(entries, keys)
            for expectation_id in found[key][3]
        )


def backfill(apps, schema_editor):
    CPDEntry = apps.get_model("accreditation", "CPDEntry")
    Enrolment = apps.get_model("courses", "Enrolment")
    CoursePage = apps.get_model("courses", "CoursePage")
    Attempt = apps.get_model("assessments", "Attempt")
    Response = apps.get_model("assessments", "Response")
    Question = apps.get_model("assessments", "Question")
    have = set(CPDEntry.objects.exclude(source="").values_list("learner_id", "source"))

    course_expectations = {}
    for course_id, expectation_id in _through(CoursePage, "expectations").objects.values_list(
        "coursepage_id", "expectation_id"
    ):
        course_expectations.setdefault(course_id, []).append(expectation_id)
    found = {}
    completed = Enrolment.objects.filter(completed_at__isnull=False).select_related("course")
    for enrolment in completed.iterator():
        course = enrolment.course
        found[(enrolment.user_id, f"course-completion:{course.pk}")] = (
            course.title,
            timezone.localdate(enrolment.completed_at),
            course.cpd_hours,
            course_expectations.get(course.pk, []),
        )

    first_passes = {}
    passed = (
        Attempt.objects.filter(status="submitted", passed=True)
        .select_related("assessment")
        .order_by("submitted_at", "pk")
    )
    for attempt in passed.iterator():
        first_passes.setdefault((attempt.user_id, attempt.assessment_id), attempt)
    attempt_questions = {}
    for attempt_id, question_id in Response.objects.filter(
        attempt_id__in=[attempt.pk for attempt in first_passes.values()]
    ).values_list("attempt_id", "version__question_id"):
        attempt_questions.setdefault(attempt_id, set()).add(question_id)
    question_expectations = {}
    for question_id, expectation_id in _through(Question, "expectations").objects.values_list(
        "question_id", "expectation_id"
    ):
        question_expectations.setdefault(question_id, set()).add(expectation_id)
    for (learner_id, assessment_id), attempt in first_passes.items():
        expectations = set()
        for question_id in attempt_questions.get(attempt.pk, ()):
            expectations |= question_expectations.get(question_id, set())
        found[(learner_id, f"assessment-pass:{assessment_id}")] = (
            attempt.assessment.title,
            timezone.localdate(attempt.submitted_at),
            Decimal(0),
            sorted(expectations),
        )
    _add(CPDEntry, found, have)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0003_decision_emailed_at"),
        ("assessments", "0021_bank_import_moodle_xml"),
        ("courses", "0003_labelled_case_study_questions"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
