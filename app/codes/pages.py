"""The URLs printed in QR codes (/s/<token>, /c/<token>): WeChat opens the mini-program on them;
any other scanner lands on this small page that says what to do."""
from flask import Blueprint, render_template

from app.codes.service import RevokedCode, UnknownCode, resolve
from app.extensions import db
from app.limits import rate_limited

bp = Blueprint("scan_pages", __name__)

OPEN_IN_WECHAT = "请使用微信“扫一扫”扫描此二维码，在小程序中继续。"


def _page(token: str, kind: str):
    try:
        code = resolve(token)
    except UnknownCode:
        return render_template("scan.html", title="二维码无效", code=None,
                               message="没有找到这个二维码，请核对后重试。"), 404
    except RevokedCode:
        return render_template("scan.html", title="二维码已更换", code=None,
                               message="这张二维码已作废，请扫描新张贴的家书或联系卡。"), 410
    db.session.commit()
    if kind == "house":
        title, shown = "家书 · 家庭成员登记", code.household.code if code.household else None
    else:
        title, shown = "警民联系卡", code.staff.name if code.staff else None
    return render_template("scan.html", title=title, code=shown, message=OPEN_IN_WECHAT)


@bp.get("/s/<token>")
@rate_limited("RATELIMIT_SCAN")
def house_page(token):
    return _page(token, "house")


@bp.get("/c/<token>")
@rate_limited("RATELIMIT_SCAN")
def card_page(token):
    return _page(token, "card")
