"""Benchmark the assessor's queue and the accreditation reports: `.venv/bin/python -m
bench.accreditation` (or `make bench-accreditation`).

1. Create a fresh PostgreSQL database on 127.0.0.1 and migrate it.
2. Write, with bulk_create and a seeded random model: two programmes with a published version of
   three portfolio units each (rubric criteria under five competencies), the second also needing
   a casework quality review and assessed anonymously; organisations, the PHSO among them
   assessing its own staff, with teams; assessors (some in those organisations, so the
   conflict-of-interest rule hides their colleagues from them), IQAs and appeal panel members;
   and candidates, one candidacy each, at every stage: nothing handed in, units waiting, being
   assessed, decided (competent, not yet competent and resubmitted, overturned by IQA or on
   appeal), withdrawn; ten evidence files each (names only: no file is written), frozen into the
   submissions that followed them; IQA samples, appeals, casework reviews; and for the awarded,
   accreditation certificates, some renewed, due for renewal, lapsed, suspended, revoked or
   corrected; and with each candidate, --others-per-candidate learners in the same
   organisations who are no candidates (the Academy's course takers), whom the
   conflict-of-interest rule must look past. First --first candidates, then the rest up to
   --candidates.
3. At both sizes, check the conflict-of-interest rule for every assessor and person, the queue
   (an assessor's first and last page, what they decided, and the counts), the programme reports
   and the casework list against the same worked out in Python from every row; any difference
   fails the run. Count each case's queries at both sizes.
4. Time, round by round, each case against a bare aggregate in the same round: the queue
   against counting the submissions waiting, the reports and the casework list against counting
   the decisions.
5. Print the results as Markdown, for docs/benchmarks.md.

The database is dropped at the end, also when something fails.
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from . import harness
from .accreditation_data import World, analyse, build, describe, row_counts, set_up, too_close
from .analysis import count_queries
from .harness import positive
from .machine import cpu_shares, cpu_times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.accreditation", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--candidates", type=positive, default=5000, help="one candidacy each")
    parser.add_argument(
        "--first", type=positive, default=1000, help="candidates written first (queries counted)"
    )
    parser.add_argument(
        "--others-per-candidate",
        type=int,
        default=9,
        help="learners with a membership of an organisation who are no candidates (course takers)",
    )
    parser.add_argument("--rounds", type=positive, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    harness.add_database_url(parser, "academy_bench_accreditation")
    args = parser.parse_args(argv)
    if args.first >= args.candidates:
        parser.error("--first must be fewer than --candidates")
    cpu_before = cpu_times()

    with harness.prepare("bench.accreditation", argv, args.database_url) as bench:
        from django.core.management import call_command

        from accreditation import selectors

        print("Migrating...", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        rnd = random.Random(args.seed)  # noqa: S311 (simulated candidates, repeatable by the seed)
        world = set_up(rnd)
        checks = harness.Checks()
        sizes, queries = {}, {}
        for start, count in ((0, args.first), (args.first, args.candidates - args.first)):
            started = time.perf_counter()
            build(world, rnd, start=start, count=count, others=count * args.others_per_candidate)
            analyse()
            sizes[start + count] = row_counts()
            print(
                f"Wrote {start + count:,} candidates in all ({describe(sizes[start + count])}) "
                f"in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            check(world, checks, size=start + count)
            if checks.failed:
                return harness.report(checks, {})
            queries[start + count] = {
                name: count_queries(run) for name, run in cases_for(world).items()
            }

        timings = harness.time_rounds(cases_for(world), rounds=args.rounds)

        print()
        print(bench.header(took=True))
        print(f"- The machine's CPU time during the run: {cpu_shares(cpu_before)}")
        print(f"- PostgreSQL {bench.postgres}; {args.rounds} rounds; seed {args.seed}")
        for size, counts in sizes.items():
            print(f"- {size:,} candidates: {describe(counts)}")
        counts = selectors.queue_counts(assessor=world.timed)
        print(
            f"- The queue is {world.timed_label}'s: {counts['waiting']:,} waiting for an "
            f"assessor that they may judge, {counts['opened']:,} opened by them, "
            f"{counts['decided']:,} decided by them; "
            f"{len(selectors.casework_to_review(reviewer=world.timed)):,} casework reviews to do"
        )
        print()
        print(table(timings, queries))
    return harness.report(checks, {})


# What is timed ---------------------------------------------------------------------------------


def queue_page(assessor, *, show: str = "", last: bool = False):
    """What the queue page reads: a page of the queue (the paginator counts it first), its rows
    and the counts of each view."""
    from django.core.paginator import Paginator

    from accreditation import selectors
    from accreditation.views.assessing import PER_PAGE

    paginator = Paginator(selectors.assessing_queue(assessor=assessor, show=show), PER_PAGE)
    page = paginator.get_page(paginator.num_pages if last else 1)
    return (
        paginator.count,
        selectors.queue_rows(page.object_list),
        selectors.queue_counts(assessor=assessor),
    )


def cases_for(world: World) -> dict[str, Callable]:
    from accreditation import selectors
    from accreditation.models import Decision, Submission
    from portal.programme_reports import programme_reports

    assessor = world.timed
    return {
        "bare: count waiting submissions": lambda: Submission.objects.filter(
            status=Submission.Status.SUBMITTED
        ).count(),
        "bare: count decisions": lambda: Decision.objects.count(),
        "queue, first page": lambda: queue_page(assessor),
        "queue, last page": lambda: queue_page(assessor, last=True),
        "queue, decided by the assessor": lambda: queue_page(
            assessor, show=selectors.QueueShow.DECIDED
        ),
        "programme reports, all programmes": programme_reports,
        "casework reviews to do": lambda: selectors.casework_to_review(reviewer=assessor),
    }


REFERENCES = {
    "queue, first page": "bare: count waiting submissions",
    "queue, last page": "bare: count waiting submissions",
    "queue, decided by the assessor": "bare: count waiting submissions",
    "programme reports, all programmes": "bare: count decisions",
    "casework reviews to do": "bare: count decisions",
}


# Checking against Python -----------------------------------------------------------------------


@dataclass
class Rows:
    """Every row the checks need, read plainly from the database."""

    submissions: dict[int, dict]
    works: dict[int, dict]
    candidacies: dict[int, dict]
    names: dict[int, str]
    programmes: dict[int, dict]
    units: dict[int, dict]
    files: Counter
    decisions: list[dict]
    samples: list[dict]
    appeals: list[dict]
    reviews: list[dict]
    certificates: list[dict]
    casework: dict[int, list[int]]  # version id -> its casework requirement ids


def read_rows() -> Rows:
    from academy.models import User
    from accreditation.models import (
        Appeal,
        Candidacy,
        CaseworkReview,
        Decision,
        PortfolioUnit,
        Programme,
        QualitySample,
        Requirement,
        Submission,
        UnitWork,
    )
    from certificates.models import Certificate

    def by_pk(queryset, *names):
        return {row["id"]: row for row in queryset.values("id", *names)}

    casework = defaultdict(list)
    for version, requirement in Requirement.objects.filter(kind="casework_review").values_list(
        "version_id", "id"
    ):
        casework[version].append(requirement)
    return Rows(
        submissions=by_pk(
            Submission.objects.all(),
            "work_id",
            "number",
            "status",
            "submitted_at",
            "assessor_id",
            "opened_at",
        ),
        works=by_pk(UnitWork.objects.all(), "candidacy_id", "requirement__unit_id"),
        candidacies=by_pk(
            Candidacy.objects.all(),
            "candidate_id",
            "programme_id",
            "version_id",
            "reference",
            "status",
        ),
        names={
            pk: name or email
            for pk, name, email in User.objects.values_list("id", "full_name", "email")
        },
        programmes=by_pk(Programme.objects.all(), "name", "anonymous_assessment"),
        units={
            unit.pk: {"name": str(unit), "limit": unit.resubmission_limit}
            for unit in PortfolioUnit.objects.all()
        },
        files=Counter(
            Submission.evidence.through.objects.values_list("submission_id", flat=True).iterator()
        ),
        decisions=list(
            Decision.objects.values("id", "submission_id", "kind", "outcome", "decided_at")
        ),
        samples=list(QualitySample.objects.values("decision__submission_id", "outcome")),
        appeals=list(Appeal.objects.values("decision__submission_id", "outcome")),
        reviews=list(
            CaseworkReview.objects.values(
                "id", "candidacy_id", "requirement_id", "outcome", "recorded_at"
            )
        ),
        certificates=list(
            Certificate.objects.values(
                "learner_id",
                "award__programme_id",
                "cycle",
                "status",
                "valid_until",
                "superseded_at",
            )
        ),
        casework=dict(casework),
    )


def check(world: World, checks: harness.Checks, *, size: int) -> None:
    """Compare the queue, the reports and the casework list with the same worked out in Python
    from the rows; each comparison passes or fails the run."""
    rows = read_rows()
    for name, compare in (
        ("conflict-of-interest rule", check_conflicts),
        ("queue", check_queue),
        ("reports", check_reports),
        ("casework list", check_casework),
    ):
        problems, compared = compare(world, rows)
        checks.expect(
            not problems,
            f"{size:,} candidates, {name}: {compared} agree with Python",
            f"{size:,} candidates, {name}: " + "; ".join(problems[:5]),
        )
        print(
            f"Checked the {name} at {size:,} candidates: {compared} figures compared, "
            f"{len(problems)} differ",
            flush=True,
        )


def check_conflicts(world: World, rows: Rows) -> tuple[list[str], int]:
    """Who each assessor may not judge, by academy's rule in the database and in Python."""
    from academy.selectors import people_too_close_to_judge

    problems, compared = [], 0
    everyone = list(rows.names)
    for assessor in world.assessors:
        got = set(people_too_close_to_judge(judge=assessor).values_list("pk", flat=True))
        want = {person for person in everyone if too_close(world, assessor.pk, person)}
        compared += len(everyone)
        if got != want:
            problems.append(
                f"{assessor.full_name}: {len(got - want)} too close by the rule only, "
                f"{len(want - got)} by Python only"
            )
    return problems, compared


def label(rows: Rows, candidacy: dict) -> str:
    """The candidate as staff see them: the reference alone under anonymous assessment, else the
    name and the reference."""
    if rows.programmes[candidacy["programme_id"]]["anonymous_assessment"]:
        return candidacy["reference"]
    return f"{rows.names[candidacy['candidate_id']]} ({candidacy['reference']})"


def latest_outcomes(rows: Rows) -> dict[int, str]:
    """Each submission's latest decision's outcome (by time, then id)."""
    latest = {}
    for d in sorted(rows.decisions, key=lambda d: (d["decided_at"], d["id"])):
        latest[d["submission_id"]] = d["outcome"]
    return latest


def check_queue(world: World, rows: Rows) -> tuple[list[str], int]:
    from django.utils import timezone

    from accreditation.models import Decision, Submission
    from accreditation.views.assessing import PER_PAGE

    assessor = world.timed.pk
    outcomes = latest_outcomes(rows)
    labels = dict(Decision.Outcome.choices)
    status_labels = dict(Submission.Status.choices)
    by_work = defaultdict(list)
    for s in rows.submissions.values():
        by_work[s["work_id"]].append(s)

    def candidate_of(s):
        return rows.candidacies[rows.works[s["work_id"]]["candidacy_id"]]

    visible = [
        (pk, s)
        for pk, s in rows.submissions.items()
        if not too_close(world, assessor, candidate_of(s)["candidate_id"])
    ]
    mine = {
        "waiting": [p for p, s in visible if s["status"] == "submitted"],
        "opened": [
            p for p, s in visible if s["status"] == "in_assessment" and s["assessor_id"] == assessor
        ],
        "decided": [
            p for p, s in visible if s["status"] == "decided" and s["assessor_id"] == assessor
        ],
    }
    now = timezone.now()

    def expected_row(pk):
        s = rows.submissions[pk]
        candidacy = candidate_of(s)
        programme = rows.programmes[candidacy["programme_id"]]
        unit = rows.units[rows.works[s["work_id"]]["requirement__unit_id"]]
        before = sum(
            1
            for other in by_work[s["work_id"]]
            if other["number"] < s["number"] and other["status"] != "withdrawn"
        )
        outcome = outcomes.get(pk, "")
        return {
            "submission_id": pk,
            "candidate": label(rows, candidacy),
            "programme": programme["name"],
            "unit": unit["name"],
            "number": s["number"],
            "submitted_at": s["submitted_at"],
            "waiting_days": (now - s["submitted_at"]).days,
            "status": s["status"],
            "status_label": status_labels[s["status"]],
            "opened_at": s["opened_at"],
            "evidence_count": rows.files[pk],
            "outcome": outcome,
            "outcome_label": labels.get(outcome, ""),
            "resubmissions_left": max(0, unit["limit"] - before),
        }

    def ordered(pks):
        return sorted(pks, key=lambda pk: (rows.submissions[pk]["submitted_at"], pk))

    problems, compared = [], 0
    counts = {key: len(value) for key, value in mine.items()}
    default = ordered(mine["waiting"] + mine["opened"])
    decided = ordered(mine["decided"])
    last_start = (max(len(default) - 1, 0) // PER_PAGE) * PER_PAGE
    for name, kwargs, expected_ids, total in (
        ("first page", {}, default[:PER_PAGE], len(default)),
        ("last page", {"last": True}, default[last_start:], len(default)),
        ("decided", {"show": "decided"}, decided[:PER_PAGE], len(decided)),
    ):
        got_total, got_rows, got_counts = queue_page(world.timed, **kwargs)
        compared += 2
        if got_total != total:
            problems.append(f"{name}: {got_total} in the queue, Python {total}")
        if got_counts != counts:
            problems.append(f"{name}: counts {got_counts}, Python {counts}")
        if [r.submission_id for r in got_rows] != expected_ids:
            problems.append(f"{name}: other submissions or another order than Python's")
            continue
        for row in got_rows:
            got = asdict(row)
            want = expected_row(row.submission_id)
            # A day may turn between the two clocks.
            if abs(got.pop("waiting_days") - want.pop("waiting_days")) > 1:
                problems.append(f"{name}: submission {row.submission_id} waiting days")
            for key, value in want.items():
                compared += 1
                if got[key] != value:
                    problems.append(
                        f"{name}: submission {row.submission_id} {key} {got[key]!r}, "
                        f"Python {value!r}"
                    )
    if not default or not decided or not counts["opened"]:
        problems.append(f"the timed assessor's queue is too thin to test: {counts}")
    return problems, compared


def check_reports(world: World, rows: Rows) -> tuple[list[str], int]:
    from django.utils import timezone

    from certificates.validity import RENEWAL_WINDOW_DAYS
    from portal.programme_reports import programme_reports

    now = timezone.now()
    due_from = now + timedelta(days=RENEWAL_WINDOW_DAYS)
    programme_of_submission = {
        pk: rows.candidacies[rows.works[s["work_id"]]["candidacy_id"]]["programme_id"]
        for pk, s in rows.submissions.items()
    }

    # Pipeline: candidacies, and where each holder's latest certificate stands.
    pipeline = defaultdict(Counter)
    open_by_candidacy = {
        rows.works[s["work_id"]]["candidacy_id"]
        for s in rows.submissions.values()
        if s["status"] in ("submitted", "in_assessment")
    }
    for pk, c in rows.candidacies.items():
        status = c["status"]
        if status == "active":
            key = "in_assessment" if pk in open_by_candidacy else "working"
        elif status == "withdrawn":
            key = "withdrawn"
        else:
            continue
        pipeline[c["programme_id"]][key] += 1
    latest = {}
    for cert in rows.certificates:
        if cert["superseded_at"] is not None:
            continue
        key = (cert["learner_id"], cert["award__programme_id"])
        if key not in latest or cert["cycle"] > latest[key]["cycle"]:
            latest[key] = cert
    for (_, programme), cert in latest.items():
        if cert["status"] != "active":
            key = cert["status"]
        elif cert["valid_until"] <= now:
            key = "lapsed"
        elif cert["valid_until"] <= due_from:
            key = "due_for_renewal"
        else:
            key = "current"
        pipeline[programme][key] += 1

    # Units: assessors' decisions, and what waits.
    units = defaultdict(
        lambda: {
            "decisions": 0,
            "competent": 0,
            "first": 0,
            "first_ok": 0,
            "waits": [],
            "waiting": 0,
            "oldest": None,
        }
    )
    for d in rows.decisions:
        if d["kind"] != "assessment":
            continue
        s = rows.submissions[d["submission_id"]]
        key = (
            programme_of_submission[d["submission_id"]],
            rows.works[s["work_id"]]["requirement__unit_id"],
        )
        u = units[key]
        u["decisions"] += 1
        u["competent"] += d["outcome"] == "competent"
        u["first"] += s["number"] == 1
        u["first_ok"] += s["number"] == 1 and d["outcome"] == "competent"
        u["waits"].append((d["decided_at"] - s["submitted_at"]).total_seconds() / 86400)
    for pk, s in rows.submissions.items():
        if s["status"] not in ("submitted", "in_assessment"):
            continue
        u = units[(programme_of_submission[pk], rows.works[s["work_id"]]["requirement__unit_id"])]
        u["waiting"] += 1
        u["oldest"] = min(u["oldest"] or s["submitted_at"], s["submitted_at"])

    samples = defaultdict(Counter)
    for sample in rows.samples:
        counts = samples[programme_of_submission[sample["decision__submission_id"]]]
        counts["sampled"] += 1
        counts[sample["outcome"]] += 1
    appeals = defaultdict(Counter)
    for appeal in rows.appeals:
        counts = appeals[programme_of_submission[appeal["decision__submission_id"]]]
        counts["lodged"] += 1
        counts[appeal["outcome"] or "waiting"] += 1

    problems, compared = [], 0
    reports = programme_reports()
    if len(reports) != len(rows.programmes):
        problems.append(f"{len(reports)} reports for {len(rows.programmes)} programmes")
    for report in reports:
        pk = report.programme.pk
        want = {key: pipeline[pk][key] for key in report.pipeline}
        compared += len(want)
        if report.pipeline != want:
            problems.append(f"{report.programme}: pipeline {report.pipeline}, Python {want}")
        want_units = {
            rows.units[unit]["name"]: u for (programme, unit), u in units.items() if programme == pk
        }
        if {u.unit for u in report.units} != set(want_units):
            problems.append(f"{report.programme}: other units than Python's")
            continue
        for figures in report.units:
            u = want_units[figures.unit]
            average = statistics.fmean(u["waits"]) if u["waits"] else None
            for name, got, value in (
                ("decisions", figures.decisions, u["decisions"]),
                ("competent", figures.competent, u["competent"]),
                ("first submissions", figures.first_submissions, u["first"]),
                ("competent first time", figures.first_time_competent, u["first_ok"]),
                ("waiting", figures.waiting, u["waiting"]),
                ("oldest waiting", figures.oldest_waiting, u["oldest"]),
            ):
                compared += 1
                if got != value:
                    problems.append(f"{figures.unit} {name}: {got}, Python {value}")
            compared += 1
            if (average is None) != (figures.average_days is None) or (
                average is not None and abs(figures.average_days - average) > 1e-6
            ):
                problems.append(f"{figures.unit} average days {figures.average_days}, {average}")
        for name, got, value in (
            ("sampled", report.sampled, samples[pk]["sampled"]),
            ("confirmed", report.confirmed, samples[pk]["confirmed"]),
            ("overturned", report.overturned, samples[pk]["overturned"]),
            *(
                (f"appeals {key}", report.appeals[key], appeals[pk][key])
                for key in ("lodged", "upheld", "dismissed", "waiting")
            ),
        ):
            compared += 1
            if got != value:
                problems.append(f"{report.programme} {name}: {got}, Python {value}")
    return problems, compared


def check_casework(world: World, rows: Rows) -> tuple[list[str], int]:
    from accreditation.selectors import casework_to_review

    reviewer = world.timed.pk
    reviews = defaultdict(list)
    for review in sorted(rows.reviews, key=lambda r: (r["recorded_at"], r["id"])):
        reviews[(review["candidacy_id"], review["requirement_id"])].append(review["outcome"])
    want = {}
    for pk, c in rows.candidacies.items():
        if c["status"] not in ("active", "awarded") or too_close(
            world, reviewer, c["candidate_id"]
        ):
            continue
        for requirement in rows.casework.get(c["version_id"], []):
            done = reviews[(pk, requirement)]
            if "competent" in done:
                continue
            want[(pk, requirement)] = (
                label(rows, c),
                len(done),
                done[-1] if done else "",
            )
    got = {
        (row.candidacy.pk, row.requirement.pk): (row.candidate, row.reviews, row.last_outcome)
        for row in casework_to_review(reviewer=world.timed)
    }
    problems = []
    if got != want:
        missing, extra = set(want) - set(got), set(got) - set(want)
        differ = [k for k in set(got) & set(want) if got[k] != want[k]]
        problems.append(
            f"{len(missing)} missing, {len(extra)} not expected, {len(differ)} differ "
            f"(of {len(want)})"
        )
    if not want:
        problems.append("no casework waiting for the timed assessor: nothing to test")
    return problems, len(want)


# Results ---------------------------------------------------------------------------------------


def table(timings, queries) -> str:
    small, large = sorted(queries)
    lines = [
        f"| Case | Median ms | p95 ms | Range ms | Python CPU ms | vs its bare count "
        f"| Queries ({small:,} / {large:,} candidates) | Rows returned ({large:,}) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, times in timings.items():
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        reference = REFERENCES.get(name)
        if reference:
            # Ratio to the bare count in the same round, so both saw the same machine load.
            base = [w for w, _ in timings[reference]]
            ratio = f"{statistics.median(t / b for t, b in zip(wall, base, strict=True)):.1f}"
        else:
            ratio = "–"
        p95 = statistics.quantiles(wall, n=20, method="inclusive")[-1]
        lines.append(
            f"| {name} | {statistics.median(wall):.1f} | {p95:.1f} "
            f"| {min(wall):.1f}–{max(wall):.1f} | {statistics.median(cpu):.1f} | {ratio} "
            f"| {queries[small][name][0]} / {queries[large][name][0]} "
            f"| {queries[large][name][1]:,} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
