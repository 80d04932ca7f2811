"""Every error the accreditation app raises: one base, `AccreditationError`, whose message is for
the person who asked (views and forms show it as it is). Nothing changed when one is raised."""


class AccreditationError(Exception):
    """A rule about programmes, portfolios, decisions or CPD refused the request."""


class NotEligibleError(AccreditationError):
    """The person may not enrol on the programme; the message says why."""


class VersionLockedError(AccreditationError):
    """A published version (or a unit or checklist one uses) cannot change."""


class EvidenceRefusedError(AccreditationError):
    """An uploaded file was refused (its type, size, name or a virus); nothing was stored."""


class WrongStateError(AccreditationError):
    """The submission, decision or appeal is not in a state that allows this."""


class ConflictOfInterestError(AccreditationError):
    """The assessor, IQA or panel member may not judge this candidate's work."""


class AlreadyTakenError(WrongStateError):
    """Someone else opened or decided it first."""


class DecisionIncompleteError(AccreditationError):
    """A decision was refused as it stood: a criterion not judged, feedback missing, or an
    outcome the judgements do not allow. `problems` lists each thing to put right."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


class CPDEntryError(AccreditationError):
    """A CPD entry was refused: a value breaks a rule, or the entry is not the person's to
    change (entries the Academy records change only with what they record)."""
