"""The URLs printed in QR codes (/s/<token>, /c/<token>, /a/<token>): WeChat opens the mini-program on them;
any other scanner lands on this small page that says what to do. Beside them, WeChat's check files."""
from flask import Blueprint, Response, current_app, render_template
from werkzeug.exceptions import HTTPException

from app.codes.services import UnknownCode, resolve
from app.police.services import officer_for
from app.web.extensions import db
from app.web.limits import rate_limited

bp = Blueprint("scan_pages", __name__)

OPEN_IN_WECHAT = "请使用微信“扫一扫”扫描此二维码，在小程序中继续。"


def _house(token: str) -> tuple[str, str]:
    household = resolve(token).household
    if household is None:   # a contact card's code: not a family letter, as /api/scan says
        raise UnknownCode(token)
    return "家书 · 家庭成员登记", household.code


def _card(token: str) -> tuple[str, str]:
    # An active police officer's card only, as /api/cards says: no name of anyone else or of a former officer.
    return "警民联系卡", officer_for(token).name


def _activity(token: str) -> tuple[str, str]:
    activity = resolve(token).activity
    if activity is None:
        raise UnknownCode(token)
    return "活动签到", activity.title


# What a person who scanned sees of a refusal, by its status (refusals reach here as HTTP errors through
# app/web/refusals.py): a NUL in the path (app/web/input_guard.py's 422) is just an unknown code to them.
UNKNOWN = ("二维码无效", "没有找到这个二维码，请核对后重试。")
PAGES = {404: UNKNOWN, 422: UNKNOWN, 410: ("二维码已更换", "这张二维码已作废，请扫描新张贴的家书、联系卡或活动海报。"),
         429: ("扫码太频繁", "请稍等片刻再扫描。")}


@bp.errorhandler(HTTPException)
def refused_page(error: HTTPException):
    """Every refusal on these pages as a page, not the API's JSON (a 429's Retry-After is set as on any 429)."""
    title, message = PAGES.get(error.code or 500, ("暂时无法打开", "请稍后再试。"))
    status = 404 if error.code == 422 else error.code
    return render_template("scan.html", title=title, code=None, message=message), status


def _page(token: str, target):
    title, shown = target(token)
    db.session.commit()
    return render_template("scan.html", title=title, code=shown, message=OPEN_IN_WECHAT)


@bp.get("/s/<token>")
@rate_limited("RATELIMIT_SCAN")
def house_page(token):
    return _page(token, _house)


@bp.get("/c/<token>")
@rate_limited("RATELIMIT_SCAN")
def card_page(token):
    return _page(token, _card)


@bp.get("/a/<token>")
@rate_limited("RATELIMIT_SCAN")
def activity_page(token):
    return _page(token, _activity)


# WeChat fetches a QR rule's check file from the rule's last sub-directory (/s/, /c/, /a/), or from the root for
# a rule without one. A token is 22 base-62 characters, never "<name>.txt", and werkzeug prefers these rules'
# static ".txt" to the token rules' bare variable, so neither shadows the other.
@bp.get("/<name>.txt")
@bp.get("/s/<name>.txt")
@bp.get("/c/<name>.txt")
@bp.get("/a/<name>.txt")
def check_file(name):
    """The configured file's exact content (WECHAT_CHECK_FILES); any other name is unknown, as an unknown code is."""
    content = current_app.config["WECHAT_CHECK_FILES"].get(f"{name}.txt")
    if content is None:
        raise UnknownCode(name)
    return Response(content.encode("utf-8"), mimetype="text/plain")
