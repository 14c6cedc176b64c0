"""The one rule for what the public sees, decided for one day at a time.

A partner is listed on a day when its status is approved and, if it holds a
category that requires a contract, a contract is in force that day. A request, a
site build or an export makes one Listing for its day and hands it down; nothing
else filters what is public."""

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.agreement import Agreement, AgreementKind, AgreementStatus
from models.clock import district_today
from models.partner import Partner, PartnerStatus
from models.program import Program
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

    # What changes the listed set by date alone: a contract of an approved partner
    # that needs one starts, or ends (the day after its last day). Everything else
    # changes it by a write, which changes the data's revision.
    def _contracts(self) -> QuerySet[Agreement]:
        needs_contract = Category.filter(requires_contract=True).values("partners__id")
        return Agreement.filter(
            kind=AgreementKind.CONTRACT,
            status=AgreementStatus.ACTIVE,
            partner__status=PartnerStatus.APPROVED,
            partner_id__in=Subquery(needs_contract),
        )

    async def next_change(self) -> date | None:
        """The first day after this one on which the listed set changes by date,
        or None when none is on file."""
        starts = await self._first("starts_on", starts_on__gt=self.day)
        ends = await self._first("ends_on", ends_on__gte=self.day)
        found = [d for d in (starts, ends + ONE_DAY if ends else None) if d]
        return min(found) if found else None

    async def changed_on(self) -> date | None:
        """The last day up to this one on which the listed set changed by date."""
        started = await self._first("-starts_on", starts_on__lte=self.day)
        ended = await self._first("-ends_on", ends_on__lt=self.day)
        found = [d for d in (started, ended + ONE_DAY if ended else None) if d]
        return max(found) if found else None

    async def _first(self, order: str, **conditions: date) -> date | None:
        """The first date in `order` among the contracts that meet `conditions`."""
        row = await self._contracts().filter(**conditions).order_by(order).first()
        if row is None:
            return None
        found: date = getattr(row, order.lstrip("-"))
        return found
