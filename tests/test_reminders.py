"""The office's digest: what ends or lapses soon, printed and e-mailed through a
real SMTP server (aiosmtpd, in this process) by `partners remind`. Its addresses
(--to, REMINDERS_TO, REMINDERS_FROM) get the hostile strings the API's property
test sends: each is refused as a usage error that names the option, or is a plain
address the mail goes to as given, never a header of its own or a traceback."""

import email
import os
import socket
import subprocess
import sys
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from hypothesis import given
from hypothesis import strategies as st

import models as m
from api.mail import Smtp, message
from cli.commands import FROM, UsageError, addresses
from models.db import database
from models.reminders import digest, lapsing, text
from tests.district import DAY, build_district
from tests.properties import examples
from tests.test_properties import HOSTILE_TEXT

ROOT = Path(__file__).parent.parent


class Inbox:
    """An SMTP server's handler that keeps what it is sent."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Any:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def remind(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "remind", "--day", DAY.isoformat(), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
async def district_url(migrated_url: str) -> str:
    async with database(migrated_url):
        await build_district(DAY)
        bright = await m.Partner.get(slug="bright-minds")
        await m.Agreement.create(
            partner=bright,
            kind=m.AgreementKind.INSURANCE_CERTIFICATE,
            status=m.AgreementStatus.ACTIVE,
            starts_on=DAY - timedelta(days=300),
            ends_on=DAY + timedelta(days=20),
            reference="COI-77",
        )
        await m.Partner.exclude(slug="city-arts").update(last_verified_on=DAY)
        await m.Partner.filter(slug="city-arts").update(
            last_verified_on=DAY - timedelta(days=400)
        )
    return migrated_url


async def test_the_digest_is_e_mailed_end_to_end(
    district_url: str, smtp: tuple[int, Inbox]
) -> None:
    port, inbox = smtp
    done = remind(
        district_url,
        "--within",
        "60",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SECURITY="none",
        REMINDERS_FROM="partners@riverton.example.org",
        REMINDERS_TO="office@riverton.example.org, lead@riverton.example.org",
    )
    assert done.returncode == 0, done.stderr
    assert "E-mailed to office@riverton.example.org, lead@riverton.example.org" in (
        done.stderr
    )
    [(to, mail)] = inbox.received
    assert to == ["office@riverton.example.org", "lead@riverton.example.org"]
    assert mail["From"] == "partners@riverton.example.org"
    assert mail["Subject"] == (
        f"Community partnerships, {DAY.isoformat()}: 4 to act on within 60 days"
    )
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode().replace("\r\n", "\n")
    assert body == done.stdout
    assert f"- Bright Minds Tutoring: contract ends {DAY.isoformat()}, today" in body
    assert (
        "- Bright Minds Tutoring (bright-minds): not listed from "
        f"{(DAY + timedelta(days=1)).isoformat()}"
    ) in body
    assert "insurance certificate (COI-77) ends" in body and "in 20 days" in body
    assert "- City Arts Collective (city-arts): last verified" in body


async def test_without_smtp_it_prints_and_says_so(district_url: str) -> None:
    done = remind(district_url, "--within", "30")
    assert done.returncode == 0 and "Agreements ending within" in done.stdout
    assert "(Not e-mailed: set SMTP_HOST to send it.)" in done.stderr


async def test_how_long_a_verification_holds_is_a_setting(district_url: str) -> None:
    # city-arts was verified 400 days ago, the others today
    default = remind(district_url, "--within", "30").stdout
    assert "Approved partners not verified for a year (1)" in default
    assert "- City Arts Collective (city-arts): last verified" in default
    longer = remind(district_url, "--within", "30", PARTNERS_VERIFY_EVERY_DAYS="500")
    assert "Approved partners not verified for 500 days (0)" in longer.stdout
    # a day: those verified today are not due yet
    shorter = remind(district_url, "--within", "30", PARTNERS_VERIFY_EVERY_DAYS="1")
    assert "Approved partners not verified for 1 day (1)" in shorter.stdout


async def test_a_server_that_cannot_be_reached_is_a_clear_error(
    district_url: str,
) -> None:
    port = free_port()  # nothing listens there
    done = remind(
        district_url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none"
    )
    assert done.returncode == 1
    assert "Agreements ending within" in done.stdout  # printed all the same
    assert done.stderr.startswith(
        f"partners remind: the digest was not e-mailed: could not send through "
        f"127.0.0.1:{port}:"
    )
    assert "Traceback" not in done.stderr
    bad = remind(district_url, "--within", "0")
    assert bad.returncode == 1 and "--within must be from 1 to 366" in bad.stderr


async def test_a_gap_before_a_renewal_counts_as_lapsing(
    district: date,
) -> None:
    mentor = await m.Partner.get(slug="mentor-match")
    contract = await m.Agreement.get(partner=mentor)
    contract.ends_on = district + timedelta(days=10)
    await contract.save()
    await m.Agreement.create(
        partner=mentor,
        kind=m.AgreementKind.CONTRACT,
        status=m.AgreementStatus.ACTIVE,
        starts_on=district + timedelta(days=20),
        ends_on=district + timedelta(days=400),
    )
    drops = await lapsing(district, 60)
    assert drops[mentor.id] == district + timedelta(days=11)
    found = await digest(district, 60)
    assert [one.slug for one in found.lapsing] == ["bright-minds", "mentor-match"]
    assert "not listed from" in text(found, "Riverton")


SMTP_NONE = {"SMTP_HOST": "127.0.0.1", "SMTP_SECURITY": "none"}


async def test_a_bad_address_is_a_usage_error_that_names_it(
    district_url: str, smtp: tuple[int, Inbox]
) -> None:
    port, inbox = smtp
    mail = {**SMTP_NONE, "SMTP_PORT": str(port), "REMINDERS_FROM": "p@r.example.org"}
    for args, env, said in [
        (
            ["--to", "a@x.example.org\r\nBcc: y@evil.example"],
            mail,
            "--to: 'a@x.example.org\\r\\nBcc: y@evil.example' has a line break in it",
        ),
        (
            [],
            {**mail, "REMINDERS_TO": "office@r.example.org\nBcc: y@evil.example"},
            "REMINDERS_TO: 'office@r.example.org\\nBcc: y@evil.example' has a line "
            "break in it",
        ),
        (
            ["--to", "office@r.example.org"],
            {**mail, "REMINDERS_FROM": "p@r.example.org\r\nBcc: y@evil.example"},
            "REMINDERS_FROM (default $DISTRICT_EMAIL): 'p@r.example.org\\r\\nBcc: "
            "y@evil.example' has a line break in it",
        ),
        (
            ["--to", "office@r.example.org"],
            {**mail, "REMINDERS_FROM": "p@r.example.org, q@r.example.org"},
            "REMINDERS_FROM (default $DISTRICT_EMAIL) must be one address, got 2",
        ),
        (["--to", " , "], mail, "--to names no one"),
        (
            ["--to", "office@r.example.org,Office <o@r.example.org>"],
            mail,
            "--to: 'Office <o@r.example.org>' is not an e-mail address like",
        ),
        (["--to", "bell\x07@r.example.org"], mail, "has a control character in it"),
        (["--no-mail", "--to", "nobody"], {}, "--to: 'nobody' is not an e-mail"),
    ]:
        done = remind(district_url, *args, **env)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("partners remind: "), done.stderr
        assert said in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""  # checked before anything is done
    assert inbox.received == []


async def test_a_server_without_starttls_says_what_to_set(
    district_url: str, smtp: tuple[int, Inbox]
) -> None:
    port, inbox = smtp  # a plain SMTP server, as a relay on the same host is
    done = remind(district_url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "STARTTLS extension not supported by server" in done.stderr
    assert "SMTP_SECURITY=none" in done.stderr
    assert inbox.received == []


OPTIONS = st.sampled_from(["--to", "REMINDERS_TO", "REMINDERS_FROM"])
GOOD = st.sampled_from(["office@r.example.org", "lead.one@r.example.org"])
# Hostile text alone, inside an address, and beside good ones
ADDRESSES = st.one_of(
    HOSTILE_TEXT,
    st.builds("{}@r.example.org".format, HOSTILE_TEXT),
    st.builds("office@{}".format, HOSTILE_TEXT),
    st.builds(", ".join, st.lists(st.one_of(GOOD, HOSTILE_TEXT), max_size=3)),
    GOOD,
)


@examples(200)
@given(option=OPTIONS, value=ADDRESSES)
def test_an_address_is_refused_by_name_or_mailed_as_given(
    smtp: tuple[int, Inbox], option: str, value: str
) -> None:
    port, inbox = smtp
    try:
        found = addresses(FROM if option == "REMINDERS_FROM" else option, value)
    except UsageError as error:
        said = str(error)
        assert said.startswith(option) and said.isprintable(), said
        return
    sender, to = "p@r.example.org", found
    if option == "REMINDERS_FROM":
        sender, to = found[0], ["office@r.example.org"]
    Smtp("127.0.0.1", port, security="none").send(message("S", "B", sender, to))
    recipients, mail = inbox.received[-1]
    assert recipients == to
    assert mail["From"] == sender and mail["To"] == ", ".join(to)
    assert mail["Bcc"] is None and mail["Cc"] is None


@examples(12)
@given(option=OPTIONS, value=ADDRESSES.filter(lambda v: "\0" not in v))
async def test_partners_remind_never_shows_a_traceback(
    district_url: str, smtp: tuple[int, Inbox], option: str, value: str
) -> None:
    port, inbox = smtp
    before = len(inbox.received)
    env = {**SMTP_NONE, "SMTP_PORT": str(port), "REMINDERS_TO": "o@r.example.org"}
    args: list[str] = []
    if option == "--to":
        args = ["--to", value]
    else:
        env[option] = value
    done = remind(district_url, *args, **env)
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 2:
        [line] = done.stderr.splitlines()
        assert line.startswith(f"partners remind: {option}"), line
        assert len(inbox.received) == before
    else:
        assert done.returncode == 0, done.stderr
        assert len(inbox.received) == before + 1
