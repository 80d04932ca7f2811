"""Moodle's text formats as the Academy's plain text, for both bank imports: GIFT's `[html]` and
`[markdown]` and Moodle XML's `format="html"` and `format="markdown"` (docs/decisions.md, "One
reading of HTML and Markdown for both imports"). Pure: no Django.

Questions here are plain text, shown escaped, so a text in HTML or Markdown is turned into the
text a reader of Moodle's page would see. Markdown is rendered to HTML first (CommonMark), the
HTML is sanitised with nh3 (scripts and styles go with their content, event handlers, unsafe links
and comments go, unknown tags go with their words kept), and what is left is read as text:
paragraphs and headings set off by a blank line, line breaks, list items as "- " or "1. " lines
(indented when nested), table rows as "cell | cell" lines, and a link's address after its words.
A superscript or subscript that Unicode can write stays one ("m²", "H₂O", "10⁻³"), and an ordinal's
("1<sup>st</sup>") reads on the line ("1st").

What plain text cannot show is reported rather than dropped, as a "thing" ("an image
(“chart.png”)"), which `problem` turns into a message: pictures and embedded media, and what would
change the question if it were read on the line: struck-out text, and any other superscript or
subscript (x<sup>n</sup> would read "xn"). Nothing is ever fetched, so no remote image loads.
Texts in other formats (plain, Moodle's auto-format, wiki-like) are kept as written. Work is
linear in the text's length.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

HTML = "html"
MARKDOWN = "markdown"

# Elements that cannot become text, and what each is called in a problem.
_MEDIA = {
    "img": "an image",
    "iframe": "an embedded page",
    "video": "a video",
    "audio": "a sound",
    "object": "an embedded object",
    "embed": "an embedded object",
    "svg": "a drawing",
    "math": "a formula",
}
_ATTRIBUTES = {"img": {"src", "alt"}, "a": {"href"}} | {
    tag: {"src", "data"} for tag in _MEDIA.keys() - {"img"}
}
# Moodle's placeholder for a file that travels with the text; the file is named without it.
_PLUGINFILE = "@@PLUGINFILE@@/"
# Elements that start on a line of their own; those in _PARAGRAPHS are set off by a blank line.
# (Text in <pre> is read like any other: its spaces run together.)
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "header", "hgroup", "hr", "li", "nav", "pre",
    "section", "summary", "table", "tbody", "thead", "tr",
}  # fmt: skip
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
_LISTS = {"ul", "ol"}
# Elements whose words are read whole when they end: how they show depends on all of them.
_SCRIPTS = {"sup": "a superscript", "sub": "a subscript"}
_STRUCK = {"s", "strike", "del"}
_SUPERSCRIPT = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
_ORDINALS = {"st", "nd", "rd", "th"}
_QUOTED = 60  # the most characters of a text quoted in a problem
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_markdown = MarkdownIt("commonmark")


def plain_text(text: str, text_format: str) -> tuple[str, list[str]]:
    """The text as the Academy keeps it, and each thing in it that plain text cannot show, once
    (see `problem`); the text is only meant to be used when there is none."""
    if text_format == MARKDOWN:
        text = _markdown.render(text)
    elif text_format != HTML:
        return text, []
    cleaned = nh3.clean(
        text,
        tags=nh3.ALLOWED_TAGS | _MEDIA.keys(),
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    reader = _TextReader()
    reader.feed(cleaned)
    reader.close()
    return reader.result(), list(reader.things)


def problem(what: str, thing: str) -> str:
    """The message for a thing `plain_text` found in a text, which `what` names ("the text",
    "option 2's feedback")."""
    return (
        f"{what} has {thing}, which can't be imported because questions here are plain text: "
        "remove it, or say it in words"
    )


def _named(thing: str, words: str) -> str:
    if len(words) > _QUOTED:
        words = words[: _QUOTED - 1] + "…"
    return f"{thing} (“{words}”)" if words else thing


class _TextReader(HTMLParser):
    """Sanitised HTML read as text, the way it reads on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.things: dict[str, None] = {}  # in the order found; a dict, to find repeats at once
        self.breaks = 0  # line breaks owed before the next text: 1 for a block, 2 for a paragraph
        self.space = False  # a space owed before the next text on the same line
        self.links: list[tuple[str | None, int]] = []  # href, and where its words start
        self.lists: list[int | None] = []  # the next number of each open <ol>, None for <ul>
        self.first_cell = True
        self.media_depth = 0
        # The <sup>, <sub> or struck-out element being read, how deeply it is nested, its words.
        self.held: tuple[str, int, list[str]] | None = None

    def _report(self, thing: str) -> None:
        self.things.setdefault(thing)

    def _break(self, lines: int) -> None:
        self.breaks = max(self.breaks, lines)

    def _write(self, text: str, glued: bool = False) -> None:
        """Text on the page: after the breaks owed, and the space owed unless the text is
        `glued` to what comes before or follows a line's start, a bullet or a cell's bar."""
        if not self.parts:
            self.breaks = 0
        if self.breaks:
            self.parts.append("\n" * self.breaks)
            self.breaks = 0
        elif self.space and not glued and self.parts and not self.parts[-1].endswith(" "):
            self.parts.append(" ")
        self.space = False
        self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _MEDIA:
            self._report_media(tag, attributes)
            if tag != "img":  # a void element has no end tag to wait for
                self.media_depth += 1
        elif self.held is not None:
            if tag == self.held[0]:
                self.held = (tag, self.held[1] + 1, self.held[2])
        elif tag in _SCRIPTS or tag in _STRUCK:
            self.held = (tag, 1, [])
        elif tag == "br":
            if self.parts:
                self.breaks = min(2, self.breaks + 1)
        elif tag in _LISTS:
            self._break(1 if self.lists else 2)
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._break(1)
            self._write("  " * max(0, len(self.lists) - 1) + self._bullet())
        elif tag in ("td", "th"):
            if not self.first_cell:
                self._write(" | ", glued=True)
            self.first_cell = False
        elif tag == "a":
            self.links.append((attributes.get("href"), len(self.parts)))
        elif tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _BLOCKS:
            self._break(1)
        if tag == "tr":
            self.first_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _MEDIA.keys() - {"img"}:
            self.media_depth = max(0, self.media_depth - 1)
        elif self.held is not None:
            held, depth, words = self.held
            if tag == held:
                self.held = (held, depth - 1, words) if depth > 1 else None
                if depth == 1:
                    self._read_held(held, " ".join("".join(words).split()))
        elif tag in _LISTS:
            if self.lists:
                self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = " ".join("".join(self.parts[start:]).split())
            if href and not href.startswith("#") and href.removeprefix("mailto:") != shown:
                self.space = True
                self._write(f"({href})")
        elif tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _BLOCKS:
            self._break(1)

    def handle_data(self, data: str) -> None:
        if self.media_depth:
            return  # a player's fallback text, not part of the question
        if self.held is not None:
            self.held[2].append(data)
            return
        data = _SPACES.sub(" ", data)
        words = data.strip()
        if data.startswith(" "):
            self.space = True
        if words:
            self._write(words)
            self.space = data.endswith(" ")

    def _read_held(self, tag: str, words: str) -> None:
        if not words:
            return
        if tag in _STRUCK:
            self._report(_named("struck-out text", words))
            return
        table = _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT
        if tag == "sup" and words in _ORDINALS:
            self._write(words)
        elif all(character != character.translate(table) for character in words):
            self._write(words.translate(table))
        else:
            self._report(_named(_SCRIPTS[tag], words))

    def _bullet(self) -> str:
        if not self.lists or self.lists[-1] is None:
            return "- "
        number = self.lists[-1]
        self.lists[-1] = number + 1
        return f"{number}. "

    def _report_media(self, tag: str, attributes: dict[str, str | None]) -> None:
        source = (attributes.get("src") or attributes.get("data") or "").replace(_PLUGINFILE, "")
        alt = attributes.get("alt")
        described = f" described as “{alt}”" if alt else ""
        self._report(_named(_MEDIA[tag], source) + described)

    def result(self) -> str:
        return "\n".join(line.rstrip() for line in "".join(self.parts).split("\n")).strip()
