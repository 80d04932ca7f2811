"""Listeners for the events below organisations: people joining, moving tier and leaving, and
learning being finished (wired in OrganisationsConfig.ready). Each hands the event to a service
in the sender's transaction, so the rows change with the event or not at all.

The trained spans follow the rows themselves: any save or delete of a certificate, a cycle of an
assignment, an assignment or a membership, from a service, the admin or a fixture, refreshes the
spans of the people it concerns (services.compliance)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from academy.models import Membership, Organisation, User
from academy.signals import membership_changed
from certificates.models import Certificate
from certificates.signals import certificate_issued
from courses.signals import (
    course_completed,
    final_assessment_passed,
    webinar_attended,
    webinar_recording_watched,
)

from . import services
from .models import Assignment, PersonalAssignment


@receiver(membership_changed, dispatch_uid="organisations.follow_membership")
def on_membership_changed(sender, membership, **kwargs):
    services.follow_membership(membership=membership)


@receiver(course_completed, dispatch_uid="organisations.course_completed")
def on_course_completed(sender, enrolment, **kwargs):
    services.meet_assignments(
        user=enrolment.user,
        kind=Assignment.Kind.COURSE,
        item_id=enrolment.course_id,
        finished_at=enrolment.completed_at,
    )


@receiver(final_assessment_passed, dispatch_uid="organisations.final_assessment_passed")
def on_final_assessment_passed(sender, enrolment, attempt, **kwargs):
    """Passing the course's final assessment again meets a refresher's next cycle. Counted from
    when the attempt was handed in, which is before the completion it may cause, so the pass that
    completes a course never meets the cycle that completion starts. A pass on a course whose
    lessons are not all done is not a completion and meets nothing."""
    if enrolment.completed_at is None:
        return
    services.meet_assignments(
        user=enrolment.user,
        kind=Assignment.Kind.COURSE,
        item_id=enrolment.course_id,
        finished_at=attempt.submitted_at,
    )


@receiver(webinar_attended, dispatch_uid="organisations.webinar_attended")
def on_webinar_attended(sender, session, attendances, **kwargs):
    """Attending any session of a webinar meets its assignments, from the session's start.
    Attendance removed as a mistake leaves them met (see docs/webinar-attendance.md)."""
    services.meet_assignments_of_many(
        user_ids=[attendance.user_id for attendance in attendances],
        kind=Assignment.Kind.WEBINAR,
        item_id=session.webinar_id,
        finished_at=session.starts_at,
    )


@receiver(webinar_recording_watched, dispatch_uid="organisations.recording_watched")
def on_recording_watched(sender, recording, user, watched_at, **kwargs):
    """Watching the recording meets the webinar's assignments where the trainer let it count."""
    if recording.counts_as_attending:
        services.meet_assignments(
            user=user,
            kind=Assignment.Kind.WEBINAR,
            item_id=recording.webinar_id,
            finished_at=watched_at,
        )


@receiver(certificate_issued, dispatch_uid="organisations.certificate_issued")
def on_certificate_issued(sender, certificate, **kwargs):
    """An accreditation certificate meets its programme's assignments."""
    programme_id = certificate.award.programme_id
    if programme_id is not None:
        services.meet_assignments(
            user=certificate.learner,
            kind=Assignment.Kind.PROGRAMME,
            item_id=programme_id,
            finished_at=certificate.issued_at,
        )


def _spans_outlive(origin) -> bool:
    """Whether spans may need writing after a deletion that started at `origin`: not when a
    person, an organisation or a membership is being deleted, whose spans go with it (and a span
    written now would point at a membership about to go)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return not issubclass(model, (User, Organisation, Membership))


# What a certificate's spans depend on: a save naming none of these (its PDF, its e-mail, its
# signed credential) leaves them as they are.
CERTIFICATE_DATES = {
    "learner",
    "learner_id",
    "issued_at",
    "valid_until",
    "status",
    "status_changed_at",
    "superseded_at",
}


@receiver(post_save, sender=Certificate, dispatch_uid="organisations.spans.certificate_saved")
@receiver(post_delete, sender=Certificate, dispatch_uid="organisations.spans.certificate_deleted")
def on_certificate_changed(sender, instance, raw=False, origin=None, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not CERTIFICATE_DATES & set(update_fields)):
        return
    if origin is None or _spans_outlive(origin):
        services.refresh_trained_spans(user_ids={instance.learner_id})


@receiver(post_save, sender=PersonalAssignment, dispatch_uid="organisations.spans.cycle_saved")
@receiver(post_delete, sender=PersonalAssignment, dispatch_uid="organisations.spans.cycle_deleted")
@receiver(post_save, sender=Membership, dispatch_uid="organisations.spans.membership_saved")
def on_cycle_or_membership_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and (origin is None or _spans_outlive(origin)):
        services.refresh_trained_spans(user_ids={instance.user_id})


@receiver(post_save, sender=Assignment, dispatch_uid="organisations.spans.assignment_saved")
def on_assignment_saved(sender, instance, created, raw=False, **kwargs):
    """Withdrawing an assignment stops every meeting of it counting."""
    if not raw and not created:
        services.refresh_trained_spans(
            user_ids=PersonalAssignment.objects.filter(assignment=instance).values_list(
                "user_id", flat=True
            )
        )
