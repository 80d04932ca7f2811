"""Every change to awards and certificates, one module a job; this module names them all.

Callers use `from certificates import services` and `services.issue_certificate(...)`:

- issuing: the award for a course or a webinar, issuing a learner's certificate
- renewal: when a certificate renews, renewing it, issuing by an administrator
- delivery: rendering and storing the PDF, e-mailing it, opening it to download, and telling
  the learner when its status changes
- reminders: expiry reminders
- bulk: bulk issue and its chunks, and a webinar session's certificates of attendance
- sweep: queuing again the work whose task went missing
- lifecycle: revoke, suspend, reinstate, correct the name (supersede)
- status_lists: signing the revocation lists again after a change

Every error is a `CertificateError` (certificates/errors.py); refusals are `RefusedError`s.
"""

from ..errors import (
    BulkIssueError,
    CertificateError,
    ContextsError,
    CredentialError,
    MissingDetailError,
    NotEligibleError,
    PdfNotReadyError,
    RefusedError,
    RenderError,
    RenewalRefusedError,
    SigningError,
    SigningKeyError,
    StatusListError,
    SupersededError,
    WrongStatusError,
)
from ..validity import REMINDER_DAYS, RENEWAL_WINDOW_DAYS
from .bulk import check_bulk_learners, issue_bulk_chunk, issue_for_attendance, start_bulk_issue
from .delivery import email_certificate, email_status_notice, render_pdf, stored_pdf
from .issuing import (
    award_for_course,
    award_for_programme,
    award_for_webinar,
    issue_certificate,
    issue_for_course,
    issue_for_programme,
)
from .lifecycle import correct_name, reinstate, revoke, suspend
from .reminders import due_expiry_reminders, send_expiry_reminder
from .renewal import (
    issue_by_administrator,
    renew_certificate,
    renew_for_course,
    renew_for_programme,
    renewal_course,
    renewal_opens,
    renewal_refusal,
)
from .status_lists import publish_status_list, published_status_list
from .sweep import sweep_unfinished

__all__ = [
    # errors
    "BulkIssueError",
    "CertificateError",
    "ContextsError",
    "CredentialError",
    "MissingDetailError",
    "NotEligibleError",
    "PdfNotReadyError",
    "RefusedError",
    "RenderError",
    "RenewalRefusedError",
    "SigningError",
    "SigningKeyError",
    "StatusListError",
    "SupersededError",
    "WrongStatusError",
    # issuing
    "award_for_course",
    "award_for_programme",
    "award_for_webinar",
    "issue_certificate",
    "issue_for_course",
    "issue_for_programme",
    # renewal
    "REMINDER_DAYS",
    "RENEWAL_WINDOW_DAYS",
    "issue_by_administrator",
    "renew_certificate",
    "renew_for_course",
    "renew_for_programme",
    "renewal_course",
    "renewal_opens",
    "renewal_refusal",
    # delivery
    "email_certificate",
    "email_status_notice",
    "render_pdf",
    "stored_pdf",
    # reminders
    "due_expiry_reminders",
    "send_expiry_reminder",
    # bulk
    "check_bulk_learners",
    "issue_bulk_chunk",
    "issue_for_attendance",
    "start_bulk_issue",
    # sweep
    "sweep_unfinished",
    # lifecycle
    "correct_name",
    "reinstate",
    "revoke",
    "suspend",
    # status lists
    "publish_status_list",
    "published_status_list",
]
