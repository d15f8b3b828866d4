"""Bodies of the WeChat sign-in endpoints."""
from marshmallow import Schema, fields, validate

from app.clock import UtcDateTime

_code = fields.String(required=True, validate=validate.Length(min=1, max=128))


class WeChatCodeSchema(Schema):
    code = _code


class InviteCodeSchema(Schema):
    invite_code = fields.String(required=True, validate=validate.Length(min=6, max=32))


class UserDataSchema(Schema):
    raw_data = fields.String(required=True, validate=validate.Length(min=2, max=4096))
    signature = fields.String(required=True, validate=validate.Length(equal=40))
    encrypted_data = fields.String(required=True, validate=validate.Length(min=4, max=8192))
    iv = fields.String(required=True, validate=validate.Length(min=4, max=64))


class WeChatTokenSchema(Schema):
    token = fields.String()
    expires_at = UtcDateTime()
    role = fields.String(allow_none=True)
    registered = fields.Boolean(metadata={"description": "linked to a staff account or a household member, "
                                                         "confirmed (role resident) or not (role registrant)"})


class BindResultSchema(Schema):
    role = fields.String()
    registered = fields.Boolean()


class PhoneSchema(Schema):
    phone = fields.String(metadata={"description": "masked"})


class InviteSchema(Schema):
    invite_code = fields.String()
    expires_at = UtcDateTime()
