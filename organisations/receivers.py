"""Listeners for the events below organisations: people joining, moving tier and leaving, and
learning being finished (wired in OrganisationsConfig.ready). Each hands the event to a service
in the sender's transaction, so the rows change with the event or not at all."""

from django.dispatch import receiver

from academy.signals import membership_changed
from certificates.signals import certificate_issued
from courses.signals import course_completed, final_assessment_passed

from . import services
from .models import Assignment


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
