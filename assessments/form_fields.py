"""The names of the form fields an answer is posted in, on the attempt page and in a lesson's
knowledge check: q<response id> for the options ticked or the text typed, and
q<response id>-<item key> for each item answered with a select (matching's left-hand items,
ordering's items). The selectors name the fields the pages show with these, and the answers are
read back by the same names."""


def answer_field(response_id: int) -> str:
    return f"q{response_id}"


def item_field(response_id: int, key: str) -> str:
    return f"q{response_id}-{key}"
