"""A program's sessions on its partner page, in the page's language: a line for
each place and time it meets from the build's day on, and its calendar's links.
Made here rather than by a template: a build has some 14,000 such lines, few of
them alike (a school and a session's days, hours and term), and a template
included once a program cost a fifth of a partner page's time."""

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from directory_site import calendars
from directory_site.templating import Site, escape_text
from directory_site.when import When

Program = dict[str, Any]


def meetings(
    site: Site, say: Callable[[str], str], when: Callable[[], When]
) -> Callable[[Program], Markup]:
    """The filter `program|sessions`: the block of partner.html that says when
    and where the program meets, or nothing when no session is still to come.
    Every text in it is escaped, as the templates' `{{ }}` and `_()` escape."""
    # Translators: where a program meets when it is not at a school.
    own = escape_text(say("At the partner's own site"))
    heading = escape_text(say("When and where it meets"))
    add = escape_text(say("Add to calendar"))
    subscribe = escape_text(say("Subscribe on your phone"))
    home = escape_text(site.home)

    def block(program: Program) -> Markup:
        lines = []
        for meeting in when().meetings(program):
            school, line = meeting["school"], escape_text(meeting["line"])
            if school:
                slug, name = escape_text(school["slug"]), escape_text(school["name"])
                lines.append(
                    f'<li><a href="{home}schools/{slug}/">{name}</a>: {line}</li>\n'
                )
            else:
                lines.append(f"<li>{own}: {line}</li>\n")
        if not lines:
            return Markup("")
        ics = calendars.address(site, program)
        links = ""
        if ics:
            # the file's absolute address, which a calendar can subscribe to;
            # webcal: asks a phone to
            links = f'<a href="{escape_text(ics)}" type="text/calendar">{add}</a>'
            if ics.startswith("https://"):
                links += f' · <a href="webcal://{escape_text(ics[8:])}">{subscribe}</a>'
            links = f'  <p class="calendar">{links}</p>\n'
        return Markup(
            f'<div class="sessions">\n  <h4>{heading}</h4>\n'
            f"  <ul>{''.join(lines)}</ul>\n{links}</div>\n"
        )

    return block
