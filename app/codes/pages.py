"""The URLs printed in QR codes (/s/<token>, /c/<token>, /a/<token>): WeChat opens the mini-program on them; a
phone's own camera or browser lands on these pages, which show what the letter or card prints (never anyone who
lives in the house), with tap-to-call numbers, an "open in WeChat" button and, on a card, the officer as a contact
to save; an activity's poster says to check in from WeChat. Beside them, WeChat's check files."""
from flask import Blueprint, Response, current_app, render_template
from werkzeug.exceptions import HTTPException

from app.activities.services import when
from app.codes.services import UnknownCode, resolve
from app.codes.urllinks import open_in_wechat
from app.letters.content import NOBODY, card_lines
from app.letters.routes import contact_file
from app.police.services import officer_for
from app.residents.letter_facts import scanned_letter
from app.web.extensions import db
from app.web.limits import rate_limited
from app.web.revalidate import revalidated
from qr.tokens import PRINTED_SEGMENTS

bp = Blueprint("scan_pages", __name__, static_folder="static", static_url_path="/scan/static")

# Nothing but the app's own stylesheet: no script, no inline style, no form, no frame.
POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'")


# What a person who scanned sees of a refusal, by its status (refusals reach here as HTTP errors through
# app/web/refusals.py): a NUL in the path (app/web/input_guard.py's 422) is just an unknown code to them.
UNKNOWN = ("二维码无效", "没有找到这个二维码，请核对后重试。")
PAGES = {404: UNKNOWN, 422: UNKNOWN, 410: ("二维码已更换", "这张二维码已作废，请扫描新张贴的家书、联系卡或活动海报。"),
         429: ("扫码太频繁", "请稍等片刻再扫描。")}


@bp.after_request
def _page_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    return response


@bp.errorhandler(HTTPException)
def refused_page(error: HTTPException):
    """Every refusal on these pages as a page, not the API's JSON (a 429's Retry-After is set as on any 429)."""
    title, message = PAGES.get(error.code or 500, ("暂时无法打开", "请稍后再试。"))
    status = 404 if error.code == 422 else error.code
    return render_template("scan/refused.html", title=title, message=message), status


@bp.get("/s/<token>")
@rate_limited("RATELIMIT_SCAN")
@revalidated
def house_page(token):
    facts = scanned_letter(token)
    if facts is None:   # a contact card's code: not a family letter, as /api/scan says
        raise UnknownCode(token)
    db.session.commit()   # the scan count; before the link, which may write through a connection of its own
    return render_template("scan/house.html", house=facts, nobody=NOBODY, wechat_link=open_in_wechat(token))


@bp.get("/c/<token>")
@rate_limited("RATELIMIT_SCAN")
@revalidated
def card_page(token):
    # An active police officer's card only, as /api/cards says: no name of anyone else or of a former officer.
    card = card_lines(officer_for(token))
    db.session.commit()
    return render_template("scan/card.html", card=card, token=token, wechat_link=open_in_wechat(token))


@bp.get("/c/<token>/contact.vcf")
@rate_limited("RATELIMIT_SCAN")
@revalidated
def card_contact(token):
    """The officer as a contact to save: the vCard the card's ?vcard=1 print carries in its QR code."""
    return contact_file(officer_for(token, count_scan=False))


@bp.get("/a/<token>")
@rate_limited("RATELIMIT_SCAN")
@revalidated
def activity_page(token):
    """What the poster prints; checking in is the mini-program's (it knows who is there)."""
    activity = resolve(token).activity
    if activity is None:
        raise UnknownCode(token)
    shown = {"community": activity.community.name, "title": activity.title, "when": when(activity),
             "place": activity.place, "points": activity.points}
    db.session.commit()
    return render_template("scan/activity.html", activity=shown, wechat_link=open_in_wechat(token))


def check_file(name):
    """The configured file's exact content (WECHAT_CHECK_FILES); any other name is unknown, as an unknown code is."""
    content = current_app.config["WECHAT_CHECK_FILES"].get(f"{name}.txt")
    if content is None:
        raise UnknownCode(name)
    return Response(content.encode("utf-8"), mimetype="text/plain")


# WeChat fetches a QR rule's check file from the rule's last sub-directory (one per segment the app prints), or from
# the root for a rule without one. A token is 22 base-62 characters, never "<name>.txt", and werkzeug prefers these
# rules' static ".txt" to the token rules' bare variable, so neither shadows the other.
for _path in ("", *(f"/{segment}" for segment in PRINTED_SEGMENTS.values())):
    bp.add_url_rule(f"{_path}/<name>.txt", view_func=check_file)
