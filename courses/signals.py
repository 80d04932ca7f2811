from django.dispatch import Signal

# Sent inside the completing transaction with `enrolment`, once per enrolment.
course_completed = Signal()
