"""The "Become a partner" form (templates/apply.html), in one of the directory's
languages: its choices, from the directory's own data; what a family of fields
posted (a browser's form, no script needed) means as the public mutation's
`ApplicationInput`; and the mutation's field errors said in the form's language,
by the form's own field names."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from directory_site.facets import Say, day_names, grade_name
from directory_site.language_names import marked
from directory_site.messages import N_
from directory_site.when import WEEK

Record = dict[str, Any]
MOST_PROGRAMS = 10  # as the mutation takes (models/application.py)
GRADES = range(-1, 13)  # pre-K to 12
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])(:00)?$")  # <input type=time>
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # <input type=date>
# The mutation's fields by the form's names: a program's are under "p0." and so on.
FIELDS = {
    "organization": "organization",
    "summary": "summary",
    "website": "website",
    "phone": "phone",
    "email": "email",
    "contactName": "contact_name",
    "contactEmail": "contact_email",
    "contactPhone": "contact_phone",
    "categories": "category",
    "attestations": "attest",
    "programs": "programs",
}
PROGRAM_FIELDS = {
    "name": "name",
    "description": "description",
    "serviceTypes": "service",
    "gradeMin": "grade_min",
    "gradeMax": "grade_max",
    "languages": "language",
    "schoolSites": "school",
}
SESSION_FIELDS = {
    "days": "days",
    "startsAt": "starts",
    "endsAt": "ends",
    "validFrom": "from",
    "validUntil": "until",
    "schoolSite": "where",
}


@dataclass
class Values:
    """What was posted, by field name, for the form shown again."""

    given: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> "Values":
        values = cls()
        for name, value in pairs:
            values.given.setdefault(name, []).append(value)
        return values

    def one(self, name: str) -> str:
        found = self.given.get(name)
        return found[0].strip() if found else ""

    def all(self, name: str) -> list[str]:
        return [v for v in self.given.get(name, []) if v]

    def has(self, name: str, value: object) -> bool:
        return str(value) in self.given.get(name, [])


def choices(directory: Record, say: Say, language: str) -> dict[str, Any]:
    """The form's choices, in the directory's order and the page's language."""
    return {
        "kinds": [(c["slug"], c["name"]) for c in directory["categories"]],
        "services": [(s["slug"], s["name"]) for s in directory["serviceTypes"]],
        "schools": [(s["slug"], s["name"]) for s in directory["schoolSites"]],
        "languages": [(g["code"], marked(g)) for g in directory["languages"]],
        "grades": [(g, grade_name(g, say)) for g in GRADES],
        "days": list(zip(WEEK, day_names(language, say), strict=True)),
        "attestations": [
            # Translators: what an applicant attests, in the district's words.
            (
                "insurance",
                say(
                    "We carry general liability insurance and will give "
                    "the district a certificate naming it."
                ),
            ),
            (
                "background_checks",
                say(
                    "Everyone who works with students passes a "
                    "criminal background check before they start."
                ),
            ),
        ],  # fmt: skip
        "most": MOST_PROGRAMS,
    }


def program_count(values: Values) -> int:
    """How many programs the form shows: as posted, within 1 and the most."""
    shown = values.one("programs")
    count = int(shown) if shown.isdigit() and len(shown) < 3 else 1
    return min(max(count, 1), MOST_PROGRAMS)


def application(
    values: Values, language: str, say: Say
) -> tuple[Record, dict[str, str]]:
    """The mutation's input from the posted values, and the problems the form
    finds itself (a time or a day the browser did not check), by field."""
    problems: dict[str, str] = {}
    programs = []
    for i in range(program_count(values)):
        program = _program(values, f"p{i}.", say, problems)
        if program is not None:
            programs.append(program)
    given: Record = {
        mutation: values.one(name)
        for mutation, name in FIELDS.items()
        if name not in ("category", "attest", "programs")
    }
    given |= {
        "categories": values.all("category"),
        "attestations": values.all("attest"),
        "programs": programs,
        "language": language,
    }
    return given, problems


def _program(
    values: Values, p: str, say: Say, problems: dict[str, str]
) -> Record | None:
    """A program's fields; None when it was left empty (but the first)."""
    names = [p + n for n in (*PROGRAM_FIELDS.values(), *SESSION_FIELDS.values())]
    if p != "p0." and not any(values.all(n) for n in names if "grade" not in n):
        return None
    program: Record = {
        "name": values.one(p + "name"),
        "description": values.one(p + "description"),
        "serviceTypes": values.all(p + "service"),
        "languages": values.all(p + "language"),
        "schoolSites": values.all(p + "school"),
    }
    for key in ("gradeMin", "gradeMax"):
        name = p + PROGRAM_FIELDS[key]
        text = values.one(name)
        if text.lstrip("-").isdigit() and len(text) < 4:
            program[key] = int(text)
        else:  # said here; the rest of the program is still checked
            problems[name] = say("Choose a grade.")
            program[key] = 0
    session = session_of(values, p, say, problems)
    program["sessions"] = [session] if session else []
    return program


def session_of(
    values: Values, p: str, say: Say, problems: dict[str, str]
) -> Record | None:
    """The one session the form takes for a program, if any of it was given and
    it could be read (else its problems are said, and it is left out)."""
    given = {key: values.one(p + name) for key, name in SESSION_FIELDS.items()}
    days = values.all(p + "days")
    if not days and not any(v for k, v in given.items() if k != "schoolSite"):
        return None
    session: Record = {
        "days": [d for d in days if d in WEEK],  # the GraphQL enum's names
        "schoolSite": given["schoolSite"] or None,
    }
    for key in ("startsAt", "endsAt"):
        found = TIME.match(given[key])
        if found:
            session[key] = f"{int(found[1]):02}:{found[2]}:00"
        else:
            problems[p + SESSION_FIELDS[key]] = say("Give a time like 3:30 PM.")
    for key in ("validFrom", "validUntil"):
        if DAY.match(given[key]):
            session[key] = given[key]
        else:
            problems[p + SESSION_FIELDS[key]] = say("Give a day like 2027-01-11.")
    if not session["days"]:
        problems[p + "days"] = say("Choose the days it meets.")
    wrong = [name for name in problems if name.startswith(p)]
    return None if wrong else session


def page_order(programs: int) -> list[str]:
    """The form's fields in the order the page shows them, for its problems."""
    own = ["organization", "summary", "website", "phone", "email", "category",
           "contact_name", "contact_email", "contact_phone"]  # fmt: skip
    for i in range(programs):
        names = (*PROGRAM_FIELDS.values(), *SESSION_FIELDS.values())
        own += [f"p{i}.{name}" for name in names]
    return [*own, "attest", "programs", "form"]


def field_name(path: str) -> str:
    """The form's field for a mutation's error path: "input.programs.1.gradeMax"
    is "p1.grade_max"; the whole form where no field is named."""
    parts = path.split(".")[1:]
    if not parts:
        return "form"
    if parts[0] != "programs" or len(parts) < 3 or not parts[1].isdigit():
        return FIELDS.get(parts[0], "form")
    p = f"p{parts[1]}."
    if parts[2] == "sessions":
        return p + SESSION_FIELDS.get(parts[-1], "days")
    return p + PROGRAM_FIELDS.get(parts[2], "name")


# The mutation's messages (models/validation.py, models/application.py) the form
# says in its own language, by how they begin.
SAID = (
    (("is required",), N_("Please fill this in.")),
    (("must be an e-mail address",),
     N_("Give an e-mail address like info@example.org.")),
    (("must be a phone number",), N_("Give a phone number like 612-555-0142.")),
    (("must be a web address",), N_("Give a web address that starts with https://.")),
    (("must be plain text",), N_("Write plain text, without HTML tags.")),
    (("contains control characters",),
     N_("Take out the special characters in this text.")),
    (("must be one line",), N_("Write this on one line.")),
    (("must not be below the lowest grade",),
     N_("The last grade cannot come before the first.")),
    (("must include",), N_("The district asks every partner to confirm these.")),
    (("this address has sent",),
     N_("We have had as many applications from your address today as we take in a "
        "day. Try again tomorrow, or write to the office.")),
    (("the office has received", "the office has as many"),
     N_("The office has as many applications as it can take right now. Try again "
        "tomorrow, or write to the office.")),
)  # fmt: skip
TOO_LONG = re.compile(r"is \d+ characters; at most (\d+)")


def said(message: str, say: Say) -> str:
    """A mutation's error message in the form's language, where the form knows it;
    else the message as it came (in English)."""
    for beginnings, words in SAID:
        if message.startswith(beginnings):
            return say(words)
    if longest := TOO_LONG.match(message):
        return say("This is too long: at most %(most)s letters.") % {"most": longest[1]}
    return message
