"""What a released result means beyond the assessment (a course completed, a certificate ready),
told by the apps above, which know it; the result page shows only what they say.

The assessments app cannot ask them (imports run downwards only), so they register a provider
here in their AppConfig.ready(): a function of the attempt returning a list of ResultNote. A
provider only reads; it never changes anything.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Attempt


@dataclass(frozen=True)
class ResultNote:
    """One sentence for the learner, with an optional link after it."""

    text: str
    link_text: str = ""
    url: str = ""


Provider = Callable[[Attempt], list[ResultNote]]
_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Add a provider under a key of its own (registering the same key again replaces it, so a
    ready() run twice adds nothing)."""
    _providers[key] = provider


def notes_for(*, attempt: Attempt) -> list[ResultNote]:
    """What every provider says about this released attempt, in the order they registered."""
    if not attempt.is_released:
        return []
    return [note for provider in _providers.values() for note in provider(attempt)]
