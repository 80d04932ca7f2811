"""Cells for CSV files people open in spreadsheets, for every app's exports."""


def safe_cell(value):
    """A CSV cell a spreadsheet shows as the text it is: text starting with a character that
    makes a formula (= + - @, or a tab or carriage return) is prefixed with an apostrophe.
    Numbers are ours and stay numbers (a negative index stays a number); None is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
