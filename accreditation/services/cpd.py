"""The CPD log: entries the Academy records when someone completes a course, passes an
assessment or attends a webinar session (each once, however often the news arrives), and the
reflective entries people add, change and delete themselves.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessments import selectors as assessment_selectors

from ..errors import CPDEntryError
from ..models import CPDEntry
from .files import check_upload
from .renewal import check_renewals_for

MIN_REFLECTIVE_HOURS = Decimal("0.5")
MAX_REFLECTIVE_HOURS = Decimal("100")


def course_source(course_id: int) -> str:
    return f"course-completion:{course_id}"


def assessment_source(assessment_id: int) -> str:
    return f"assessment-pass:{assessment_id}"


def webinar_source(session_id: int) -> str:
    return f"webinar-attendance:{session_id}"


def recording_source(recording_id: int) -> str:
    return f"webinar-recording:{recording_id}"


def _record(*, learner_id: int, source: str, activity: str, day: date, hours, expectations):
    """The learner's entry for `source`, made the first time only.

    get_or_create inserts in a savepoint and reads the row back when the unique constraint on
    (learner, source) refuses a second insert, so a signal sent twice, a retried task or two
    transactions at once all end with one entry; on PostgreSQL the second insert waits for the
    first transaction and then finds its row."""
    with transaction.atomic():
        entry, created = CPDEntry.objects.get_or_create(
            learner_id=learner_id,
            source=source,
            defaults={
                "kind": CPDEntry.Kind.RECORDED,
                "activity": activity[:255],
                "activity_date": day,
                "hours": hours,
            },
        )
        if created:
            entry.expectations.set(expectations)
    return entry


def record_course_completion(*, enrolment) -> CPDEntry:
    """The entry for a completed course: its CPD hours on the day it was completed, tagged with
    the course's expectations."""
    course = enrolment.course
    return _record(
        learner_id=enrolment.user_id,
        source=course_source(course.pk),
        activity=course.title,
        day=timezone.localdate(enrolment.completed_at),
        hours=course.cpd_hours,
        expectations=list(course.expectations.values_list("pk", flat=True)),
    )


def record_assessment_pass(*, attempt) -> CPDEntry | None:
    """The entry for a passed assessment, once per assessment, dated the day the passing
    attempt was handed in; None while the attempt has not passed or its result is held.

    No hours: a course's hours already count its final assessment, and an assessment has no CPD
    hours of its own (docs/decisions.md)."""
    if not (attempt.is_released and attempt.passed):
        return None
    return _record(
        learner_id=attempt.user_id,
        source=assessment_source(attempt.assessment_id),
        activity=attempt.assessment.title,
        day=timezone.localdate(attempt.submitted_at),
        hours=Decimal(0),
        expectations=list(
            assessment_selectors.expectations_tested(attempt=attempt).values_list("pk", flat=True)
        ),
    )


@transaction.atomic
def remove_assessment_pass(*, learner_id: int, assessment_id: int) -> bool:
    """Take the pass out of the log when a correction left no passing attempt; whether it did.
    A course completed on the strength of the pass stays complete (and keeps its entry)."""
    if assessment_selectors.first_pass(user_id=learner_id, assessment_id=assessment_id):
        return False
    deleted, _ = CPDEntry.objects.filter(
        learner_id=learner_id, source=assessment_source(assessment_id)
    ).delete()
    return bool(deleted)


def record_webinar_attendance(*, session, learner_ids) -> int:
    """The entries for attending a webinar session: the webinar's CPD hours on the day the
    session took place, tagged with its expectations, once per person and session however
    often the news arrives. Returns how many were added. Four queries however many attended
    (a report may name hundreds), rather than _record's few a person.

    Rows already there are left alone, and bulk_create skips any that a concurrent recording
    inserted in between (the cpd_recorded_once constraint), so each person has one entry."""
    webinar = session.webinar
    source = webinar_source(session.pk)
    with transaction.atomic():
        have = set(
            CPDEntry.objects.filter(source=source, learner_id__in=list(learner_ids)).values_list(
                "learner_id", flat=True
            )
        )
        wanted = [pk for pk in dict.fromkeys(learner_ids) if pk not in have]
        if not wanted:
            return 0
        CPDEntry.objects.bulk_create(
            [
                CPDEntry(
                    learner_id=pk,
                    source=source,
                    kind=CPDEntry.Kind.RECORDED,
                    activity=webinar.title[:255],
                    activity_date=timezone.localdate(session.starts_at),
                    hours=webinar.cpd_hours,
                )
                for pk in wanted
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        expectations = list(webinar.expectations.values_list("pk", flat=True))
        if expectations:
            tags = CPDEntry.expectations.through
            entries = CPDEntry.objects.filter(source=source, learner_id__in=wanted)
            tags.objects.bulk_create(
                [
                    tags(cpdentry_id=entry, expectation_id=expectation)
                    for entry in entries.values_list("pk", flat=True)
                    for expectation in expectations
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
    return len(wanted)


def record_recording_watched(*, recording, learner_id: int, watched_at) -> CPDEntry | None:
    """The entry for watching a webinar's recording, once, where the trainer gave watching CPD
    hours; None where they gave none, or the person attended a session of the webinar (that
    entry has the hours for the same learning already)."""
    if not recording.watching_cpd_hours:
        return None
    webinar = recording.webinar
    attended = CPDEntry.objects.filter(
        learner_id=learner_id,
        source__in=[webinar_source(pk) for pk in webinar.sessions.values_list("pk", flat=True)],
    )
    if attended.exists():
        return None
    return _record(
        learner_id=learner_id,
        source=recording_source(recording.pk),
        activity=f"{webinar.title} (recording)",
        day=timezone.localdate(watched_at),
        hours=recording.watching_cpd_hours,
        expectations=list(webinar.expectations.values_list("pk", flat=True)),
    )


@transaction.atomic
def remove_webinar_attendance(*, learner_id: int, session_id: int) -> bool:
    """Take the session out of the person's log when their attendance was removed as a
    mistake; whether there was an entry."""
    deleted, _ = CPDEntry.objects.filter(
        learner_id=learner_id, source=webinar_source(session_id)
    ).delete()
    return bool(deleted)


def _check_reflective(*, activity: str, activity_date: date, hours: Decimal) -> None:
    if not activity.strip():
        raise CPDEntryError("Say what the activity was.")
    if activity_date > timezone.localdate():
        raise CPDEntryError("The date of a CPD activity must be today or in the past.")
    if not MIN_REFLECTIVE_HOURS <= hours <= MAX_REFLECTIVE_HOURS:
        raise CPDEntryError("A CPD activity counts for between 0.5 and 100 hours.")
    if hours != hours.quantize(Decimal("0.1")):
        raise CPDEntryError("Give the hours to one decimal place, for example 1.5.")


def _checked_evidence(evidence, evidence_name: str, by):
    """The uploaded file's facts once it passes the checks every upload passes, or None."""
    if evidence is None:
        return None
    return check_upload(name=evidence_name or evidence.name, uploaded_file=evidence, by=by)


def _keep(entry: CPDEntry, evidence, evidence_name: str, checked) -> None:
    """Store the file under a random name: the person's own name for it is only ever data."""
    entry.evidence.save(f"{uuid.uuid4().hex}{checked.extension}", evidence, save=False)
    entry.evidence_name = evidence_name or evidence.name


def _saved_with_file(entry: CPDEntry, save) -> None:
    """Save the entry; if that fails, the file just stored goes too."""
    try:
        save()
    except BaseException:
        if entry.evidence:
            entry.evidence.storage.delete(entry.evidence.name)
        raise


@transaction.atomic
def add_reflective_entry(
    *,
    learner,
    activity: str,
    activity_date: date,
    hours: Decimal,
    learned: str,
    expectations,
    evidence=None,
    evidence_name: str = "",
) -> CPDEntry:
    """Add the person's own CPD entry, with an evidence file if they give one (checked as
    portfolio evidence is: type from content, size, name, virus scan)."""
    _check_reflective(activity=activity, activity_date=activity_date, hours=hours)
    checked = _checked_evidence(evidence, evidence_name, learner)
    entry = CPDEntry(
        learner=learner,
        kind=CPDEntry.Kind.REFLECTIVE,
        activity=activity.strip(),
        activity_date=activity_date,
        hours=hours,
        learned=learned.strip(),
    )
    if checked:
        _keep(entry, evidence, evidence_name, checked)
    _saved_with_file(entry, entry.save)
    entry.expectations.set(expectations)
    check_renewals_for(person=learner)
    return entry


def _own_reflective(entry: CPDEntry, by) -> CPDEntry:
    entry = CPDEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.learner_id != by.pk:
        raise CPDEntryError("You can only change entries in your own CPD log.")
    if entry.kind != CPDEntry.Kind.REFLECTIVE:
        raise CPDEntryError(
            "The Academy recorded this entry from your learning, so it cannot be changed or "
            "deleted."
        )
    return entry


@transaction.atomic
def change_reflective_entry(
    *,
    entry: CPDEntry,
    by,
    activity: str,
    activity_date: date,
    hours: Decimal,
    learned: str,
    expectations,
    evidence=None,
    evidence_name: str = "",
    remove_evidence: bool = False,
) -> CPDEntry:
    """Change the person's own entry; a new evidence file replaces the one before, and
    `remove_evidence` drops it. The replaced file leaves storage once the change is saved."""
    entry = _own_reflective(entry, by)
    _check_reflective(activity=activity, activity_date=activity_date, hours=hours)
    checked = _checked_evidence(evidence, evidence_name, by)
    old_file = entry.evidence.name if (checked or remove_evidence) and entry.evidence else ""
    entry.activity = activity.strip()
    entry.activity_date = activity_date
    entry.hours = hours
    entry.learned = learned.strip()
    if checked:
        _keep(entry, evidence, evidence_name, checked)
    elif remove_evidence:
        entry.evidence, entry.evidence_name = "", ""
    _saved_with_file(entry, entry.save)
    if old_file:
        storage = entry.evidence.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    entry.expectations.set(expectations)
    check_renewals_for(person=by)
    return entry


@transaction.atomic
def delete_reflective_entry(*, entry: CPDEntry, by) -> None:
    entry = _own_reflective(entry, by)
    if entry.evidence:
        storage, name = entry.evidence.storage, entry.evidence.name
        transaction.on_commit(lambda: storage.delete(name))
    entry.delete()
