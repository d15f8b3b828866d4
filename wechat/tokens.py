"""The access token: fetched from WeChat's stable_token endpoint by one server at a time, and shared through the
storage until a margin before WeChat expires it.

Why not wechatpy's own fetch (1.8.18 has no stable_token method): it calls cgi-bin/token, and every call there
retires the previous token five minutes later, so servers fetching on their own (and any tool using the same app id)
rotate each other's token into 40001. stable_token gives every caller the same token until its last five minutes.
wechatpy also keeps the expiry on the client instance, so each process decides alone when to fetch; here the stored
token's own expiry decides, the same for every server, and a lease in the storage lets one of them fetch."""
import hashlib
import logging
import secrets
import time
from typing import Any

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat import budget
from wechat.errors import CredentialsRejected, Unavailable, WeChatError, from_token_fetch
from wechat.storage import TokenStorage

log = logging.getLogger(__name__)

# A stored token is dropped this long before WeChat expires it: in-flight calls still hold a valid token, and the
# next fetch falls within stable_token's last five minutes, when WeChat hands out the next token.
MARGIN = 60
POLL = 0.05            # seconds between looks while another server fetches
REFUSAL_KEPT = 86400   # how long /readyz reports a refusal of the credentials (a later good fetch clears it)


class StableTokenClient(WeChatClient):
    """A WeChatClient whose token comes from stable_token, fetched under the storage's lease."""

    session: TokenStorage

    @property
    def access_token(self) -> Any:
        token = self.session.get(self.access_token_key)
        return token or self.fetch_access_token()

    def fetch_access_token(self, rejected: str | None = None) -> Any:
        """A token other than `rejected`: the one another server stored meanwhile, else one fetched from WeChat
        while holding the lease. Raises Unavailable when another server's fetch outlasts the budget or lease."""
        lease_key, owner = f"{self.access_token_key}_lease", secrets.token_hex(8)
        # Connect and read each time out: a fetch ends before its lease does.
        lease = 2 * float(self.timeout) + 1
        left = budget.remaining()
        give_up = time.monotonic() + (lease if left is None else min(left, lease))
        while True:
            token = self.session.get(self.access_token_key)
            if token and token != rejected:
                return token
            if self.session.acquire(lease_key, owner, lease):
                break
            if time.monotonic() >= give_up:
                raise Unavailable("WeChat's access token is being fetched by another server; gave up waiting")
            time.sleep(POLL)
        try:
            token = self.session.get(self.access_token_key)   # stored between our last look and the lease
            return token if token and token != rejected else self._fetch()
        finally:
            self.session.release(lease_key, owner)

    def _fetch(self) -> Any:
        try:
            # params="": wechatpy adds an access token (fetching one) only to a dict
            answer = self.post("stable_token", params="", data={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
        except WeChatClientException as exc:
            if exc.errcode is None:
                raise   # an HTTP status: the caller maps it as for any call
            error = from_token_fetch(exc.errcode, exc.errmsg)
        else:
            if not isinstance(answer, dict) or not answer.get("access_token"):
                raise Unavailable("WeChat answered stable_token without an access token")
            expires_in = int(answer.get("expires_in") or 7200)
            self.session.set(self.access_token_key, answer["access_token"], max(expires_in - MARGIN, 1))
            self.session.delete(self._refusal_key)
            return answer["access_token"]
        self._refused(error)
        raise error   # outside the except block: no chained traceback with the request (its body holds the secret)

    def _refused(self, error: WeChatError) -> None:
        if isinstance(error, CredentialsRejected):
            log.error("%s. Nothing sent through WeChat will succeed until then; not retried.", error)
            self.session.set(self._refusal_key, f"{error} (at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())})",
                             REFUSAL_KEPT)

    @property
    def _refusal_key(self) -> str:
        # Per secret: a corrected secret starts with no refusal on record.
        return f"{self.appid}_refused_{hashlib.sha256(self.secret.encode()).hexdigest()[:16]}"

    def credentials_refusal(self) -> str | None:
        """What WeChat said when it last refused these credentials (and when), or None."""
        refusal = self.session.get(self._refusal_key)
        return str(refusal) if refusal else None
