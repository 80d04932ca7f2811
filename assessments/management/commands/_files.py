"""Reading and writing the files the bank commands name, with errors a trainer can act on, and
what the import commands and the export commands share."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments import services
from assessments.formatting import plural
from assessments.models import QuestionBank
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


class FileImportCommand(ImportCommand):
    """An import of a file's questions into a bank made if missing: `text` reads the file, and
    `import_questions` adds its questions to the bank (services.import_gift and the like)."""

    def text(self, path: str) -> str:
        return read_text(path)

    def import_questions(self, *, text: str, bank: QuestionBank) -> list:
        raise NotImplementedError

    def handle(self, *args, file, bank, **options):
        text = self.text(file)
        try:
            # One transaction, so a refused file does not leave a new, empty bank behind.
            with transaction.atomic():
                question_bank = services.bank_named(name=bank)
                questions = self.import_questions(text=text, bank=question_bank)
        except ImportRefused as error:
            count = plural(error.count, "problem")
            raise self.refused(error, f"Nothing was imported from {file}: {count}.") from error
        except services.AssessmentError as error:
            raise CommandError(str(error)) from error
        self.imported(len(questions), question_bank)


class ExportCommand(BaseCommand):
    """A command that writes a question bank in a format: the bank found by its name, a warning
    for each question left out and a note for each written differently, and the file written
    (or the text on standard output)."""

    def bank(self, name: str) -> QuestionBank:
        bank = QuestionBank.objects.filter(name=name).first()
        if bank is None:
            raise CommandError(f"There is no question bank called “{name}”.")
        return bank

    def write(self, exported, path: str | None) -> None:
        """Report an export's `skipped` and `notes`, and write its `text` (`count` questions)."""
        for title, reason in exported.skipped:
            self.stderr.write(f"Warning: left out “{title}”: {reason}.")
        for title, note in exported.notes:
            self.stderr.write(f"Note: “{title}” is {note}.")
        if path:
            write_text(path, exported.text)
            self.stdout.write(f"Wrote {plural(exported.count, 'question')} to {path}.")
        else:
            self.stdout.write(exported.text, ending="")
