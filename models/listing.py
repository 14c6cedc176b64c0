"""The one rule for what the public sees, decided for one day at a time.

A partner is listed on a day when its status is approved and, if it holds a
category that requires a contract, a contract is in force that day. A request, a
site build or an export makes one Listing for its day and hands it down; nothing
else filters what is public."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.agreement import Agreement, AgreementKind, AgreementStatus
from models.clock import district_today
from models.partner import Partner, PartnerStatus
from models.program import Program
from models.session import Session
from models.taxonomy import Category

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Listing:
    """The public's view of the district on `day`."""

    day: date

    @classmethod
    def today(cls) -> "Listing":
        """The listing for the district's date now (for entry points only)."""
        return cls(district_today())

    def partners(self) -> QuerySet[Partner]:
        """The partners listed on this day, A to Z."""
        contracted = Agreement.in_force(self.day).filter(kind=AgreementKind.CONTRACT)
        # Read from the category side, through the link table's reverse index.
        needs_contract = Category.filter(requires_contract=True).values("partners__id")
        # Subqueries are ordered by id: a model's default order (by name) would
        # make the database sort rows that only a membership test reads.
        return Partner.filter(
            Q(status=PartnerStatus.APPROVED),
            Q(id__not_in=Subquery(needs_contract))
            | Q(id__in=Subquery(contracted.order_by("id").values("partner_id"))),
        )

    def partner_ids(self) -> Subquery:
        """The listed partners' ids, to filter other tables by (`x__in=`)."""
        return Subquery(self.partners().order_by("id").values("id"))

    def programs(self) -> QuerySet[Program]:
        """The programs of listed partners, A to Z."""
        return Program.filter(partner_id__in=self.partner_ids())

    # What changes the listing by date alone: a contract of an approved partner
    # that needs one starts, or ends (the day after its last day), and so does a
    # listed program's session (the directory shows a term ahead as "from …" and
    # leaves out one that has ended). Everything else changes it by a write, which
    # changes the data's revision.
    def _contracts(self) -> QuerySet[Agreement]:
        needs_contract = Category.filter(requires_contract=True).values("partners__id")
        return Agreement.filter(
            kind=AgreementKind.CONTRACT,
            status=AgreementStatus.ACTIVE,
            partner__status=PartnerStatus.APPROVED,
            partner_id__in=Subquery(needs_contract),
        )

    def _sessions(self) -> QuerySet[Session]:
        return Session.filter(program__partner_id__in=self.partner_ids())

    async def next_listed_change(self) -> date | None:
        """The first day after this one on which the listed set of partners changes
        by date (a contract starts or ends), or None when none is on file."""
        found = [
            await _first(self._contracts(), "starts_on", starts_on__gt=self.day),
            _after(await _first(self._contracts(), "ends_on", ends_on__gte=self.day)),
        ]
        return min((d for d in found if d), default=None)

    async def next_change(self) -> date | None:
        """The first day after this one on which the listing changes by date (the
        listed set, or a listed program's term), or None when none is on file."""
        found = [
            await self.next_listed_change(),
            await _first(self._sessions(), "valid_from", valid_from__gt=self.day),
            _after(
                await _first(self._sessions(), "valid_until", valid_until__gte=self.day)
            ),
        ]
        return min((d for d in found if d), default=None)

    async def changed_on(self) -> date | None:
        """The last day up to this one on which the listing changed by date."""
        found = [
            await _first(self._contracts(), "-starts_on", starts_on__lte=self.day),
            _after(await _first(self._contracts(), "-ends_on", ends_on__lt=self.day)),
            await _first(self._sessions(), "-valid_from", valid_from__lte=self.day),
            _after(
                await _first(self._sessions(), "-valid_until", valid_until__lt=self.day)
            ),
        ]
        return max((d for d in found if d), default=None)


def _after(day: date | None) -> date | None:
    """The day after a last day: when what ended on it is gone."""
    return day + ONE_DAY if day else None


async def _first(rows: QuerySet[Any], order: str, **conditions: date) -> date | None:
    """The first date in `order` among the `rows` that meet `conditions`."""
    column = order.lstrip("-")
    found = await rows.filter(**conditions).order_by(order).first().values(column)
    return found[column] if found else None
