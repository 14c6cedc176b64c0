"""What every staff mutation shares: reading inputs, reporting problems by field,
and writing a record with its audit entry, and the listing's change log brought up
to date with it, in one transaction. `Records` is the one way a create or update
goes."""

import dataclasses
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import UNSET
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

import models as m
from api.context import Info
from api.permissions import actor
from api.staff_types import FieldError
from models import audit
from models.changes import record_listing
from models.languages import cleaned, translated_languages
from models.validation import Checker

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# The many-to-many rows to set, by relation: {"categories": [...]}; or the rows a
# record owns, replaced whole: {"sessions": audit.Owned(...)}.
Relations = Mapping[str, Sequence[Model] | audit.Owned]
# A kind of record's input check: it puts the problems in the Checker, turns the
# input's values into columns in place, and returns the relations to set. It is
# given the row to write (a new one has its defaults) and whether it is new.
Check = Callable[[Checker, dict[str, Any], M, bool], Awaitable[Relations]]


@strawberry.type(description="The record written, or why nothing was.")
class Payload(Generic[T]):
    record: T | None
    errors: list[FieldError] = strawberry.field(
        description="Empty when the change was saved; otherwise nothing was written."
    )


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def labels(prefix: str) -> Callable[[str], str]:
    """Error paths as a client writes them: input.postalCode."""
    return lambda name: f"{prefix}.{camel(name)}"


def provided(data: object) -> dict[str, Any]:
    """The fields of an input that the caller gave."""
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, f.name) is not UNSET
    }


def failed(checker: Checker) -> list[FieldError]:
    return [FieldError(field=p.field, message=p.message) for p in checker.problems]


def refused(field: str, message: str) -> list[FieldError]:
    return [FieldError(field=field, message=message)]


async def find(model: type[M], field: str, slug: str) -> M | list[FieldError]:
    """The row of `model` with this slug, or the error on `field` saying there is
    none: "no school site 'x'"."""
    row = await model.get_or_none(slug=slug)
    return row if row is not None else refused(field, f"no {_called(model)} {slug!r}")


async def lookup(
    checker: Checker, field: str, model: type[M], key: str, wanted: Sequence[str]
) -> list[M]:
    """The rows for the given slugs (or codes), in the order given; unknown ones
    are reported on `field`."""
    # a value no row could hold (longer than the column, or with a NUL, which
    # PostgreSQL refuses in a text) is simply not found
    longest = _longest(model, key)
    possible = [w for w in wanted if len(w) <= longest and "\x00" not in w]
    rows = {audit.key_of(r): r for r in await model.filter(**{f"{key}__in": possible})}
    checker.known(field, list(wanted), set(rows))
    return [rows[w] for w in wanted if w in rows]


async def check_slug_free(
    checker: Checker, model: type[Model], slug: object, current: str | None
) -> None:
    """A new or changed slug must not belong to another row of `model`."""
    if isinstance(slug, str) and slug != current and await model.exists(slug=slug):
        what = _called(model)
        checker.add("input.slug", f"is already used by another {what}")


@functools.cache
def _longest(model: type[Model], column: str) -> int:
    """The most characters `column` of `model` holds (its max_length)."""
    described = model.describe(serializable=True)
    for found in [described["pk_field"], *described["data_fields"]]:
        if found["name"] == column:
            return int(found["constraints"].get("max_length", 10**6))
    return 10**6


def _called(model: type[Model]) -> str:
    """What a person calls a row of `model`: its table's name, in words."""
    table: str = model.describe(serializable=True)["table"]
    return table.replace("_", " ")


async def write(
    info: Info,
    action: str,
    instance: Model,
    values: dict[str, Any],
    relations: Relations | None = None,
    reason: str = "",
) -> list[FieldError]:
    """save() the record with its audit entry, and record what it changed in the
    listing's change log, in one transaction: the writer brings the log up to
    date, so a read that follows finds it current and has nothing to write (nor
    to wait for while another writer holds the database). A slug another request
    took in the meantime (the database's unique index decides) is a field error,
    and then nothing was written."""
    try:
        links = {k: v for k, v in (relations or {}).items() if isinstance(v, Sequence)}
        owned = {
            k: v for k, v in (relations or {}).items() if not isinstance(v, Sequence)
        }
        async with in_transaction():
            await audit.save(
                actor(info), action, instance, values, links, reason, owned=owned
            )
            await record_listing(info.context.listing)
    except IntegrityError as error:
        if "slug" in str(error):
            what = _called(type(instance))
            return refused("input.slug", f"is already used by another {what}")
        return refused("input", "conflicts with a change made at the same time")
    return []


# The texts a record may have translated, and their longest: see models/languages.py
LIMITS = {"name": 200, "summary": 300, "description": 5000}


def translated(
    checker: Checker,
    values: dict[str, Any],
    current: dict[str, dict[str, str]],
    fields: tuple[str, ...],
) -> None:
    """Turn `values["translations"]` (TranslationInputs) into the record's new
    translations, checked field by field; problems go to `checker`."""
    if "translations" not in values:
        return
    merged = {language: dict(texts) for language, texts in current.items()}
    for i, given in enumerate(values.pop("translations") or []):
        where = f"input.translations.{i}"
        if given.language not in translated_languages():
            checker.add(
                f"{where}.language",
                f"must be one of {', '.join(translated_languages())}",
                given.language,
            )
            continue
        texts = merged.setdefault(given.language, {})
        for field in ("name", "summary", "description"):
            value = getattr(given, field)
            if value is UNSET:
                continue
            if field not in fields:
                checker.add(f"{where}.{field}", "is not a text this record has")
                continue
            checker.text(
                f"{where}.{field}",
                value,
                max_length=LIMITS[field],
                multiline=field == "description",
            )
            texts[field] = value or ""
    values["translations"] = cleaned(merged)


@dataclasses.dataclass(frozen=True)
class Records(Generic[M, T]):
    """How staff add and change one kind of record, so that each mutation module
    says only what is its own: its model, its input's `check` and its payload's
    `answer`. Every create and update finds its row (or says there is none),
    checks the input into field errors, writes with its audit entry and answers,
    after fetching the `related` rows the answer reads."""

    model: type[M]
    check: Check[M]
    answer: Callable[[M], T]
    related: tuple[str, ...] = ()

    async def create(
        self, info: Info, action: str, input: object, partner: str | None = None
    ) -> Payload[T]:
        """Add a record from `input`; with `partner`, one of that partner's."""
        if partner is None:
            return await self._change(info, action, self.model(), input, creating=True)
        owner = await find(m.Partner, "partner", partner)
        if isinstance(owner, list):
            return Payload(record=None, errors=owner)
        row = self.model(partner=owner)
        return await self._change(info, action, row, input, creating=True)

    async def update(
        self, info: Info, action: str, slug: str, input: object
    ) -> Payload[T]:
        """Change the record `slug` names; fields the input leaves out stay."""
        row = await find(self.model, "slug", slug)
        if isinstance(row, list):
            return Payload(record=None, errors=row)
        return await self._change(info, action, row, input, creating=False)

    async def _change(
        self, info: Info, action: str, row: M, input: object, creating: bool
    ) -> Payload[T]:
        values = provided(input)
        checker = Checker(today=info.context.day)
        relations = await self.check(checker, values, row, creating)
        return await self.save(info, action, row, values, checker, relations)

    async def save(
        self,
        info: Info,
        action: str,
        row: M,
        values: dict[str, Any],
        checker: Checker,
        relations: Relations | None = None,
        reason: str = "",
    ) -> Payload[T]:
        """The payload of a checked change: the problems `checker` found, or `row`
        written with `values` (see `write`) and answered."""
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        if errors := await write(info, action, row, values, relations, reason):
            return Payload(record=None, errors=errors)
        if self.related:
            await row.fetch_related(*self.related)
        return Payload(record=self.answer(row), errors=[])
