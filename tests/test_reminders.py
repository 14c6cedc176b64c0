"""The office's digest: what ends or lapses soon, printed and e-mailed through a
real SMTP server (aiosmtpd, in this process) by `partners remind`."""

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

import models as m
from models.db import database
from models.reminders import digest, lapsing, text
from tests.district import DAY, build_district

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
