"""The guides' examples are run or checked, so none can go stale: every fenced
block in README.md and docs/*.md. `partners` commands are parsed by the real
command line, and the cheap, safe ones run against a migrated database with the
demo district; `make` targets must exist; `curl` examples are sent to the app
in-process, and answer as the JSON after them shows; GraphQL examples validate
against the live schema and run on the small test district. The configuration
table names exactly the variables `Settings` reads, with their defaults, and
relative links and the files named in code point at files that exist."""

import contextlib
import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from graphql import OperationDefinitionNode, parse, validate
from tortoise.context import TortoiseContext

import models as m
from api.app import create_app
from api.engine import graphql_schema
from api.schema import schema
from cli.main import _parser
from demo import load_demo
from directory_site.build import build
from directory_site.pages import Site
from models.db import MIGRATIONS, database
from models.settings import Settings
from models.staff import Role, StaffToken, hash_token, new_token
from tests.district import build_district

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SERVER = "http://127.0.0.1:8000"
# Languages a fenced block may have, each checked below; ```text is for layouts.
LANGUAGES = {"sh", "graphql", "json", "ini", "crontab", "python", "text"}
# Documented variables that are not settings: read by `partners import` and the tests.
NOT_SETTINGS = {"PARTNERS_BY", "TEST_DATABASE_URL"}
VARIABLE = re.compile(
    r"\b(?:PARTNERS|DISTRICT|SMTP|REMINDERS|SITE)_[A-Z0-9_]*[A-Z0-9]\b"
)
# Subcommands safe to run in a temporary folder against a temporary database.
RUNNABLE = {"migrate", "token", "import", "export", "remind", "invite", "proposals"}
# Top-level folders of this repository, for code spans that name a file in it.
REPOSITORY = re.compile(
    r"^(?:api|models|directory_site|cli|spreadsheet|demo|bench|tests|examples|docs|\.ci)/"
)


@dataclass(frozen=True)
class Block:
    """A fenced block of a guide: its language, its text, and the line of its
    opening fence (counted from 1)."""

    path: Path
    line: int
    language: str
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Command:
    """One simple command of a shell line: the variables set before it, its
    words, and whether it shares its line with others (`cd … && …`)."""

    env: dict[str, str]
    argv: list[str]
    compound: bool
    comment: str


def guide(path: Path) -> tuple[list[Block], str]:
    """A guide's fenced blocks, and its prose with every block left out."""
    blocks: list[Block] = []
    prose: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        opening = re.match(r"^( *)```(.*)$", lines[number])
        if opening is None:
            prose.append(lines[number])
            number += 1
            continue
        indent, language = opening.group(1), opening.group(2).strip()
        start, number = number + 1, number + 1
        while number < len(lines) and lines[number].strip() != "```":
            number += 1
        text = "\n".join(line.removeprefix(indent) for line in lines[start:number])
        blocks.append(Block(path, start, language, text + "\n"))
        prose.append("")
        number += 1
    return blocks, "\n".join(prose)


def all_blocks(*languages: str) -> list[Block]:
    return [b for path in DOCS for b in guide(path)[0] if b.language in languages]


def code_spans(path: Path) -> list[str]:
    """The prose's inline code, whitespace made single spaces (a span may wrap)."""
    prose = guide(path)[1]
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]


def split_comment(line: str) -> tuple[str, str]:
    """A shell line without its comment, and the comment."""
    quote_char = ""
    for place, char in enumerate(line):
        if quote_char:
            quote_char = "" if char == quote_char else quote_char
        elif char in "'\"":
            quote_char = char
        elif char == "#" and (place == 0 or line[place - 1].isspace()):
            return line[:place], line[place + 1 :].strip()
    return line, ""


def shell_lines(text: str) -> list[str]:
    """Logical lines: continuations joined, blank lines left out."""
    joined = re.sub(r"\\\n", " ", text)
    return [line for line in joined.splitlines() if line.strip()]


def commands(line: str) -> list[Command]:
    """The simple commands of one shell line, `sh -c '…'` opened up."""
    code, comment = split_comment(line)
    lexer = shlex.shlex(code, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = ""
    words = list(lexer)
    parts: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", "||", ";", "|", "&"):
            parts.append([])
        else:
            parts[-1].append(word)
    parts = [part for part in parts if part]
    found: list[Command] = []
    for part in parts:
        env: dict[str, str] = {}
        while part and re.match(r"^[A-Z_][A-Z0-9_]*=", part[0]):
            name, _, value = part.pop(0).partition("=")
            env[name] = value
        if part[:2] in (["/bin/sh", "-c"], ["sh", "-c"]):
            found += [Command(c.env, c.argv, True, comment) for c in commands(part[2])]
        else:
            found.append(Command(env, part, len(parts) > 1, comment))
    return found


def block_commands(block: Block) -> list[Command]:
    """The commands a block holds: a shell block's lines, a crontab's commands
    (its five time fields left out), a systemd unit's ExecStart."""
    found: list[Command] = []
    for line in shell_lines(block.text):
        if block.language == "crontab":
            if line.lstrip().startswith("#"):
                continue
            found += commands(line.split(None, 5)[5])
        elif block.language == "ini":
            if line.startswith("ExecStart="):
                found += commands(line.removeprefix("ExecStart="))
        else:
            found += commands(line)
    return found


def is_partners(command: Command) -> bool:
    return bool(command.argv) and Path(command.argv[0]).name == "partners"


def partners_commands() -> list[tuple[Block, Command]]:
    return [
        (block, command)
        for block in all_blocks("sh", "crontab", "ini")
        for command in block_commands(block)
        if is_partners(command)
    ]


def parsed(argv: list[str]) -> str:
    """What `partners` says about `argv` when it refuses it ("" when it parses)."""
    said = io.StringIO()
    try:
        with (
            contextlib.redirect_stderr(said),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            _parser(Settings()).parse_args(argv)
    except SystemExit as leaving:
        if leaving.code == 0 and ("--help" in argv or "-h" in argv):
            return ""
        return said.getvalue() or f"exit status {leaving.code}"
    return ""


def help_text(words: list[str]) -> str:
    """`partners WORDS --help`, or "" when the words are not a command."""
    shown = io.StringIO()
    try:
        with (
            contextlib.redirect_stdout(shown),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            _parser(Settings()).parse_args([*words, "--help"])
    except SystemExit as leaving:
        return shown.getvalue() if leaving.code == 0 else ""
    return ""


def where(block: Block, command: Command) -> str:
    return f"{block}: {shlex.join(command.argv)}"


def label(value: object) -> str:
    """A parameter as a test's id shows it."""
    if isinstance(value, Command):
        return shlex.join(value.argv[1:])
    if isinstance(value, Path):
        return value.name
    return str(value)


# `partners` commands


@pytest.mark.parametrize(("block", "command"), partners_commands(), ids=label)
def test_partners_commands_parse(block: Block, command: Command) -> None:
    refused = parsed(command.argv[1:])
    assert not refused, f"{where(block, command)}\n{refused}"


def synopses() -> list[tuple[Path, str]]:
    return [
        (path, span)
        for path in DOCS
        for span in code_spans(path)
        if re.match(r"^(\.venv/bin/)?partners( [a-z-]| COMMAND|$)", span)
    ]


@pytest.mark.parametrize(("path", "span"), synopses(), ids=label)
def test_partners_in_prose_names_real_commands_and_options(
    path: Path, span: str
) -> None:
    """`partners import FILE.csv --by NAME [--dry-run]`, as tables and prose show
    them: the command exists, and so does each option it names."""
    words = span.replace("\\|", "|").split()[1:]
    command: list[str] = []
    for word in words:
        if not re.match(r"^[a-z][a-z-]*$", word):
            break
        command.append(word)
    shown = help_text(command)
    assert shown, f"{path.name}: `{span}`: no command `partners {' '.join(command)}`"
    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", span):
        assert re.search(rf"(?<![\w-]){option}\b", shown), (
            f"{path.name}: `{span}`: partners {' '.join(command)} has no {option}"
        )


def runnable(command: Command) -> bool:
    """Cheap and safe here: no variables set for it, not part of a compound line
    (`cd /srv/… && …`), a subcommand that only touches the database and files
    named relative to the folder it runs in."""
    argv = command.argv[1:]
    return (
        not command.env
        and not command.compound
        and bool(argv)
        and (argv[0] in RUNNABLE or argv == ["--help"])
        and not any(word.startswith("/") for word in argv)
    )


def runs() -> list[Path]:
    return sorted(
        {block.path for block, command in partners_commands() if runnable(command)}
    )


@pytest.mark.parametrize("path", runs(), ids=label)
async def test_partners_commands_run(
    path: Path, migrated_url: str, day: date, tmp_path: Path
) -> None:
    """A guide's commands run in turn, as written, on a database `make run` could
    have left (migrated, a small demo district), in a folder holding examples/."""
    async with database(migrated_url):
        await load_demo(partners=20, today=day)
    folder = tmp_path / "here"
    (folder / "examples").mkdir(parents=True)
    for example in (ROOT / "examples").iterdir():
        (folder / "examples" / example.name).write_bytes(example.read_bytes())
    env = {
        name: value
        for name, value in os.environ.items()
        if name != "PARTNERS_BY" and not name.startswith(("SMTP_", "REMINDERS_"))
    }
    env["DATABASE_URL"] = migrated_url
    ran = 0
    for block, command in partners_commands():
        if block.path != path or not runnable(command):
            continue
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", *command.argv[1:]],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{where(block, command)}\n{done.stderr}"
        ran += 1
    assert ran


# `make`


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_-]+)\s*:(?!=)", text, re.M))


def named_targets() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in DOCS:
        for block in guide(path)[0]:
            if block.language == "sh":
                found += [
                    (str(block), c.argv[1])
                    for c in block_commands(block)
                    if c.argv[:1] == ["make"] and len(c.argv) > 1
                ]
        for span in code_spans(path):
            found += [(path.name, t) for t in re.findall(r"^make ([\w-]+)", span)]
    return found


@pytest.mark.parametrize(("place", "target"), named_targets())
def test_make_targets_named_in_the_guides_exist(place: str, target: str) -> None:
    assert target in make_targets(), f"{place}: no target `make {target}`"


# shell blocks hold only what these tests check


def test_every_block_is_marked_with_a_language_that_is_checked() -> None:
    for path in DOCS:
        for block in guide(path)[0]:
            assert block.language in LANGUAGES, (
                f"{block}: ```{block.language}: mark it one of {sorted(LANGUAGES)}"
            )


def test_shell_blocks_hold_only_commands_that_are_checked() -> None:
    for block in all_blocks("sh"):
        for command in block_commands(block):
            checked = (
                (not command.argv and bool(command.env))
                or is_partners(command)
                or command.argv[0] in ("make", "curl")
            )
            assert checked, f"{where(block, command)}: not a command these tests check"


def test_python_blocks_compile() -> None:
    for block in all_blocks("python"):
        compile(block.text, str(block), "exec")


# curl against the app, in-process


@dataclass
class Served:
    client: httpx.AsyncClient
    token: str
    found: dict[str, str]


async def examples_district(day: date) -> None:
    """The small test district, with what the office's examples name: the first
    partner of examples/partners.csv, applied for, and the agreement the renewal
    example renews (id 42, a data-sharing agreement ending in 20 days)."""
    await build_district(day)
    with open(ROOT / "examples/partners.csv", encoding="utf-8") as file:
        row = next(csv.DictReader(file))
    partner = await m.Partner.create(
        slug=row["slug"],
        name=row["name"],
        summary=row["summary"],
        description=row["description"],
        status=m.PartnerStatus.APPLIED,
    )
    await partner.categories.add(*await m.Category.filter(slug="community-education"))
    await m.Agreement.create(
        id=42,
        partner=partner,
        kind=m.AgreementKind.DATA_SHARING,
        status=m.AgreementStatus.ACTIVE,
        starts_on=day - timedelta(days=345),
        ends_on=day + timedelta(days=20),
    )


async def editor_token() -> str:
    secret = new_token()
    await StaffToken.create(
        name="docs", role=Role.EDITOR, token_hash=hash_token(secret)
    )
    return secret


@pytest.fixture
def day() -> date:
    """A day the examples' dates fit: the office's contract runs 2026-09-01 to
    2027-06-30, and its renewal to 2028-06-30."""
    return date(2026, 11, 20)


@pytest.fixture
async def served(migrated_url: str, day: date, tmp_path: Path) -> AsyncIterator[Served]:
    """The app on a migrated database (as /healthz wants it) with the examples'
    district and a built directory, at the address `make run` serves."""
    async with database(migrated_url):
        await examples_district(day)
        site = tmp_path / "site"
        await build(site, Site(district="D", base="/", url=f"{SERVER}/"), day)
        app = create_app(site_dir=str(site), today=lambda: day)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=SERVER) as c:
            yield Served(c, await editor_token(), {})


# What a placeholder in an example stands for, and where the test finds one.
PLACEHOLDERS = {
    "ORGANIZATION_ID": ("/hsds/organizations", "contents"),
    "SERVICE_ID": ("/hsds/services", "contents"),
    "SERVICE_AT_LOCATION_ID": ("/hsds/service_at_locations", "contents"),
    "TAXONOMY_ID": ("/hsds/taxonomies", "contents"),
    "TERM_ID": ("/hsds/taxonomy_terms", "contents"),
    "CURSOR": ("/hsds/changes?per_page=1", "cursor"),
}


async def filled(served: Served, text: str, place: str) -> str:
    """`text` with its placeholders replaced by real ids, and TOKEN by a token."""
    for name in re.findall(r"\b[A-Z][A-Z_]{3,}\b", text):
        if name == "TOKEN":
            value = served.token
        elif name in PLACEHOLDERS:
            if name not in served.found:
                path, key = PLACEHOLDERS[name]
                answer = (await served.client.get(path)).json()[key]
                served.found[name] = answer[0]["id"] if key == "contents" else answer
            value = served.found[name]
        else:
            raise AssertionError(f"{place}: no value known for {name} in {text!r}")
        text = re.sub(rf"\b{name}\b", value, text)
    return text


async def sent(served: Served, argv: list[str], place: str) -> httpx.Response:
    """The request a curl command makes, made to the app."""
    url, method, get = "", "", False
    headers: dict[str, str] = {"accept": "*/*"}
    data: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word in ("-s", "--silent", "-S", "-i", "--include"):
            continue
        if word in ("-H", "--header"):
            name, _, value = next(words).partition(":")
            headers[name.strip().lower()] = await filled(served, value.strip(), place)
        elif word in ("-d", "--data", "--data-raw"):
            data.append(next(words))
        elif word == "--data-urlencode":
            name, _, value = next(words).partition("=")
            data.append(f"{name}={quote(value, safe='')}")
        elif word in ("-G", "--get"):
            get = True
        elif word in ("-X", "--request"):
            method = next(words)
        elif word.startswith("-"):
            raise AssertionError(f"{place}: a curl option these tests do not know")
        else:
            url = word
    assert url.startswith(SERVER), f"{place}: not the server `make run` starts"
    url = await filled(served, url.removeprefix(SERVER) or "/", place)
    body = "&".join(data)
    if get and body:
        url, body = f"{url}{'&' if '?' in url else '?'}{body}", ""
    if body:
        headers.setdefault("content-type", "application/x-www-form-urlencoded")
    method = method or ("POST" if body else "GET")
    return await served.client.request(method, url, headers=headers, content=body)


def answers() -> dict[tuple[Path, int], Block]:
    """The JSON blocks the guides show as answers, by the block they answer: the
    block before them, with one paragraph of prose between ("answers:")."""
    found: dict[tuple[Path, int], Block] = {}
    for path in DOCS:
        blocks = guide(path)[0]
        for before, block in zip(blocks, blocks[1:], strict=False):
            if block.language == "json":
                found[(path, before.line)] = block
    return found


def test_every_json_block_is_an_answer_to_the_example_before_it() -> None:
    for path in DOCS:
        blocks, _ = guide(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert not blocks or blocks[0].language != "json", f"{blocks[0]}"
        for before, block in zip(blocks, blocks[1:], strict=False):
            if block.language != "json":
                continue
            assert before.language in ("sh", "graphql"), f"{block}: answers nothing"
            # the prose between the example's closing fence and the answer's opening
            closing = before.line + before.text.count("\n")
            between = "\n".join(lines[closing + 1 : block.line - 1]).strip()
            assert "\n\n" not in between and not between.startswith("#"), (
                f"{block}: more than a paragraph from the example it answers"
            )
            json.loads(block.text)


def shape(shown: Any, answered: Any, at: str = "") -> list[str]:
    """Where `answered` differs in shape from the answer a guide shows: the same
    fields in every object, the same kinds of values; a list may be shown
    shortened (each item shown is compared with the answer's item at its place,
    or its last)."""
    here = at or "."
    if shown is None:
        return []
    if isinstance(shown, dict):
        if not isinstance(answered, dict):
            return [f"{here}: {answered!r} answered, an object shown"]
        problems = []
        if set(shown) != set(answered):
            problems.append(
                f"{here}: {sorted(shown)} shown, {sorted(answered)} answered"
            )
        for key in shown.keys() & answered.keys():
            problems += shape(shown[key], answered[key], f"{at}.{key}")
        return problems
    if isinstance(shown, list):
        if not isinstance(answered, list):
            return [f"{here}: {answered!r} answered, a list shown"]
        if shown and not answered:
            return [f"{here}: an empty list answered, items shown"]
        return [
            problem
            for number, item in enumerate(shown)
            for problem in shape(
                item, answered[min(number, len(answered) - 1)], f"{at}[{number}]"
            )
        ]
    if type(shown) is not type(answered):
        return [f"{here}: {answered!r} answered, {shown!r} shown"]
    return []


def expanded(word: str, variables: dict[str, str]) -> str:
    """`word` with the shell variables the block set (`$H`) put in."""
    return re.sub(r"\$(\w+)", lambda found: variables[found.group(1)], word)


def curl_guides() -> list[Path]:
    return sorted(
        {
            block.path
            for block in all_blocks("sh")
            for command in block_commands(block)
            if command.argv[:1] == ["curl"]
        }
    )


@pytest.mark.parametrize("path", curl_guides(), ids=label)
async def test_curl_examples_answer_as_shown(path: Path, served: Served) -> None:
    """Each curl example answers 2xx (or the status its comment starts with),
    without GraphQL errors, and as the JSON after its block shows."""
    shown = answers()
    variables: dict[str, str] = {}
    for block in guide(path)[0]:
        if block.language != "sh":
            continue
        response = None
        for command in block_commands(block):
            variables |= command.env if not command.argv else {}
            if not command.argv or command.argv[0] != "curl":
                continue
            argv = [expanded(word, variables) for word in command.argv]
            place = f"{block}: {shlex.join(argv)}"
            response = await sent(served, argv, place)
            status = re.match(r"^(\d{3})\b", command.comment)
            if status:
                assert response.status_code == int(status.group(1)), place
            else:
                assert 200 <= response.status_code < 300, f"{place}\n{response.text}"
                if "json" in response.headers.get("content-type", ""):
                    assert "errors" not in response.json(), f"{place}\n{response.text}"
        answer = shown.get((path, block.line))
        if answer is not None:
            assert response is not None, f"{answer}: no curl before it"
            problems = shape(json.loads(answer.text), response.json())
            assert not problems, f"{answer}: " + "; ".join(problems)


async def test_the_health_example_is_what_healthz_answers(served: Served) -> None:
    path = ROOT / "docs/operator.md"
    blocks = guide(path)[0]
    [asked] = [
        b for b in blocks if b.language == "sh" and f"{SERVER}/healthz" in b.text
    ]
    shown = json.loads(answers()[(path, asked.line)].text)
    answered = (await served.client.get("/healthz")).json()
    assert set(shown) == set(answered)
    assert set(shown["site"]) == set(answered["site"])
    assert shown["migration"] == answered["migration"] == MIGRATIONS[-1]


def test_the_migration_the_guides_name_is_the_newest() -> None:
    for path in DOCS:
        named = re.findall(
            r"\b\d{4}_[a-z][a-z0-9_]*\b", path.read_text(encoding="utf-8")
        )
        assert all(name == MIGRATIONS[-1] for name in named), (path.name, named)


# GraphQL


def documents() -> list[Block]:
    return all_blocks("graphql")


@pytest.mark.parametrize("block", documents(), ids=str)
def test_graphql_examples_are_valid_against_the_live_schema(block: Block) -> None:
    document = parse(block.text)
    errors = validate(graphql_schema(schema), document)
    assert not errors, f"{block}: {[e.message for e in errors]}"
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    assert len(operations) == 1, f"{block}: one operation to a block, to be sent alone"


def payload_errors(data: Any) -> Iterator[Any]:
    """Every non-empty `errors` of a mutation's payload in `data`."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "errors" and value:
                yield value
            else:
                yield from payload_errors(value)
    elif isinstance(data, list):
        for item in data:
            yield from payload_errors(item)


@pytest.mark.parametrize("path", sorted({b.path for b in documents()}), ids=label)
async def test_graphql_examples_run_on_the_test_district(
    path: Path, client: httpx.AsyncClient, db: TortoiseContext, day: date
) -> None:
    """A guide's documents in turn, as its reader would send them: staff ones
    (mutations, `staff { … }`) with an editor's token, the others without."""
    await examples_district(day)
    token = await editor_token()
    shown = answers()
    for block in guide(path)[0]:
        if block.language != "graphql":
            continue
        staff = block.text.lstrip().startswith("mutation") or "staff" in block.text
        headers = {"authorization": f"Bearer {token}"} if staff else {}
        response = await client.post(
            "/graphql", json={"query": block.text}, headers=headers
        )
        answer = response.json()
        assert "errors" not in answer, f"{block}: {answer['errors']}"
        assert not list(payload_errors(answer["data"])), f"{block}: {answer}"
        if (path, block.line) in shown:
            shown_answer = json.loads(shown[(path, block.line)].text)
            problems = shape(shown_answer, answer)
            assert not problems, f"{block}: " + "; ".join(problems)


# Configuration


def settings_variables() -> dict[str, Any]:
    return {f.metadata["variable"]: f for f in fields(Settings)}


def tables(path: Path) -> Iterator[list[list[str]]]:
    """A guide's tables, each a list of rows of cells (header first)."""
    rows: list[list[str]] = []
    for line in [*guide(path)[1].splitlines(), ""]:
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
            if not re.match(r"^[\s|:-]+$", line):
                rows.append([cell.strip() for cell in cells])
        elif rows:
            yield rows
            rows = []


def variable_tables() -> Iterator[tuple[Path, list[str]]]:
    """Rows of tables headed `variable | default | …`."""
    for path in DOCS:
        for table in tables(path):
            if table[0][:2] == ["variable", "default"]:
                yield from ((path, row) for row in table[1:])


def test_the_configuration_table_names_every_setting_and_no_other() -> None:
    [table] = [
        t
        for t in tables(ROOT / "docs/operator.md")
        if t[0][:2] == ["variable", "default"]
    ]
    named = [v for row in table[1:] for v in re.findall(r"`([A-Z][A-Z0-9_]+)`", row[0])]
    assert len(named) == len(set(named)), "a variable is named twice"
    assert set(named) == set(settings_variables()) | NOT_SETTINGS


def default_shown(setting: Any, cell: str) -> Any:
    """The value a default as the guides write it stands for, as `setting` holds
    it: `text`, whole numbers (1,000), sizes (32 MB, 256 KB), milliseconds for
    the _MS variables, on/off, none for empty text, `$VARIABLE` for one that
    follows another."""
    cell = cell.strip()
    follows = re.fullmatch(r"`?\$([A-Z_]+)`?", cell)
    if follows:
        return ("follows", follows.group(1))
    if cell in ("on", "off"):
        return cell == "on"
    if cell == "none":
        return ""
    size = re.fullmatch(r"([\d,]+)(?: (KB|MB))?", cell)
    if size:
        number = int(size.group(1).replace(",", ""))
        number *= {"KB": 1024, "MB": 1024 * 1024}.get(size.group(2) or "", 1)
        return number / 1000 if setting.type is float else number
    text = re.fullmatch(r"`([^`]*)`", cell)
    if text:
        return (
            tuple(text.group(1).split(","))
            if setting.type is not str
            else text.group(1)
        )
    raise AssertionError(f"cannot read the default {cell!r}")


def test_the_defaults_the_guides_give_are_the_settings_defaults() -> None:
    variables = settings_variables()
    checked = 0
    for path, row in variable_tables():
        named = re.findall(r"`([A-Z][A-Z0-9_]+)`", row[0])
        if not named or not set(named) <= set(variables):
            continue
        cells = row[1].split(", ")
        cells = cells * len(named) if len(cells) == 1 else cells
        assert len(cells) == len(named), f"{path.name}: {row[0]}: one default each"
        for name, cell in zip(named, cells, strict=True):
            setting = variables[name]
            wanted: Any = setting.default
            if setting.metadata["follows"]:
                followed = {f.name: v for v, f in variables.items()}
                wanted = ("follows", followed[setting.metadata["follows"]])
            shown = default_shown(setting, cell)
            assert shown == wanted, f"{path.name}: {name} is {wanted!r}, not {cell!r}"
            checked += 1
    assert checked >= len(variables)


def test_every_variable_the_guides_name_is_read() -> None:
    known = set(settings_variables()) | NOT_SETTINGS
    for path in DOCS:
        for name in VARIABLE.findall(path.read_text(encoding="utf-8")):
            assert name in known, f"{path.name}: {name} is not a setting"


# Links and files


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", guide(path)[1], re.M)
    return {slug(heading) for heading in headings}


def links() -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for path in DOCS:
        prose = re.sub(r"`[^`]*`", "", guide(path)[1])
        found += [(path, t) for t in re.findall(r"\]\(([^)\s]+)\)", prose)]
    return found


@pytest.mark.parametrize(("path", "target"), links(), ids=label)
def test_relative_links_point_at_files_and_headings_that_exist(
    path: Path, target: str
) -> None:
    if re.match(r"^[a-z]+:", target):
        return
    name, _, anchor = target.partition("#")
    linked = (path.parent / name).resolve() if name else path
    assert linked.exists(), f"{path.name}: {target}: no such file"
    if anchor:
        assert anchor in anchors(linked), f"{path.name}: {target}: no such heading"


def named_files() -> list[tuple[Path, str]]:
    return [
        (path, span)
        for path in DOCS
        for span in code_spans(path)
        if REPOSITORY.match(span) and not re.search(r"[<>*…{} ]", span)
    ]


@pytest.mark.parametrize(("path", "span"), named_files(), ids=label)
def test_files_the_guides_name_exist(path: Path, span: str) -> None:
    name, _, test = span.partition("::")
    assert (ROOT / name).exists(), f"{path.name}: `{span}`: no such file"
    if test:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert f"def {test}(" in text, f"{path.name}: `{span}`: no such test"
