"""System checks for signing credentials, run by `manage.py check --deploy`."""

from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs, **kwargs):
    from . import keys

    return [
        checks.Error(problem, hint="See docs/credentials.md.", id="certificates.E001")
        for problem in keys.configuration_problems()
    ]
