"""Staff password login, logout and 'who am I'."""
from flask import request
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from app.auth.principal import current_principal, login_required
from app.auth.schemas import LoginSchema, MeSchema, TokenSchema
from app.auth.tokens import issue_token, revoke_token
from app.models import Community, Staff
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import staff_login_limits

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign in and out")


@blp.route("/login", methods=["POST"])
@staff_login_limits
@blp.doc(security=[])
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
def login(body):
    """Staff sign in with the username and password an admin gave them."""
    staff = db.session.scalar(select(Staff).where(Staff.username == body["username"]))
    if staff is None or not staff.active or not staff.check_password(body["password"]):
        abort(401, message="Wrong username or password.")
    token, expires = issue_token(staff_id=staff.id)
    db.session.commit()
    return {"token": token, "expires_at": expires, "role": staff.role.value}


@blp.route("/logout", methods=["POST"])
@login_required(allow_unlinked=True)
@blp.response(204)
def logout():
    """Revoke the token used for this call."""
    revoke_token(request.headers["Authorization"].partition(" ")[2].strip())
    db.session.commit()


@blp.route("/me")
class Me(MethodView):
    @login_required(allow_unlinked=True)
    @blp.response(200, MeSchema)
    def get(self):
        """The caller's role and place (a registrant's: the household they registered in, still unconfirmed)."""
        p = current_principal()
        resident = p.member
        community = db.session.get(Community, p.community_id) if p.community_id else None
        return {
            "role": p.role.value if p.role else None,
            "name": p.staff.name if p.staff else (resident.name if resident else None),
            "community_id": p.community_id,
            "community_code": community.code if community else None,
            "staff_id": p.staff_id,
            "household_id": p.household_id,
        }
