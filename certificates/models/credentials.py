"""What credentials rest on: the keys that sign them and the status lists that say which are
revoked or suspended."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .. import status_list
from .certificates import Certificate


class SigningKey(models.Model):
    """A public key the Academy signs credentials with; the private key is never stored here.

    Keys are never deleted: a retired key stays in the DID document so the credentials it signed
    still verify. The key in use is the one the private key file or environment variable holds.
    """

    public_key = models.CharField(
        max_length=64, unique=True, editable=False, help_text="Ed25519 Multikey (z6Mk...)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a newer key replaced it. It still verifies what it signed.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retired_at__isnull=True)
                | models.Q(retired_at__gte=models.F("created_at")),
                name="signing_key_retired_after_created",
            ),
        ]

    def __str__(self):
        return self.public_key + (" (retired)" if self.retired_at else "")

    @property
    def short_form(self) -> str:
        """The key as people compare it by eye: its first twelve and last four characters."""
        return f"{self.public_key[:12]}…{self.public_key[-4:]}"


class StatusList(models.Model):
    """One published Bitstring Status List: which of its certificates are revoked.

    The signed status list credential is kept here and signed again only after a status on the
    list changed, so a wallet checking a credential costs one query. `changes` counts status
    changes and is bumped in the same transaction as the change (which locks this row until it
    commits), so a publisher that locks the row always sees every change it records as published.
    """

    number = models.PositiveIntegerField(unique=True)
    size = models.PositiveIntegerField(default=status_list.MIN_ENTRIES)
    changes = models.PositiveIntegerField(default=0)
    published_changes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    credential = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=status_list.MIN_ENTRIES), name="status_list_size"
            ),
        ]

    def __str__(self):
        return f"Status list {self.number}"

    @property
    def is_stale(self) -> bool:
        return self.published_changes != self.changes

    @property
    def url(self) -> str:
        return settings.ACADEMY_SITE_URL + reverse("certificates:status_list", args=[self.number])


class StatusListEntry(models.Model):
    """A certificate's place in a status list, chosen at random so places say nothing of order."""

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="status_entry"
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="status_list_index_once"),
        ]

    def __str__(self):
        return f"{self.certificate_id} at {self.status_list_id}#{self.index}"
