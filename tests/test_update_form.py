"""A partner's own update form over HTTP, as a browser without JavaScript uses it:
the private link shows the partner's record as fields, in any of the directory's
languages; a post is a proposal (a draft for the office) or a confirmation; the
link is dead after it, or once expired; nothing about the link is kept by a
cache; and hostile input never fails nor half-writes."""

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

import models as m
from api.app import create_app
from api.mutations.proposals import ProposalDecision, decide, make_invitation
from directory_site.update_endpoint import UpdateEndpoint
from models.settings import current
from tests.properties import examples
from tests.test_application_form import HOSTILE, ORIGIN, built  # noqa: F401


def app_for(site: Path, day: date) -> httpx.AsyncClient:
    endpoint = UpdateEndpoint(current().with_flags(site_dir=str(site)), lambda: day)
    app = create_app(site_dir=str(site), today=lambda: day, forms=endpoint.routes())
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    )


@pytest.fixture
async def form(district: date, built: Path) -> AsyncIterator[httpx.AsyncClient]:  # noqa: F811
    async with app_for(built, district) as client:
        yield client


async def key_for(slug: str) -> str:
    partner = await m.Partner.get(slug=slug)
    _, key = await make_invitation("office", partner, 14)
    return key


def fields_of(page: str) -> list[tuple[str, str]]:
    """What a browser would post from the page's form, as it is filled in."""
    form = page[page.index('<form class="apply"') : page.index("</form>")]
    pairs = []
    for found in re.finditer(r"<input ([^>]*)>", form):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', found[1]))
        if attributes.get("type") == "checkbox" and " checked" not in found[1]:
            continue
        pairs.append((attributes["name"], unescape(attributes.get("value", ""))))
    for found in re.finditer(r'<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>',
                             form, re.S):  # fmt: skip
        pairs.append((found[1], unescape(found[2])))
    for found in re.finditer(r'<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>',
                             form, re.S):  # fmt: skip
        chosen = re.search(r'<option value="([^"]*)" selected', found[2])
        pairs.append((found[1], chosen[1] if chosen else ""))
    return pairs


def edited(pairs: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    """The pairs with these fields' first values changed (a name's dots written
    as __), and the rest added."""
    given = {name.replace("__", "."): value for name, value in changes.items()}
    return [(k, given.pop(k) if k in given else v) for k, v in pairs] + list(
        given.items()
    )


async def send(
    client: httpx.AsyncClient, pairs: list[tuple[str, str]], path: str = "/update/"
) -> httpx.Response:
    return await client.post(
        path,
        content=urlencode(pairs).encode(),
        headers={"content-type": "application/x-www-form-urlencoded", **ORIGIN},
    )


async def test_the_link_shows_the_record_and_a_proposal_waits_for_the_office(
    form: httpx.AsyncClient, district: date
) -> None:
    key = await key_for("bright-minds")
    page = await form.get(f"/es/update/?key={key}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "Bright Minds Tutoring" in page.text
    assert 'value="Ayuda con tareas en grupos pequeños."' in page.text
    assert 'name="p0.slug" value="homework-club"' in page.text
    pairs = fields_of(page.text)
    sent = await send(
        form,
        edited(
            pairs,
            phone="612-555-0177",
            p0__s0__starts="16:00",
            your_name="Dana Reyes",
            your_email="dana@bright.example.org",
            action="propose",
        ),  # fmt: skip
        "/es/update/",
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/es/update/thanks/")
    assert (await form.get("/es/update/thanks/")).status_code == 200
    [proposal] = await m.Proposal.all()
    # only what differs is kept: the rest of the form came back as it was
    assert proposal.changes["partner"] == {"phone": "612-555-0177"}
    programs = proposal.changes["programs"]
    assert isinstance(programs, list) and len(programs) == 1
    program = programs[0]
    assert set(program) == {"slug", "sessions"}
    assert program["sessions"][0]["starts_at"] == "16:00"
    # nothing public changed, and the link is dead
    assert (await m.Partner.get(slug="bright-minds")).phone != "612-555-0177"
    again = await form.get(f"/es/update/?key={key}")
    assert again.status_code == 404 and "key=" not in again.text
    assert (await send(form, edited(pairs, action="propose"))).status_code == 404


async def test_problems_come_back_under_their_fields_in_the_page_s_language(
    form: httpx.AsyncClient, district: date
) -> None:
    key = await key_for("bright-minds")
    pairs = fields_of((await form.get(f"/es/update/?key={key}")).text)
    sent = await send(
        form,
        edited(
            pairs,
            website="javascript:alert(1)",
            p0__s0__ends="25:99",
            summary__es="<b>hola</b>",
            your_email="not an address",
            action="propose",
        ),  # fmt: skip
        "/es/update/",
    )
    assert sent.status_code == 400
    text = sent.text
    assert "Revise estas respuestas" in text
    for field in ("website", "p0.s0.ends", "summary.es", "your_email", "your_name"):
        assert f'href="#{field}"' in text, field
    assert 'value="javascript:alert(1)"' in text  # the form again, as sent
    assert await m.Proposal.all().count() == 0
    # a form sent back as it was changes nothing
    same = await send(
        form, edited(pairs, your_name="Dana", your_email="d@example.org",
                     action="propose"), "/es/update/",
    )  # fmt: skip
    assert same.status_code == 400 and await m.Proposal.all().count() == 0


async def test_confirming_without_changes_sets_last_verified(
    form: httpx.AsyncClient, district: date
) -> None:
    key = await key_for("mentor-match")
    pairs = fields_of((await form.get(f"/update/?key={key}")).text)
    sent = await send(
        form, edited(pairs, your_name="Sam Lee", your_email="sam@example.org",
                     action="confirm"),
    )  # fmt: skip
    assert sent.status_code == 303
    partner = await m.Partner.get(slug="mentor-match")
    assert partner.last_verified_on == district
    entry = await m.AuditEntry.filter(action="partner.confirm").get()
    assert entry.actor == "Sam Lee <sam@example.org>"
    assert (await form.get(f"/update/?key={key}")).status_code == 404


async def test_a_link_expires_and_opens_only_its_own_partner(
    form: httpx.AsyncClient, district: date
) -> None:
    key = await key_for("harbor-counseling")
    await m.Partner.filter(slug="harbor-counseling").update(
        internal_notes="Invoice dispute", street="12 Hidden Lane"
    )
    page = await form.get(f"/update/?key={key}")
    assert "Invoice dispute" not in page.text and "Hidden Lane" not in page.text
    pairs = fields_of(page.text)
    # a program of another partner, slipped into the form
    stolen = edited(
        pairs, p0__slug="homework-club", p0__description="Mine now",
        your_name="X", your_email="x@example.org", action="propose",
    )  # fmt: skip
    assert (await send(form, stolen)).status_code == 400
    assert await m.Proposal.all().count() == 0
    row = await m.Invitation.get(partner__slug="harbor-counseling")
    with time_machine.travel(row.expires_at + timedelta(seconds=1), tick=False):
        assert (await form.get(f"/update/?key={key}")).status_code == 404
    assert (await form.get("/update/?key=cpi_" + "A" * 43)).status_code == 404
    assert (await form.get("/update/")).status_code == 404


async def test_the_office_s_change_in_between_is_not_undone(
    form: httpx.AsyncClient, district: date
) -> None:
    """A partner sends its whole form back; the office changes the phone before
    approving: only what the partner changed is written."""
    key = await key_for("bright-minds")
    pairs = fields_of((await form.get(f"/update/?key={key}")).text)
    await send(form, edited(pairs, summary="Homework help, now on Mondays too.",
                            your_name="Dana", your_email="d@example.org",
                            action="propose"))  # fmt: skip
    await m.Partner.filter(slug="bright-minds").update(phone="612-555-0000")
    done = await decide(
        "editor", m.Listing(district), str((await m.Proposal.get()).pk),
        ProposalDecision.APPROVE, "checked",
    )  # fmt: skip
    assert done.errors == []
    partner = await m.Partner.get(slug="bright-minds")
    assert (partner.phone, partner.summary) == (
        "612-555-0000",
        "Homework help, now on Mondays too.",
    )


NAMES = st.sampled_from([
    "summary", "description", "summary.es", "website", "phone", "email",
    "p0.description", "p0.school", "p0.language", "p0.slug", "p0.sessions",
    "p0.s0.days", "p0.s0.starts", "p0.s0.from", "p0.s0.where", "p0.s1.days",
    "p0.s0.remove", "your_name", "your_email", "action", "key", "zz",
])  # fmt: skip


@examples(40)
@given(
    changes=st.lists(
        st.tuples(NAMES, st.one_of(HOSTILE, st.just("x" * 100_000))), max_size=10
    )
)
async def test_hostile_input_never_fails_nor_half_writes(
    district: date,
    built: Path,  # noqa: F811
    changes: list[tuple[str, str]],
) -> None:
    key = await key_for("bright-minds")
    async with app_for(built, district) as client:
        pairs = fields_of((await client.get(f"/update/?key={key}")).text)
        given = dict(changes)
        pairs = [(k, given.pop(k) if k in given else v) for k, v in pairs]
        pairs += [*given.items(), ("your_name", "Dana"), ("your_email", "d@x.org")]
        before = await m.AuditEntry.all().count()
        answer = await send(client, pairs)
    assert answer.status_code in (303, 400, 404, 413), answer.text[:500]
    if answer.status_code == 400:  # said in the page's language, or not read
        assert "Please check these answers" in answer.text or (
            "could not be read" in answer.text
            and any("\x00" in value for _, value in changes)
        )
    proposals = await m.Proposal.all().count()
    if answer.status_code == 303:
        written = await m.AuditEntry.all().count() - before
        # a proposal and its entry, a confirmation's entry, or nothing (the
        # field people do not see)
        assert (proposals, written) in ((1, 1), (0, 1), (0, 0))
    else:
        assert proposals == 0 and await m.AuditEntry.all().count() == before
    await m.Proposal.all().delete()
    await m.Invitation.all().delete()


async def test_a_flood_from_one_address_is_slowed_before_the_database_is_asked(
    form: httpx.AsyncClient, district: date
) -> None:
    key = await key_for("bright-minds")
    shown = [(await form.get(f"/update/?key={key}")).status_code for _ in range(60)]
    assert shown[:30] == [200] * 30 and 429 in shown  # 30 at once, then one a second
    sent = [
        (await send(form, [("key", key), ("action", "propose")])).status_code
        for _ in range(6)
    ]
    assert sent[:5] == [400] * 5 and sent[5] == 429
    assert await m.Proposal.all().count() == 0
