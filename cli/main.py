"""`partners`: set up, fill, serve and build the community partner directory."""

import argparse
import asyncio
import errno
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from tortoise.exceptions import DBConnectionError, OperationalError

from cli import commands, invites
from directory_site.messages import catalog_exists, catalogs
from models.languages import SOURCE
from models.settings import ENGINES, Settings, configure, current
from models.staff import Role


def _parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The command line; options that stand for a setting default to `settings`'
    (by default, the current settings)."""
    settings = settings or current()
    parser = argparse.ArgumentParser(
        prog="partners",
        description="The district's community partner directory: records, API, site.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("migrate", help="create or update the database tables")

    demo = sub.add_parser("demo", help="load a fictional district's partners")
    demo.add_argument("--partners", type=int, default=200, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    mode = demo.add_mutually_exclusive_group()
    mode.add_argument(
        "--replace", action="store_true", help="delete every record first"
    )
    mode.add_argument(
        "--if-empty",
        action="store_true",
        help="load only into an empty database; otherwise leave it as it is",
    )

    site = sub.add_parser("build-site", help="build the static public directory")
    site.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    site.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000/",
        help="where the site is served, for the sitemap (default: %(default)s)",
    )
    site.add_argument(
        "--district",
        default=settings.district_name,
        help="the district's name, shown on every page (default: %(default)s)",
    )
    site.add_argument(
        "--languages",
        type=_languages,
        default=",".join(settings.district_languages),
        metavar="CODES",
        help="the languages to build the pages in, English first, comma-separated "
        "(default: %(default)s)",
    )
    site.add_argument(
        "--if-stale",
        action="store_true",
        help="build only when OUT_DIR is not current; exit status 3 when it was",
    )
    site.add_argument(
        "--day",
        type=commands.day_argument,
        default=None,
        metavar="YYYY-MM-DD",
        help="build the directory as it is on this day (default: the district's today)",
    )

    token = sub.add_parser("token", help="create, list or revoke staff API tokens")
    tokens = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = tokens.add_parser("create", help="create a token and print it once")
    create.add_argument("--name", required=True, help="who holds it, e.g. jsmith")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    tokens.add_parser("list", help="list tokens (never the tokens themselves)")
    revoke = tokens.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("name")

    load = sub.add_parser(
        "import", help="import the office's spreadsheet (CSV or Excel .xlsx)"
    )
    load.add_argument("file", metavar="FILE.csv|FILE.xlsx", type=Path)
    load.add_argument(
        "--dry-run", action="store_true", help="check and count, write nothing"
    )
    load.add_argument(
        "--remove-missing",
        action="store_true",
        help="also remove the programs of the file's partners that the file leaves "
        "out (without it, only rows with remove=yes remove a program)",
    )
    load.add_argument(
        "--by",
        metavar="NAME",
        default=os.environ.get("PARTNERS_BY"),
        help='who is importing, as the history will name them, e.g. --by "Ana '
        'Lopez" (default: $PARTNERS_BY; one of the two is needed)',
    )
    dump = sub.add_parser(
        "export",
        help="export partners and programs as the office's CSV, or the public "
        "listing as an Open Referral HSDS data package",
    )
    dump.add_argument(
        "file",
        metavar="FILE.csv|FILE.xlsx|OUT_DIR",
        type=Path,
        help="the file to write (an Excel workbook when it ends in .xlsx); with "
        "--format hsds, the folder",
    )
    dump.add_argument(
        "--format",
        choices=["csv", "hsds"],
        default="csv",
        help="csv: every partner, for the office (default); hsds: what the public "
        "sees, as HSDS 3.0 tables (datapackage.json and one CSV per table)",
    )
    dump.add_argument(
        "--records",
        action="store_true",
        help="a CSV file of the evaluation training and technical assistance records "
        "instead (a workbook holds them on its Records sheet anyway)",
    )
    dump.add_argument(
        "--day",
        type=commands.day_argument,
        default=None,
        help="with --format hsds: the district's date to export the listing of "
        "(default: today)",
    )

    remind = sub.add_parser(
        "remind",
        help="the office's digest of what ends or lapses soon: printed, and e-mailed "
        "when SMTP_HOST is set",
    )
    remind.add_argument(
        "--within",
        type=int,
        default=60,
        metavar="DAYS",
        help="how many days ahead to look (1 to 366, default 60)",
    )
    remind.add_argument(
        "--day",
        type=commands.day_argument,
        default=None,
        help="the day to look from (default today)",
    )
    remind.add_argument(
        "--to",
        default=None,
        metavar="ADDRESSES",
        help="who gets it, separated by commas (default $REMINDERS_TO)",
    )
    remind.add_argument(
        "--no-mail", action="store_true", help="print it only, even with SMTP_HOST"
    )

    invites.add_parsers(sub)

    serve = sub.add_parser("serve", help="serve the API and the built directory")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--production",
        action="store_true",
        help="no GraphiQL, no field suggestions, several workers "
        "(same as PARTNERS_PRODUCTION=1)",
    )
    serve.add_argument(
        "--workers", type=int, default=None, help="uvicorn workers (production: 2)"
    )
    serve.add_argument(
        "--no-publish",
        action="store_true",
        help="serve the directory as built, without rebuilding it when the data or "
        "the day changes (same as PARTNERS_PUBLISH=0)",
    )
    serve.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="fast (default), or reference: the libraries' own way, slower, for "
        "checking an upgrade (same as PARTNERS_ENGINE; see api/engine/README.md)",
    )
    return parser


def _languages(value: str) -> tuple[str, ...]:
    """--languages: codes the site has words for; English always, and first."""
    codes = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code != SOURCE and not catalog_exists(code)]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"no catalog for {', '.join(unknown)}: the site has words in "
            f"{', '.join((SOURCE, *catalogs()))}"
        )
    return (SOURCE, *dict.fromkeys(code for code in codes if code != SOURCE))


def _flags(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the command's flags give (None: not given)."""
    return {
        "production": True if getattr(args, "production", False) else None,
        "publish": False if getattr(args, "no_publish", False) else None,
        "district_name": getattr(args, "district", None),
        "engine": getattr(args, "engine", None),
    }


Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int | None]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `partners` command; the exit status says whether it worked. The
    settings are made here, once: the environment's, then the flags', which win."""
    environment = Settings.from_environ()
    args = _parser(environment).parse_args(argv)
    settings = configure(environment.with_flags(**_flags(args)))
    runs: dict[str, Command] = {
        "migrate": commands.migrate,
        "demo": commands.demo,
        "build-site": commands.build_site,
        "token": commands.token,
        "import": commands.import_csv,
        "export": commands.export_csv,
        "remind": commands.remind,
        "invite": invites.invite,
        "proposals": invites.proposals,
    }
    try:
        if args.command == "serve":
            commands.serve(args, settings)
        else:
            return asyncio.run(runs[args.command](args, settings)) or 0
    except commands.UsageError as error:  # `partners remind`'s addresses
        print(f"partners {args.command}: {error}", file=sys.stderr)
        return 2
    except commands.CommandError as error:
        print(f"partners {args.command}: {error}", file=sys.stderr)
        return 1
    except OperationalError as error:
        print(
            f"partners {args.command}: database error: {error}\n"
            "(has `partners migrate` been run on this DATABASE_URL?)",
            file=sys.stderr,
        )
        return 1
    except (DBConnectionError, ConnectionError) as error:
        print(
            f"partners {args.command}: cannot open the database: {error}",
            file=sys.stderr,
        )
        return 1
    except OSError as error:  # a file that cannot be read or written, a full disk
        said = "disk full" if error.errno == errno.ENOSPC else error.strerror
        where = f": {error.filename}" if error.filename else ""
        print(f"partners {args.command}: {said or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
