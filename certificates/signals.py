from django.dispatch import Signal

# Sent with `certificate` inside the transaction that issued it (first cycle or a renewal), once
# per certificate. Organisations listens: holding a programme's certificate meets an assignment.
certificate_issued = Signal()
