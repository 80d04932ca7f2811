from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from assessments.signals import attempt_regraded, attempt_submitted

        from . import audit_log, receivers

        audit_log.register()

        attempt_submitted.connect(receivers.on_attempt_submitted, dispatch_uid="courses-attempt")
        attempt_regraded.connect(receivers.on_attempt_regraded, dispatch_uid="courses-regraded")
