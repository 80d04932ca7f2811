from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from academy import page_cache
        from assessments.signals import attempt_regraded, attempt_submitted

        from . import audit_log, models, receivers

        audit_log.register()

        # Visitors' pages (academy.page_cache) show pages and what the catalogue lists of
        # webinars; any page's change may alter another's links, so every page counts.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_cache.forget_content, dispatch_uid=f"page-cache-{id(signal)}")
        post_delete.connect(page_cache.forget_content, sender=Page, dispatch_uid="page-cache-del")
        page_cache.forget_on_change(
            page_cache.CONTENT,
            Site,
            PageViewRestriction,
            models.WebinarSession,
            models.WebinarRecording,
        )

        attempt_submitted.connect(receivers.on_attempt_submitted, dispatch_uid="courses-attempt")
        attempt_regraded.connect(receivers.on_attempt_regraded, dispatch_uid="courses-regraded")
