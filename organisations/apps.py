from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from . import audit_log, receivers  # noqa: F401  (receivers connects the listeners)

        audit_log.register()
