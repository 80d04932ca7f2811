"""python manage.py import_gift FILE --bank NAME: all the file's questions, or none."""

from assessments import services

from ._files import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import a Moodle GIFT file into a question bank (created if missing). A file with any "
        "problem imports nothing; each problem is printed with its line number."
    )
    file_help = "the GIFT file (UTF-8)"
    bank_help = "the name of the question bank"

    def import_questions(self, *, text, bank):
        return services.import_gift(text=text, bank=bank)
