from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self):
        from courses.signals import course_completed

        from . import receivers

        course_completed.connect(receivers.on_course_completed, dispatch_uid="certificates-course")
