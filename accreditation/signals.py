from django.dispatch import Signal

# Sent with `candidacy` inside the transaction that awards it, once: when every requirement its
# version needs to be awarded is met. The certificates app listens and issues the accreditation.
requirements_met = Signal()

# Sent with `candidacy` inside the transaction that renews it, once per period: the renewal window
# is open and what renewal needs is met. The certificates app issues the next period's
# certificate.
renewal_met = Signal()
