"""Errors raised by the wechat package, classified so callers know whether to retry."""

# errcode sets per class; anything unlisted is a final, generic WeChatError.
QUOTA_CODES = frozenset({45009, 45011})  # daily quota used up / per-minute rate limit
NO_SUBSCRIPTION_CODES = frozenset({43101})  # user has no subscription left for the template
INVALID_CODE_CODES = frozenset({40029, 40163, 40226})  # unknown code, code reused, risky user blocked
BUSY_CODES = frozenset({-1})  # "system busy"
TOKEN_CODES = frozenset({40001, 40014, 42001})  # access token rejected (already retried once)


class WeChatError(Exception):
    """A failed WeChat call; `errcode` is WeChat's code (None for transport failures)."""

    retryable = False

    def __init__(self, message: str, errcode: int | None = None, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.errcode = errcode
        if retryable is not None:
            self.retryable = retryable


class QuotaExceeded(WeChatError):
    """Rate limit or daily quota hit: retry later."""

    retryable = True


class NoSubscription(WeChatError):
    """The user has no subscription left for this template: do not retry."""


class InvalidCode(WeChatError):
    """The code from the mini-program is unknown, used or refused: the user must start over."""


class Unavailable(WeChatError):
    """WeChat could not be reached or was busy: retry later."""

    retryable = True


class TamperedData(WeChatError):
    """Data from the mini-program failed its signature, decryption or watermark check."""


class CredentialsRejected(WeChatError):
    """WeChat refused to issue an access token for the configured app id and secret (or this server's address):
    no retry helps until the settings are fixed."""


def from_errcode(errcode: int, errmsg: str | None) -> WeChatError:
    """The exception for a non-zero errcode answered by WeChat."""
    message = f"WeChat API error {errcode}: {errmsg}"
    classes: tuple[tuple[frozenset[int], type[WeChatError]], ...] = (
        (QUOTA_CODES, QuotaExceeded),
        (NO_SUBSCRIPTION_CODES, NoSubscription),
        (INVALID_CODE_CODES, InvalidCode),
        (BUSY_CODES, Unavailable),
    )
    for codes, cls in classes:
        if errcode in codes:
            return cls(message, errcode)
    # A token still refused right after a refresh is most likely a concurrent refresh elsewhere.
    return WeChatError(message, errcode, retryable=errcode in TOKEN_CODES)


def from_token_fetch(errcode: int, errmsg: str | None) -> WeChatError:
    """The exception for an error WeChat answered to a token fetch. Busy and quota are passing; anything else
    (40001 and 40125 for a wrong secret, 40013 a wrong app id, 40164 an address not on the allow-list ...) is the
    app's own settings, and final."""
    if errcode in BUSY_CODES or errcode in QUOTA_CODES:
        return from_errcode(errcode, errmsg)
    return CredentialsRejected(
        f"WeChat refused the app's credentials (errcode {errcode}: {errmsg}): check WECHAT_APPID, WECHAT_SECRET "
        "and the server's address on the mini-program's IP allow-list", errcode)


def from_http_status(status: int | None) -> WeChatError:
    """The exception for a non-2xx HTTP answer (status None when unknown)."""
    message = f"WeChat API answered HTTP {status}"
    if status == 429:
        return QuotaExceeded(message)
    if status is None or status >= 500:
        return Unavailable(message)
    return WeChatError(message)
