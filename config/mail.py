"""The e-mail backend for a development machine: each message is saved whole as an .eml file in
EMAIL_FILE_PATH, and the terminal shows its headers and plain text (links included) with only the
names and sizes of its attachments, so a certificate's PDF is not poured into the terminal as
base64."""

import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string


class FolderEmailBackend(BaseEmailBackend):
    _lock = threading.Lock()

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self.folder = Path(settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = self.folder / f"{stamp}-{get_random_string(6)}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            with self._lock:
                self.stream.write(self._summary(message, path))
                self.stream.flush()
            sent += 1
        return sent

    @staticmethod
    def _summary(message, path: Path) -> str:
        attachments = []
        for attachment in message.attachments:
            if isinstance(attachment, tuple):  # (filename, content, mimetype)
                name, content = attachment[0], attachment[1]
                attachments.append(f"  {name} ({len(content):,} bytes)")
            else:  # a MIME part attached as it is
                name = attachment.get_filename() or attachment.get_content_type()
                attachments.append(f"  {name}")
        lines = [
            "-" * 79,
            f"E-mail saved to {path}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            "",
            message.body.rstrip(),
        ]
        if attachments:
            lines += ["", "Attached (in the saved file):", *attachments]
        return "\n".join(lines + ["-" * 79, ""]) + "\n"
