"""The data bench.accreditation measures, written in bulk: programmes, organisations and staff,
then candidates at every stage with their portfolios, submissions, decisions, IQA samples,
appeals, casework reviews and certificates, and other learners in the same organisations.

Django is imported inside the functions because this module is imported before django.setup().
"""

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

EVIDENCE_PER_CANDIDATE = 10
COMPETENCIES = [
    "Investigation",
    "Evidence and judgement",
    "Remedy",
    "Communication",
    "Learning culture",
]
# (code, title, resubmissions allowed) of each programme's units.
PROGRAMMES = [
    (
        "Intake caseworker certification",
        "intake",
        False,
        [("IC1", "Assessing a new complaint", 2), ("IC2", "Explaining what happens next", 2)]
        + [("IC3", "Resolving early", 3)],
    ),
    (
        "Senior caseworker accreditation",
        "senior",
        True,  # with a casework review, assessed anonymously
        [("SC1", "Planning an investigation", 2), ("SC2", "Weighing the evidence", 2)]
        + [("SC3", "Putting things right", 2)],
    ),
]
# How a unit's story ends for a candidate still working (weights): nothing handed in, waiting
# for an assessor, opened by one, decided competent or not yet competent, or withdrawn.
ENDINGS = {"none": 25, "waiting": 13, "opened": 8, "competent": 34, "not_yet": 15, "withdrawn": 5}
STATEMENT = (
    "I planned the investigation around the questions the complainant asked and agreed them "
    "with her at the start, so that we both knew what the response would cover. I asked the "
    "ward for the nursing notes and the discharge letter, and checked each answer against the "
    "records before I wrote it down. Where the records and the staff's accounts differed I said "
    "so, and explained which I relied on and why. The response apologised for the delay in the "
    "discharge letter, said what the ward had changed, and offered a meeting. Next time I would "
    "agree a date for the response at the start, and keep the complainant told when it moved. "
)
FEEDBACK = (
    "The plan sets out the questions clearly and the response answers each of them. The "
    "evidence is weighed fairly, and the reasons for preferring the records are given."
)


# The organisations, staff and programmes -------------------------------------------------------


@dataclass
class Plan:
    """A programme as the bench set it up."""

    programme: object
    version: object
    units: list  # [(Requirement, PortfolioUnit)]
    casework: object  # its casework review Requirement, or None
    award: object


@dataclass
class World:
    """What every batch of candidates is written into, and what the checks need to know."""

    now: datetime
    plans: list[Plan]
    # Organisation id -> (assesses its own staff?, its teams; "" is nobody's team recorded).
    organisations: dict[int, tuple[bool, list[str]]]
    phso: int
    # User id -> {organisation id: team}, for everyone with a membership.
    memberships: dict[int, dict[int, str]]
    assessors: list
    iqas: list
    panel: list
    timed: object  # the assessor whose queue is timed
    timed_label: str = ""
    assessor_decided: set = field(default_factory=set)  # who made a first decision yet
    learners: int = 0  # learners written who are no candidates


def set_up(rnd: random.Random) -> World:
    from django.db import transaction
    from django.utils import timezone

    from academy.models import Membership, Organisation, User
    from accreditation.models import (
        CaseworkChecklist,
        ChecklistItem,
        Competency,
        PortfolioUnit,
        Programme,
        ProgrammeVersion,
        Requirement,
        RubricCriterion,
    )
    from certificates.models import Award

    now = timezone.now()
    with transaction.atomic():
        competencies = [
            Competency.objects.create(name=name, description=f"{name}, done well.", position=i)
            for i, name in enumerate(COMPETENCIES)
        ]
        checklist = CaseworkChecklist.objects.create(title="Case file review")
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, sort_order=i, text=text, competency=competencies[i])
            for i, text in enumerate(
                [
                    "Was the complaint acknowledged in time?",
                    "Were the right records obtained and read?",
                    "Does the response put things right?",
                ]
            )
        )
        plans = []
        for name, slug, senior, units in PROGRAMMES:
            programme = Programme.objects.create(
                name=name,
                slug=slug,
                level=Programme.Level.SENIOR_CASEWORKER
                if senior
                else Programme.Level.INTAKE_CASEWORKER,
                summary=f"Recognises {slug} caseworkers.",
                is_open=True,
                anonymous_assessment=senior,
            )
            version = ProgrammeVersion.objects.create(
                programme=programme,
                number=1,
                status=ProgrammeVersion.Status.PUBLISHED,
                published_at=now - timedelta(days=5 * 365),
                validity_years=3,
                cpd_hours_per_year=15,
            )
            made = []
            for position, (code, title, limit) in enumerate(units):
                unit = PortfolioUnit.objects.create(
                    code=code,
                    title=title,
                    summary=f"Show {title.lower()}.",
                    evidence_requirements="Two anonymised examples from your own casework.",
                    reflection_prompt="What would you do differently next time?",
                    resubmission_limit=limit,
                )
                RubricCriterion.objects.bulk_create(
                    RubricCriterion(
                        unit=unit,
                        sort_order=i,
                        competency=competencies[(position + i) % len(competencies)],
                        statement=f"Criterion {i + 1} of {code}.",
                    )
                    for i in range(3)
                )
                requirement = Requirement.objects.create(
                    version=version, sort_order=position, kind=Requirement.Kind.UNIT, unit=unit
                )
                made.append((requirement, unit))
            casework = None
            if senior:
                casework = Requirement.objects.create(
                    version=version,
                    sort_order=len(units),
                    kind=Requirement.Kind.CASEWORK_REVIEW,
                    checklist=checklist,
                )
            award = Award.objects.create(
                kind=Award.Kind.ACCREDITATION,
                programme=programme,
                title=name,
                validity_unit=Award.ValidityUnit.YEARS,
                validity_length=3,
            )
            plans.append(Plan(programme, version, made, casework, award))

        kinds = [k for k in Organisation.Kind.values if k != Organisation.Kind.PHSO]
        organisations = Organisation.objects.bulk_create(
            [Organisation(name="PHSO", kind=Organisation.Kind.PHSO, assesses_own_staff=True)]
            + [
                Organisation(name=f"Bench organisation {i:02d}", kind=kinds[i % len(kinds)])
                for i in range(1, 31)
            ]
        )
        teams = {
            organisations[0].pk: (
                True,
                [f"Intake team {i}" for i in (1, 2, 3)] + [f"Casework team {i}" for i in (1, 2, 3)],
            )
        }
        for i, organisation in enumerate(organisations[1:]):
            teams[organisation.pk] = (False, ["Complaints team", "Patient experience"][: i % 3])

        from django.contrib.auth.hashers import make_password

        unusable = make_password(None)
        staff = User.objects.bulk_create(
            User(
                email=f"bench-{role}-{i}@example.org",
                full_name=f"Bench {title} {i}",
                password=unusable,
            )
            for role, title, n in (("assessor", "Assessor", 8), ("iqa", "IQA", 2))
            + (("panel", "Panel member", 2),)
            for i in range(1, n + 1)
        )
        assessors, iqas, panel = staff[:8], staff[8:10], staff[10:]
        phso, trusts = organisations[0].pk, [o.pk for o in organisations[1:]]
        # The timed assessor works at the PHSO in a casework team and at a trust: their team,
        # the PHSO's people with no team and everyone at the trust are too close to them.
        staff_memberships = {
            assessors[0].pk: {phso: "Casework team 1", trusts[0]: ""},
            assessors[1].pk: {phso: "Intake team 2"},
            assessors[2].pk: {phso: ""},
            assessors[3].pk: {trusts[1]: "Complaints team"},
            assessors[4].pk: {},
            assessors[5].pk: {},
            assessors[6].pk: {trusts[2]: ""},
            assessors[7].pk: {phso: "Casework team 3"},
        }
        Membership.objects.bulk_create(
            Membership(user_id=user, organisation_id=organisation, team=team)
            for user, held in staff_memberships.items()
            for organisation, team in held.items()
        )
    return World(
        now=now,
        plans=plans,
        organisations=teams,
        phso=phso,
        memberships={user: held for user, held in staff_memberships.items() if held},
        assessors=assessors,
        iqas=iqas,
        panel=panel,
        timed=assessors[0],
        timed_label=(
            f"{assessors[0].full_name} (at the PHSO, which assesses its own staff, in Casework "
            "team 1, and at a trust)"
        ),
    )


def too_close(world: World, judge_id: int, person_id: int) -> bool:
    """The conflict-of-interest rule worked out in Python (academy's people_too_close_to_judge):
    the judge themselves; anyone sharing an organisation with them, except in one that assesses
    its own staff, where only their team and anyone with no team recorded are."""
    if judge_id == person_id:
        return True
    judge = world.memberships.get(judge_id, {})
    for organisation, team in world.memberships.get(person_id, {}).items():
        if organisation not in judge:
            continue
        own_staff, _ = world.organisations[organisation]
        theirs = judge[organisation]
        if not own_staff or theirs == "" or team == "" or theirs.lower() == team.lower():
            return True
    return False


# The candidates --------------------------------------------------------------------------------


def build(world: World, rnd: random.Random, *, start: int, count: int, others: int) -> None:
    """`count` more candidates, numbered from `start`, with everything they and their assessors
    did, and `others` more learners with a membership who are no candidates, in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from academy.models import Membership, User
    from accreditation.models import (
        Appeal,
        Candidacy,
        CaseworkReview,
        Decision,
        Evidence,
        QualitySample,
        Submission,
        UnitWork,
    )
    from certificates.models import Certificate
    from portal.random_data import given_times

    unusable = make_password(None)
    users = User.objects.bulk_create(
        (
            User(
                email=f"bench-candidate-{i:05d}@example.org",
                full_name=f"Candidate {i:05d}",
                password=unusable,
            )
            for i in range(start + 1, start + count + 1)
        ),
        batch_size=2000,
    )
    rows = defaultdict(list)  # model -> instances, written in dependency order below
    for number, user in enumerate(users, start=start + 1):
        candidate(world, rnd, user, number, rows)
    first = world.learners + 1
    world.learners += others
    learners = User.objects.bulk_create(
        (
            User(
                email=f"bench-learner-{i:06d}@example.org",
                full_name=f"Learner {i:06d}",
                password=unusable,
            )
            for i in range(first, first + others)
        ),
        batch_size=2000,
    )
    trusts = [o for o in world.organisations if o != world.phso]
    for user in learners:
        # Course takers: nearly all in the NHS and government bodies, a few at the PHSO.
        organisation = world.phso if rnd.random() < 0.05 else rnd.choice(trusts)
        teams = world.organisations[organisation][1]
        team = "" if not teams or rnd.random() < 0.1 else rnd.choice(teams)
        world.memberships[user.pk] = {organisation: team}
        rows[Membership].append(
            Membership(
                user=user, organisation_id=organisation, team=team, joined_at=world.now - days(400)
            )
        )
    order = [
        Membership,
        Candidacy,
        UnitWork,
        Evidence,
        Submission,
        Submission.evidence.through,
        Decision,
        "superseding",
        QualitySample,
        Appeal,
        CaseworkReview,
        "replacement",
        Certificate,
    ]
    with transaction.atomic(), given_times(*[m for m in order if not isinstance(m, str)]):
        for model in order:
            if model == "superseding":
                Decision.objects.bulk_create(rows[model], batch_size=2000)
            elif model == "replacement":
                Certificate.objects.bulk_create(rows[model], batch_size=2000)
            else:
                model.objects.bulk_create(rows[model], batch_size=2000)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def candidate(world: World, rnd: random.Random, user, number: int, rows) -> None:
    """One candidate: their membership, candidacy, portfolio, submissions and what was decided,
    casework reviews and certificates, appended to `rows`."""
    from academy.models import Membership
    from accreditation.models import Candidacy, CaseworkReview, Evidence, UnitWork
    from certificates import codes, validity
    from certificates.models import Certificate

    now = world.now
    # Where they work: the PHSO, another organisation, or none recorded.
    place = rnd.random()
    if place < 0.4:
        organisation = world.phso
    elif place < 0.95:
        organisation = rnd.choice([o for o in world.organisations if o != world.phso])
    else:
        organisation = None
    if organisation is not None:
        teams = world.organisations[organisation][1]
        team = "" if not teams or rnd.random() < 0.1 else rnd.choice(teams)
        world.memberships[user.pk] = {organisation: team}
        rows[Membership].append(
            Membership(
                user=user, organisation_id=organisation, team=team, joined_at=now - days(900)
            )
        )

    plan = rnd.choice(world.plans)
    stage = rnd.choices(["awarded", "active", "withdrawn"], [30, 66, 4])[0]
    endings = list(ENDINGS)
    while True:
        if stage == "awarded":
            finals = ["competent"] * len(plan.units)
        elif stage == "withdrawn":
            finals = [rnd.choice(["none", "competent", "not_yet", "withdrawn"]) for _ in plan.units]
        else:
            finals = [rnd.choices(endings, ENDINGS.values())[0] for _ in plan.units]
        all_competent = all(f == "competent" for f in finals)
        # Working candidates on a programme without a casework review would have been awarded.
        if stage == "awarded" or not all_competent or (stage == "active" and plan.casework):
            break

    awarded_at = now - days(rnd.uniform(10, 3.45 * 365)) if stage == "awarded" else None
    withdrawn_at = now - days(rnd.uniform(5, 400)) if stage == "withdrawn" else None
    candidacy = Candidacy(
        candidate=user,
        programme=plan.programme,
        version=plan.version,
        reference=f"B-{number:07d}",
        status=stage,
        awarded_at=awarded_at,
        withdrawn_at=withdrawn_at,
    )
    rows[Candidacy].append(candidacy)
    assessors = [a for a in world.assessors if not too_close(world, a.pk, user.pk)]

    earliest = [now]
    unit_stories = []
    for (requirement, unit), final in zip(plan.units, finals, strict=True):
        work = UnitWork(
            candidacy=candidacy,
            requirement=requirement,
            statement=STATEMENT,
            statement_saved_at=now,
        )
        rows[UnitWork].append(work)
        steps = story(rnd, final, unit.resubmission_limit)
        if steps:
            if awarded_at:
                end = awarded_at - days(rnd.uniform(0, 40))
            elif withdrawn_at:
                end = withdrawn_at - days(rnd.uniform(0, 30))
            elif final in ("waiting", "opened"):
                end = now - days(min(rnd.expovariate(1 / 12), 150) + 0.05)
            else:
                end = now - days(rnd.uniform(1, 300))
            shift = end - days(max(step_end(s) for s in steps))
            earliest.append(shift)
        else:
            shift = None
        unit_stories.append((work, steps, shift))

    reviews = []
    if plan.casework and stage != "withdrawn":
        if stage == "awarded":
            outcomes = (["not_yet_competent"] if rnd.random() < 0.15 else []) + ["competent"]
            last = awarded_at - days(rnd.uniform(0, 20))
        elif all(f == "competent" for f in finals):
            outcomes = ["not_yet_competent"] * rnd.choices([0, 1, 2], [50, 35, 15])[0]
            last = now - days(rnd.uniform(1, 200))
        else:
            r = rnd.random()
            outcomes = ["competent"] if r < 0.08 else ["not_yet_competent"] if r < 0.15 else []
            last = now - days(rnd.uniform(1, 200))
        for back, outcome in enumerate(reversed(outcomes)):
            at = last - days(back * rnd.uniform(20, 60))
            earliest.append(at)
            reviews.append(
                CaseworkReview(
                    candidacy=candidacy,
                    requirement=plan.casework,
                    case_reference=f"CAS-{number:05d}-{back}",
                    results=[],
                    outcome=outcome,
                    summary="The file was handled well." if outcome == "competent" else "Not yet.",
                    reviewer=rnd.choice(assessors),
                    recorded_at=at,
                )
            )
    rows[CaseworkReview].extend(reversed(reviews))

    # Evidence: ten files a candidate, at least one before each unit's first submission.
    handed_in = [index for index, (_, steps, _) in enumerate(unit_stories) if steps]
    per_unit = Counter(handed_in) + Counter(
        rnd.randrange(len(plan.units)) for _ in range(EVIDENCE_PER_CANDIDATE - len(handed_in))
    )
    uploads = {}
    for index, (_work, steps, shift) in enumerate(unit_stories):
        if steps:
            first = shift + days(steps[0]["submitted"])
            last = shift + days(steps[-1]["submitted"])
            times = [first - days(rnd.uniform(1, 30))] + [
                first + (last - first) * rnd.random() - days(rnd.uniform(0, 20))
                for _ in range(per_unit[index] - 1)
            ]
            earliest.extend(times)
            uploads[index] = times
    enrolled_at = min(earliest) - days(rnd.uniform(1, 30))
    if enrolled_at >= now:
        enrolled_at = now - days(rnd.uniform(1, 200))
    candidacy.enrolled_at = enrolled_at
    for index, (work, steps, shift) in enumerate(unit_stories):
        times = uploads.get(index) or [
            enrolled_at + (now - enrolled_at) * rnd.random() for _ in range(per_unit[index])
        ]
        files = []
        for n, at in enumerate(sorted(times), start=1):
            digest = hashlib.sha256(f"{number}-{index}-{n}".encode()).hexdigest()
            files.append(
                Evidence(
                    work=work,
                    file=f"evidence/{at:%Y/%m}/{digest[:24]}.pdf",
                    original_name=f"example-{n}.pdf",
                    content_type="application/pdf",
                    size=20_000 + int(digest[:4], 16),
                    sha256=digest,
                    scanned=True,
                    uploaded_at=at,
                    uploaded_by=user,
                )
            )
        rows[Evidence].extend(files)
        if steps:
            written(world, rnd, rows, work, steps, shift, files, assessors)

    if awarded_at:
        certificates(rnd, rows, world, plan, user, awarded_at, codes, validity, Certificate)


def story(rnd: random.Random, final: str, limit: int) -> list[dict]:
    """A unit's submissions, in days from the first, ending as `final` says: earlier ones judged
    not yet competent (within the resubmission limit), sometimes one withdrawn on the way."""
    if final == "none":
        return []
    earlier = min(limit, rnd.choices([0, 1, 2], [70, 22, 8])[0])
    kinds = ["not_yet"] * earlier + [final]
    if rnd.random() < 0.05:
        kinds.insert(rnd.randrange(len(kinds)), "withdrawn")
    steps, t = [], 0.0
    for kind in kinds:
        step = {"kind": kind, "submitted": t}
        if kind == "withdrawn":
            step["withdrawn"] = t + rnd.uniform(0.1, 4)
            t = step["withdrawn"] + rnd.uniform(1, 10)
        elif kind in ("competent", "not_yet"):
            step["opened"] = t + rnd.uniform(0.1, 6)
            step["decided"] = step["opened"] + rnd.uniform(0.1, 14)
            step["fate"] = fate(rnd, kind)
            t = step_end(step) + rnd.uniform(3, 40)
        steps.append(step)
    return steps


def fate(rnd: random.Random, outcome: str) -> dict:
    """What became of a decision whose outcome, in the end, is `outcome`: left as it was
    (sometimes sampled and confirmed by IQA, or appealed and the appeal dismissed or waiting),
    overturned by IQA, or decided again on appeal."""
    r = rnd.random()
    if r < 0.05:
        return {"how": "overturned", "later": rnd.uniform(2, 20)}
    if r < 0.08 and outcome == "competent":
        lodged = rnd.uniform(1, 15)
        return {"how": "upheld", "lodged": lodged, "later": lodged + rnd.uniform(5, 30)}
    result = {"how": "stands"}
    if rnd.random() < 0.10:
        result["sample"] = rnd.choice(["confirmed"] * 4 + [""])
        result["reviewed"] = rnd.uniform(1, 20)
    if outcome == "not_yet" and rnd.random() < 0.08:
        result["appeal"] = rnd.choice(["dismissed"] * 7 + [""] * 3)
        result["lodged"] = rnd.uniform(1, 15)
        result["answered"] = result["lodged"] + rnd.uniform(5, 30)
    return result


def step_end(step: dict) -> float:
    """When the last thing that happened to a submission happened, in the story's days."""
    fate = step.get("fate", {})
    return max(
        step["submitted"],
        step.get("withdrawn", 0),
        step.get("decided", 0) + max(fate.get("later", 0), fate.get("reviewed", 0)),
        step.get("decided", 0) + fate.get("answered", 0),
    )


def written(world, rnd, rows, work, steps, shift, files, assessors) -> None:
    """A unit's submissions, with the evidence uploaded before each, and their decisions,
    samples and appeals."""
    from accreditation.models import Appeal, Decision, QualitySample, Submission

    flip = {"competent": "not_yet_competent", "not_yet_competent": "competent"}
    for number, step in enumerate(steps, start=1):
        submitted = shift + days(step["submitted"])
        kind = step["kind"]
        submission = Submission(
            work=work,
            number=number,
            statement=STATEMENT,
            submitted_at=submitted,
            status={
                "withdrawn": Submission.Status.WITHDRAWN,
                "waiting": Submission.Status.SUBMITTED,
                "opened": Submission.Status.IN_ASSESSMENT,
            }.get(kind, Submission.Status.DECIDED),
        )
        rows[Submission].append(submission)
        rows[Submission.evidence.through].extend(
            Submission.evidence.through(submission=submission, evidence=e)
            for e in files
            if e.uploaded_at < submitted
        )
        if kind == "withdrawn":
            submission.withdrawn_at = shift + days(step["withdrawn"])
            continue
        if kind == "waiting":
            continue
        # The timed assessor is a busy one: a quarter of the work they may judge is theirs.
        busy = world.timed in assessors and rnd.random() < 0.25
        assessor = world.timed if busy else rnd.choice(assessors)
        submission.assessor = assessor
        if kind == "opened":
            submission.opened_at = submitted + (world.now - submitted) * rnd.random()
            continue
        submission.opened_at = shift + days(step["opened"])
        decided_at = shift + days(step["decided"])
        outcome = "competent" if kind == "competent" else "not_yet_competent"
        how = step["fate"]
        first = assessor.pk not in world.assessor_decided
        world.assessor_decided.add(assessor.pk)
        decision = Decision(
            submission=submission,
            kind=Decision.Kind.ASSESSMENT,
            outcome=outcome if how["how"] == "stands" else flip[outcome],
            feedback=FEEDBACK,
            to_resubmit="" if outcome == "competent" else "Add a second example.",
            criteria=[
                {"criterion": i, "competency": COMPETENCIES[i], "met": True, "comment": ""}
                for i in range(3)
            ],
            decided_by=assessor,
            decided_at=decided_at,
            emailed_at=decided_at,
        )
        rows[Decision].append(decision)
        later = decided_at + days(how.get("later", 0))
        if how["how"] == "overturned":
            iqa = rnd.choice(world.iqas)
            rows[QualitySample].append(
                QualitySample(
                    decision=decision,
                    reason="first_decision" if first else "share",
                    sampled_at=decided_at,
                    reviewer=iqa,
                    outcome=QualitySample.Outcome.OVERTURNED,
                    reasons="The evidence does not support the decision.",
                    reviewed_at=later,
                )
            )
            rows["superseding"].append(
                Decision(
                    submission=submission,
                    kind=Decision.Kind.IQA_OVERTURN,
                    outcome=outcome,
                    feedback=FEEDBACK,
                    decided_by=iqa,
                    decided_at=later,
                    supersedes=decision,
                    emailed_at=later,
                )
            )
        elif how["how"] == "upheld":
            member = rnd.choice(world.panel)
            rows[Appeal].append(
                Appeal(
                    decision=decision,
                    grounds="My second example was not read.",
                    lodged_at=decided_at + days(how["lodged"]),
                    panel_member=member,
                    outcome=Appeal.Outcome.UPHELD,
                    reasons="The second example meets the criterion.",
                    decided_at=later,
                )
            )
            rows["superseding"].append(
                Decision(
                    submission=submission,
                    kind=Decision.Kind.APPEAL,
                    outcome=outcome,
                    feedback=FEEDBACK,
                    decided_by=member,
                    decided_at=later,
                    supersedes=decision,
                    emailed_at=later,
                )
            )
        else:
            if first or "sample" in how:
                reviewed = "sample" in how and how["sample"]
                rows[QualitySample].append(
                    QualitySample(
                        decision=decision,
                        reason="first_decision" if first else "share",
                        sampled_at=decided_at,
                        reviewer=rnd.choice(world.iqas) if reviewed else None,
                        outcome=how["sample"] if reviewed else "",
                        reasons="Sound." if reviewed else "",
                        reviewed_at=decided_at + days(how["reviewed"]) if reviewed else None,
                    )
                )
            if "appeal" in how:
                answered = how["appeal"] != ""
                rows[Appeal].append(
                    Appeal(
                        decision=decision,
                        grounds="My evidence was not read.",
                        lodged_at=decided_at + days(how["lodged"]),
                        panel_member=rnd.choice(world.panel) if answered else None,
                        outcome=how["appeal"],
                        reasons="The decision follows the rubric." if answered else "",
                        decided_at=decided_at + days(how["answered"]) if answered else None,
                    )
                )


def certificates(rnd, rows, world, plan, user, awarded_at, codes, validity, Certificate) -> None:
    """The awarded candidate's accreditation certificates: the first, and a renewal for half of
    those whose renewal window has opened; some suspended, revoked or corrected."""
    now = world.now

    def certificate(cycle: int, issued_at: datetime) -> Certificate:
        return Certificate(
            code=codes.new_code(),
            learner=user,
            award=plan.award,
            cycle=cycle,
            name_on_certificate=user.full_name,
            title_on_certificate=plan.programme.name,
            cpd_hours=0,
            issued_at=issued_at,
            valid_until=validity.add_months(issued_at, 36),
            credential={},
        )

    held = [certificate(1, awarded_at)]
    window = held[0].valid_until - days(90)
    if window < now and rnd.random() < 0.5:
        renewed = window + (min(now, held[0].valid_until + days(120)) - window) * rnd.random()
        held.append(certificate(2, renewed))
    latest = held[-1]
    r = rnd.random()
    if r < 0.03:
        latest.status = "suspended" if r < 0.02 else "revoked"
        latest.status_changed_at = latest.issued_at + (now - latest.issued_at) * rnd.random()
        latest.public_reason = "Under review."
    elif r < 0.04:
        # A corrected name: the old certificate is superseded by one for the same cycle.
        corrected = latest.issued_at + min(days(rnd.uniform(1, 30)), (now - latest.issued_at) / 2)
        replacement = certificate(latest.cycle, corrected)
        replacement.valid_until = latest.valid_until
        rows["replacement"].append(replacement)
        latest.superseded_at = corrected
        latest.superseded_by = replacement
    rows[Certificate].extend(held)


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def row_counts() -> dict[str, int]:
    from academy.models import Membership, User
    from accreditation.models import (
        Appeal,
        Candidacy,
        CaseworkReview,
        Decision,
        Evidence,
        QualitySample,
        Submission,
        UnitWork,
    )
    from certificates.models import Certificate

    return {
        "people": User.objects.count(),
        "memberships of organisations": Membership.objects.count(),
        "candidacies": Candidacy.objects.count(),
        "unit portfolios": UnitWork.objects.count(),
        "evidence files": Evidence.objects.count(),
        "submissions": Submission.objects.count(),
        "files frozen in submissions": Submission.evidence.through.objects.count(),
        "decisions": Decision.objects.count(),
        "IQA samples": QualitySample.objects.count(),
        "appeals": Appeal.objects.count(),
        "casework reviews": CaseworkReview.objects.count(),
        "certificates": Certificate.objects.count(),
    }


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())
