"""The mini-program's message push endpoint (消息推送, safe mode, JSON): WeChat checks the URL with a GET and
pushes events with POSTs; each is signed with WECHAT_PUSH_TOKEN and encrypted with WECHAT_PUSH_AES_KEY. Also the
address WeChat fetches a photo to check from. Both are WeChat's, not the mini-program's: outside /api."""
import logging

from flask import Blueprint, Response, current_app, request

from app.storage.photos import stream
from app.web.refusals import Forbidden, NotFound
from app.wishes.media_checks import photo_to_fetch, take_verdict
from wechat.errors import TamperedData
from wechat.push import check_url, read_message

log = logging.getLogger(__name__)
bp = Blueprint("wechat_push", __name__, url_prefix="/wechat")
HANDLERS = {"wxa_media_check": take_verdict}   # event → what applies it; other events are acknowledged only


def _settings() -> tuple[str, str]:
    config = current_app.config
    if not (config["WECHAT_PUSH_TOKEN"] and config["WECHAT_PUSH_AES_KEY"]):
        raise NotFound("The message push endpoint is not configured.")
    return config["WECHAT_PUSH_TOKEN"], config["WECHAT_PUSH_AES_KEY"]


@bp.get("/push")
def push_url_check():
    """WeChat's check of the URL when it is saved: the echostr back, if signed with our token."""
    token, _ = _settings()
    try:
        return Response(check_url(token, request.args.to_dict()), mimetype="text/plain")
    except TamperedData:
        raise Forbidden("The signature does not match.") from None


@bp.post("/push")
def push():
    """One pushed event: verified, decrypted, applied once; "success" tells WeChat not to push it again."""
    token, aes_key = _settings()
    try:
        message = read_message(token, aes_key, current_app.config["WECHAT_APPID"], request.args.to_dict(),
                               request.get_data())
    except TamperedData as exc:
        log.warning("message push refused: %s", exc)
        raise Forbidden("The message's signature or encryption does not match.") from None
    handler = HANDLERS.get(message.get("Event"))
    if handler is not None:
        handler(message)
    return Response("success", mimetype="text/plain")


@bp.get("/media/<token>")
def media(token):
    """A photo waiting for WeChat's check, for WeChat to fetch (the signed token is the only key)."""
    photo = photo_to_fetch(token)
    return stream(photo, photo.id if photo else 0)
