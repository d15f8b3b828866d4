"""Time helpers: UTC everywhere in the database, China Standard Time for the dates people type."""
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import overload

from marshmallow import fields

# China keeps one zone all year (UTC+8, no daylight saving): the filed *date* people mean is in it.
CHINA = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC)


def china_today() -> date:
    """Today's date in China, which is what "today" and "not in the future" mean to the people typing it."""
    return datetime.now(CHINA).date()


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@overload
def to_utc(moment: datetime) -> datetime: ...


@overload
def to_utc(moment: None) -> None: ...


def to_utc(moment: datetime | None) -> datetime | None:
    """Any datetime as an aware UTC one: naive ones (SQLite's) are UTC already, others are converted.

    Conversion matters before a write: SQLite stores an aware time's clock reading without its offset."""
    return None if moment is None else as_utc(moment).astimezone(UTC)


def day_start(day: date) -> datetime:
    """Midnight of a China date, in UTC."""
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)


class UtcDateTime(fields.DateTime):
    """A datetime written with its UTC offset (RFC 3339, as the API documents it), whichever database it came from."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(to_utc(value), attr, obj, **kwargs)
