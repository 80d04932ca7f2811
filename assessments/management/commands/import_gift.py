"""python manage.py import_gift FILE --bank NAME: all the file's questions, or none."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments import importing
from assessments.services import AssessmentError

from ._files import read_text


class Command(BaseCommand):
    help = (
        "Import a Moodle GIFT file into a question bank (created if missing). A file with any "
        "problem imports nothing; each problem is printed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the GIFT file (UTF-8)")
        parser.add_argument("--bank", required=True, help="the name of the question bank")

    def handle(self, *args, file, bank, **options):
        text = read_text(file)
        try:
            # One transaction, so a refused file does not leave a new, empty bank behind.
            with transaction.atomic():
                question_bank = importing.bank_named(name=bank)
                questions = importing.import_gift(text=text, bank=question_bank)
        except importing.ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"Nothing was imported from {file}: {count} problem{'s' if count > 1 else ''}."
            ) from error
        except AssessmentError as error:
            raise CommandError(str(error)) from error
        count = len(questions)
        self.stdout.write(
            f"Imported {count} question{'s' if count != 1 else ''} into “{question_bank}”."
        )
