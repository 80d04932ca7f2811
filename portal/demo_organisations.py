"""Demo content for organisations: the staff of the first trust and of three more bodies, with
learning finished over the past year, so that a manager's home, the compliance trend and the
national figures have something to show. Names come from several scripts on purpose.

Every person here is made up. They have no password (they exist for the figures), except the
one who moved between trusts, who can sign in to show what a mover keeps."""

FIRST_TRUST = "Northfield Hospitals NHS Foundation Trust"

MORE_ORGANISATIONS = [
    {
        "name": "Southmoor Community Healthcare NHS Trust",
        "kind": "nhs_trust",
        "ods_code": "ZZ102",
        "region": "south_west",
    },
    {
        "name": "Harbourside Integrated Care Board",
        "kind": "icb",
        "ods_code": "ZZ103",
        "region": "london",
    },
    {
        "name": "Elm Street Surgery",
        "kind": "primary_care",
        "ods_code": "ZZ104",
        "region": "east_of_england",
    },
]

WELCOMING = "welcoming-complaints"
INVESTIGATING = "investigating-complaints-fairly"

# (e-mail, full name, organisation, role tier, team, [(course slug, days ago finished)])
STAFF = [
    (
        "siobhan@example.org",
        "Siobhán Ní Bhriain",
        FIRST_TRUST,
        "all_staff",
        "Ward 7",
        [(WELCOMING, 330)],
    ),
    (
        "nguyen@example.org",
        "Nguyễn Thị Mai",
        FIRST_TRUST,
        "all_staff",
        "Ward 7",
        [(WELCOMING, 290)],
    ),
    (
        "lukasz@example.org",
        "Łukasz Zieliński",
        FIRST_TRUST,
        "all_staff",
        "Outpatients",
        [(WELCOMING, 240)],
    ),
    (
        "kateryna@example.org",
        "Катерина Шевченко",
        FIRST_TRUST,
        "all_staff",
        "Outpatients",
        [(WELCOMING, 150)],
    ),
    ("wang@example.org", "王芳", FIRST_TRUST, "all_staff", "Outpatients", [(WELCOMING, 95)]),
    ("mohammed@example.org", "محمد العلي", FIRST_TRUST, "all_staff", "Ward 7", [(WELCOMING, 40)]),
    ("hannah@example.org", "Hannah O'Connor", FIRST_TRUST, "all_staff", "Ward 7", []),
    (
        "alexandros@example.org",
        "Αλέξανδρος Παπαδόπουλος",
        FIRST_TRUST,
        "all_staff",
        "Outpatients",
        [],
    ),
    (
        "sipho@example.org",
        "Sipho Dlamini",
        FIRST_TRUST,
        "complaints_staff",
        "Patient advice and liaison",
        [(WELCOMING, 300), (INVESTIGATING, 200)],
    ),
    (
        "zoe@example.org",
        "Zoë Dubois",
        FIRST_TRUST,
        "complaints_staff",
        "Patient advice and liaison",
        [(WELCOMING, 120)],
    ),
    (
        "oluwaseun@example.org",
        "Oluwaseun Adeyemi",
        FIRST_TRUST,
        "complaints_staff",
        "Complaints team",
        [(WELCOMING, 210), (INVESTIGATING, 60)],
    ),
    (
        "priya.r@example.org",
        "Priya Raghunathan",
        FIRST_TRUST,
        "senior_staff",
        "Complaints team",
        [(WELCOMING, 350), (INVESTIGATING, 180)],
    ),
    (
        "tomasz@example.org",
        "Tomasz Nowak",
        "Southmoor Community Healthcare NHS Trust",
        "all_staff",
        "Community nursing",
        [(WELCOMING, 200)],
    ),
    (
        "grace.m@example.org",
        "Grace Mwangi",
        "Southmoor Community Healthcare NHS Trust",
        "complaints_staff",
        "Complaints team",
        [(WELCOMING, 250), (INVESTIGATING, 100)],
    ),
    (
        "ahmed@example.org",
        "Ahmed Hassan",
        "Harbourside Integrated Care Board",
        "complaints_staff",
        "Patient experience",
        [(WELCOMING, 170)],
    ),
    (
        "jeanluc@example.org",
        "Jean-Luc Martin",
        "Harbourside Integrated Care Board",
        "senior_staff",
        "Quality",
        [],
    ),
    (
        "bronwen@example.org",
        "Bronwen Jones",
        "Elm Street Surgery",
        "all_staff",
        "Reception",
        [(WELCOMING, 75)],
    ),
    (
        "ravi@example.org",
        "Ravi Patel",
        "Elm Street Surgery",
        "senior_staff",
        "Practice management",
        [(WELCOMING, 20)],
    ),
]

# Everyone above joined this many days ago.
JOINED_DAYS_AGO = 400

# Omar worked at Southmoor, earned a certificate there, left and joined the first trust: the old
# trust no longer sees him, the new one sees what he brings. He can sign in.
MOVER = {
    "email": "omar@example.org",
    "name": "Omar Haddad",
    "tier": "complaints_staff",
    "from": "Southmoor Community Healthcare NHS Trust",
    "from_team": "Complaints team",
    "to": FIRST_TRUST,
    "to_team": "Complaints team",
    "joined_days_ago": 600,
    "finished": [(WELCOMING, 280)],
    "left_days_ago": 60,
    "moved_days_ago": 45,
}

# What the first trust's complaints lead has assigned: (course, audience, role tier, days ago
# made, days from then until due, repeat every months). The first came due two months ago, so
# those who had not finished it are overdue.
ASSIGNMENTS = [
    (WELCOMING, "everyone", "", 120, 60, 12),
    (INVESTIGATING, "tier", "complaints_staff", 10, 55, None),
]

# Invitations the first trust's lead has sent: (e-mail, name, tier, days ago). Those from more
# than 14 days ago have expired unanswered.
INVITATIONS = [
    ("new.starter@example.org", "Ifeoma Nwosu", "all_staff", 2),
    ("ward9.sister@example.org", "Bethan Roberts", "complaints_staff", 5),
    ("locum@example.org", "Arjun Mehta", "all_staff", 20),
]
