from django.dispatch import Signal

# Sent inside the submitting transaction with `attempt`, once per attempt.
attempt_submitted = Signal()
