"""The one rule for what the public sees, decided for one day at a time.

A partner is listed on a day when its status is approved and, if it holds a
category that requires a contract, a contract is in force that day. A request, a
site build or an export makes one Listing for its day and hands it down; nothing
else filters what is public."""

from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.agreement import Agreement, AgreementKind
from models.clock import district_today
from models.partner import Partner, PartnerStatus
from models.program import Program
from models.taxonomy import Category


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
