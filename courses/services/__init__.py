"""Every state change of the courses app; one module per part, re-exported here.

- learning: enrolling, lessons, completing a course and its final assessment
- webinars: registering for a session, the waiting list, cancelling
- sessions: what trainers do to sessions: add, change, move, cancel
- webinar_mail: the e-mails about registrations and the reminders, each sent once
- attendance: who attended a session (the register, an attendance report), and removing it
- recordings: a webinar's recording: saving, publishing (telling people), watching
"""

from ..errors import AttendanceError, CourseError, RecordingError, RegistrationError
from .attendance import attendance_refusal, record_attendance, remove_attendance
from .learning import (
    complete_lesson,
    enrol,
    evaluate_after_attempt,
    evaluate_completion,
    has_passed_final_assessment,
    lessons_outstanding,
    record_visit,
    start_final_assessment,
)
from .recordings import (
    mark_watched,
    people_to_tell,
    publish_recording,
    save_recording,
    send_recording_notices,
    unpublish_recording,
)
from .sessions import cancel_session, create_session, move_session, update_session
from .webinar_mail import (
    queue_reminders,
    send_cancellation,
    send_confirmation,
    send_place_given,
    send_reminder,
    send_session_change,
    sweep_unsent_emails,
    waiting_position,
)
from .webinars import cancel_registration, fill_places, places_left, register

__all__ = [
    "AttendanceError",
    "CourseError",
    "RecordingError",
    "RegistrationError",
    "attendance_refusal",
    "cancel_registration",
    "cancel_session",
    "complete_lesson",
    "create_session",
    "enrol",
    "evaluate_after_attempt",
    "evaluate_completion",
    "fill_places",
    "has_passed_final_assessment",
    "lessons_outstanding",
    "mark_watched",
    "move_session",
    "people_to_tell",
    "places_left",
    "publish_recording",
    "queue_reminders",
    "record_attendance",
    "record_visit",
    "register",
    "remove_attendance",
    "save_recording",
    "send_cancellation",
    "send_confirmation",
    "send_place_given",
    "send_recording_notices",
    "send_reminder",
    "send_session_change",
    "start_final_assessment",
    "sweep_unsent_emails",
    "unpublish_recording",
    "update_session",
    "waiting_position",
]
