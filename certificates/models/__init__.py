"""The certificates app's models, one module per job; import them from here."""

from .awards import Award, CertificateDesign, private_storage
from .bulk import BulkIssue, BulkIssueLearner
from .certificates import Certificate, ExpiryReminder, StatusNotice
from .credentials import SigningKey, StatusList, StatusListEntry

__all__ = [
    "Award",
    "BulkIssue",
    "BulkIssueLearner",
    "Certificate",
    "CertificateDesign",
    "ExpiryReminder",
    "SigningKey",
    "StatusList",
    "StatusListEntry",
    "StatusNotice",
    "private_storage",
]
