"""Query and body schemas of the letter and card endpoints, and of what a scanned code is."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.activities.schemas import ActivityScanSchema
from app.models.codes import CodeKind
from app.police.schemas import CardSchema
from app.residents.schemas import ScanSchema
from qr.tokens import ACTIVITY, CARD, LETTER, TOKEN_PATTERN


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
    code_kind = fields.String(validate=validate.OneOf([kind.value for kind in CodeKind]), metadata={
        "description": "the code on letters and cards: a QR of the link (link) or a mini-program code (wxacode); "
                       "unchanged when omitted"})


class ScannedQuerySchema(Schema):
    q = fields.String(validate=validate.Length(min=1, max=2048), metadata={
        "description": "the link a link QR code holds, as WeChat hands it to the page (URL-encoded once) or decoded"})
    scene = fields.String(validate=validate.Regexp(TOKEN_PATTERN), metadata={
        "description": "the scene of a mini-program code, as WeChat hands it to the page"})

    @validates_schema
    def one_of_them(self, data, **kwargs):
        if "q" in data and "scene" in data:
            raise ValidationError("give q or scene, not both", "scene")
        if "q" not in data and "scene" not in data:
            raise ValidationError("the scanned link (or scene) is required", "q")


class ScannedSchema(Schema):
    kind = fields.String(metadata={"enum": [LETTER, CARD, ACTIVITY]})
    token = fields.String()
    letter = fields.Nested(ScanSchema, metadata={"description": "for a letter: as GET /api/scan/{token}"})
    card = fields.Nested(CardSchema, metadata={"description": "for a card: as GET /api/cards/{token}"})
    activity = fields.Nested(ActivityScanSchema, metadata={
        "description": "for an activity's poster: check in with POST /api/checkin/{token}"})
