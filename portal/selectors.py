from assessments import selectors as assessment_selectors
from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors


def dashboard(*, user) -> dict:
    """Everything the learner's dashboard shows, in a fixed number of queries."""
    certificates = list(certificate_selectors.for_learner(user=user))
    return {
        "enrolments": list(course_selectors.enrolments_for_dashboard(user=user)),
        "certificates": [certificate for certificate in certificates if not certificate.renewed],
        "earlier_certificates": [
            certificate for certificate in certificates if certificate.renewed
        ],
        "memberships": list(user.memberships.select_related("organisation")),
        "attempts": assessment_selectors.attempt_record(user=user),
        "cpd": course_selectors.cpd_summary(user=user),
    }
