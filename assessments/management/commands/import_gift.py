"""python manage.py import_gift FILE --bank NAME: all the file's questions, or none."""

from django.core.management.base import CommandError
from django.db import transaction

from assessments import services
from assessments.formatting import plural

from ._files import ImportCommand, read_text


class Command(ImportCommand):
    help = (
        "Import a Moodle GIFT file into a question bank (created if missing). A file with any "
        "problem imports nothing; each problem is printed with its line number."
    )
    file_help = "the GIFT file (UTF-8)"
    bank_help = "the name of the question bank"

    def handle(self, *args, file, bank, **options):
        text = read_text(file)
        try:
            # One transaction, so a refused file does not leave a new, empty bank behind.
            with transaction.atomic():
                question_bank = services.bank_named(name=bank)
                questions = services.import_gift(text=text, bank=question_bank)
        except services.ImportRefused as error:
            count = plural(error.count, "problem")
            raise self.refused(error, f"Nothing was imported from {file}: {count}.") from error
        except services.AssessmentError as error:
            raise CommandError(str(error)) from error
        self.imported(len(questions), question_bank)
