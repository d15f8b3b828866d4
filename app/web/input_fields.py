"""Field types of the request bodies every feature shares, each closing a class of bad input once: a reason that
is blank once trimmed, a time at the calendar's ends."""
from marshmallow import ValidationError, fields, validate

from app.clock import to_utc

# What people schedule falls in this century; a time at the calendar's very ends (0001-01-01T00:00:00+14:00,
# 9999-12-31T23:59:59-12:00) has no UTC reading at all.
YEARS = range(2000, 2100)


class Reason(fields.String):
    """Why staff do something (an award, a reversal, a reveal, a rejection, a transfer): required unless told,
    trimmed, and refused when nothing but spaces is left, since the audit trail and the person affected read it."""

    def __init__(self, *, min_length: int = 1, max_length: int = 200, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("metadata", {}).setdefault(
            "description", f"trimmed; {min_length} to {max_length} characters besides the spaces around them")
        error = f"Give {min_length} to {max_length} characters besides the spaces around them."
        super().__init__(validate=validate.Length(min=min_length, max=max_length, error=error), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Moment(fields.AwareDateTime):
    """A date and time with its UTC offset (RFC 3339), in this century, given as UTC."""

    def __init__(self, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", f"RFC 3339 with an offset, from {YEARS.start} to {YEARS.stop - 1}")
        metadata.setdefault("pattern", "^20[0-9]{2}-")   # the spec says the years too: the fuzz draws others as bad
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.year not in YEARS:
            raise ValidationError(f"must be a time from {YEARS.start} to {YEARS.stop - 1}.")
        return to_utc(moment)
