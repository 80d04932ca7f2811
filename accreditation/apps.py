from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"

    def ready(self):
        from assessments.signals import attempt_regraded, attempt_submitted
        from courses.signals import (
            course_completed,
            webinar_attendance_removed,
            webinar_attended,
            webinar_recording_watched,
        )

        from . import audit_log, receivers

        audit_log.register()

        course_completed.connect(receivers.on_course_completed, dispatch_uid="accreditation-course")
        attempt_submitted.connect(
            receivers.on_attempt_released, dispatch_uid="accreditation-attempt"
        )
        attempt_regraded.connect(
            receivers.on_attempt_regraded, dispatch_uid="accreditation-regrade"
        )
        webinar_attended.connect(
            receivers.on_webinar_attended, dispatch_uid="accreditation-webinar"
        )
        webinar_recording_watched.connect(
            receivers.on_recording_watched, dispatch_uid="accreditation-recording-watched"
        )
        webinar_attendance_removed.connect(
            receivers.on_webinar_attendance_removed, dispatch_uid="accreditation-webinar-removed"
        )
