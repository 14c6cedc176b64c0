"""The district's date: the one place the project reads the calendar.

Everything below a request, a site build or a command takes its day as an argument
(see models.listing.Listing); only their entry points call district_today()."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.settings import DISTRICT_TIMEZONE

DISTRICT_ZONE = ZoneInfo(DISTRICT_TIMEZONE)


def district_today() -> date:
    """Today's date where the district is, which is when contracts start and end."""
    return datetime.now(DISTRICT_ZONE).date()
