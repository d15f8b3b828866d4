"""The public wish wall as a page (/wall/<community code>): what GET /api/communities/<code>/wish-wall answers, for
a phone's browser or the screen in the community hall, in the console's style. No sign-in, no script."""
from flask import Blueprint, Response, render_template, request
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from app.codes.pages import PAGES
from app.console import forms
from app.console.paging import PagedSchema, one_page
from app.console.words import local_time
from app.models import Wish
from app.privacy.masking import mask_name
from app.web.limits import rate_limited
from app.wishes import services
from app.wishes.photos import on_the_wall

bp = Blueprint("wish_pages", __name__, template_folder="templates")
PER_PAGE = 20
CATEGORY = {"goods": "物品", "service": "服务", "companionship": "陪伴", "other": "其他"}
NO_COMMUNITY = ("没有这个社区", "请核对心愿墙的地址。")
BAD_PAGE = ("页码有误", "页码（page）须是 1 到 10000 之间的整数。")   # the page's only input
ELSE = ("暂时无法打开", "请稍后再试。")


@bp.after_request
def _page_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
    return response


@bp.errorhandler(HTTPException)
def refused_page(error: HTTPException):
    """A refusal as a page of the wall's own look (an unknown community, too many requests)."""
    title, message = {404: NO_COMMUNITY, 422: BAD_PAGE}.get(error.code or 500) or PAGES.get(error.code or 500, ELSE)
    return render_template("wishes/wall.html", community=None, refusal=(title, message)), error.code


@bp.get("/wall/<code>")
@rate_limited("RATELIMIT_SCAN")
def wall_page(code):
    """The newest wishes first, PER_PAGE a page (?page=2 …)."""
    community = services.community_of(code)
    page = forms.read(PagedSchema(), request.args)["page"]
    rows, more = one_page(services.wall(code).options(selectinload(Wish.grid), selectinload(Wish.photos))
                          .order_by(Wish.approved_at.desc(), Wish.id.desc()), page, PER_PAGE)
    return render_template("wishes/wall.html", community=community, wishes=rows, page=page,
                           more=more, photo_of=on_the_wall, CATEGORY=CATEGORY, mask_name=mask_name,
                           local_time=local_time)
