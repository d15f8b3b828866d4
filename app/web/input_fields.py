"""Field types of the request bodies every feature shares, each closing a class of bad input once: a reason that
is blank once trimmed."""
from marshmallow import fields, validate


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
