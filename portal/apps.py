from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top room: the home page, the learner's dashboard, staff groups and the demo. It may
    import every app; none imports it."""

    name = "portal"
    verbose_name = "Academy portal"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from academy import page_cache

        from .pages import HomePage, InformationPage
        from .selectors import FOOTER_LINKS_KEY, forget_footer_links

        page_cache.prefetch_on_signed_in_pages(lambda user_id: [(FOOTER_LINKS_KEY, ())])

        # The footer's links change only with an information page or the home page above them.
        for sender in (HomePage, InformationPage):
            for signal in (page_published, page_unpublished, post_page_move, post_delete):
                signal.connect(
                    forget_footer_links,
                    sender=sender,
                    dispatch_uid=f"portal-footer-{sender.__name__}-{id(signal)}",
                )
