"""The URLs printed in QR codes (/s/<token>, /c/<token>): WeChat opens the mini-program on them;
any other scanner lands on this small page that says what to do. Beside them, WeChat's check files."""
from flask import Blueprint, Response, abort, current_app, render_template
from werkzeug.exceptions import TooManyRequests, UnprocessableEntity

from app.codes.services import RevokedCode, UnknownCode, resolve
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


def _unknown():
    page = render_template("scan.html", title="二维码无效", code=None, message="没有找到这个二维码，请核对后重试。")
    return page, 404


def _page(token: str, target):
    try:
        title, shown = target(token)
    except UnknownCode:
        return _unknown()
    except RevokedCode:
        return render_template("scan.html", title="二维码已更换", code=None,
                               message="这张二维码已作废，请扫描新张贴的家书或联系卡。"), 410
    db.session.commit()
    return render_template("scan.html", title=title, code=shown, message=OPEN_IN_WECHAT)


@bp.errorhandler(UnprocessableEntity)
def refused_token(_exc):
    """app/web/input_guard.py refuses a NUL in the path with 422: for a person, that is just an unknown code."""
    return _unknown()


@bp.errorhandler(TooManyRequests)
def too_many_scans(_exc):
    """A phone over the scan limit gets a page as well, not the API's JSON (Retry-After is set as on any 429)."""
    return render_template("scan.html", title="扫码太频繁", code=None, message="请稍等片刻再扫描。"), 429


@bp.get("/s/<token>")
@rate_limited("RATELIMIT_SCAN")
def house_page(token):
    return _page(token, _house)


@bp.get("/c/<token>")
@rate_limited("RATELIMIT_SCAN")
def card_page(token):
    return _page(token, _card)


# WeChat fetches a QR rule's check file from the rule's last sub-directory (/s/, /c/), or from the root for a
# rule without one. A token is 22 base-62 characters, never "<name>.txt", and werkzeug prefers these rules'
# static ".txt" to the token rules' bare variable, so neither shadows the other.
def _check_file(name: str, unknown):
    """The configured file's exact content (WECHAT_CHECK_FILES), or what unknown() answers."""
    content = current_app.config["WECHAT_CHECK_FILES"].get(f"{name}.txt")
    if content is None:
        return unknown()
    return Response(content.encode("utf-8"), mimetype="text/plain")


@bp.get("/<name>.txt")
def root_check_file(name):
    return _check_file(name, lambda: abort(404))


@bp.get("/s/<name>.txt")
@bp.get("/c/<name>.txt")
def check_file(name):
    """Any other name is unknown here, as an unknown code is."""
    return _check_file(name, _unknown)
