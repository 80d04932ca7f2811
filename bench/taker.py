"""A learner taking the exam over HTTP, as a browser does: cookies, CSRF, the attempt form."""

import html
import http.client
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .exam import QUESTIONS, Learner, Plan
from .load import HOST

# HTTP as a browser speaks it ---------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: bytes
    seconds: float
    ok: bool = True  # what the caller expected


class Browser:
    """One learner's browser: their cookies, one new connection per request (sync workers close
    each connection after its response)."""

    def __init__(self, port: int, session: str):
        self.port = port
        name, _, value = session.partition("=")
        self.cookies = {name: value}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if method == "POST":
            headers["Origin"] = f"http://{HOST}:{self.port}"
        began = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - began
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Reply(response.status, response.headers.get("Location", ""), content, seconds)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(
        self, path: str, fields: list[tuple[str, str]], headers: dict | None = None
    ) -> Reply:
        """A form submitted by the browser, or by fetch() with a URLSearchParams body:
        application/x-www-form-urlencoded."""
        content_type = "application/x-www-form-urlencoded;charset=UTF-8"
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {**(headers or {}), "Content-Type": content_type},
        )


HIDDEN_INPUT = re.compile(rb'<input[^>]*\btype="hidden"[^>]*>')
ATTRIBUTE = re.compile(rb'\b(name|value)="([^"]*)"')


def hidden_fields(body: bytes, marker: str) -> list[tuple[str, str]]:
    """The hidden inputs (the CSRF token and whatever else the form carries), as a browser
    sends them, of the first form on the page whose opening tag contains `marker`."""
    for form in re.findall(rb"<form\b.*?</form>", body, flags=re.DOTALL):
        if marker.encode() not in form[: form.index(b">")]:
            continue
        fields = []
        for tag in HIDDEN_INPUT.findall(form):
            attributes = dict(ATTRIBUTE.findall(tag))
            if b"name" in attributes:
                value = html.unescape(attributes.get(b"value", b"").decode())
                fields.append((attributes[b"name"].decode(), value))
        return fields
    raise RuntimeError(f"no form with {marker!r} on the page")


def csrf_token(fields: list[tuple[str, str]]) -> str:
    return next(value for name, value in fields if name == "csrfmiddlewaretoken")


class Taker:
    """A learner with an open attempt, at its page."""

    def __init__(self, port: int, learner: Learner, plan: Plan):
        self.browser = Browser(port, learner.session)
        self.plan = plan
        self.path = f"/attempts/{plan.attempt_id}/"
        self.token = ""
        self.hidden: list[tuple[str, str]] = []

    def open_page(self) -> None:
        """Load the attempt page: the CSRF token, and a check that every field the bench sends is
        one the page has."""
        reply = self.browser.get(self.path)
        if reply.status != 200 or f"Question {QUESTIONS} of {QUESTIONS}".encode() not in reply.body:
            raise RuntimeError(f"{self.path}: HTTP {reply.status} or not the attempt page")
        self.hidden = hidden_fields(reply.body, "data-attempt-url=")
        self.token = csrf_token(self.hidden)
        names = set(re.findall(rb'name="(q[^"]+)"', reply.body))
        sent = {name.encode() for name, _ in self.plan.fields(QUESTIONS)}
        if not sent <= names or len(names) < QUESTIONS:
            raise RuntimeError(f"{self.path}: the page's fields are not those the bench sends")

    def autosave(self, questions_answered: int) -> Reply:
        fields = [*self.hidden, *self.plan.fields(questions_answered), ("autosave", "1")]
        headers = {"Accept": "application/json", "X-CSRFToken": self.token}
        reply = self.browser.post_form(self.path, fields, headers)
        reply.ok = reply.status == 200 and reply.body.startswith(b'{"saved_at":')
        return reply

    def submit(self) -> Reply:
        fields = [*self.hidden, *self.plan.fields(QUESTIONS), ("submit", "1")]
        reply = self.browser.post_form(self.path, fields)
        reply.ok = reply.status == 302 and reply.location == f"{self.path}result/"
        return reply


class _FormFields(HTMLParser):
    """The answer fields of the attempt page's form, in page order: (tag, attributes, the
    values of a select's options)."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.fields: list[tuple[str, dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and "data-attempt-url" in attributes:
            self.in_form = True
        elif self.in_form and tag in ("input", "textarea", "select"):
            if attributes.get("name", "").startswith("q"):
                self.fields.append((tag, attributes, []))
        elif self.in_form and tag == "option" and self.fields and self.fields[-1][0] == "select":
            self.fields[-1][2].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


class PageForm:
    """A learner's answers, read off the attempt page as a person would give them: each
    question's first option ticked, a number or a few words typed, each matching item given a
    match and the ordering items positions 1 to n. fields(n) is the whole form, as the page's
    script sends it, with the first n questions answered."""

    def __init__(self, body: bytes):
        self.hidden = hidden_fields(body, "data-attempt-url=")
        parser = _FormFields()
        parser.feed(body.decode())
        questions: dict[str, tuple[list, list]] = {}  # by q<response id>: answered, blank
        for tag, attributes, options in parser.fields:
            name = attributes["name"]
            answered, blank = questions.setdefault(name.split("-")[0], ([], []))
            kind = attributes.get("type", tag)
            if kind in ("radio", "checkbox"):
                if not answered:
                    answered.append((name, attributes["value"]))
            elif tag == "select":
                blank.append((name, ""))
                values = [value for value in options if value]
                # Ordering: positions 1 to n, one per item; matching: any match will do.
                ordering = values == [str(n) for n in range(1, len(values) + 1)]
                answered.append((name, str(len(answered) + 1) if ordering else values[0]))
            else:
                blank.append((name, ""))
                number = attributes.get("inputmode") == "decimal"
                answered.append((name, "42" if number else "Apologise and explain"))
        self.questions = list(questions.values())

    def fields(self, questions_answered: int) -> list[tuple[str, str]]:
        fields = list(self.hidden)
        for index, (answered, blank) in enumerate(self.questions):
            fields += answered if index < questions_answered else blank
        return fields
