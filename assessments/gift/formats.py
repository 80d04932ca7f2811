"""Moodle's four text formats as the Academy's plain text (docs/decisions.md, "GIFT as Moodle
reads it").

Questions here are plain text, shown escaped, so a GIFT text in HTML or Markdown is turned into
the text a reader of Moodle's rendering would see: Markdown is rendered to HTML first, the HTML is
sanitised with nh3 (scripts and styles go with their content, event handlers and unsafe links go,
comments go), and what is left is read as text, keeping paragraphs, line breaks, list items,
table rows and where a link points. Pictures and embedded media cannot be shown as text, so they
are reported rather than dropped: `plain_text` returns them as problems, and the import refuses
the file until they are described in words. Nothing is ever fetched, so no remote image loads.
`[moodle]` and `[plain]` texts are kept as written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

# Elements that cannot become text: each is reported, with what it shows.
_MEDIA = {"img", "iframe", "video", "audio", "object", "embed", "svg", "math"}
_MEDIA_SOURCES = {"img": {"src", "alt"}, "a": {"href"}} | {
    tag: {"src", "data"} for tag in _MEDIA - {"img"}
}
# Elements that start on a line of their own; those in _PARAGRAPHS are set off by a blank line.
# (Text in <pre> is read like any other: its spaces run together.)
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "header", "hgroup", "hr", "li", "nav", "ol", "pre",
    "section", "summary", "table", "tbody", "thead", "tr", "ul",
}  # fmt: skip
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"}
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_markdown = MarkdownIt("commonmark")


def plain_text(text: str, text_format: str) -> tuple[str, list[str]]:
    """The text as the Academy keeps it, and what in it could not be kept (one message each)."""
    if text_format == "markdown":
        text = _markdown.render(text)
    elif text_format != "html":
        return text, []
    cleaned = nh3.clean(
        text,
        tags=nh3.ALLOWED_TAGS | _MEDIA,
        attributes=_MEDIA_SOURCES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    reader = _TextReader()
    reader.feed(cleaned)
    reader.close()
    return reader.result(), reader.problems


class _TextReader(HTMLParser):
    """Sanitised HTML read as text, the way it reads on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.problems: list[str] = []
        self.breaks = 0  # line breaks owed before the next text: 1 for a block, 2 for a paragraph
        self.links: list[tuple[str | None, int]] = []  # href, and where its text starts
        self.lists: list[int | None] = []  # the next number of each open <ol>, None for <ul>
        self.media_depth = 0
        self.first_cell = True

    def _break(self, lines: int) -> None:
        self.breaks = max(self.breaks, lines)

    def _write(self, text: str) -> None:
        if self.parts and self.breaks:
            self.parts.append("\n" * self.breaks)
        self.breaks = 0
        self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _MEDIA:
            self._report_media(tag, attributes)
            if tag != "img":  # a void element has no end tag to wait for
                self.media_depth += 1
            return
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _BLOCKS or tag == "br":
            self._break(1)
        if tag == "br":
            self._write("")
        elif tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._write(self._bullet())
        elif tag == "tr":
            self.first_cell = True
        elif tag in ("td", "th"):
            self._write("" if self.first_cell else " | ")
            self.first_cell = False
        elif tag == "a":
            self.links.append((attributes.get("href"), len(self.parts)))
        elif tag in ("sup", "sub"):
            self._write("^" if tag == "sup" else "_")

    def handle_endtag(self, tag: str) -> None:
        if tag in _MEDIA - {"img"}:
            self.media_depth = max(0, self.media_depth - 1)
        elif tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _BLOCKS:
            self._break(1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = " ".join("".join(self.parts[start:]).split())
            if href and href.removeprefix("mailto:") != shown:
                self._write(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.media_depth:
            return  # a player's fallback text, not part of the question
        data = _SPACES.sub(" ", data)
        if data.strip() or not self.breaks:
            self._write(data)

    def _bullet(self) -> str:
        if not self.lists or self.lists[-1] is None:
            return "- "
        number = self.lists[-1]
        self.lists[-1] = number + 1
        return f"{number}. "

    def _report_media(self, tag: str, attributes: dict[str, str | None]) -> None:
        source = attributes.get("src") or attributes.get("data") or ""
        what = "an image" if tag == "img" else f"embedded media (<{tag}>)"
        where = f" ({source})" if source else ""
        alt = attributes.get("alt")
        described = f" described as “{alt}”" if alt else ""
        self.problems.append(
            f"the text shows {what}{where}{described}, which can't be imported: questions here "
            "are text only, so describe it in words and remove it"
        )

    def result(self) -> str:
        lines = ("".join(self.parts)).split("\n")
        return "\n".join(re.sub(" {2,}", " ", line).strip() for line in lines).strip()
