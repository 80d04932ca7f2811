"""Reading and writing the files the bank commands name, with errors a trainer can act on, and
what the two import commands share."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.formatting import plural
from assessments.services import ImportRefused, decode_text


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error


def read_text(path: str) -> str:
    data = read_bytes(path)
    try:
        return decode_text(data)
    except ImportRefused as error:
        raise CommandError(f"{path}: {error.problems[0]}") from error


def write_text(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from error


class ImportCommand(BaseCommand):
    """A command that imports a file into a question bank: its two arguments (described by
    file_help and bank_help), each problem of a refused file printed, and the count imported."""

    file_help = ""
    bank_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--bank", required=True, help=self.bank_help)

    def refused(self, error: ImportRefused, message: str) -> CommandError:
        """The error to raise for a refused file, once each of its problems is printed."""
        for problem in error.problems:
            self.stderr.write(problem)
        if error.unlisted:
            self.stderr.write(
                f"… and {plural(error.unlisted, 'more problem')} (only the first "
                f"{len(error.problems):,} are listed)"
            )
        return CommandError(message)

    def imported(self, count: int, bank) -> None:
        self.stdout.write(f"Imported {plural(count, 'question')} into “{bank}”.")
