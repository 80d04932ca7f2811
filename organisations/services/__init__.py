"""The organisations app's state changes, one module per area; import them from here."""

from ..invitation_file import InvitationFileError
from .invitations import (
    InvitationCounts,
    accept_invitation,
    accept_url,
    check_usable,
    email_matches,
    find_invitation,
    has_account,
    hash_token,
    invite,
    invite_from_file,
    resend_invitation,
    send_invitation,
    sweep_unsent_invitations,
    withdraw_invitation,
)

__all__ = [
    "InvitationCounts",
    "InvitationFileError",
    "accept_invitation",
    "accept_url",
    "check_usable",
    "email_matches",
    "find_invitation",
    "has_account",
    "hash_token",
    "invite",
    "invite_from_file",
    "resend_invitation",
    "send_invitation",
    "sweep_unsent_invitations",
    "withdraw_invitation",
]
