"""python manage.py import_moodle_xml FILE --bank NAME: all the file's questions, or none."""

from django.core.management.base import CommandError

from assessments import services

from ._files import FileImportCommand, read_bytes


class Command(FileImportCommand):
    help = (
        "Import a Moodle XML file (as Moodle and Totara export question banks) into a question "
        "bank (created if missing); its categories become sub-banks and its descriptions case "
        "studies. A file with any problem imports nothing; each problem is printed with its "
        "line number and question."
    )
    file_help = "the Moodle XML file"
    bank_help = "the name of the question bank"

    def text(self, path):
        try:
            return services.moodle_xml_text(read_bytes(path))
        except services.ImportRefused as error:
            raise CommandError(f"{path}: {error.problems[0]}") from error

    def import_questions(self, *, text, bank):
        return services.import_moodle_xml(text=text, bank=bank)
