"""When a program meets, in a page's language: "Tue, Thu · 3:30 – 5:00 PM · Sep 8 –
May 28" in English, "mar, jue · 15:30–17:00 · 8 sept – 28 may" in Spanish, each
part as the language's CLDR data (Babel) writes it. Times are the district's wall
clock, as the API gives them: a term across a change to or from daylight saving
time meets at 3:30 on both sides of it.

CLDR has no Hmong, so Hmong pages take the days' names from the catalog and write
times and dates as the United States does, dates in numbers ("9/8 – 5/28")."""

from collections.abc import Callable, Iterable
from datetime import date, time
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton, get_day_names

import models.session
from directory_site.messages import N_
from models.session import Weekday

Say = Callable[[str], str]  # a language's gettext
Session = dict[str, Any]  # as queries/partners.graphql asks for it

# The API's days (GraphQL's Weekday), in the week's order, Monday first.
WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
# Translators: a day's name, short, used only where CLDR (Babel) has no
# names for your language's days (Hmong: "Hnub Ob" for Monday, counting
# from Sunday as Wikipedia's table does); Spanish and Somali use Babel's.
DAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
             N_("Sun"))  # fmt: skip
SEPARATOR = " · "
RUN = 3  # this many days or more in a row are written as a span: "Mon–Fri"
WITHOUT_CLDR = "en"  # whose clock and numeric dates a language without CLDR data uses


def ended(session: Session, day: date) -> bool:
    """Whether the session's term was over before `day`."""
    return str(session["validUntil"]) < day.isoformat()


def first_meeting(session: Session) -> date | None:
    """The first day of the term on one of the session's days; None if there is
    none."""
    return next_meeting(session, date.min)


def next_meeting(session: Session, day: date) -> date | None:
    """The first day from `day` on that the session meets; None if its term has
    no such day left."""
    return models.session.first_meeting(
        (Weekday[name] for name in session["days"]),
        max(day, date.fromisoformat(session["validFrom"])),
        date.fromisoformat(session["validUntil"]),
    )


def weekdays(partner: dict[str, Any], day: date) -> set[int]:
    """The weekdays (0 Monday) its sessions meet from `day` on."""
    return {
        WEEK.index(name)
        for program in partner["programs"]
        for session in program["sessions"]
        if not ended(session, day)
        for name in session["days"]
    }


class When:
    """Sessions in one language, as the site on `day` shows them. Each line is
    worked out once per language: the same days, hours and terms recur across
    thousands of programs."""

    def __init__(self, language: str, day: date, say: Say) -> None:
        self.day, self.say = day, say
        try:
            self.locale: Locale | None = Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            self.locale = None
        self.cldr = cldr = self.locale or Locale.parse(WITHOUT_CLDR)
        twelve = any(c in cldr.time_formats["short"].pattern for c in "hK")
        self.clock = "hm" if twelve else "Hm"
        self.dates = "MMMd" if self.locale else "Md"
        if self.locale:
            names = get_day_names("abbreviated", locale=self.locale)
            self.names = tuple(str(names[i]) for i in range(7))
        else:
            self.names = tuple(say(word) for word in DAY_WORDS)
        # Each line and its parts, worked out once: a build's sessions share a
        # few dozen hours and terms. Bounded by the build's own sessions.
        self._lines: dict[tuple[Any, ...], str] = {}
        self._hours: dict[tuple[str, str], str] = {}
        self._terms: dict[tuple[str, str], str] = {}

    def shown(self, sessions: Iterable[Session]) -> list[Session]:
        """The sessions whose term has not ended, in the API's order."""
        return [s for s in sessions if not ended(s, self.day)]

    def meetings(self, program: dict[str, Any]) -> list[dict[str, Any]]:
        """Where and when the program meets from this day on, a line a session:
        at each of its schools in the program's order (`school`: its slug and
        name), then at the partner's own site (`school` None)."""
        order = {s["slug"]: i for i, s in enumerate(program["schoolSites"])}
        schools = {s["slug"]: s for s in program["schoolSites"]}
        found = []
        for session in self.shown(program["sessions"]):
            site = session["schoolSite"]
            school = schools.get(site["slug"], site) if site else None
            place = order.get(site["slug"], len(order)) if site else len(order) + 1
            found.append((place, {"school": school, "line": self.line(session)}))
        found.sort(key=lambda pair: pair[0])  # stable: the API's order within a place
        return [meeting for _, meeting in found]

    def soonest(self, partner: dict[str, Any]) -> str:
        """The partner's session that matters next, in a line for its card: one
        whose term is on, meeting soonest, else the one that begins soonest:
        "Tue, Thu 3:30 PM at Hillcrest Middle"; "" if it has none."""
        found: list[tuple[tuple[int, date, str], Session]] = []
        for program in partner["programs"]:
            for session in self.shown(program["sessions"]):
                meets = next_meeting(session, self.day)
                if meets is not None:
                    begun = session["validFrom"] <= self.day.isoformat()
                    key = (0 if begun else 1, meets, session["startsAt"])
                    found.append((key, session))
        if not found:
            return ""
        session = min(found, key=lambda pair: pair[0])[1]
        when = f"{self.days(session['days'])} {self.start(session['startsAt'])}"
        first = date.fromisoformat(session["validFrom"])
        if first > self.day:
            # Translators: on a card, a session that has not begun yet: "Tue 3:30
            # PM from Jun 15"; the date as your language writes it.
            when = self.say("%(when)s from %(first)s") % {
                "when": when,
                "first": format_skeleton(self.dates, first, locale=self.cldr),
            }
        site = session["schoolSite"]
        if site:
            names = {s["slug"]: s["name"] for s in partner["schoolSites"]}
            if site["slug"] not in names:  # a school the API does not show
                return when
            # Translators: on a card, when and at which school a program meets
            # next: "Tue, Thu 3:30 PM at Hillcrest Middle".
            return self.say("%(when)s at %(school)s") % {
                "when": when,
                "school": names[site["slug"]],
            }
        # Translators: on a card, when a program meets next, at the partner's own
        # place rather than a school: "Tue, Thu 3:30 PM at the partner's own site".
        return self.say("%(when)s at the partner's own site") % {"when": when}

    def start(self, start: str) -> str:
        """A time on the locale's clock: "3:30 PM", "15:30"."""
        found = self._hours.get((start, ""))
        if found is None:
            found = self._hours[(start, "")] = str(
                format_skeleton(self.clock, time.fromisoformat(start), locale=self.cldr)
            )
        return found

    def at(self, program: dict[str, Any], school: str) -> list[str]:
        """The lines of the program's sessions at one school, from this day on."""
        return [
            self.line(s)
            for s in self.shown(program["sessions"])
            if s["schoolSite"] and s["schoolSite"]["slug"] == school
        ]

    def line(self, session: Session) -> str:
        """A session in a line: "Tue, Thu · 3:30 – 5:00 PM · Sep 8 – May 28"."""
        key = (
            tuple(session["days"]),
            session["startsAt"],
            session["endsAt"],
            session["validFrom"],
            session["validUntil"],
        )
        found = self._lines.get(key)
        if found is None:
            found = self._lines[key] = SEPARATOR.join(
                (
                    self.days(session["days"]),
                    self.hours(session["startsAt"], session["endsAt"]),
                    self.term(session["validFrom"], session["validUntil"]),
                )
            )
        return found

    def days(self, days: Iterable[str]) -> str:
        """The days, "Tue, Thu"; three or more in a row as a span, "Mon–Fri"."""
        numbers = sorted(WEEK.index(name) for name in days)
        runs: list[list[int]] = []
        for number in numbers:
            if runs and runs[-1][-1] == number - 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        parts: list[str] = []
        for run in runs:
            if len(run) >= RUN:
                parts.append(f"{self.names[run[0]]}–{self.names[run[-1]]}")
            else:
                parts += [self.names[n] for n in run]
        return ", ".join(parts)

    def hours(self, start: str, end: str) -> str:
        """From one time to another on the locale's clock, 12 or 24 hours:
        "3:30 – 5:00 PM", "15:30–17:00"."""
        found = self._hours.get((start, end))
        if found is None:
            found = self._hours[(start, end)] = str(
                format_interval(
                    time.fromisoformat(start),
                    time.fromisoformat(end),
                    self.clock,
                    locale=self.cldr,
                )
            )
        return found

    def term(self, first: str, last: str) -> str:
        """A term, "Sep 8 – May 28"; one still to begin says so: "from Jun 15 to
        Aug 10"."""
        found = self._terms.get((first, last))
        if found is None:
            found = self._terms[(first, last)] = self._term(first, last)
        return found

    def _term(self, first: str, last: str) -> str:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        if start <= self.day:
            return str(format_interval(start, end, self.dates, locale=self.cldr))
        # Translators: the term of a session that has not begun yet, e.g. "from
        # Jun 15 to Aug 10"; the dates are written as your language writes them.
        return self.say("from %(first)s to %(last)s") % {
            "first": format_skeleton(self.dates, start, locale=self.cldr),
            "last": format_skeleton(self.dates, end, locale=self.cldr),
        }
