"""python manage.py import_bank FILE --bank NAME: a new bank from an export_bank file."""

import json

from django.core.management.base import CommandError

from assessments import services

from ._files import ImportCommand, read_text


class Command(ImportCommand):
    help = (
        "Create a question bank from a file written by export_bank. A file with any problem "
        "imports nothing; each problem is printed."
    )
    file_help = "the JSON file written by export_bank"
    bank_help = "the name of the new question bank"

    def handle(self, *args, file, bank, **options):
        text = read_text(file)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file}: line {error.lineno}: not valid JSON ({error.msg}); nothing was imported."
            ) from error
        try:
            question_bank = services.import_bank_json(data=data, bank_name=bank)
        except services.ImportRefused as error:
            raise self.refused(error, f"Nothing was imported from {file}.") from error
        self.imported(question_bank.questions.count(), question_bank)
