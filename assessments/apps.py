from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from academy import page_cache

        from . import audit_log
        from .models import Assessment, AssessmentQuestion

        audit_log.register()
        # A course page tells visitors its final assessment's questions, marks and rules.
        page_cache.forget_on_change(page_cache.CONTENT, Assessment, AssessmentQuestion)
