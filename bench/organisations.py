"""Benchmark the organisations' reports over create_random_data's data: `.venv/bin/python -m
bench.organisations` (or `make bench-organisations`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate it and load the demo.
2. Write, with portal.random_data (what `manage.py create_random_data` runs): first --first
   learners in --first-organisations organisations, then the rest up to --learners in the rest up
   to --organisations, each with about --enrolments-per-learner enrolments (completions,
   released attempts, certificates), memberships and assignments. At each size, rebuild the
   trained spans and the national figures' aggregate (both timed), check the national view and
   the busiest organisation's compliance trend against the same worked out directly from the
   rows, and count each case's queries.
3. Time, round by round, each case against a bare aggregate in the same round: COUNT of the
   enrolments grouped by month, the least any monthly report must do. Cases: the national view's
   selector (all organisations, and NHS trusts in London), the full admin page through the test
   client, and, for comparison, the live count the aggregate replaces (enrolments by month and
   organisation kind, joined to current memberships); then the busiest organisation's pages as
   its manager opens them (the home, and the compliance page with its CSV and XLSX).
4. Print the results as Markdown, for docs/benchmarks.md.

The cases are built by one function per report (`national_cases`, `organisation_cases`), joined
in `cases_for`. `World` names the busiest organisation and its manager for them.

The database is dropped at the end, also when something fails.
"""

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import harness
from .analysis import count_queries
from .harness import positive
from .machine import cpu_shares, cpu_times

BARE = "bare: enrolments by month"


@dataclass
class World:
    """Who the cases run as, and what they look at."""

    administrator_id: int
    organisation_id: int  # the organisation with the most current members
    manager_id: int | None  # its manager
    members: int  # its current members


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.organisations", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--learners", type=positive, default=50000)
    parser.add_argument("--organisations", type=positive, default=500)
    parser.add_argument("--first", type=positive, default=10000, help="learners written first")
    parser.add_argument("--first-organisations", type=positive, default=100)
    parser.add_argument("--enrolments-per-learner", type=positive, default=10)
    parser.add_argument("--rounds", type=positive, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    harness.add_database_url(parser, "academy_bench_organisations")
    args = parser.parse_args(argv)
    if args.first >= args.learners or args.first_organisations >= args.organisations:
        parser.error("--first and --first-organisations must be fewer than the totals")
    cpu_before = cpu_times()

    with harness.prepare("bench.organisations", argv, args.database_url) as bench:
        import io

        from django.core.management import call_command
        from django.db import connection

        from organisations.services import rebuild_trained_spans
        from portal import random_data
        from portal.national_refresh import refresh_national_figures

        print("Migrating and loading the demo...", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        checks = harness.Checks()
        sizes, queries, refreshes, rebuilds = {}, {}, {}, {}
        batches = (
            ("first", args.first, args.first_organisations, args.seed),
            (
                "more",
                args.learners - args.first,
                args.organisations - args.first_organisations,
                args.seed + 1,
            ),
        )
        world, size = None, 0
        for prefix, learners, organisations, seed in batches:
            started = time.perf_counter()
            made = random_data.generate(
                learners=learners,
                organisations=organisations,
                enrolments_per_learner=args.enrolments_per_learner,
                seed=seed,
                prefix=prefix,
            )
            size += made.learners
            print(f"Wrote {made.describe()} in {time.perf_counter() - started:.1f} s", flush=True)
            started = time.perf_counter()
            rebuild_trained_spans()
            rebuilds[size] = (time.perf_counter() - started) * 1000
            print(f"Rebuilt the trained spans in {rebuilds[size]:.0f} ms", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            started = time.perf_counter()
            refresh_national_figures()
            refreshes[size] = (time.perf_counter() - started) * 1000
            sizes[size] = row_counts()
            print(f"Counted the national figures in {refreshes[size]:.0f} ms", flush=True)
            check(checks, size=size)
            world = make_world()
            check_compliance(checks, world=world, size=size)
            if checks.failed:
                return harness.report(checks, {})
            queries[size] = {name: count_queries(run) for name, run in cases_for(world).items()}

        timings = harness.time_rounds(cases_for(world), rounds=args.rounds)

        print()
        print(bench.header(took=True))
        print(f"- The machine's CPU time during the run: {cpu_shares(cpu_before)}")
        print(f"- PostgreSQL {bench.postgres}; {args.rounds} rounds; seed {args.seed}")
        print(
            f"- The manager's cases are the busiest organisation's: {world.members:,} current staff"
        )
        for size, counts in sizes.items():
            described = ", ".join(f"{n:,} {name}" for name, n in counts.items())
            print(
                f"- {size:,} learners: {described}; the national aggregate rebuilt in "
                f"{refreshes[size]:,.0f} ms, the trained spans in {rebuilds[size]:,.0f} ms"
            )
        print()
        print(table(timings, queries))
    return harness.report(checks, {})


def row_counts() -> dict[str, int]:
    from academy.models import Membership, Organisation, User
    from assessments.models import Attempt
    from certificates.models import Certificate
    from courses.models import Enrolment
    from organisations.models import TrainedSpan
    from portal.models import NationalFigure

    return {
        "learners": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attempts": Attempt.objects.count(),
        "certificates": Certificate.objects.count(),
        "aggregate rows": NationalFigure.objects.count(),
        "trained spans": TrainedSpan.objects.count(),
    }


def make_world() -> World:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db.models import Count, Q

    from academy.models import Membership, Organisation, User

    administrator = User.objects.get(email="admin@example.org")
    if not administrator.authenticator_set.exists():
        TOTP.activate(administrator, generate_totp_secret())
    busiest = (
        Organisation.objects.annotate(
            members=Count("memberships", filter=Q(memberships__left_at__isnull=True))
        )
        .order_by("-members")
        .first()
    )
    manager = (
        Membership.objects.current()
        .filter(organisation=busiest, role=Membership.Role.MANAGER)
        .values_list("user_id", flat=True)
        .first()
    )
    return World(administrator.pk, busiest.pk, manager, busiest.members)


# What is timed ---------------------------------------------------------------------------------


def signed_in(user_id: int):
    """A test client signed in as the user, on a host the bench settings allow."""
    from django.test import Client

    from academy.models import User

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(pk=user_id))
    return client


def get_ok(client, path: str, **params) -> None:
    response = client.get(path, params)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    if response.streaming:  # a download is made as it is read
        b"".join(response.streaming_content)


def national_cases(world: World) -> dict[str, Callable]:
    from django.db.models import Count, DateField
    from django.db.models.functions import TruncMonth
    from django.urls import reverse

    from courses.models import Enrolment
    from portal import national

    start, end = national.default_range()
    everyone = national.Filters(start=start, end=end)
    london_trusts = national.Filters(start=start, end=end, kind="nhs_trust", region="london")
    client = signed_in(world.administrator_id)
    page = reverse("national_figures")
    return {
        BARE: lambda: list(
            Enrolment.objects.annotate(month=TruncMonth("enrolled_at", output_field=DateField()))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "live: enrolments by month and kind": lambda: list(
            Enrolment.objects.filter(
                user__memberships__left_at__isnull=True, enrolled_at__date__gte=start
            )
            .annotate(month=TruncMonth("enrolled_at", output_field=DateField()))
            .values("month", "user__memberships__organisation__kind")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "national view: selector, everyone": lambda: national.national_figures(filters=everyone),
        "national view: selector, NHS trusts in London": lambda: national.national_figures(
            filters=london_trusts
        ),
        "national view: admin page": lambda: get_ok(client, page),
        "national view: admin page, NHS trusts in London": lambda: get_ok(
            client, page, kind="nhs_trust", region="london"
        ),
    }


def organisation_cases(world: World) -> dict[str, Callable]:
    """The busiest organisation's pages, as its manager opens them: the home (figures and the
    first page of staff) and the compliance view with its two downloads."""
    from django.urls import reverse

    if world.manager_id is None:
        raise RuntimeError("The busiest organisation has no manager: generate again.")
    client = signed_in(world.manager_id)
    pk = world.organisation_id
    return {
        "manager home: page": lambda: get_ok(
            client, reverse("organisations:organisation", args=[pk])
        ),
        "manager home: overdue filter": lambda: get_ok(
            client, reverse("organisations:organisation", args=[pk]), status="overdue"
        ),
        "compliance: page": lambda: get_ok(client, reverse("organisations:compliance", args=[pk])),
        "compliance: CSV": lambda: get_ok(
            client, reverse("organisations:compliance_csv", args=[pk])
        ),
        "compliance: XLSX": lambda: get_ok(
            client, reverse("organisations:compliance_xlsx", args=[pk])
        ),
    }


def cases_for(world: World) -> dict[str, Callable]:
    """Every case, by name; the first is the bare aggregate every ratio is taken against."""
    return {**national_cases(world), **organisation_cases(world)}


# Checking against the rows ---------------------------------------------------------------------


def check(checks: harness.Checks, *, size: int) -> None:
    """The national view's figures for everyone and for one kind, against the same counted
    directly from the rows in Python."""
    from django.utils import timezone

    from academy.models import Membership
    from courses.models import Enrolment
    from portal import national

    start, end = national.default_range()
    kinds = {}
    for user_id, kind in Membership.objects.current().values_list("user_id", "organisation__kind"):
        kinds.setdefault(user_id, set()).add(kind)
    want_all, want_trusts, completed = Counter(), Counter(), Counter()
    for user_id, enrolled_at, completed_at in Enrolment.objects.values_list(
        "user_id", "enrolled_at", "completed_at"
    ).iterator(chunk_size=20000):
        month = timezone.localtime(enrolled_at).date().replace(day=1)
        want_all[month] += 1
        if "nhs_trust" in kinds.get(user_id, ()):
            want_trusts[month] += 1
        if completed_at:
            completed[timezone.localtime(completed_at).date().replace(day=1)] += 1
    problems, compared = [], 0
    for kind, want in (("", want_all), ("nhs_trust", want_trusts)):
        figures = national.national_figures(
            filters=national.Filters(start=start, end=end, kind=kind)
        )
        for row in figures.months:
            month = date.fromisoformat(row.key + "-01")
            compared += 1
            if row.counts.enrolments != want[month]:
                got = row.counts.enrolments
                problems.append(f"{kind or 'all'} {row.key}: {got}, Python {want[month]}")
            if not kind:
                compared += 1
                if row.counts.completions != completed[month]:
                    problems.append(f"completions {row.key}")
    checks.expect(
        not problems,
        f"{size:,} learners: {compared} monthly figures agree with the rows",
        f"{size:,} learners: " + "; ".join(problems[:5]),
    )
    print(f"Checked {compared} figures at {size:,} learners: {len(problems)} differ", flush=True)


def check_compliance(checks: harness.Checks, *, world: World, size: int) -> None:
    """The busiest organisation's compliance figures (counted from the trained spans) against
    the rules applied to each person's rows in Python, at each month's end of the trend."""
    from collections import defaultdict

    from django.db.models import F
    from django.utils import timezone

    from academy.models import Membership, Organisation
    from certificates.models import Certificate
    from organisations import selectors, training
    from organisations.models import PersonalAssignment
    from organisations.selectors.compliance import add_months

    organisation = Organisation.objects.get(pk=world.organisation_id)
    now = timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    report = selectors.compliance(
        organisation=organisation,
        filters=selectors.Filters(first_month=add_months(this_month, -11), last_month=this_month),
        now=now,
    )
    memberships = list(
        Membership.objects.filter(organisation=organisation).values(
            "user_id", "joined_at", "left_at"
        )
    )
    user_ids = {m["user_id"] for m in memberships}
    certificates, cycles = defaultdict(list), defaultdict(lambda: defaultdict(list))
    for row in Certificate.objects.filter(learner_id__in=user_ids).values(
        *training.CERTIFICATE_FIELDS
    ):
        certificates[row["learner_id"]].append(row)
    for row in (
        PersonalAssignment.objects.filter(assignment__organisation=organisation)
        .order_by("cycle")
        .values(*training.CYCLE_FIELDS, withdrawn_at=F("assignment__withdrawn_at"))
    ):
        cycles[row["user_id"]][row["assignment_id"]].append(row)
    problems = []
    for point in report.trend:
        present = [
            m
            for m in memberships
            if m["joined_at"] <= point.at and (m["left_at"] is None or point.at < m["left_at"])
        ]
        trained = sum(
            training.trained_at(
                point.at,
                certificates=certificates[m["user_id"]],
                assignments=list(cycles[m["user_id"]].values()),
            )
            for m in present
        )
        if (point.staff, point.trained) != (len(present), trained):
            problems.append(
                f"{point.month:%b %Y}: {point.trained} of {point.staff}, "
                f"Python {trained} of {len(present)}"
            )
    checks.expect(
        not problems,
        f"{size:,} learners: {len(report.trend)} months of compliance agree with the rows",
        f"{size:,} learners, compliance: " + "; ".join(problems[:5]),
    )
    print(f"Checked {len(report.trend)} compliance months: {len(problems)} differ", flush=True)


# Results ---------------------------------------------------------------------------------------


def table(timings, queries) -> str:
    small, large = sorted(queries)
    lines = [
        f"| Case | Median ms | p95 ms | Range ms | Python CPU ms | vs {BARE} "
        f"| Queries ({small:,} / {large:,} learners) | Rows returned ({large:,}) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = [w for w, _ in timings[BARE]]
    for name, times in timings.items():
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        # Ratio to the bare aggregate in the same round, so both saw the same machine load.
        ratio = statistics.median(t / b for t, b in zip(wall, base, strict=True))
        p95 = statistics.quantiles(wall, n=20, method="inclusive")[-1]
        lines.append(
            f"| {name} | {statistics.median(wall):.1f} | {p95:.1f} "
            f"| {min(wall):.1f}–{max(wall):.1f} | {statistics.median(cpu):.1f} | {ratio:.2f} "
            f"| {queries[small][name][0]} / {queries[large][name][0]} "
            f"| {queries[large][name][1]:,} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
