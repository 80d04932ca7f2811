from . import services


def on_attempt_submitted(sender, attempt, **kwargs):
    services.evaluate_after_attempt(attempt=attempt)


def on_attempt_regraded(sender, attempt, **kwargs):
    # A regrade that raises a result may now complete the course; one that lowers it never
    # takes a completion (or its certificate) away: evaluating only ever completes.
    services.evaluate_after_attempt(attempt=attempt)
