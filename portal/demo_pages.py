"""The demo's information pages, linked from every page's footer. Our own words throughout; a
real deployment's editors replace them in the Wagtail admin (Pages > PHSO Academy)."""

INFORMATION_PAGES = [
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "summary": "We want everyone who needs the Academy to be able to use it.",
        "body": (
            "<h2>How accessible this service is</h2>"
            "<p>The learner pages of the Academy aim to meet the Web Content Accessibility "
            "Guidelines (WCAG) 2.2 at level AA. You should be able to:</p>"
            "<ul><li>use every page with a keyboard alone</li>"
            "<li>zoom in up to 400% without text spilling off the screen</li>"
            "<li>use the courses, assessments and your learning page with a screen reader</li>"
            "<li>take an assessment with JavaScript switched off</li></ul>"
            "<p>Every video in a lesson has a written transcript.</p>"
            "<h2>What we know is not yet right</h2>"
            "<p>In the staff area, where trainers write courses, the rich text editor does not "
            "announce the name of the field it belongs to. This comes from the content "
            "management system we build on, and we will take its fix when it is released.</p>"
            "<h2>Adjustments for assessments</h2>"
            "<p>If you need more time, or another adjustment, for an assessment, ask the Academy "
            "team before you start. Adjustments are set for you alone and are never shown to "
            "others.</p>"
            "<h2>Reporting a problem</h2>"
            "<p>If something on the Academy does not work for you, tell us on the contact page, "
            "saying which page and what happened. We aim to reply within five working days.</p>"
            "<p>If you are not happy with how we respond, you can contact the Equality Advisory "
            "and Support Service (EASS).</p>"
            "<h2>How we test</h2>"
            "<p>Every learner page is checked with an automated accessibility tool and with the "
            "keyboard alone each time the service changes, at desktop and phone widths.</p>"
        ),
    },
    {
        "slug": "privacy",
        "title": "Privacy notice",
        "summary": "What the Academy keeps about you, why, and for how long.",
        "body": (
            "<h2>What we keep</h2>"
            "<ul><li>your name and e-mail address, and the organisation you work for</li>"
            "<li>the courses you enrol on, the lessons you finish and your answers in "
            "assessments, with their marks and any feedback</li>"
            "<li>the certificates issued to you and their status</li>"
            "<li>a record of changes made by staff to marks and certificates, with the reasons "
            "they gave</li></ul>"
            "<h2>Why we keep it</h2>"
            "<p>To run your training, to mark and certify it, to let anyone you choose check "
            "that a certificate is genuine, and to report to your organisation on the training "
            "it has asked you to do.</p>"
            "<h2>Who sees it</h2>"
            "<p>Academy staff who run courses, mark assessments or issue certificates. Your "
            "organisation's training lead sees your progress on training they assigned. Anyone "
            "with a certificate's code sees the name, course and dates printed on it, and "
            "whether it is still valid; nothing else.</p>"
            "<h2>How long we keep it</h2>"
            "<p>Certificates and the records behind them are kept while they can be checked, "
            "and for six years after they expire or are withdrawn. You can ask for a copy of "
            "what we hold about you, or for it to be corrected, on the contact page.</p>"
        ),
    },
    {
        "slug": "cookies",
        "title": "Cookies",
        "summary": "The Academy uses only the cookies it needs to work.",
        "body": (
            "<p>We do not use cookies to track you or to measure how the site is used, so we do "
            "not ask you to accept any.</p>"
            "<h2>The cookies we set</h2>"
            "<ul><li><strong>sessionid</strong>: keeps you signed in; it ends when you sign out, "
            "or two weeks after you signed in</li>"
            "<li><strong>csrftoken</strong>: protects the forms you send from being forged by "
            "another site; it lasts a year</li>"
            '<li><strong>messages</strong>: carries a short message, such as "Your answers '
            'have been saved", to the next page you open; it lasts only until then</li></ul>'
        ),
    },
    {
        "slug": "contact",
        "title": "Contact the Academy",
        "summary": "Questions about courses, assessments or certificates.",
        "body": (
            "<p>E-mail the Academy team at academy@example.org. Tell us your name, the e-mail "
            "address you use for the Academy and, for a certificate, its code.</p>"
            "<p>We aim to reply within five working days.</p>"
            "<h2>If you want to complain about an organisation</h2>"
            "<p>The Academy trains complaint handlers; it cannot look into complaints about the "
            "NHS or government departments. Complain to the organisation first; if you are "
            "still unhappy after its final response, you can ask the Ombudsman to look at "
            "it.</p>"
        ),
    },
]
