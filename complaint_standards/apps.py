from django.apps import AppConfig


class ComplaintStandardsConfig(AppConfig):
    name = "complaint_standards"
    verbose_name = "Complaint Standards"

    def ready(self):
        from academy import page_cache

        from .models import Expectation, Framework, Principle

        # The Complaint Standards pages, and courses' and lessons' lists of what they cover.
        page_cache.forget_on_change(page_cache.CONTENT, Framework, Principle, Expectation)
