"""What the courses app refuses, in words a learner can act on."""


class RegistrationError(Exception):
    """A registration for a webinar session that cannot be made or changed."""


class CourseError(Exception):
    """A rule about enrolment or progress was broken; the message is for the user."""


class AttendanceError(Exception):
    """Attendance at a webinar session that cannot be recorded or removed."""


class RecordingError(Exception):
    """A webinar recording that cannot be saved, published, served or marked as watched."""
