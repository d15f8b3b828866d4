"""The admin's Open311 API keys: create (the key is shown once), list, revoke."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.auth.principal import current_principal, current_staff, login_required
from app.clock import UtcDateTime
from app.models import Role
from app.open311.keys import issue_key, keys_of, masked, own_key, revoke_key
from app.web.blueprint import Blueprint
from app.web.extensions import db

blp = Blueprint("open311_keys", __name__, url_prefix="/api/open311/keys",
                description="Open311 API keys of the admin's community")


class KeyCreateSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))


class KeySchema(Schema):
    id = fields.Integer()
    label = fields.String()
    masked_key = fields.Function(masked, metadata={"description": "the key's prefix and last four characters"})
    created_at = UtcDateTime()
    revoked_at = UtcDateTime(allow_none=True)
    api_key = fields.String(metadata={"description": "only in the answer to the POST that made it"})


def _community_id() -> int:
    return current_staff().community_id


@blp.route("")
class Keys(MethodView):
    @login_required(Role.ADMIN)
    @blp.response(200, KeySchema(many=True))
    def get(self):
        """The community's keys (never the keys themselves)."""
        return keys_of(_community_id())

    @login_required(Role.ADMIN)
    @blp.arguments(KeyCreateSchema)
    @blp.response(201, KeySchema)
    def post(self, body):
        """Issue a key for a partner system; copy it now, it is not shown again."""
        key, row = issue_key(_community_id(), body["label"], by=current_principal())
        db.session.commit()
        row.api_key = key   # on this answer only; the table keeps the hash
        return row


@blp.route("/<int:key_id>", methods=["DELETE"])
@login_required(Role.ADMIN)
@blp.response(204)
def revoke(key_id):
    """Revoke a key: its holder's calls answer 403 from now on."""
    revoke_key(own_key(_community_id(), key_id), by=current_principal())
    db.session.commit()
