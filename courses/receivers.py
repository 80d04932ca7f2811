from . import services


def on_attempt_submitted(sender, attempt, **kwargs):
    services.evaluate_after_attempt(attempt=attempt)
