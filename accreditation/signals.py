from django.dispatch import Signal

# Sent with `candidacy` inside the transaction that awards it, once: when every requirement its
# version needs to be awarded is met. The certificates app listens and issues the accreditation.
requirements_met = Signal()
