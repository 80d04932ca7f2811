from django.dispatch import Signal

# Sent inside the completing transaction with `enrolment`, once per enrolment.
course_completed = Signal()

# Sent with `enrolment` and `attempt` each time a released attempt of the course's final
# assessment passes (after completion was evaluated, so a completing pass comes second), inside
# the transaction that released it (or after a regrade or mark correction that made it pass).
# Renewal listens: a pass again renews a certificate that is due.
final_assessment_passed = Signal()
