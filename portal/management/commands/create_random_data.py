"""`manage.py create_random_data --learners 50000 --organisations 500`: fill the database with
random but realistic organisations, people, assignments, enrolments, attempts and certificates
(portal.random_data), for the benchmarks and for trying the reports at scale."""

import time

from django.core.management.base import BaseCommand, CommandError

from organisations.services import rebuild_trained_spans
from portal import random_data
from portal.national_refresh import refresh_national_figures


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Fill the database with random organisations, learners and their learning."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=positive, default=50000)
        parser.add_argument("--organisations", type=positive, default=500)
        parser.add_argument(
            "--enrolments-per-learner",
            type=positive,
            default=10,
            help="on average (at most the number of courses)",
        )
        parser.add_argument(
            "--courses",
            type=positive,
            default=15,
            help="live courses to spread enrolments over; generated ones are added to reach it",
        )
        parser.add_argument(
            "--completion-rate", type=float, default=0.6, help="share of enrolments completed"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not 0 <= options["completion_rate"] <= 1:
            raise CommandError("--completion-rate must be between 0 and 1.")
        earlier = random_data.already_made("random")
        if earlier:
            raise CommandError(
                f"Random data is already here ({earlier:,} random organisations): nothing was "
                "added. Run it once, on a fresh database."
            )
        started = time.monotonic()
        try:
            made = random_data.generate(
                learners=options["learners"],
                organisations=options["organisations"],
                enrolments_per_learner=options["enrolments_per_learner"],
                courses=options["courses"],
                completion_rate=options["completion_rate"],
                seed=options["seed"],
                log=lambda message: self.stdout.write(f"  {message}"),
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        refresh_national_figures()
        # The rows were written around the services, so no event kept the spans.
        rebuild_trained_spans()
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {made.describe()} in {time.monotonic() - started:.0f} s; national figures "
                "counted, trained spans rebuilt."
            )
        )
