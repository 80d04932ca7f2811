"""python manage.py export_gift --bank NAME [--output FILE]: a bank's questions as GIFT."""

from assessments import services

from ._files import ExportCommand


class Command(ExportCommand):
    help = (
        "Write a question bank as Moodle GIFT (to standard output unless --output is given). "
        "Questions GIFT cannot express are left out with a warning each; essays are written "
        "without their rubric, with a note each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="the name of the question bank")
        parser.add_argument("--output", help="the file to write (UTF-8); standard output if absent")

    def handle(self, *args, bank, output, **options):
        self.write(services.export_gift(bank=self.bank(bank)), output)
