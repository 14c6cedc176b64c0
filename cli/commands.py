"""What each `partners` subcommand does."""

import argparse
import os
import smtplib
import sys
from datetime import date
from email.headerregistry import Address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn

import spreadsheet
from api.mail import MailError, Smtp
from api.mail import message as mail_message
from cli import server
from demo import DatabaseNotEmpty, load_demo
from directory_site.build import BuildError, BuildStatus, build, is_current
from directory_site.pages import Site
from directory_site.queries import QueryError
from directory_site.store import Busy
from models import reminders
from models.changes import record_listing
from models.clock import district_today, now
from models.db import database
from models.db import migrate as apply_migrations
from models.listing import Listing
from models.settings import Settings
from models.staff import Role, StaffToken, hash_token, new_token
from models.validation import Checker


class CommandError(Exception):
    """A failure the user can act on; printed without a traceback."""


class UsageError(CommandError):
    """A command given wrongly (an option, or the variable that stands for one):
    exit status 2, as for argparse's own errors."""


class ProgressLine:
    """A one-line progress display on stderr that rewrites itself in a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        line = f"{self.label}: {done:,}/{total:,}"
        if self.tty:
            print(f"\r{line}", end="" if done < total else "\n", file=sys.stderr)
        elif done == total:
            print(line, file=sys.stderr)


def _report_migration(event: str, app_label: str, name: str) -> None:
    if event == "apply_done":
        print(f"Applied migration {name}", file=sys.stderr)


async def migrate(args: argparse.Namespace, settings: Settings) -> None:
    await apply_migrations(settings.database_url, progress=_report_migration)
    print("Database is up to date.")


async def demo(args: argparse.Namespace, settings: Settings) -> None:
    if args.partners < 1:
        raise CommandError(f"--partners must be at least 1, got {args.partners}")
    async with database(settings.database_url):
        try:
            summary = await load_demo(
                partners=args.partners,
                seed=args.seed,
                replace=args.replace,
                progress=ProgressLine("partners written"),
            )
        except DatabaseNotEmpty as error:
            if args.if_empty:
                print("The database already has records; demo data not loaded.")
                return
            raise CommandError(str(error)) from None
    print(
        f"Loaded {summary.partners:,} partners ({summary.listed:,} publicly listed), "
        f"{summary.programs:,} programs, {summary.sessions:,} sessions, "
        f"{summary.school_sites} school sites, {summary.agreements:,} agreements."
    )


async def build_site(args: argparse.Namespace, settings: Settings) -> int:
    base_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandError(f"--base-url must be an http(s) URL, got {args.base_url!r}")
    site = Site(
        district=settings.district_name,  # --district's, when given
        base=parts.path,
        url=base_url,
        languages=args.languages,
    )
    day = args.day or district_today()
    async with database(settings.database_url):
        if day == district_today():
            # The listing's change log, brought up to date here, in a process of
            # its own, whenever the server's publisher looks (models/changes.py).
            await record_listing(Listing(day))
        try:
            if args.if_stale and await is_current(args.out_dir, day):
                print(f"{args.out_dir} is current for {day}; nothing to build.")
                return BuildStatus.CURRENT
            summary = await build(
                args.out_dir, site, day, progress=ProgressLine("partners queried")
            )
        except Busy as busy:
            print(f"{busy}; nothing to do.", file=sys.stderr)
            return BuildStatus.BUSY
        except (BuildError, QueryError) as error:
            raise CommandError(str(error)) from None
    languages = ", ".join(f"{code} {s:.1f} s" for code, s in summary.seconds.items())
    print(
        f"Built {summary.pages:,} pages for {summary.partners:,} listed partners "
        f"({summary.files:,} files, {summary.bytes / 1e6:.1f} MB) for {day} in "
        f"{args.out_dir} (pages and index: {languages})"
    )
    return BuildStatus.BUILT


async def token(args: argparse.Namespace, settings: Settings) -> None:
    async with database(settings.database_url):
        if args.action == "create":
            await _create_token(args.name, Role(args.role))
        elif args.action == "list":
            rows = await StaffToken.all()
            if not rows:
                print("No staff tokens yet: partners token create --name N --role R")
            for row in rows:
                state = (
                    f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
                )
                print(
                    f"{row.name:<24} {row.role.value:<7} created "
                    f"{row.created_at:%Y-%m-%d}  {state}"
                )
        else:
            updated = await StaffToken.filter(name=args.name, revoked_at=None).update(
                revoked_at=now()
            )
            if not updated:
                raise CommandError(f"no active token named {args.name!r}")
            print(f"Revoked {args.name}; requests with it are refused from now on.")


async def _create_token(name: str, role: Role) -> None:
    checker = Checker()
    checker.text("--name", name, max_length=80, required=True)
    if checker.problems:
        raise CommandError(f"--name {checker.problems[0].message}")
    if await StaffToken.exists(name=name):
        raise CommandError(f"a token named {name!r} exists; revoke it or pick another")
    secret = new_token()
    await StaffToken.create(name=name, role=role, token_hash=hash_token(secret))
    print(secret)
    print(
        f"Token for {name} ({role.value}). It is shown only this once: store it now.\n"
        f"Send it as: Authorization: Bearer <token>",
        file=sys.stderr,
    )


async def import_csv(args: argparse.Namespace, settings: Settings) -> None:
    path: Path = args.file
    by = (args.by or "").strip()
    if not by:
        raise CommandError(
            'say who is importing, as the history will name them: --by "Your Name" '
            "(or set PARTNERS_BY)"
        )
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    today = district_today()
    try:
        plan = spreadsheet.read(path, today=today)
    except spreadsheet.SpreadsheetError as error:
        raise CommandError(str(error)) from None
    try:
        async with database(settings.database_url):
            summary = await spreadsheet.apply(
                plan,
                actor=f"{by[:60]} (import {path.name})"[:80],
                dry_run=args.dry_run,
                remove_missing=args.remove_missing,
                # how far it has gone: written or not, each is compared first
                progress=ProgressLine("partners and programs"),
            )
            if not args.dry_run:
                # the listing's change log follows the import at once, as it does
                # every API write; reads never write it (api/changes.py)
                await record_listing(Listing(today))
    except spreadsheet.SpreadsheetError as error:
        raise CommandError(str(error)) from None
    finally:
        plan.close()  # its keys' temporary file
    counts = (
        f"{summary.created} partners created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.programs_created} programs "
        f"created, {summary.programs_updated} updated, {len(summary.removed)} removed"
    )
    kept = summary.records
    if plan.records:
        counts += (
            f"; {kept.created} records created, {kept.updated} updated, "
            f"{kept.unchanged} unchanged, {kept.removed} removed"
        )
    rows = plan.counted()
    if args.dry_run:
        print(
            f"Checked {path.name} ({rows}); nothing was written. It would make: "
            f"{counts}."
        )
    else:
        print(f"Imported {path.name} ({rows}): {counts}.")
    if summary.removed:
        verb = "Would remove" if args.dry_run else "Removed"
        _print_programs(f"{verb} these programs", summary.removed)
    if summary.sessions:
        verb = "Would change" if args.dry_run else "Changed"
        _print_programs(f"{verb} the sessions of these programs", summary.sessions)
    if summary.kept:
        count = len(summary.kept)
        _print_programs(
            f"{count:,} program{'s' if count != 1 else ''} not in this file "
            f"{'were' if count != 1 else 'was'} kept (remove=yes on a row, or "
            "--remove-missing, removes them)",
            summary.kept,
        )


def _print_programs(said: str, programs: list[str]) -> None:
    """Programs ("partner/program"), the first 20 named and the rest counted."""
    more = f" and {len(programs) - 20:,} more" if len(programs) > 20 else ""
    print(f"{said}: {', '.join(programs[:20])}{more}.")


async def export_csv(args: argparse.Namespace, settings: Settings) -> None:
    if args.format == "hsds":
        if args.records:
            raise CommandError(
                "--records goes with the office's CSV, not --format hsds"
            )
        await export_hsds(args, settings)
        return
    if args.day is not None:
        raise CommandError("--day goes with --format hsds")
    async with database(settings.database_url):
        rows = await spreadsheet.export(args.file, records=args.records)
    print(f"Wrote {rows} to {args.file}")


async def export_hsds(args: argparse.Namespace, settings: Settings) -> None:
    from api.hsds import tabular  # loads the API's schema: only when asked

    if args.file.exists() and not args.file.is_dir():
        raise CommandError(f"{args.file} is a file: give a folder for the package")
    day = args.day or district_today()
    async with database(settings.database_url):
        tables = await tabular.collect(day)
    # The office export's guard against formulas; machines read these files too,
    # so a plain number (a longitude, -93.2) stays a number.
    counts = tabular.write(
        tables, args.file, day, lambda text: spreadsheet.guarded(text, numbers=True)
    )
    print(
        f"Wrote an Open Referral HSDS package for {day.isoformat()} to {args.file}: "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items())
    )


def serve(args: argparse.Namespace, settings: Settings) -> None:
    workers = args.workers or (2 if settings.production else 1)
    if workers < 1:
        raise CommandError(f"--workers must be at least 1, got {workers}")
    mode = "production" if settings.production else "development"
    print(
        f"API: http://{args.host}:{args.port}/graphql ({mode}, {workers} worker"
        f"{'s' if workers > 1 else ''}); directory: http://{args.host}:{args.port}/",
        file=sys.stderr,
    )
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "access_log": False,  # api/access_log.py writes a line a request, with timing
        "server_header": False,  # bytes on every answer that tell a client nothing
    }
    if workers == 1:
        uvicorn.run(server.make(settings), **options)
        return
    # Each worker is a process of its own that makes its app from the environment:
    # the same settings, flags included.
    os.environ.update(settings.environ())
    uvicorn.run("cli.server:create_app", factory=True, workers=workers, **options)


async def remind(args: argparse.Namespace, settings: Settings) -> None:
    if not 1 <= args.within <= 366:
        raise CommandError(f"--within must be from 1 to 366 days, got {args.within}")
    smtp = None if args.no_mail else Smtp.from_settings(settings)
    # Addresses are checked before anything is done: a bad one is a usage error,
    # never a header of its own (a line break in --to) or a traceback.
    given = None if args.to is None else addresses("--to", args.to)
    if smtp is not None:
        to = given or addresses("REMINDERS_TO", settings.reminders_to)
        sender = addresses(FROM, settings.reminders_from)
        if len(sender) != 1:
            raise UsageError(f"{FROM} must be one address, got {len(sender)}")
    day = args.day or district_today()
    async with database(settings.database_url):
        found = await reminders.digest(day, args.within, settings.verify_every_days)
    body = reminders.text(found, settings.district_name)
    print(body, end="")
    if smtp is None:
        if not args.no_mail:
            print("(Not e-mailed: set SMTP_HOST to send it.)", file=sys.stderr)
        return
    things = found.things
    subject = f"Community partnerships, {day.isoformat()}: " + (
        f"{things} to act on within {args.within} days" if things else "nothing due"
    )
    try:
        smtp.send(mail_message(subject, body, sender[0], to))
    except MailError as error:
        said = _explained(smtp, error)
        raise CommandError(f"the digest was not e-mailed: {said}") from None
    print(f"E-mailed to {', '.join(to)}.", file=sys.stderr)


FROM = "REMINDERS_FROM (default $DISTRICT_EMAIL)"
LONGEST_ADDRESS = 254  # characters, as SMTP allows (RFC 5321, 4.5.3.1.3)


def day_argument(text: str) -> date:
    """A command's date argument: 2026-09-15."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date like 2026-09-15, got {text!r}"
        ) from None


def addresses(option: str, value: str) -> list[str]:
    """The e-mail addresses in `value`, separated by commas; a UsageError that
    names `option` and the problem when one is not a plain address."""
    found = [one.strip() for one in value.split(",") if one.strip()]
    if not found:
        raise UsageError(
            f"{option} names no one: give addresses like office@example.org, "
            "separated by commas"
        )
    for one in found:
        problem = _address_problem(one)
        if problem:
            shown = repr(one) if len(one) <= 60 else repr(one[:60]) + "..."
            raise UsageError(f"{option}: {shown} {problem}")
    return found


def _address_problem(address: str) -> str | None:
    if "\r" in address or "\n" in address:
        return "has a line break in it"
    if not address.isprintable():
        return "has a control character in it"
    if not address.isascii():
        return "has a character outside ASCII (only plain addresses are sent)"
    if len(address) > LONGEST_ADDRESS:
        return f"is longer than {LONGEST_ADDRESS} characters"
    checker = Checker()
    checker.email("address", address)
    try:  # the project's rule, and the one the message's headers will apply
        parsed = Address(addr_spec=address).addr_spec
    except Exception:  # the header parser refuses in more ways than ValueError
        parsed = ""
    if checker.problems or parsed != address:
        return "is not an e-mail address like office@example.org"
    return None


def _explained(smtp: Smtp, error: MailError) -> str:
    """The error, and what to set when the server offers no STARTTLS (a relay
    that takes plain SMTP), which smtplib's own words do not say."""
    failed = error.__context__  # what smtplib raised, kept by `raise ... from None`
    if (
        smtp.security == "starttls"
        and isinstance(failed, smtplib.SMTPNotSupportedError)
        and "STARTTLS" in str(failed)
    ):
        return str(error).rstrip(".") + (
            " (the server offers no STARTTLS: set SMTP_SECURITY=none for a relay "
            "on this host or a trusted network, or SMTP_SECURITY=ssl for a server "
            "that takes TLS from the first byte, often on port 465)"
        )
    return str(error)
