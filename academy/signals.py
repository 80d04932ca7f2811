from django.dispatch import Signal

# Sent with `membership` inside the transaction that started it, changed its role tier or ended
# it (`membership.left_at` is then set). Organisations listens: tier and everyone assignments
# follow people in and out.
membership_changed = Signal()
