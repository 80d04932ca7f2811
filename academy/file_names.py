"""How a message about an uploaded file names it and its size, for every app that takes uploads:
a file's name is the person's own, so it may hold anything (hidden characters, a right-to-left
override, a thousand characters). No Django here."""

import unicodedata

MB = 1024 * 1024


def is_control(char: str) -> bool:
    # Cf covers the right-to-left override, which can make "report‮fdp.exe" read as a PDF.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def shown(name: str, limit: int = 80) -> str:
    """The name as a message can show it: invisible characters as �, long names shortened."""
    visible = "".join("\ufffd" if is_control(c) else c for c in name)
    if len(visible) > limit:
        visible = visible[: limit - 1] + "…"
    return f"“{visible}”"


def in_words(size: int) -> str:
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""
