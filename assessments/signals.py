from django.dispatch import Signal

# Sent inside the submitting transaction with `attempt`, once per attempt.
attempt_submitted = Signal()

# Sent after the regrading transaction commits, with `attempt` (its new result saved),
# `passed_before` and `percent_before`, for each released attempt whose result a regrade changed;
# and the same way after a moderator's correction of a released mark changes the result.
attempt_regraded = Signal()
