"""What passing an assessment leads to beyond it (a course's certificate, later an
accreditation), told by the apps above, which know it; the assessment admin uses it to warn when
such an assessment gives its answers away.

As with result_notes, the assessments app cannot ask them (imports run downwards only), so they
register a provider here in their AppConfig.ready(): a function of the assessment returning what
it leads to, each as a phrase ("the certificate of the course “Welcoming complaints”").
"""

from collections.abc import Callable

from .models import Assessment

Provider = Callable[[Assessment], list[str]]
_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Add a provider under a key of its own (registering the same key again replaces it)."""
    _providers[key] = provider


def leads_to(*, assessment: Assessment) -> list[str]:
    """Everything passing this assessment leads to, by every provider in registration order."""
    return [phrase for provider in _providers.values() for phrase in provider(assessment)]
