"""Moodle's HTML texts as the plain text our questions hold.

Moodle keeps most texts as HTML. Our question texts, options and feedback are plain text (shown
escaped), so an HTML text is converted when nothing a learner needs is lost on the way:
paragraphs and headings become paragraphs, line breaks stay line breaks, list items become
"- " (or "1. ") lines, emphasis and fonts are dropped with their words kept, and a link keeps its
address in brackets. Anything plain text cannot show without changing the question is reported
instead: images, tables, superscripts and subscripts (x² would read as x2), struck-out text,
scripts, media and any tag not named here. Work is linear in the text's length.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article",
     "address", "center", "pre", "hr", "header", "footer", "main"}
)  # fmt: skip
_INLINE = frozenset(
    {"b", "strong", "i", "em", "u", "span", "font", "small", "big", "mark", "abbr", "cite",
     "q", "code", "tt", "kbd", "samp", "var", "bdi", "bdo", "nobr", "wbr", "label", "a",
     "html", "body"}
)  # fmt: skip
_LISTS = frozenset({"ul", "ol"})
_WHY = {
    "img": "an image",
    **dict.fromkeys(
        ("table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "col", "colgroup"),
        "a table",
    ),
    "sub": "a subscript",
    "sup": "a superscript",
    "s": "struck-out text",
    "strike": "struck-out text",
    "del": "struck-out text",
    "script": "a script",
    "style": "a style sheet",
    "iframe": "an embedded page",
    "video": "a video",
    "audio": "a sound",
    "object": "an embedded object",
    "embed": "an embedded object",
    "math": "a formula",
    "svg": "a drawing",
}
_LINE, _PARAGRAPH = "\n", "\n\n"


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Each token is ("text", words), ("raw", kept as is), ("break", newlines) for the edge
        # of a block (two edges in a row are one), or ("br", "\n"), which add up to a blank line.
        self.tokens: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.lists: list[list] = []  # [tag, items so far] of each open list
        self.links: list[str | None] = []
        self.link_start: list[int] = []
        self.pre = 0

    def refuse(self, tag: str, detail: str = "") -> None:
        problem = _WHY.get(tag, f"a <{tag}> element") + detail
        if problem not in self.problems:
            self.problems.append(problem)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "br":
            self.tokens.append(("br", _LINE))
        elif tag in _BLOCKS:
            self.tokens.append(("break", _PARAGRAPH))
            if tag == "pre":
                self.pre += 1
        elif tag in _LISTS:
            self.tokens.append(("break", _LINE if self.lists else _PARAGRAPH))
            self.lists.append([tag, 0])
        elif tag == "li":
            self.tokens.append(("break", _LINE))
            if self.lists:
                self.lists[-1][1] += 1
                kind, count = self.lists[-1]
                marker = f"{count}. " if kind == "ol" else "- "
                self.tokens.append(("raw", "  " * (len(self.lists) - 1) + marker))
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.link_start.append(len(self.tokens))
        elif tag == "img":
            source = (attributes.get("src") or "").replace("@@PLUGINFILE@@/", "")
            self.refuse(tag, f" (“{source}”)" if source else "")
        elif tag not in _INLINE:
            self.refuse(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.tokens.append(("break", _PARAGRAPH))
            if tag == "pre" and self.pre:
                self.pre -= 1
        elif tag in _LISTS and self.lists:
            self.lists.pop()
            self.tokens.append(("break", _LINE if self.lists else _PARAGRAPH))
        elif tag == "a" and self.links:
            href, start = self.links.pop(), self.link_start.pop()
            words = " ".join(
                "".join(value for kind, value in self.tokens[start:] if kind == "text").split()
            )
            if href and not href.startswith("#") and href.strip() != words:
                self.tokens.append(("text", f" ({href.strip()})"))

    def handle_data(self, data):
        self.tokens.append(("raw" if self.pre else "text", data))

    def text(self) -> str:
        lines, segment, newlines = [], [], 0

        def close_segment():
            words, parts = [], []
            for kind, value in segment + [("raw", "")]:
                if kind == "text":
                    words.append(value)
                    continue
                parts.append(" ".join("".join(words).split()) if words else "")
                words = []
                parts.append(value)
            joined = "".join(part for part in parts if part)
            return joined.rstrip() if joined.strip() else ""

        for kind, value in self.tokens:
            if kind in ("break", "br"):
                done = close_segment()
                if done:
                    if lines:
                        lines.append("\n" * max(newlines, 1))
                    lines.append(done)
                    newlines = 0
                if lines:
                    added = newlines + len(value) if kind == "br" else max(newlines, len(value))
                    newlines = min(2, added)
                segment = []
            else:
                segment.append((kind, value))
        done = close_segment()
        if done:
            if lines:
                lines.append("\n" * max(newlines, 1))
            lines.append(done)
        return "".join(lines).strip()


def html_to_plain(html: str) -> tuple[str, list[str]]:
    """The text of an HTML fragment as plain text, and what it holds that plain text cannot
    show, each named as in "an image (“map.png”)" or "a table"; the text is only meant to be
    used when there is none."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.text(), converter.problems
