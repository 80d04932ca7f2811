"""The one error the feedback app raises: its message is for the person who asked (views show
it as it is). Nothing changed when it is raised."""


class FeedbackError(Exception):
    """A rule about surveys, offers or answers refused the request."""
