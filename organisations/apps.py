from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the listeners)
