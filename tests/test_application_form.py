"""The "Become a partner" form over HTTP, as a browser without JavaScript posts it:
built in every language, answered by the thank-you page or by the form again with
each problem in the page's language; and every post bounded (same origin only,
size, type, rate, the field people do not see) before it is read."""

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import models as m
from api.app import create_app
from directory_site.application_endpoint import MAX_BYTES, ApplicationEndpoint
from directory_site.build import build
from models.settings import current
from tests.properties import examples
from tests.test_browser import LANGUAGES, riverton
from tests.test_reminders import Inbox, smtp  # noqa: F401

ORIGIN = {"origin": "http://test"}
FORM = [
    ("programs", "1"),
    ("organization", "Club de Ajedrez Riverside"),
    ("summary", "Ajedrez después de clases."),
    ("contact_name", "Ana Ruiz"),
    ("contact_email", "ana@ajedrez.example.org"),
    ("category", "extended-learning"),
    ("p0.name", "Ajedrez"),
    ("p0.service", "mentoring"),
    ("p0.grade_min", "3"),
    ("p0.grade_max", "8"),
    ("p0.school", "lake-middle"),
    ("p0.days", "TUESDAY"),
    ("p0.days", "THURSDAY"),
    ("p0.starts", "15:30"),
    ("p0.ends", "17:00"),
    ("p0.from", "2031-04-01"),
    ("p0.until", "2031-06-01"),
    ("p0.where", "lake-middle"),
    ("attest", "insurance"),
    ("attest", "background_checks"),
    ("fax", ""),
    ("action", "send"),
]


def changed(**fields: str) -> list[tuple[str, str]]:
    """FORM with these fields' values changed (a name's dots written as __)."""
    given = {name.replace("__", "."): value for name, value in fields.items()}
    return [(k, given.pop(k) if k in given else v) for k, v in FORM] + list(
        given.items()
    )


@pytest.fixture
async def built(district: date, tmp_path: Path) -> Path:
    """The test district's site, built."""
    site = tmp_path / "site"
    await build(site, riverton(), district)
    return site


@pytest.fixture
async def form(district: date, built: Path) -> AsyncIterator[httpx.AsyncClient]:
    site = built
    endpoint = ApplicationEndpoint(
        current().with_flags(site_dir=str(site)), lambda: district
    )
    app = create_app(
        site_dir=str(site), today=lambda: district, forms=endpoint.routes()
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def send(
    client: httpx.AsyncClient,
    fields: list[tuple[str, str]],
    path: str = "/es/apply/",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        path,
        content=urlencode(fields).encode(),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            **(ORIGIN if headers is None else headers),
        },
    )


async def test_the_form_and_its_thanks_are_built_in_every_language(
    form: httpx.AsyncClient,
) -> None:
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        page = await form.get(f"/{prefix}apply/")
        assert page.status_code == 200
        assert f'action="/{prefix}apply/"' in page.text
        assert 'name="fax"' in page.text and 'name="p0.name"' in page.text
        assert (await form.get(f"/{prefix}apply/thanks/")).status_code == 200
        about = (await form.get(f"/{prefix}about/")).text
        assert f'href="/{prefix}apply/"' in about
    spanish = (await form.get("/es/apply/")).text
    assert "Hágase socio" in spanish and "Enviar la solicitud" in spanish


async def test_an_application_is_thanked_in_its_language_and_written(
    form: httpx.AsyncClient,
) -> None:
    answer = await send(form, FORM)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/es/apply/thanks/"
    assert answer.headers["cache-control"] == "no-store"
    applied = await m.Application.get().prefetch_related("partner")
    assert (applied.language, applied.partner.status) == ("es", m.PartnerStatus.APPLIED)
    assert applied.partner.name == "Club de Ajedrez Riverside"
    session = await m.Session.get(program__partner_id=applied.partner.id)
    assert (session.days, session.start_minute, session.end_minute) == (
        "TU,TH", 15 * 60 + 30, 17 * 60,
    )  # fmt: skip
    thanks = await form.get(answer.headers["location"])
    assert "Gracias por su solicitud" in thanks.text


async def test_every_problem_is_said_in_the_page_language_by_its_field(
    form: httpx.AsyncClient,
) -> None:
    hostile = "<script>alert(1)</script>"
    answer = await send(
        form,
        changed(organization=hostile, contact_email="ana", p0__starts="25:00",
                p0__grade_max="1"),
    )  # fmt: skip
    assert answer.status_code == 400
    page = answer.text
    assert "Revise estas respuestas" in page
    assert 'href="#organization">Escriba texto simple, sin etiquetas HTML.' in page
    assert 'href="#contact_email">Escriba un correo electrónico' in page
    assert 'href="#p0.starts">Escriba una hora como 3:30 PM.' in page
    assert 'href="#p0.grade_max">El último grado no puede ser anterior' in page
    # what was sent is kept, escaped, never run
    assert "<script>alert(1)" not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert 'value="TUESDAY" checked' in page
    assert await m.Application.all().count() == 0
    assert await m.Partner.filter(name__contains="script").count() == 0


async def test_another_program_is_added_without_javascript(
    form: httpx.AsyncClient,
) -> None:
    answer = await send(form, changed(action="more"))
    assert answer.status_code == 200
    assert 'id="program-2"' in answer.text and 'name="p1.name"' in answer.text
    assert 'value="Ajedrez"' in answer.text  # what was typed stays
    assert await m.Application.all().count() == 0


async def test_the_field_people_do_not_see_is_thanked_and_dropped(
    form: httpx.AsyncClient,
) -> None:
    answer = await send(form, changed(fax="https://spam.example"))
    assert answer.status_code == 303
    assert await m.Application.all().count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"referer": "http://evil.example/apply/"},
        {},  # neither: refused
        {"origin": "http://test", "sec-fetch-site": "cross-site"},
    ],
)
async def test_only_the_directory_s_own_pages_may_post(
    form: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    answer = await send(form, FORM, headers=headers)
    assert answer.status_code == 403
    assert await m.Application.all().count() == 0


async def test_a_post_is_bounded_before_it_is_read(form: httpx.AsyncClient) -> None:
    big = await send(form, changed(summary="x" * (MAX_BYTES + 1)))
    assert big.status_code == 413
    wrong = await form.post("/es/apply/", json={"organization": "x"}, headers=ORIGIN)
    assert wrong.status_code == 415
    nowhere = await send(form, FORM, path="/fr/apply/")
    assert nowhere.status_code == 404
    broken = await form.post(
        "/es/apply/", content=b"organization=%FF%FE",
        headers={"content-type": "application/x-www-form-urlencoded", **ORIGIN},
    )  # fmt: skip
    assert broken.status_code == 400
    nul = await send(form, changed(category="\x00"))  # as the property test found
    assert nul.status_code == 400 and "could not be read" in nul.text
    assert await m.Application.all().count() == 0


async def test_one_address_is_slowed_before_the_database_is_asked(
    form: httpx.AsyncClient,
) -> None:
    answers = [(await send(form, changed(action="more"))).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]


# Hostile values: NUL and other control characters, scripts, bidirectional
# overrides, texts longer than any field, and a flood's worth of fields.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "\x00", "a\x00b", "\x07", "\u202e", "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0", "x" * 5000, "é" * 300, "\r\n", "-1", "99", "",
        "javascript:alert(1)", "TUESDAY", "lake-middle", "insurance",
    ]),
)  # fmt: skip
NAMES = st.sampled_from([name for name, _ in FORM] + ["p9.name", "programs", "zz"])


@examples(60)
@given(
    changes=st.lists(st.tuples(NAMES, HOSTILE), max_size=12),
    extra=st.integers(0, 300),
)
async def test_hostile_input_never_fails_nor_half_writes(
    district: date, built: Path, changes: list[tuple[str, str]], extra: int
) -> None:
    endpoint = ApplicationEndpoint(
        current().with_flags(site_dir=str(built)), lambda: district
    )
    app = create_app(
        site_dir=str(built), today=lambda: district, forms=endpoint.routes()
    )
    before = await counts()
    fields = dict(FORM) | dict(changes)
    pairs = list(fields.items()) + [("p0.days", "SUNDAY")] * extra
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        answer = await send(client, pairs)
    assert answer.status_code in (303, 400, 413), answer.text[:500]
    after = await counts()
    if answer.status_code == 400:
        assert after == before  # nothing half-written
        # said in the page's language; a NUL, which no person types, is refused
        # before the form is read
        assert "Revise estas respuestas" in answer.text or (
            "could not be read" in answer.text
            and any("\x00" in value for _, value in changes)
        )
    else:
        # a whole application (a partner, its program, the application) or none
        assert after == before or (
            after[0] == before[0] + 1 and after[2] == before[2] + 1
        ), (before, after)
    await m.Application.all().delete()  # the next example is not a duplicate
    await m.Partner.filter(
        status=m.PartnerStatus.APPLIED, name__not="Secret Applicant"
    ).delete()


async def counts() -> tuple[int, int, int]:
    return (
        await m.Partner.all().count(),
        await m.Program.all().count(),
        await m.Application.all().count(),
    )


async def test_the_applicant_gets_one_receipt_in_the_form_s_language(
    district: date,
    built: Path,
    smtp: tuple[int, Inbox],  # noqa: F811
) -> None:
    port, inbox = smtp
    settings = current().with_flags(
        site_dir=str(built), smtp_host="127.0.0.1", smtp_port=port,
        smtp_security="none", reminders_from="partnerships@riverton.example.org",
    )  # fmt: skip
    endpoint = ApplicationEndpoint(settings, lambda: district)
    app = create_app(
        site_dir=str(built), today=lambda: district, forms=endpoint.routes()
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await send(client, FORM)).status_code == 303
        assert (await send(client, FORM)).status_code == 303  # the same one again
        await asyncio.gather(*endpoint.receipts.sending)
    assert len(inbox.received) == 1
    to, mail = inbox.received[0]
    assert to == ["ana@ajedrez.example.org"]
    assert mail["Subject"] == "Su solicitud para ser socio de Riverton Public Schools"
    assert mail["From"] == "partnerships@riverton.example.org"
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert "Club de Ajedrez Riverside" in body and "Gracias" in body
