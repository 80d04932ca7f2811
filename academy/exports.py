"""Cells for CSV and XLSX files people open in spreadsheets, for every app's exports.

One rule says which text a spreadsheet would take for a formula (`starts_like_formula`); CSV
cells answer it with an apostrophe (`safe_cell`), XLSX cells by being stored as text
(organisations.exports)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value) -> bool:
    """Whether a spreadsheet would read this value as a formula (or the start of one) rather
    than as the text it is."""
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def safe_cell(value):
    """A CSV cell a spreadsheet shows as the text it is: text starting with a character that
    makes a formula (= + - @, or a tab or carriage return) is prefixed with an apostrophe.
    Numbers are ours and stay numbers (a negative index stays a number); None is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 2)
    if starts_like_formula(value):
        return "'" + value
    return value
