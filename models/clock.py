"""The clock: the one place the project reads the time and the calendar.

Everything below a request, a site build or a command takes its day as an argument
(see models.listing.Listing); only their entry points call district_today()."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.settings import DISTRICT_TIMEZONE

DISTRICT_ZONE = ZoneInfo(DISTRICT_TIMEZONE)


def now() -> datetime:
    """The time now, in UTC: for timestamps (a token revoked, a build made)."""
    return datetime.now(UTC)


def district_today() -> date:
    """Today's date where the district is, which is when contracts start and end."""
    return district_day(now())


def district_day(moment: datetime) -> date:
    """The district's date at `moment` (an aware datetime)."""
    return moment.astimezone(DISTRICT_ZONE).date()
