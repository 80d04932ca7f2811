from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top room: the home page, the learner's dashboard, staff groups and the demo. It may
    import every app; none imports it."""

    name = "portal"
    verbose_name = "Academy portal"
