"""Request and response bodies of the auth endpoints."""
from marshmallow import Schema, fields, validate

from app.clock import UtcDateTime


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokenSchema(Schema):
    token = fields.String()
    expires_at = UtcDateTime()
    role = fields.String()


class MeSchema(Schema):
    role = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    community_id = fields.Integer(allow_none=True)
    community_code = fields.String(allow_none=True, metadata={"description": "for the community's wish wall"})
    staff_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
