"""`partners invite` and `partners proposals`: the office sends partners their
private links to keep their own record, and reads and decides what they propose.
Both go through the same functions as the API's invitePartner and decideProposal
(api/mutations/proposals.py)."""

import argparse
import os
import sys
from datetime import date

import models as m
from api.mail import MailError, Smtp, message
from api.mutations.proposals import (
    LINK_DAYS,
    MOST_LINK_DAYS,
    ProposalDecision,
    decide,
    link_for,
    make_invitation,
)
from api.proposals import plan
from cli.commands import CommandError, addresses, day_argument
from models.clock import district_today
from models.db import database
from models.reminders import unverified
from models.settings import Settings
from models.validation import Checker


def _by(args: argparse.Namespace) -> str:
    by = (args.by or "").strip()
    if not by:
        raise CommandError(
            'say who is acting, as the history will name them: --by "Your Name" '
            "(or set PARTNERS_BY)"
        )
    return by[:80]


async def invite(args: argparse.Namespace, settings: Settings) -> None:
    """A link for each partner named (or each due for verification, --stale):
    e-mailed to the partner's address when SMTP is set, else printed."""
    by = _by(args)
    if not 1 <= args.days <= MOST_LINK_DAYS:
        raise CommandError(f"--days must be 1 to {MOST_LINK_DAYS}, got {args.days}")
    if bool(args.slugs) == bool(args.stale):
        raise CommandError("name the partners to invite, or give --stale (not both)")
    if args.language not in settings.district_languages:
        languages = ", ".join(settings.district_languages)
        raise CommandError(f"--language must be one of {languages}")
    smtp = None if args.no_mail else Smtp.from_settings(settings)
    sender = addresses("DISTRICT_EMAIL", settings.district_email)[0]
    async with database(settings.database_url):
        if args.stale:
            day = args.day or district_today()
            partners = await unverified(day, settings.verify_every_days)
        else:
            partners = await _named(args.slugs)
        for partner in partners:
            to = partner.email if smtp is not None else ""
            invitation, key = await make_invitation(by, partner, args.days, to)
            link = link_for(key, args.language)
            if smtp is None or not to:
                print(f"{partner.slug}: {link}")
                continue
            mail = _mail(settings, partner.name, link, invitation.expires_at.date())
            try:
                smtp.send(message(mail[0], mail[1], sender, [to]))
            except MailError as error:
                raise CommandError(f"{partner.slug}: not e-mailed: {error}") from None
            print(f"{partner.slug}: e-mailed to {to}")
    if not partners:
        print("No partner is due for verification.")


async def _named(slugs: list[str]) -> list[m.Partner]:
    found = {p.slug: p for p in await m.Partner.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise CommandError(f"no partner {', '.join(missing)}")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _mail(settings: Settings, name: str, link: str, until: date) -> tuple[str, str]:
    district = settings.district_name
    subject = f"{district}: please check {name}'s listing"
    body = (
        f"Hello,\n\n{district}'s Community Partnerships office lists {name} in its "
        "directory of community partners. Please check what it says about you, "
        "and propose any changes (your description, how to reach you, your "
        "programs, when and where they meet), or confirm that it is still right:\n\n"
        f"  {link}\n\nThe link is for {name} only: it works once, until "
        f"{until.isoformat()}. The office reviews every change before families see "
        f"it. Questions: {settings.district_email}\n"
    )
    return subject, body


async def proposals(args: argparse.Namespace, settings: Settings) -> None:
    """The proposals waiting, each as its differences; or one decided."""
    async with database(settings.database_url):
        if args.action == "list":
            await _list(settings)
            return
        decision = ProposalDecision[args.action.upper()]
        listing = m.Listing(district_today())
        done = await decide(_by(args), listing, args.id, decision, args.reason)
    if done.errors:
        said = "; ".join(f"{e.field}: {e.message}" for e in done.errors)
        raise CommandError(f"proposal {args.id} was not decided: {said}")
    print(f"Proposal {args.id}: {args.action}d.")


async def _list(settings: Settings) -> None:
    waiting = await m.Proposal.filter(state=m.ProposalState.PENDING).prefetch_related(
        "partner"
    )
    for row in reversed(waiting):
        checker = Checker(today=district_today())
        planned = await plan(row.partner, row.changes, checker)
        print(
            f"Proposal {row.pk}: {row.partner.name} ({row.partner.slug}), by "
            f"{row.proposer}, {row.submitted_at:%Y-%m-%d}"
        )
        for difference in planned.differences:
            print(f"  {difference.field}:")
            print(f"    - {difference.before or '(empty)'}")
            print(f"    + {difference.after or '(empty)'}")
        for problem in checker.problems:
            print(
                f"  cannot be approved as it stands: {problem.field} {problem.message}"
            )
    count = len(waiting)
    print(f"{count} proposal{'s' if count != 1 else ''} waiting.", file=sys.stderr)


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The two commands' arguments."""
    by = os.environ.get("PARTNERS_BY")
    said = "who is acting, as the history will name them (default $PARTNERS_BY)"
    send = sub.add_parser(
        "invite",
        help="send partners a private link to propose changes to their listing or "
        "confirm it (e-mailed when SMTP_HOST is set, else printed)",
    )
    send.add_argument("slugs", nargs="*", metavar="SLUG", help="the partners")
    send.add_argument(
        "--stale",
        action="store_true",
        help="every approved partner due for verification (PARTNERS_VERIFY_EVERY_DAYS)",
    )
    send.add_argument(
        "--day",
        type=day_argument,
        default=None,
        help="with --stale: the day to judge from (default today), e.g. 2026-09-15",
    )
    send.add_argument(
        "--days",
        type=int,
        default=LINK_DAYS,
        help=f"how long it works (default {LINK_DAYS})",
    )
    send.add_argument(
        "--language", default="en", help="the form's language (default en)"
    )
    send.add_argument("--no-mail", action="store_true", help="print the links only")
    send.add_argument("--by", metavar="NAME", default=by, help=said)
    read = sub.add_parser(
        "proposals", help="partners' proposed changes: list them, approve or reject one"
    )
    actions = read.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="the waiting proposals, field by field (default)")
    for verb in ("approve", "reject"):
        one = actions.add_parser(verb, help=f"{verb} a proposal, with a reason")
        one.add_argument("id", help="the proposal's number")
        one.add_argument("--reason", required=True)
        one.add_argument("--by", metavar="NAME", default=by, help=said)
    read.set_defaults(action="list")
