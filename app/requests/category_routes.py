"""Request categories: everyone reads their community's; its admin adds, edits and retires them."""
from flask.views import MethodView
from flask_smorest import abort

from app.auth.principal import current_principal, login_required
from app.models import Category, Role
from app.requests.categories import (
    categories,
    ensure_defaults,
    own_category,
    save_category,
)
from app.requests.schemas import (
    CategoryChangeSchema,
    CategoryQuerySchema,
    CategorySchema,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db

blp = Blueprint("categories", __name__, url_prefix="/api/categories", description="Request categories")


def _community_id() -> int:
    community_id = current_principal().community_id
    if community_id is None:
        abort(404, message="No community.")
    return community_id


def _save(category: Category, changes: dict) -> Category:
    save_category(category, changes)
    db.session.commit()
    return category


@blp.route("")
class Categories(MethodView):
    @login_required()
    @blp.arguments(CategoryQuerySchema, location="query")
    @blp.response(200, CategorySchema(many=True))
    def get(self, args):
        """The caller's community's categories (the defaults until the admin changes them)."""
        rows = categories(_community_id(), include_inactive=args["include_inactive"])
        db.session.commit()
        return rows

    @login_required(Role.ADMIN)
    @blp.arguments(CategorySchema)
    @blp.response(201, CategorySchema)
    def post(self, body):
        """Add a category: its code, name, deadline in hours, first responder, and whether it is a dispute."""
        ensure_defaults(_community_id())
        return _save(Category(community_id=_community_id()), body)


CHANGE = CategoryChangeSchema(partial=True)


@blp.route("/<int:category_id>")
class CategoryById(MethodView):
    @login_required(Role.ADMIN)
    @blp.arguments(CHANGE)
    # The spec says what the schema refuses: an empty change (apispec has no way to say it on the schema).
    @blp.doc(requestBody={"content": {"application/json": {"schema": {"allOf": [CHANGE], "minProperties": 1}}}})
    @blp.response(200, CategorySchema)
    def patch(self, body, category_id):
        """Change a category; requests filed before keep the deadline they were given."""
        return _save(own_category(_community_id(), category_id), body)

    @login_required(Role.ADMIN)
    @blp.response(204)
    def delete(self, category_id):
        """Retire a category: no new requests in it; its requests and their figures stay."""
        _save(own_category(_community_id(), category_id), {"active": False})
