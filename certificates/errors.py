"""Every error the certificates app raises: one base, `CertificateError`. Pure: no Django.

Two families sit under it. A `RefusedError` is a rule saying no to what someone asked: nothing
changed, and the message is for them (views, forms and commands show it as it is). The others are
faults of the set-up or of a file (a signing key that cannot be read, contexts not installed, a
PDF that will not render, a malformed key or status list): callers that show refusals let them
through, as they always did.
"""


class CertificateError(Exception):
    """Something about awards or certificates went wrong; the message says what."""


# Refusals: nothing changed; the message is for the user ---------------------------------------


class RefusedError(CertificateError):
    """A rule about awards or certificates refused the request; the message is for the user."""


class NotEligibleError(RefusedError):
    """The learner cannot be given the certificate (there is no name to print on it)."""


class RenewalRefusedError(RefusedError):
    """Meeting the renewal rule now does not renew this certificate; the message says why."""


class MissingDetailError(RefusedError):
    """Something the action needs was not given (a reason, a corrected name) or changes nothing."""


class WrongStatusError(RefusedError):
    """The certificate's state does not allow the action (revoked, suspended, not suspended)."""


class SupersededError(WrongStatusError):
    """The certificate was replaced by a corrected one; act on that one instead."""


class PdfNotReadyError(RefusedError):
    """The certificate's PDF is still being rendered."""


class BulkIssueError(RefusedError):
    """A bulk issue was refused; `problems` lists every reason, one line each, for the user."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


# Faults of the set-up or of a file --------------------------------------------------------------


class SigningKeyError(CertificateError):
    """The signing key is missing or unusable; the message says what to set."""


class CredentialError(CertificateError):
    """A credential could not be made; the certificate stands and is signed on first request."""


class RenderError(CertificateError):
    """xhtml2pdf could not render a certificate's PDF."""


class ContextsError(CertificateError):
    """The contexts could not be installed or a document asked for one we do not hold."""


class SigningError(CertificateError, ValueError):
    """A key, DID or document that cannot be used; the message says why."""


class StatusListError(CertificateError, ValueError):
    """An encoded list that cannot be read, or an index outside the list."""
