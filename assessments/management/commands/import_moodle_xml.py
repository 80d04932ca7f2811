"""python manage.py import_moodle_xml FILE --bank NAME: all the file's questions, or none."""

from django.core.management.base import CommandError
from django.db import transaction

from assessments import services
from assessments.formatting import plural

from ._files import ImportCommand, read_bytes


class Command(ImportCommand):
    help = (
        "Import a Moodle XML file (as Moodle and Totara export question banks) into a question "
        "bank (created if missing); its categories become sub-banks and its descriptions case "
        "studies. A file with any problem imports nothing; each problem is printed with its "
        "line number and question."
    )
    file_help = "the Moodle XML file"
    bank_help = "the name of the question bank"

    def handle(self, *args, file, bank, **options):
        try:
            text = services.moodle_xml_text(read_bytes(file))
        except services.ImportRefused as error:
            raise CommandError(f"{file}: {error.problems[0]}") from error
        try:
            # One transaction, so a refused file does not leave a new, empty bank behind.
            with transaction.atomic():
                question_bank = services.bank_named(name=bank)
                questions = services.import_moodle_xml(text=text, bank=question_bank)
        except services.ImportRefused as error:
            count = plural(error.count, "problem")
            raise self.refused(error, f"Nothing was imported from {file}: {count}.") from error
        except services.AssessmentError as error:
            raise CommandError(str(error)) from error
        self.imported(len(questions), question_bank)
