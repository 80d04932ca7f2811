from django.dispatch import Signal

# Sent inside the completing transaction with `enrolment`, once per enrolment.
course_completed = Signal()

# Sent with `enrolment` and `attempt` each time a released attempt of the course's final
# assessment passes (after completion was evaluated, so a completing pass comes second), inside
# the transaction that released it (or after a regrade or mark correction that made it pass).
# Renewal listens: a pass again renews a certificate that is due.
final_assessment_passed = Signal()

# Sent with `session`, `attendances` (the new Attendance rows, each with its `user`) and `by`
# (who recorded them), once per recording that marked anyone new, inside its transaction.
# Accreditation adds the CPD hours, certificates issues the webinar's certificate, organisations
# meets webinar assignments and feedback offers the webinar's survey.
webinar_attended = Signal()

# Sent with `session`, `user`, `by` and `reason` when attendance marked by mistake is removed,
# inside its transaction. Accreditation takes the CPD entry out; certificates issued for it are
# revoked through their own lifecycle, by a person, not here (docs/webinar-attendance.md).
webinar_attendance_removed = Signal()

# Sent with `recording`, `user` and `watched_at` the first time a person says they watched a
# webinar's published recording, inside that transaction. Accreditation adds the recording's CPD
# hours for watching, where the trainer gave some, to people who did not attend a session;
# organisations meets webinar assignments where watching counts as completing the webinar.
webinar_recording_watched = Signal()
