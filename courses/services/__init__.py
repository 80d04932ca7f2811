"""Every state change of the courses app; one module per part, re-exported here.

- learning: enrolling, lessons, completing a course and its final assessment
- webinars: registering for a session, the waiting list, cancelling
- attendance: who attended a session (the register, an attendance report), and removing it
"""

from ..errors import AttendanceError, CourseError, RegistrationError
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
from .webinars import cancel_registration, fill_places, places_left, register

__all__ = [
    "AttendanceError",
    "CourseError",
    "RegistrationError",
    "attendance_refusal",
    "cancel_registration",
    "complete_lesson",
    "enrol",
    "evaluate_after_attempt",
    "evaluate_completion",
    "fill_places",
    "has_passed_final_assessment",
    "lessons_outstanding",
    "places_left",
    "record_attendance",
    "record_visit",
    "register",
    "remove_attendance",
    "start_final_assessment",
]
