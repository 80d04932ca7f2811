"""The demo's words: frameworks, courses, lessons and questions, all written for the Academy.

Facts about the Complaint Standards (the four principles and what they ask of organisations) are
used; the sentences are our own.
"""

PRINCIPLES = [
    (
        "Welcoming complaints in a positive way",
        "People should find it easy to complain and feel that their concerns are wanted.",
        [
            "Staff at every level treat a complaint as useful information, not as a nuisance.",
            "People can raise a concern in the way that suits them, and get help to do so.",
            "Front-line staff try to put things right on the spot when they can.",
            "Anyone who complains is reassured that their care or service will not suffer.",
        ],
    ),
    (
        "A thorough and fair approach",
        "Complaints are looked into properly, in proportion to what is at stake.",
        [
            "The organisation agrees with the person what will be looked at and what they want.",
            "Evidence is gathered from everyone involved and weighed without taking sides.",
            "The person who complained is kept up to date and told about any delay.",
            "Staff who are complained about are supported and treated fairly.",
        ],
    ),
    (
        "Fair and accountable responses",
        "Answers are clear, honest and say what will be done.",
        [
            "The response explains what was found and why, in plain language.",
            "Where something went wrong, the organisation apologises and says how it will fix it.",
            "The person is told how to take the matter further if they remain unhappy.",
        ],
    ),
    (
        "Promoting a learning culture",
        "Complaints lead to improvement, and leaders make sure that happens.",
        [
            "Leaders review what complaints show and act on it.",
            "Learning from complaints is shared across teams and with the public.",
            "The organisation checks that promised changes were made and made a difference.",
        ],
    ),
]

FRAMEWORKS = [
    {
        "slug": "nhs",
        "name": "NHS Complaint Standards",
        "sector": "nhs",
        "version": "2022",
        "summary": (
            "How NHS organisations in England and the independent providers of NHS-funded care "
            "should welcome, look into and answer complaints, and learn from them."
        ),
        "learning_title": "Promoting a learning culture",
    },
    {
        "slug": "uk-central-government",
        "name": "UK Central Government Complaint Standards",
        "sector": "government",
        "version": "2023",
        "summary": (
            "The same four principles, written for government departments and the public bodies "
            "that work for them."
        ),
        "learning_title": "Promoting a just and learning culture",
    },
]

ORGANISATIONS = [
    {
        "name": "Northfield Hospitals NHS Foundation Trust",
        "kind": "nhs_trust",
        "ods_code": "ZZ101",
        "region": "north_east_yorkshire",
    },
    {
        "name": "Department for Civic Services",
        "kind": "government",
        "ods_code": "",
        "region": "national",
    },
    # The Ombudsman's assessors assess its own caseworkers, never those in their own team.
    {
        "name": "Parliamentary and Health Service Ombudsman",
        "kind": "phso",
        "ods_code": "",
        "region": "national",
        "assesses_own_staff": True,
    },
    {"name": "Northbridge University", "kind": "public_body", "ods_code": "", "region": "midlands"},
]

PASSWORD = "Academy-demo-2026"  # noqa: S105  (printed by make run for the demo accounts)

# (email, full name, role tier, organisation index, membership role, staff group or None)
PEOPLE = [
    ("learner@example.org", "Amira Okafor", "all_staff", 0, "learner", None),
    ("certified@example.org", "Daniel Price", "complaints_staff", 0, "learner", None),
    ("manager@example.org", "Helen Marsh", "senior_staff", 0, "manager", None),
    ("trainer@example.org", "Tom Ridley", "senior_staff", 2, "learner", "Trainers"),
    ("assessor@example.org", "Priya Nair", "senior_staff", 2, "learner", "Assessors"),
    ("assessor2@example.org", "Kwame Mensah", "senior_staff", 2, "learner", "Assessors"),
    ("moderator@example.org", "Joanna Lee", "senior_staff", 2, "learner", "Assessors"),
    ("admin@example.org", "Grace Holloway", "senior_staff", 2, "learner", "Academy administrators"),
    ("programmes@example.org", "Samuel Osei", "senior_staff", 2, "learner", "Programme managers"),
    ("iqa@example.org", "Fatima Rahman", "senior_staff", 2, "learner", "Internal quality assurers"),
    ("eqa@example.org", "Eleri Morgan", "senior_staff", 3, "learner", "External quality assurers"),
    ("analyst@example.org", "Nadia Bakr", "senior_staff", 2, "learner", "Analysts"),
    ("intake@example.org", "Jonah Whitfield", "complaints_staff", 2, "learner", None),
    ("senior@example.org", "Zofia Kowalczyk", "senior_staff", 2, "learner", None),
    ("aisha@example.org", "Aisha Khan", "complaints_staff", 2, "learner", None),
    ("chidi@example.org", "Chidi Okonkwo", "complaints_staff", 2, "learner", None),
    ("mei@example.org", "Mei Lin", "complaints_staff", 2, "learner", None),
    ("rhiannon@example.org", "Rhiannon Evans", "senior_staff", 2, "learner", None),
    ("farhan@example.org", "Farhan Siddiqui", "senior_staff", 2, "learner", None),
]

# Teams at the Ombudsman: assessors never assess someone in their own team (or anyone there while
# either has no team recorded), so the demo's assessors and candidates sit in different teams.
TEAMS = {
    "trainer@example.org": "Academy",
    "assessor@example.org": "Professional standards",
    "assessor2@example.org": "Professional standards",
    "moderator@example.org": "Professional standards",
    "admin@example.org": "Academy",
    "programmes@example.org": "Academy",
    "iqa@example.org": "Quality assurance",
    "analyst@example.org": "Insight and analysis",
    "intake@example.org": "Intake team 1",
    "senior@example.org": "Casework team 3",
    "aisha@example.org": "Intake team 2",
    "chidi@example.org": "Intake team 2",
    "mei@example.org": "Intake team 1",
    "rhiannon@example.org": "Casework team 1",
    "farhan@example.org": "Casework team 2",
}

CATALOGUE_INTRO = (
    "<p>Short courses on the Complaint Standards, for everyone who meets the public and for "
    "the people who handle and oversee complaints.</p>"
)
HOME_INTRO = (
    "<p>Learn to welcome, investigate and answer complaints about public services well, and "
    "earn certificates that anyone can check.</p>"
)


def _q(title, stem, kind, options, feedback="", *, case_sensitive=False):
    """A question. Each option is (text, correct, feedback) or, for the kinds that need more,
    (text, correct, feedback, {"fraction"/"match_text"/"value"/"tolerance": ...})."""
    return {
        "title": title,
        "stem": stem,
        "kind": kind,
        "options": options,
        "general_feedback": feedback,
        "case_sensitive": case_sensitive,
    }


COURSES = [
    {
        "slug": "welcoming-complaints",
        "title": "Welcoming complaints",
        "audience": "all_staff",
        "summary": (
            "For everyone who works with the public: why complaints help, and how to respond "
            "well when someone raises a concern with you."
        ),
        "outcomes": [
            "Explain why complaints are valuable to your organisation",
            "Help someone raise a concern in the way that suits them",
            "Resolve simple concerns quickly, and know when to pass one on",
        ],
        "minutes": 45,
        "cpd": "1.0",
        "expectations": [(1, 1), (1, 2), (1, 3), (1, 4)],
        "lessons": [
            {
                "slug": "why-complaints-matter",
                "title": "Why complaints matter",
                "intro": "A complaint is often the first sign that something needs attention.",
                "expectations": [(1, 1)],
                "body": [
                    (
                        "text",
                        "<p>When someone takes the time to complain, they are telling you "
                        "something you might not otherwise find out. Treated well, a complaint "
                        "can prevent the same problem happening to the next person.</p>"
                        "<p>People often hesitate before complaining. They may worry about being "
                        "seen as difficult, or about what happens to their care. How the first "
                        "person they speak to reacts shapes everything that follows.</p>",
                    ),
                    (
                        "callout",
                        {
                            "style": "info",
                            "heading": "Remember",
                            "text": "<p>A complaint is information. Thank the person for it.</p>",
                        },
                    ),
                    (
                        "reflective_question",
                        {
                            "prompt": "Think of a time you raised a concern. What made it easier "
                            "or harder?",
                            "guidance": "Consider how you were listened to and whether you were "
                            "told what would happen next.",
                        },
                    ),
                ],
            },
            {
                "slug": "making-it-easy-to-complain",
                "title": "Making it easy to complain",
                "intro": "People should be able to raise a concern in whatever way works for them.",
                "expectations": [(1, 2), (1, 4)],
                "body": [
                    (
                        "text",
                        "<p>Some people will write, others will phone, and many will simply "
                        "mention a problem to the person in front of them. All of these count. "
                        "Some people need help: an interpreter, an easy-read form, or an "
                        "advocate.</p>",
                    ),
                    (
                        "case_study",
                        {
                            "title": "A concern at the reception desk",
                            "scenario": "<p>Mr Adeyemi tells a receptionist that his mother "
                            "waited four hours for pain relief on a ward last week. He says he "
                            "does not want to make a fuss.</p>",
                            "questions": [
                                "Is this a complaint?",
                                "What could the receptionist say to reassure him?",
                                "Who should hear about it?",
                            ],
                        },
                    ),
                ],
            },
            {
                "slug": "responding-at-first-contact",
                "title": "Responding at the first point of contact",
                "intro": "Many concerns can be put right by the first person who hears them.",
                "expectations": [(1, 3)],
                "body": [
                    (
                        "text",
                        "<p>Listen, check you have understood, and say what you can do now. If "
                        "you can fix the problem straight away, do so and make a note. If you "
                        "cannot, explain who will take it on and when they will be in touch.</p>",
                    ),
                    (
                        "callout",
                        {
                            "style": "good_practice",
                            "heading": "Close the loop",
                            "text": "<p>Check back with the person that the fix worked.</p>",
                        },
                    ),
                ],
            },
        ],
        "assessment": {
            "title": "Welcoming complaints: final assessment",
            "bank": "Welcoming complaints",
            "pass_mark": 75,
            # Three tries: feedback and the right answers are shown once they are used up,
            # so they cannot be read from one attempt and copied into the next.
            "settings": {"max_attempts": 3},
            "questions": [
                _q(
                    "WC1 complaint as information",
                    "A patient tells you they are unhappy with how long they waited. What is "
                    "the best first response?",
                    "single",
                    [
                        (
                            "Thank them for telling you and ask them to say more",
                            True,
                            "Yes: listening first shows the concern is welcome.",
                        ),
                        (
                            "Explain that the service is very busy today",
                            False,
                            "Explaining before listening can sound defensive.",
                        ),
                        (
                            "Give them a complaint form and walk away",
                            False,
                            "A form alone does not show you have heard them.",
                        ),
                    ],
                ),
                _q(
                    "WC2 ways to complain",
                    "Which of these are acceptable ways for someone to raise a complaint?",
                    "multiple",
                    [
                        ("In writing", True, ""),
                        ("By telephone", True, ""),
                        ("Face to face with any member of staff", True, ""),
                        (
                            "Only through the online form",
                            False,
                            "Insisting on one channel makes complaining harder.",
                        ),
                    ],
                    "People can complain in whatever way suits them.",
                ),
                _q(
                    "WC3 fear of consequences",
                    "Someone says they are worried that complaining will affect their care. "
                    "What should you do?",
                    "single",
                    [
                        (
                            "Reassure them that raising a concern will not affect their care",
                            True,
                            "",
                        ),
                        (
                            "Suggest they wait until their treatment is over",
                            False,
                            "This delays learning and may leave harm unaddressed.",
                        ),
                        ("Tell them complaints are rarely upheld", False, ""),
                    ],
                ),
                _q(
                    "WC4 resolving on the spot",
                    "A visitor complains that a ward's hand-gel dispenser is empty. What is "
                    "the most appropriate action?",
                    "single",
                    [
                        (
                            "Refill it or get it refilled now, and thank them",
                            True,
                            "Simple problems should be fixed straight away.",
                        ),
                        ("Start a formal complaint investigation", False, ""),
                        ("Tell them to raise it with the facilities department", False, ""),
                    ],
                ),
                _q(
                    "WC5 support to complain",
                    "Which of these could help someone who finds it hard to complain?",
                    "multiple",
                    [
                        ("An interpreter", True, ""),
                        ("An advocate", True, ""),
                        ("An easy-read version of the process", True, ""),
                        ("A longer complaint form", False, ""),
                    ],
                ),
                _q(
                    "WC6 informal concern",
                    "A patient mentions a problem but says 'I don't want to complain'. What "
                    "should happen?",
                    "single",
                    [
                        (
                            "Deal with the concern and record it, respecting their wishes",
                            True,
                            "Concerns still deserve action and a record, even if informal.",
                        ),
                        ("Ignore it because they did not complain", False, ""),
                        ("Insist they make a formal complaint", False, ""),
                    ],
                ),
                _q(
                    "WC7 passing on",
                    "You cannot resolve a concern yourself. What should you tell the person?",
                    "single",
                    [
                        ("Who will deal with it and when they will hear back", True, ""),
                        ("That it is not your job", False, ""),
                        ("Nothing until someone else has looked at it", False, ""),
                    ],
                ),
                _q(
                    "WC8 value of complaints",
                    "Why are complaints valuable to an organisation?",
                    "multiple",
                    [
                        ("They show where services can improve", True, ""),
                        ("They can stop the same problem happening again", True, ""),
                        (
                            "They are a way to measure individual staff for discipline",
                            False,
                            "Complaints are for learning, not blame.",
                        ),
                    ],
                ),
            ],
        },
    },
    {
        "slug": "investigating-complaints-fairly",
        "title": "Investigating complaints fairly",
        "audience": "complaints_staff",
        "summary": (
            "For complaint handlers: plan a proportionate investigation, gather and weigh "
            "evidence fairly, and keep everyone informed."
        ),
        "outcomes": [
            "Agree the scope of a complaint and what the person hopes for",
            "Gather and weigh evidence without taking sides",
            "Keep the person who complained and the staff involved informed and supported",
        ],
        "minutes": 90,
        "cpd": "1.5",
        "expectations": [(2, 1), (2, 2), (2, 3), (2, 4)],
        "lessons": [
            {
                "slug": "planning-an-investigation",
                "title": "Planning an investigation",
                "intro": "A good investigation starts with a clear, agreed plan.",
                "expectations": [(2, 1)],
                "body": [
                    (
                        "text",
                        "<p>Speak to the person early. Agree which issues you will look at, "
                        "what they hope will happen and how long it is likely to take. Write "
                        "this down and share it with them.</p>",
                    ),
                    (
                        "callout",
                        {
                            "style": "warning",
                            "heading": "Proportionate, not minimal",
                            "text": "<p>Match the effort to what is at stake; serious harm "
                            "needs a deeper look.</p>",
                        },
                    ),
                ],
            },
            {
                "slug": "gathering-and-weighing-evidence",
                "title": "Gathering and weighing evidence",
                "intro": "Fair conclusions rest on evidence from everyone involved.",
                "expectations": [(2, 2), (2, 4)],
                "body": [
                    (
                        "text",
                        "<p>Collect records, statements and policies. Hear from staff as well "
                        "as the person who complained. Where accounts differ, say so and "
                        "explain which evidence you gave more weight to and why.</p>",
                    ),
                    (
                        "case_study",
                        {
                            "title": "Two accounts of a phone call",
                            "scenario": "<p>A caller says she was told her benefit claim had "
                            "been lost. The adviser says he told her it was delayed. There is no "
                            "recording, but the case notes made at the time mention a delay.</p>",
                            "questions": [
                                "What weight would you give the case notes?",
                                "How would you explain your finding to the caller?",
                            ],
                        },
                    ),
                ],
            },
            {
                "slug": "keeping-people-informed",
                "title": "Keeping people informed",
                "intro": "Silence feels like being ignored.",
                "expectations": [(2, 3)],
                "body": [
                    (
                        "text",
                        "<p>Tell the person how things are going at the points you agreed, and "
                        "straight away if there is a delay. Tell staff who are complained about "
                        "what is happening and where they can get support.</p>",
                    ),
                    (
                        "reflective_question",
                        {
                            "prompt": "How do you currently keep people updated during an "
                            "investigation?",
                            "guidance": "",
                        },
                    ),
                ],
            },
        ],
        "assessment": {
            "title": "Investigating complaints fairly: final assessment",
            "bank": "Investigating complaints",
            "pass_mark": 75,
            # Three tries: feedback and the right answers are shown once they are used up,
            # so they cannot be read from one attempt and copied into the next.
            "settings": {"max_attempts": 3},
            "questions": [
                _q(
                    "IC1 scope",
                    "What should you agree with the person at the start of an investigation?",
                    "multiple",
                    [
                        ("Which issues will be looked at", True, ""),
                        ("What outcome they hope for", True, ""),
                        ("Roughly how long it will take", True, ""),
                        ("What the finding will be", False, "The finding depends on the evidence."),
                    ],
                ),
                _q(
                    "IC2 proportionate",
                    "What does a proportionate investigation mean?",
                    "single",
                    [
                        ("The depth of the investigation matches what is at stake", True, ""),
                        ("Every complaint gets the shortest possible look", False, ""),
                        ("Every complaint gets a full external review", False, ""),
                    ],
                ),
                _q(
                    "IC3 evidence sources",
                    "Which of these are sources of evidence for an investigation?",
                    "multiple",
                    [
                        ("Records made at the time", True, ""),
                        ("Accounts from staff involved", True, ""),
                        ("The person's own account", True, ""),
                        ("Rumours from colleagues not involved", False, ""),
                    ],
                ),
                _q(
                    "IC4 conflicting accounts",
                    "Two accounts of an event differ. What should the investigation do?",
                    "single",
                    [
                        (
                            "Say so, and explain which evidence was given more weight and why",
                            True,
                            "",
                        ),
                        ("Always accept the staff member's account", False, ""),
                        ("Always accept the complainant's account", False, ""),
                    ],
                ),
                _q(
                    "IC5 delays",
                    "The investigation will take longer than agreed. When should the person "
                    "be told?",
                    "single",
                    [
                        ("As soon as the delay is known, with a new date", True, ""),
                        ("When the final response is sent", False, ""),
                        ("Only if they ask", False, ""),
                    ],
                ),
                _q(
                    "IC6 staff support",
                    "How should staff who are complained about be treated?",
                    "multiple",
                    [
                        ("Told what is happening", True, ""),
                        ("Offered support", True, ""),
                        ("Given a fair chance to give their account", True, ""),
                        ("Kept unaware so they cannot influence it", False, ""),
                    ],
                ),
                _q(
                    "IC7 impartiality",
                    "Who should ideally investigate a complaint?",
                    "single",
                    [
                        ("Someone who was not involved in the events", True, ""),
                        ("The member of staff complained about", False, ""),
                        ("Whoever is least busy, whatever their involvement", False, ""),
                    ],
                ),
                _q(
                    "IC8 record of plan",
                    "Why write down the agreed plan for an investigation?",
                    "single",
                    [
                        ("So everyone shares the same understanding of what will happen", True, ""),
                        ("So the organisation can refuse to look at new issues", False, ""),
                        ("It is not useful", False, ""),
                    ],
                ),
            ],
        },
    },
    {
        "slug": "leading-a-learning-culture",
        "title": "Leading a learning culture",
        "audience": "senior_staff",
        "summary": (
            "For senior staff and board members: oversee complaint handling, make sure "
            "responses are accountable, and turn complaints into lasting improvement."
        ),
        "outcomes": [
            "Hold the organisation to account for the quality of its responses",
            "Use complaint information to decide on improvements",
            "Check that promised changes happened and worked",
        ],
        "minutes": 60,
        "cpd": "1.0",
        "expectations": [(3, 1), (3, 2), (3, 3), (4, 1), (4, 2), (4, 3)],
        "lessons": [
            {
                "slug": "accountable-responses",
                "title": "Accountable responses",
                "intro": "A response should explain, apologise where due and say what changes.",
                "expectations": [(3, 1), (3, 2), (3, 3)],
                "body": [
                    (
                        "text",
                        "<p>Senior staff sign off many responses. Before signing, check that "
                        "the response answers every point agreed, explains findings in plain "
                        "language, apologises for what went wrong and tells the person how to "
                        "go to the ombudsman if they remain unhappy.</p>",
                    ),
                ],
            },
            {
                "slug": "learning-from-complaints",
                "title": "Learning from complaints",
                "intro": "Patterns across complaints tell leaders where to act.",
                "expectations": [(4, 1), (4, 2)],
                "body": [
                    (
                        "text",
                        "<p>Review themes regularly at board level, alongside other measures of "
                        "quality. Share what you have learned with staff and publish it, so the "
                        "public can see that complaints lead to change.</p>",
                    ),
                    (
                        "case_study",
                        {
                            "title": "A pattern in discharge complaints",
                            "scenario": "<p>Over six months, nine complaints mention patients "
                            "leaving hospital without their medicines. Each was answered "
                            "separately and apologised for.</p>",
                            "questions": [
                                "What should the board ask for?",
                                "How would you know whether a change worked?",
                            ],
                        },
                    ),
                ],
            },
            {
                "slug": "checking-improvement",
                "title": "Checking that improvement happened",
                "intro": "A promise to change is only worth something if it is kept.",
                "expectations": [(4, 3)],
                "body": [
                    (
                        "text",
                        "<p>Keep a log of actions promised in responses, with an owner and a "
                        "date. Check progress and look for evidence that the change has made "
                        "a difference.</p>",
                    ),
                    (
                        "callout",
                        {
                            "style": "good_practice",
                            "heading": "Tell people what changed",
                            "text": "<p>Where you can, let the person who complained know "
                            "what their complaint changed.</p>",
                        },
                    ),
                ],
            },
        ],
        "assessment": {
            "title": "Leading a learning culture: final assessment",
            "bank": "Leading a learning culture",
            "pass_mark": 75,
            # Three tries: feedback and the right answers are shown once they are used up,
            # so they cannot be read from one attempt and copied into the next.
            "settings": {"max_attempts": 3},
            "questions": [
                _q(
                    "LC1 sign-off checks",
                    "Before signing off a response, what should a senior leader check?",
                    "multiple",
                    [
                        ("It answers every issue agreed with the person", True, ""),
                        ("It apologises where something went wrong", True, ""),
                        ("It explains how to go to the ombudsman", True, ""),
                        ("It is as short as possible", False, ""),
                    ],
                ),
                _q(
                    "LC2 plain language",
                    "How should findings be explained in a response?",
                    "single",
                    [
                        ("In plain language the person can follow", True, ""),
                        ("In clinical or legal terms to be precise", False, ""),
                        ("Only by reference to policy numbers", False, ""),
                    ],
                ),
                _q(
                    "LC3 themes",
                    "Nine complaints describe the same problem. What should leaders do?",
                    "single",
                    [
                        ("Treat it as a pattern and look for a shared cause", True, ""),
                        ("Answer each one separately and move on", False, ""),
                        ("Wait for a tenth before acting", False, ""),
                    ],
                ),
                _q(
                    "LC4 sharing learning",
                    "Who should learning from complaints be shared with?",
                    "multiple",
                    [
                        ("Staff across the organisation", True, ""),
                        ("The public", True, ""),
                        ("Only the team complained about", False, ""),
                    ],
                ),
                _q(
                    "LC5 tracking actions",
                    "What helps make sure promised changes happen?",
                    "single",
                    [
                        ("A log of actions with an owner and a date, checked regularly", True, ""),
                        ("Mentioning them in the response letter", False, ""),
                        ("Trusting that teams will remember", False, ""),
                    ],
                ),
                _q(
                    "LC6 measuring change",
                    "How can leaders tell whether a change made a difference?",
                    "single",
                    [
                        (
                            "Look for evidence, such as fewer repeat complaints on the issue",
                            True,
                            "",
                        ),
                        ("Assume it worked once the action is closed", False, ""),
                        ("Count the number of meetings held", False, ""),
                    ],
                ),
                _q(
                    "LC7 culture",
                    "Which behaviours show a just and learning culture?",
                    "multiple",
                    [
                        ("Staff feel safe to say when something went wrong", True, ""),
                        ("Complaints are discussed at board level", True, ""),
                        ("Blame is the first response to a complaint", False, ""),
                    ],
                ),
                _q(
                    "LC8 telling the complainant",
                    "Why tell a person what their complaint changed?",
                    "single",
                    [
                        ("It shows their complaint was worth making", True, ""),
                        ("It closes the complaint legally", False, ""),
                        ("It stops them complaining again", False, ""),
                    ],
                ),
            ],
        },
    },
    # A short course whose final assessment shows the assessment engine: questions drawn at random
    # from a bank by expectation, on pages, shuffled, with each answer checked as the learner goes.
    {
        "slug": "practising-first-responses",
        "title": "Practising first responses",
        "audience": "all_staff",
        "summary": (
            "Short practice for anyone who meets the public: try what you would say and do when "
            "someone raises a concern, and see straight away how you did."
        ),
        "outcomes": [
            "Recognise a concern, however it is raised",
            "Decide what you can put right yourself and what to pass on",
        ],
        "minutes": 20,
        "cpd": "0.5",
        "expectations": [(1, 2), (1, 3), (1, 4)],
        "lessons": [
            {
                "slug": "spotting-a-concern",
                "title": "Spotting a concern",
                "intro": "Concerns rarely arrive labelled as complaints.",
                "expectations": [(1, 2)],
                "body": [
                    (
                        "text",
                        "<p>People raise concerns in corridors, on the phone and at the end of "
                        "an appointment. They may say they do not want to cause trouble. Listen "
                        "for what went wrong and what the person would like to happen, whatever "
                        "words they use.</p>",
                    ),
                    (
                        "knowledge_check",
                        {"heading": "", "question": "KC1 a concern in passing"},
                    ),
                ],
            },
            {
                "slug": "putting-it-right",
                "title": "Putting it right, or passing it on",
                "intro": "Some problems you can solve now; others need someone else.",
                "expectations": [(1, 3), (1, 4)],
                "body": [
                    (
                        "text",
                        "<p>If you can fix the problem, fix it, thank the person and make a "
                        "short note. If you cannot, tell them who will pick it up and when, and "
                        "reassure them that raising it will not count against them.</p>",
                    ),
                    (
                        "knowledge_check",
                        {"heading": "Try it yourself", "question": "KC2 fixing it on the spot"},
                    ),
                ],
            },
        ],
        "assessment": {
            "title": "Practising first responses: practice round",
            "bank": "First responses",
            "pass_mark": 60,
            "instructions": (
                "Each attempt draws a fresh set of questions, two to a page. Use Check this "
                "answer to see how you did before you move on; a checked answer cannot be changed."
            ),
            "settings": {
                "shuffle_questions": True,
                "shuffle_options": True,
                "questions_per_page": 2,
                "check_during_attempt": True,
                # A check says whether the answer was right; why, and the right answer, wait
                # until the three attempts are used up, so the course's certificate cannot be
                # earned by copying them from one attempt into the next.
                "max_attempts": 3,
            },
            # ("draw", how many, expectation) or ("fixed", question title), in order.
            "slots": [
                ("draw", 2, (1, 2)),
                ("draw", 2, (1, 3)),
                ("fixed", "FR7 reassurance"),
            ],
            "questions": [
                dict(
                    _q(
                        "FR1 a remark at the desk",
                        "A patient says at the desk that the toilets have been out of order for "
                        "a week. Is this a concern the service should act on?",
                        "truefalse",
                        [
                            ("True", True, "Yes: it tells you something needs putting right."),
                            ("False", False, "It is a concern, even though it was not written."),
                        ],
                    ),
                    expectation=(1, 2),
                ),
                dict(
                    _q(
                        "FR2 language support",
                        "A man who speaks little English is trying to explain a problem with "
                        "his prescription. What helps most?",
                        "single",
                        [
                            ("Arrange an interpreter, in person or by phone", True, ""),
                            ("Speak more slowly and loudly", False, ""),
                            ("Ask him to come back with a relative", False, ""),
                        ],
                    ),
                    expectation=(1, 2),
                ),
                dict(
                    _q(
                        "FR3 ways in",
                        "Which of these should your service accept as ways to raise a concern?",
                        "multiple",
                        [
                            ("A phone call", True, ""),
                            ("A conversation with any member of staff", True, ""),
                            ("A letter or e-mail", True, ""),
                            ("A form signed by a manager", False, ""),
                        ],
                    ),
                    expectation=(1, 2),
                ),
                dict(
                    _q(
                        "FR4 a missed meal",
                        "A patient's daughter says her mother's lunch was left out of reach. "
                        "What should you do first?",
                        "single",
                        [
                            ("Put it right now and check the patient has eaten", True, ""),
                            ("Explain that the ward is short of staff", False, ""),
                            ("Give her the complaints leaflet", False, ""),
                        ],
                    ),
                    expectation=(1, 3),
                ),
                dict(
                    _q(
                        "FR5 beyond you",
                        "A caller is unhappy about a decision on his care package that you "
                        "cannot change. What should you tell him?",
                        "single",
                        [
                            ("Who will look at it and when they will contact him", True, ""),
                            ("That decisions cannot be questioned", False, ""),
                            ("To call back another day", False, ""),
                        ],
                    ),
                    expectation=(1, 3),
                ),
                dict(
                    _q(
                        "FR6 after the fix",
                        "You have fixed a broken call bell that a patient complained about. "
                        "What else is good practice?",
                        "multiple",
                        [
                            ("Check with the patient that it now works", True, ""),
                            ("Make a short note of what happened", True, ""),
                            ("Ask the patient to confirm it in writing", False, ""),
                        ],
                    ),
                    expectation=(1, 3),
                ),
                dict(
                    _q(
                        "FR7 reassurance",
                        "Someone worries that raising a concern will affect how they are "
                        "treated. What should you say?",
                        "single",
                        [
                            (
                                "That raising it will not affect their care or service",
                                True,
                                "",
                            ),
                            ("That it depends on how serious the concern is", False, ""),
                            ("That they should think carefully before going ahead", False, ""),
                        ],
                    ),
                    expectation=(1, 4),
                ),
            ],
        },
    },
]

# Questions that lessons ask as knowledge checks (courses.blocks.KnowledgeCheckBlock): a lesson
# names one by its title. Each is tagged with the expectation given.
KNOWLEDGE_CHECK_BANK = "Knowledge checks"
KNOWLEDGE_CHECKS = [
    dict(
        _q(
            "KC1 a concern in passing",
            "A relative mentions, while leaving, that nobody returned her calls about her "
            "father's discharge. She adds that she is not complaining. What should you do?",
            "single",
            [
                (
                    "Take her details, pass the concern on today and tell her who will call",
                    True,
                    "Yes: a concern raised in passing still deserves action and a reply.",
                ),
                (
                    "Nothing, because she said she was not complaining",
                    False,
                    "How someone describes their concern does not decide whether it is acted on.",
                ),
                (
                    "Ask her to send an e-mail to the complaints team",
                    False,
                    "She has already told you; asking her to start again makes it harder.",
                ),
            ],
        ),
        expectation=(1, 2),
    ),
    dict(
        _q(
            "KC2 fixing it on the spot",
            "If you can put a problem right straight away, you should still make a note of it.",
            "truefalse",
            [
                ("True", True, "Yes: a short note lets the service spot the same problem again."),
                ("False", False, "Even a quick fix is worth recording, so patterns show up."),
            ],
        ),
        expectation=(1, 3),
    ),
]

# Not a course's final assessment: a timed quiz with one question of every kind.
PRACTICE_ASSESSMENT = {
    "title": "Complaint Standards practice quiz",
    "bank": "Practice",
    "pass_mark": 60,
    "time_limit_minutes": 20,
    "instructions": (
        "A short practice quiz on handling complaints well. It does not count towards a course."
    ),
    "expectations": [(1, 1), (1, 2), (1, 3), (1, 4)],
    "questions": [
        _q(
            "PQ1 first contact",
            "Someone rings to say their appointment letter arrived after the appointment. What "
            "should you do first?",
            "single",
            [
                ("Say sorry, listen and find out what they need now", True, ""),
                ("Tell them letters are sent by another team", False, ""),
                ("Ask them to put it in writing before you can help", False, ""),
            ],
        ),
        _q(
            "PQ2 good records",
            "Which of these belong in the record of a complaint?",
            "multiple",
            [
                ("What the person told you, in their own words", True, ""),
                ("What they would like to happen", True, ""),
                ("Your opinion of the person's character", False, ""),
            ],
        ),
        _q(
            "PQ3 no form needed",
            "A complaint made by telephone counts as a complaint, even without a written form.",
            "truefalse",
            [
                ("True", True, "Yes: people can complain in whatever way suits them."),
                ("False", False, "People do not have to use a form to complain."),
            ],
        ),
        _q(
            "PQ4 ombudsman",
            "If a complaint cannot be resolved locally, which independent body can the person "
            "in England ask to look at it? (one word)",
            "short",
            [
                ("Ombudsman", True, ""),
                ("The Ombudsman", True, ""),
            ],
        ),
        _q(
            "PQ5 working days",
            "Your service aims to acknowledge a complaint within 3 working days. It arrives on "
            "day 1. By which working day at the latest should it be acknowledged?",
            "numerical",
            [("", True, "", {"value": "4", "tolerance": "0"})],
        ),
        _q(
            "PQ6 match the step",
            "Match each step of handling a complaint with what it involves.",
            "matching",
            [
                ("Acknowledge", False, "", {"match_text": "Confirm you have received it"}),
                ("Investigate", False, "", {"match_text": "Find out what happened"}),
                ("Respond", False, "", {"match_text": "Explain what you found and will do"}),
            ],
        ),
        _q(
            "PQ7 order the steps",
            "Put these steps of handling a complaint in the order they happen.",
            "ordering",
            [
                ("Listen to the concern", False, ""),
                ("Agree what the complaint is about", False, ""),
                ("Look into what happened", False, ""),
                ("Give a clear answer", False, ""),
            ],
        ),
    ],
}

# A marked exercise: an essay against a rubric, marked anonymously, every answer second-marked
# blind, results held until an assessor releases them. Two demo learners have handed it in.
MARKED_ASSESSMENT = {
    "title": "Written investigation exercise",
    "bank": "Marked exercises",
    "pass_mark": 60,
    "instructions": (
        "Read the situation and write your answer. Assessors mark it against the criteria "
        "below; your result comes once marking is finished."
    ),
    "settings": {
        "anonymous_marking": True,
        "second_marking_percent": 100,
        "moderation_tolerance": 15,
        "hold_results": True,
    },
    "rubric": {
        "name": "Investigation summary",
        "guidance": (
            "A strong answer separates what is known from what is claimed, gives both sides a "
            "fair hearing and says plainly what happens next."
        ),
        "criteria": [
            ("Evidence", "Uses what the records show, and says what is still missing."),
            ("Fairness", "Sets out the complainant's and the service's accounts even-handedly."),
            ("Clarity", "Plain words, in an order the complainant can follow."),
        ],
        "levels": [
            ("Not shown", "0", "The answer does not do this."),
            ("Partly shown", "1", "Some of it, or done unevenly."),
            ("Fully shown", "2", "Done throughout the answer."),
        ],
    },
    "expectations": [(2, 1), (2, 2)],
    "questions": [
        _q(
            "MX1 investigation summary",
            "A patient says they waited four hours in the emergency department and nobody told "
            "them why. The department's log shows two staff absences that evening and a note that "
            "the waiting room was told about delays twice. In a few paragraphs, write the part of "
            "your investigation summary that weighs this evidence and says what you will do next.",
            "essay",
            [],
        ),
        _q(
            "MX2 keeping informed",
            "While you investigate, how often should you update the person who complained?",
            "single",
            [
                ("As often as you agreed with them, and whenever something changes", True, ""),
                ("Only when the investigation is finished", False, ""),
                ("Only if they ask for an update", False, ""),
            ],
        ),
    ],
    # (learner e-mail, essay answer)
    "handed_in": [
        (
            "learner@example.org",
            "The log backs up part of the complaint: two staff were absent, so a long wait was "
            "likely. It also says the waiting room was told about delays twice, but the patient "
            "says nobody explained. Both can be true if the announcements were not heard.\n\n"
            "Next I will ask the nurse in charge how the delays were announced, and write to the "
            "patient within five working days with what I have found.",
        ),
        (
            "certified@example.org",
            "The wait was caused by staff absence. The department did announce delays, so the "
            "complaint is not upheld.",
        ),
    ],
}

# The webinar and the sitting to come; who booked and who came is in portal/demo_webinars.py.
WEBINAR = {
    "slug": "complaint-standards-in-practice",
    "title": "The Complaint Standards in practice: questions answered",
    "description": (
        "<p>A live session for complaint handlers. Trainers from the Academy talk through common "
        "situations and answer your questions about applying the Complaint Standards.</p>"
    ),
    "days_ahead": 21,
    "hour": 14,
    "minutes": 60,
    "audience": "complaints_staff",
    "cpd_hours": "1.0",
    "capacity": 40,
    # example.org is reserved for examples: the demo's link goes nowhere real.
    "meeting_url": "https://meet.example.org/academy/complaint-standards-in-practice",
    "presenters": "Nia Okafor and Daniel Brennan",
}


# Made-up learners at the first trust who have each taken "Welcoming complaints: final
# assessment" once, so the item analysis report has numbers to show. Their answers are drawn
# from a generator seeded with their e-mail address, so every load gives the same answers.
SAMPLE_ATTEMPTS_COURSE = "welcoming-complaints"
SAMPLE_FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dev", "Erin", "Femi"]
SAMPLE_SURNAMES = ["Walker", "Singh", "Evans", "Brennan", "Chowdhury"]
SAMPLE_LEARNERS = [
    (f"sample{index:02}@example.org", f"{first} {surname}")
    for index, (first, surname) in enumerate(
        ((first, surname) for surname in SAMPLE_SURNAMES for first in SAMPLE_FIRST_NAMES),
        start=1,
    )
]

# The design every demo certificate is printed with. Its logo and signature are drawn by
# portal/demo_images.py; the signatory is the demo's administrator.
CERTIFICATE_DESIGN = {
    "name": "Academy certificates",
    "signatory_name": "Grace Holloway",
    "signatory_role": "Head of the PHSO Academy",
    "logo_title": "PHSO Academy logo (demo)",
    "signature_title": "Grace Holloway's signature (demo)",
}
