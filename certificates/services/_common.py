"""Small rules the services share."""

from ..errors import MissingDetailError
from ..models import Certificate


def required(text: str, what: str) -> str:
    """The text stripped, or MissingDetailError asking for `what`."""
    text = (text or "").strip()
    if not text:
        raise MissingDetailError(f"Give {what}.")
    return text


def current_and_active(certificate: Certificate) -> bool:
    """Not replaced by a correction, and neither suspended nor revoked."""
    return certificate.superseded_at is None and certificate.status == Certificate.Status.ACTIVE
