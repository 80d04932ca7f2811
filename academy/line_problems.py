"""Problems found line by line in an uploaded file (invitations, attendance reports): the first
few in words, each with its line number, and a count of all, so a page can list them and say
how many more there are. No Django here."""

from dataclasses import dataclass, field


class LineProblemsError(Exception):
    """The file, or some of its lines, cannot be used, and nothing was changed. `problems` are
    the first ones found, in words (each line's starting with its number); `count` is how many
    there are in all."""

    def __init__(self, problems: list[str], count: int | None = None):
        super().__init__(problems[0] if problems else "The file cannot be used.")
        self.problems = problems
        self.count = len(problems) if count is None else count

    @property
    def unlisted(self) -> int:
        return self.count - len(self.problems)


@dataclass
class LineProblems:
    """Problems by line as they are found: the first `limit` in words, and a count of all."""

    limit: int
    listed: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, messages: list[str]) -> None:
        self.count += 1
        if len(self.listed) < self.limit:
            text = "; ".join(messages)
            self.listed.append(f"Line {line}: {text[0].upper()}{text[1:]}.")
