"""`partners invite` and `partners proposals` as the office runs them: real
processes on a real database; links e-mailed through a real SMTP server (aiosmtpd)
or printed; refusals said before anything is done."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import models as m
from models.db import database
from models.staff import hash_token
from tests.district import DAY
from tests.test_reminders import Inbox, district_url, smtp  # noqa: F401

ROOT = Path(__file__).parent.parent


def partners(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SMTP_")},
            "DATABASE_URL": url,
            "SITE_URL": "https://partners.riverton.example.org/",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_stale_partners_get_their_links_by_mail(
    district_url: str,  # noqa: F811
    smtp: tuple[int, Inbox],  # noqa: F811
) -> None:
    port, inbox = smtp
    async with database(district_url):
        await m.Partner.filter(slug="city-arts").update(email="hello@arts.example.org")
    done = partners(
        district_url, "invite", "--stale", "--day", DAY.isoformat(), "--by", "Ana",
        SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "city-arts: e-mailed to hello@arts.example.org\n"
    [(to, mail)] = inbox.received
    assert to == ["hello@arts.example.org"]
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    link = re.search(
        r"https://partners\.riverton\.example\.org/update/\?key=(\S+)", body
    )
    assert link is not None, body
    async with database(district_url):
        row = await m.Invitation.get(key_hash=hash_token(link[1]))
        await row.fetch_related("partner")
        assert (
            row.partner.slug == "city-arts" and row.sent_to == "hello@arts.example.org"
        )
        assert row.expires_at - row.created_at == timedelta(days=14)
        assert await m.AuditEntry.filter(action="invitation.create").count() == 1


async def test_links_are_printed_without_smtp_and_refusals_named(
    district_url: str,  # noqa: F811
) -> None:
    done = partners(
        district_url, "invite", "bright-minds", "--by", "Ana", "--days", "3"
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        r"bright-minds: https://partners\.riverton\.example\.org/update/\?key=cpi_\S{43}\n",
        done.stdout,
    )
    refused: list[tuple[list[str], str]] = [
        (["invite", "bright-minds"], "say who is acting"),
        (["invite", "nobody", "--by", "Ana"], "no partner nobody"),
        (["invite", "--by", "Ana"], "name the partners to invite, or give --stale"),
        (["invite", "bright-minds", "--by", "Ana", "--days", "0"], "--days must be"),
        (["invite", "bright-minds", "--by", "Ana", "--language", "fr"], "--language"),
        (["proposals", "approve", "9", "--reason", "x", "--by", "Ana"], "no proposal"),
    ]
    for args, said in refused:
        answer = partners(district_url, *args)
        assert answer.returncode == 1 and said in answer.stderr, (args, answer.stderr)
        assert "Traceback" not in answer.stderr
    async with database(district_url):
        assert await m.Invitation.all().count() == 1


async def test_proposals_are_listed_field_by_field_and_decided(
    district_url: str,  # noqa: F811
) -> None:
    async with database(district_url):
        partner = await m.Partner.get(slug="bright-minds")
        changes: dict[str, Any] = {"partner": {"phone": "612-555-0177"}, "programs": []}
        proposal = await m.Proposal.create(
            partner=partner, proposer_name="Dana", proposer_email="d@example.org",
            changes=changes,
        )  # fmt: skip
    listed = partners(district_url, "proposals")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(
        f"Proposal {proposal.pk}: Bright Minds Tutoring (bright-minds), by "
        "Dana <d@example.org>"
    )
    assert "  phone:\n    - (empty)\n    + 612-555-0177\n" in listed.stdout
    decided = partners(
        district_url, "proposals", "reject", str(proposal.pk), "--reason", "Wrong",
        "--by", "Ana Lopez",
    )  # fmt: skip
    assert decided.returncode == 0, decided.stderr
    async with database(district_url):
        row = await m.Proposal.get(pk=proposal.pk)
        assert (row.state, row.decided_by) == (m.ProposalState.REJECTED, "Ana Lopez")
        assert (await m.Partner.get(slug="bright-minds")).phone == ""
