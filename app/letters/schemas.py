"""Query and body schemas of the letter and card endpoints."""
from marshmallow import Schema, fields, validate


class LetterQuerySchema(Schema):
    size = fields.String(load_default="A4", validate=validate.OneOf(["A4", "A5"]))


class BatchQuerySchema(Schema):
    size = fields.String(load_default="A4", validate=validate.OneOf(["A4", "A5"]))


class CardQuerySchema(Schema):
    vcard = fields.Boolean(load_default=False, metadata={"description": "a vCard QR a phone saves as a contact"})


class CodeSchema(Schema):
    token = fields.String()
    url = fields.String()
    version = fields.Integer()
    scans = fields.Integer()


class TemplateSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    placeholders = fields.List(fields.String(), dump_only=True)
    is_default = fields.Boolean(dump_only=True)
