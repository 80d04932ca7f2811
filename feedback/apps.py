from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Learner feedback"

    def ready(self):
        from assessments.signals import attempt_submitted
        from courses.signals import course_completed, webinar_attended

        from . import receivers

        course_completed.connect(receivers.on_course_completed, dispatch_uid="feedback-course")
        attempt_submitted.connect(receivers.on_attempt_submitted, dispatch_uid="feedback-attempt")
        webinar_attended.connect(receivers.on_webinar_attended, dispatch_uid="feedback-webinar")
