"""python manage.py import_bank FILE --bank NAME: a new bank from an export_bank file."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments import importing

from ._files import read_text


class Command(BaseCommand):
    help = (
        "Create a question bank from a file written by export_bank. A file with any problem "
        "imports nothing; each problem is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file written by export_bank")
        parser.add_argument("--bank", required=True, help="the name of the new question bank")

    def handle(self, *args, file, bank, **options):
        text = read_text(file)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file}: line {error.lineno}: not valid JSON ({error.msg}); nothing was imported."
            ) from error
        try:
            question_bank = importing.import_bank_json(data=data, bank_name=bank)
        except importing.ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported from {file}.") from error
        count = question_bank.questions.count()
        self.stdout.write(
            f"Imported {count} question{'s' if count != 1 else ''} into “{question_bank}”."
        )
