"""The assessments app's pages, one module per job: attempts (the learner's attempt and result
pages, routed by assessments.urls), and the admin's marking, analysis (item analysis), versions
(a question's version history and regrading) and importing (GIFT upload), registered by
wagtail_hooks."""
