import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates import selectors


class Command(BaseCommand):
    help = (
        "Check a credential file as the public checking page does: signature, dates and the "
        "certificate's state. Exit code 0 when it is valid, 1 when it is not, 2 when the file "
        "cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The credential's .json file")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > settings.ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES:
                raise CommandError(
                    f"{path} is {size // 1024} KB, larger than any credential the Academy issues.",
                    returncode=2,
                )
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.", returncode=2) from exc
        except (ValueError, RecursionError) as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}.", returncode=2) from exc
        result = selectors.verify_credential(document)
        self.stdout.write(result.message)
        if result.reason:
            self.stdout.write(f"Reason: {result.reason}")
        if result.detail:
            self.stdout.write(f"What the check found: {result.detail}")
        if result.certificate is not None and result.outcome != "altered":
            self.stdout.write(f"Verification page: {result.certificate.verify_url}")
        if not result.valid:
            raise SystemExit(1)
