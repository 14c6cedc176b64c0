"""The form behind a partner's private link (templates/update.html): the partner's
record as the link reads it (the API's `invitation`), shown as fields to change;
what a browser posts back, as the public mutation's `ProposalInput`; and the
mutation's field errors, by the form's own field names.

A program's sessions are rows "p0.s0.", "p0.s1."…: those the program has, then
one empty row to add one; a row with "remove" ticked, or left empty, is left
out."""

from typing import Any

from directory_site.application_form import SESSION_FIELDS, Values, session_of
from directory_site.facets import Say

Record = dict[str, Any]
TEXTS = ("summary", "description")
CONTACT = ("website", "email", "phone")
# A program's fields by the mutation's names, as the form names them.
PROGRAM_FIELDS = {"description": "description", "schoolSites": "school",
                  "languages": "language"}  # fmt: skip


def filled(record: Record) -> Values:
    """The form's values from the record as it stands."""
    values = Values()
    given = values.given
    for name in (*TEXTS, *CONTACT):
        given[name] = [record[name] or ""]
    for text in record["translations"]:
        for name in TEXTS:
            given[f"{name}.{text['language']}"] = [text[name] or ""]
    for i, program in enumerate(record["programs"]):
        p = f"p{i}."
        given[p + "slug"] = [program["slug"]]
        given[p + "description"] = [program["description"]]
        for text in program["translations"]:
            given[f"{p}description.{text['language']}"] = [text["description"] or ""]
        given[p + "school"] = list(program["schoolSites"])
        given[p + "language"] = list(program["languages"])
        given[p + "sessions"] = [str(len(program["sessions"]) + 1)]
        for j, session in enumerate(program["sessions"]):
            s = f"{p}s{j}."
            given[s + "days"] = list(session["days"])
            given[s + "starts"] = [session["startsAt"][:5]]
            given[s + "ends"] = [session["endsAt"][:5]]
            given[s + "from"] = [session["validFrom"]]
            given[s + "until"] = [session["validUntil"]]
            given[s + "where"] = [session["schoolSite"] or ""]
    return values


def programs_in(values: Values) -> int:
    """How many programs the form holds, as posted (at most 50)."""
    count = 0
    while count < 50 and values.one(f"p{count}.slug"):
        count += 1
    return count


def rows_in(values: Values, i: int) -> int:
    shown = values.one(f"p{i}.sessions")
    return min(int(shown), 21) if shown.isdigit() and len(shown) < 3 else 1


class Proposal:
    """A posted form read as the mutation's input, with the problems the form
    finds itself (a time or a day the browser did not check), by field, and
    where each session it sends came from (for the mutation's errors)."""

    def __init__(self, values: Values, languages: tuple[str, ...], say: Say) -> None:
        self.languages = [code for code in languages if code != "en"]
        self.problems: dict[str, str] = {}
        self.rows: dict[int, list[int]] = {}  # program: its sent sessions' rows
        self.input: Record = {
            "proposerName": values.one("your_name"),
            "proposerEmail": values.one("your_email"),
            **{name: values.one(name) for name in (*TEXTS, *CONTACT)},
            "translations": self._texts(values, "", TEXTS),
            "programs": [
                self._program(values, i, say) for i in range(programs_in(values))
            ],
        }

    def _texts(self, values: Values, p: str, names: tuple[str, ...]) -> list[Record]:
        return [
            {"language": code, **{n: values.one(f"{p}{n}.{code}") for n in names}}
            for code in self.languages
        ]

    def _program(self, values: Values, i: int, say: Say) -> Record:
        p = f"p{i}."
        sessions, self.rows[i] = [], []
        for j in range(rows_in(values, i)):
            s = f"{p}s{j}."
            if values.one(s + "remove"):
                continue
            session = session_of(values, s, say, self.problems)
            if session is not None:
                sessions.append(session)
                self.rows[i].append(j)
        return {
            "slug": values.one(p + "slug"),
            "description": values.one(p + "description"),
            "schoolSites": values.all(p + "school"),
            "languages": values.all(p + "language"),
            "sessions": sessions,
            "translations": self._texts(values, p, ("description",)),
        }

    def field(self, path: str) -> str:
        """The form's field for a mutation's error path; "form" when it names
        none: "input.programs.1.sessions.0.endsAt" is "p1.s0.ends"."""
        parts = path.split(".")[1:]
        if not parts:
            return "form"
        own = {"proposerName": "your_name", "proposerEmail": "your_email"}
        if parts[0] in own or parts[0] in (*TEXTS, *CONTACT):
            return own.get(parts[0], parts[0])
        if parts[0] == "translations":
            return self._text(parts[1:], "")
        if parts[0] != "programs" or len(parts) < 3 or not parts[1].isdigit():
            return "form"
        i, rest = int(parts[1]), parts[2:]
        p = f"p{i}."
        if rest[0] == "translations":
            return self._text(rest[1:], p)
        if rest[0] == "sessions" and len(rest) > 1 and rest[1].isdigit():
            sent = self.rows.get(i, [])
            row = sent[int(rest[1])] if int(rest[1]) < len(sent) else 0
            return f"{p}s{row}." + SESSION_FIELDS.get(rest[-1], "days")
        return p + PROGRAM_FIELDS.get(rest[0], "description")

    def _text(self, parts: list[str], p: str) -> str:
        if len(parts) < 2 or not parts[0].isdigit():
            return "form"
        k = int(parts[0])
        if k >= len(self.languages):
            return "form"
        return f"{p}{parts[1]}.{self.languages[k]}"
