"""The demo's accreditation programmes, in our own words: the competency framework, portfolio
units, the casework checklist and the two programmes that use them."""

# (name, what someone competent does, NHS expectations as (principle, expectation))
COMPETENCIES = [
    (
        "Investigation",
        "Plans an investigation in proportion to what is at stake, agrees its scope with the "
        "person who complained, and keeps it moving.",
        [(2, 1), (2, 3)],
    ),
    (
        "Evidence and judgement",
        "Gathers evidence from everyone involved, weighs it without taking sides and reaches a "
        "finding that the evidence supports.",
        [(2, 2), (2, 4)],
    ),
    (
        "Remedy",
        "Puts right what went wrong in a way that fits the injustice found, and apologises in a "
        "way the person can accept.",
        [(3, 2)],
    ),
    (
        "Communication",
        "Writes and speaks plainly, keeps people informed as the work goes on, and tells them "
        "where to go if they are still unhappy.",
        [(1, 2), (3, 1), (3, 3)],
    ),
    (
        "Learning culture",
        "Turns what a complaint shows into a change in the service, and checks that the change "
        "happened and helped.",
        [(4, 1), (4, 2), (4, 3)],
    ),
]

# Each unit's rubric: (competency name, what the assessor looks for).
UNITS = [
    {
        "code": "IC1",
        "title": "Assessing complaints at intake",
        "summary": "Show how you read a new complaint, decide how it should be handled and tell "
        "the person what happens next.",
        "evidence_requirements": "Two anonymised records of complaints you assessed at intake: "
        "the complaint as it arrived, your assessment, and the letter or note that told the "
        "person what would happen next.",
        "min_evidence_files": 2,
        "reflection_prompt": "Pick one of the two complaints. How did you work out what it was "
        "about and what the person wanted, and what would you do differently now?",
        "reflection_min_words": 250,
        "resubmission_limit": 2,
        "criteria": [
            (
                "Investigation",
                "Names what the complaint is about and what the person hopes for, "
                "and checks both with them.",
            ),
            ("Evidence and judgement", "Gives reasons for the route chosen for the complaint."),
            ("Communication", "Tells the person, plainly, what happens next and by when."),
        ],
    },
    {
        "code": "SC1",
        "title": "Planning and running an investigation",
        "summary": "Show that you plan investigations that fit the complaint and run them to "
        "the plan, adapting when the evidence points elsewhere.",
        "evidence_requirements": "An anonymised investigation plan, the record of how it "
        "changed, and a note of the evidence gathered against each question in the plan.",
        "min_evidence_files": 2,
        "reflection_prompt": "Where did the investigation depart from your plan, and why? What "
        "did that teach you about planning?",
        "reflection_min_words": 400,
        "resubmission_limit": 2,
        "criteria": [
            (
                "Investigation",
                "The plan sets out the questions, the evidence each needs and a "
                "timescale that fits what is at stake.",
            ),
            ("Investigation", "Changes to the plan are recorded with their reasons."),
            (
                "Evidence and judgement",
                "Evidence is sought from every side, including the staff complained about.",
            ),
        ],
    },
    {
        "code": "SC2",
        "title": "Reaching and explaining a decision",
        "summary": "Show that your findings follow from the evidence, that any remedy fits the "
        "injustice, and that the person can understand the answer.",
        "evidence_requirements": "An anonymised final response or decision letter and the "
        "analysis of evidence behind it.",
        "min_evidence_files": 2,
        "reflection_prompt": "Which finding was hardest to reach, and how did you test it "
        "against the evidence before you wrote it down?",
        "reflection_min_words": 400,
        "resubmission_limit": 2,
        "criteria": [
            ("Evidence and judgement", "Each finding is tied to the evidence that supports it."),
            ("Remedy", "The remedy fits the injustice and says who will do what, by when."),
            ("Communication", "The response is plain, complete and says how to take it further."),
        ],
    },
    {
        "code": "SC3",
        "title": "Leading learning from complaints",
        "summary": "Show that complaints you handled led to change, and that you checked it.",
        "evidence_requirements": "An anonymised learning summary you wrote, and evidence of "
        "how the service acted on it (an action plan, minutes or a follow-up check).",
        "min_evidence_files": 1,
        "reflection_prompt": "What stood in the way of the change, and what did you do about it?",
        "reflection_min_words": 300,
        "resubmission_limit": 1,
        "criteria": [
            ("Learning culture", "The learning is specific and tied to what the complaint showed."),
            ("Learning culture", "There is evidence the change was made and checked."),
        ],
    },
]

CHECKLIST = {
    "title": "Casework file review",
    "guidance": "Choose a closed case the candidate handled from start to finish in the last "
    "six months. Read the whole file before answering.",
    "items": [
        (
            "The scope of the investigation was agreed with the person and recorded.",
            "Investigation",
        ),
        (
            "Evidence was gathered from all sides and its weight explained.",
            "Evidence and judgement",
        ),
        ("The person was kept informed, including about any delay.", "Communication"),
        ("The remedy fits the injustice found.", "Remedy"),
        ("Learning was recorded and passed to the service.", "Learning culture"),
        ("The file is accurate, complete and holds no personal data it does not need.", None),
    ],
}

# Requirements name courses by slug, assessments by title, units by code, and the checklist.
PROGRAMMES = [
    {
        "slug": "intake-caseworker",
        "name": "Intake caseworker certification",
        "level": "intake_caseworker",
        "summary": "For caseworkers in the Intake team: the courses every new caseworker takes, "
        "and a portfolio showing that you assess new complaints well.",
        "invitation_only": False,
        "organisation_kinds": ["phso"],
        "role_tiers": [],
        "anonymous_assessment": False,
        "iqa_sample_percent": 10,
        "validity_years": 3,
        "cpd_hours_per_year": 15,
        "requirements": [
            ("course", "welcoming-complaints", "award"),
            ("course", "investigating-complaints-fairly", "award"),
            ("unit", "IC1", "award"),
        ],
    },
    {
        "slug": "senior-caseworker",
        "name": "Senior caseworker accreditation",
        "level": "senior_caseworker",
        "summary": "Professional accreditation for senior caseworkers: assessed investigations "
        "and decisions from your own casework, a review of a real case file, and CPD to keep "
        "it up.",
        "invitation_only": True,
        "organisation_kinds": ["phso"],
        "role_tiers": ["senior_staff"],
        "anonymous_assessment": True,
        "iqa_sample_percent": 25,
        "validity_years": 3,
        "cpd_hours_per_year": 30,
        "requirements": [
            ("course", "investigating-complaints-fairly", "award"),
            ("course", "leading-a-learning-culture", "award"),
            ("unit", "SC1", "award"),
            ("unit", "SC2", "award"),
            ("unit", "SC3", "award"),
            ("casework_review", "Casework file review", "both"),
        ],
    },
]

# The demo candidates' reflective statements: one text, long enough for every unit's fewest
# words, in a caseworker's own voice.
STATEMENT = (
    "The complaint came from a daughter whose father had been discharged from hospital late on "
    "a Friday without his medication being explained to her. She wrote that nobody had "
    "listened when she raised it on the ward, and that the first reply she received from the "
    "trust answered a different question from the one she had asked. Before I did anything "
    "else I rang her, because her letter mixed three concerns together and I wanted to be sure "
    "which mattered most to her and what she hoped would happen. She told me that the "
    "medication was the heart of it: she wanted to understand why the discharge went ahead and "
    "she wanted the ward to change how it talks to families. I wrote both points down, read "
    "them back to her, and sent her a short summary the same day so that she could correct me.\n\n"
    "That conversation shaped the plan. I set out the two questions, the records I would need "
    "to answer each one, and the people I would speak to, including the nurse who led the "
    "discharge. I gave the plan a timescale that fitted a case with no risk to anyone's safety "
    "today, and I told the daughter when she would hear from me next. When the discharge "
    "checklist turned out to be incomplete, I changed the plan to include the pharmacy's "
    "records and I recorded why, so that a reader could follow the path I took.\n\n"
    "Weighing the evidence was the hardest part. The nurse remembered explaining the "
    "medication; the daughter remembered no such conversation; the notes were silent. I did not "
    "pick a side. I set out what each account said, what the records could and could not "
    "support, and reached the finding that the explanation had not been given in a way the "
    "family could use, whatever was said at the bedside. The remedy followed from that finding: "
    "an apology that named what went wrong, a call from the ward manager to go through the "
    "medication, and a change to the discharge checklist so that the explanation is recorded.\n\n"
    "Looking back, I would make the first phone call even earlier and I would ask the ward for "
    "its side before forming any view, not after. I also learned to write the response in the "
    "order the person asked their questions, not the order the organisation investigated them. "
    "Three months later I checked with the ward that the checklist had changed, and it had: the "
    "explanation now has its own line and a signature."
)

# A competent decision's words, and a not-yet-competent one's, for the demo's assessors.
COMPETENT_FEEDBACK = (
    "A clear plan agreed with the complainant, evidence weighed from both sides and a finding "
    "that follows from it. The change you checked afterwards is exactly what this unit asks."
)
NOT_YET_FEEDBACK = (
    "Your statement describes the plan well, but the evidence does not show how you checked "
    "the scope with the complainant before you started."
)
TO_RESUBMIT = (
    "Add the note or letter in which you agreed the questions with the complainant, and say in "
    "your statement how that changed your plan."
)
APPEAL_GROUNDS = (
    "The agreement with the complainant was on the phone and is recorded in the case notes I "
    "uploaded as my second file, on page two. I do not think the assessor saw it."
)

# Each demo candidate's stage, in the order the demo builds them (those awarded years ago first):
# (e-mail, programme slug, what happens). The people are in demo_content.PEOPLE and TEAMS.
CANDIDATES = [
    ("farhan@example.org", "senior-caseworker", "lapsed"),
    ("rhiannon@example.org", "senior-caseworker", "renewing"),
    ("mei@example.org", "intake-caseworker", "awarded"),
    ("chidi@example.org", "intake-caseworker", "appealed"),
    ("aisha@example.org", "intake-caseworker", "submitted"),
    ("intake@example.org", "intake-caseworker", "in_progress"),
    ("senior@example.org", "senior-caseworker", "being_assessed"),
]
