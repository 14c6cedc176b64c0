"""The clock: the one place the project reads the time and the calendar.

Everything below a request, a site build or a command takes its day as an argument
(see models.listing.Listing); only their entry points call district_today()."""

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.settings import current

_known: tuple[int, date] = (-1, date.min)  # district_today's last minute and day


def now() -> datetime:
    """The time now, in UTC: for timestamps (a token revoked, a build made)."""
    return datetime.now(UTC)


def district_today() -> date:
    """Today's date where the district is, which is when contracts start and end.
    Worked out once a minute of the clock (every request asks): a zone's offset
    is a whole number of minutes, so its days begin on a minute."""
    global _known
    moment = time.time()
    minute = int(moment // 60)
    if _known[0] != minute:
        _known = (minute, district_day(datetime.fromtimestamp(moment, UTC)))
    return _known[1]


def district_day(moment: datetime) -> date:
    """The district's date at `moment` (an aware datetime)."""
    return moment.astimezone(district_zone()).date()


def district_zone() -> ZoneInfo:
    """The district's time zone, as the settings name it (ZoneInfo keeps each
    zone it has read, so asking again costs a lookup)."""
    return ZoneInfo(current().district_timezone)
