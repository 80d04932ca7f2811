"""The one domain error of the assessments app."""


class AssessmentError(Exception):
    """A rule about questions, assessments or attempts was broken; the message is for the user."""
