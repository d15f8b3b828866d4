"""The scan pages' "open in WeChat" button: a URL Link to the mini-program's scan page carrying the code's token,
made by WeChat once per code and kept in the WeChat client's shared storage (Redis, else the database), so that
every app server finds it and a scan seldom waits for WeChat: never longer than WECHAT_URLLINK_TIMEOUT in all (a
token fetch included), and not at all for a minute after WeChat did not answer any server's scan."""
import logging

from flask import current_app
from redis import RedisError

from app.notifications.wechat_gateway import wechat_client, wechat_configured
from wechat.client import url_link
from wechat.errors import WeChatError

log = logging.getLogger(__name__)

LINK_DAYS = 30   # the longest WeChat allows
# Kept a day less than the link lives, so that no page (nor a phone's copy of it) carries a link gone stale.
KEEP_SECONDS = (LINK_DAYS - 1) * 86400
# After a failure, scans of that code go without a button this long rather than each waiting on WeChat again.
RETRY_SECONDS = 60
# After WeChat did not answer (down, slow, busy), scans of every code go without a button this long.
DOWN_SECONDS = 60


def open_in_wechat(token: str) -> str | None:
    """The URL Link opening the mini-program's scan page as a mini-program code of `token` does (the token in
    `scene`), or None when WeChat is not configured or failed lately (logged). Call it with the request's
    transaction committed: without Redis the storage writes through a connection of its own."""
    if not wechat_configured():
        return None
    client = wechat_client()
    key, down = f"{client.appid}_urllink_{token}", f"{client.appid}_urllink_down"
    try:
        kept = client.session.get(key)
        if kept is not None:
            return kept or None   # "": WeChat failed lately
        if client.session.get(down):
            return None
        config = current_app.config
        link = url_link(client, config["WECHAT_SCAN_PAGE"], f"scene={token}", LINK_DAYS,
                        timeout=config["WECHAT_URLLINK_TIMEOUT"])
    except (WeChatError, RedisError) as exc:
        log.warning("No open-in-WeChat link on a scan page: %s", exc)
        _keep(client, key, "", RETRY_SECONDS)
        if isinstance(exc, WeChatError) and exc.retryable:
            _keep(client, down, "1", DOWN_SECONDS)
        return None
    _keep(client, key, link, KEEP_SECONDS)
    return link


def _keep(client, key: str, value: str, seconds: int) -> None:
    try:
        client.session.set(key, value, seconds)
    except RedisError as exc:
        log.warning("Could not keep a scan page's WeChat link: %s", exc)
