"""Messages WeChat pushes to the mini-program's message push URL (消息推送), configured in safe mode (安全模式)
with the JSON format: each POST carries signature, timestamp, nonce and msg_signature in its query and
{"ToUserName", "Encrypt"} as its body, the message itself AES-encrypted with the EncodingAESKey."""
import json
from typing import Any

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatException
from wechatpy.utils import check_signature

from wechat.errors import TamperedData


def check_url(token: str, query: dict[str, str]) -> str:
    """The echostr to answer WeChat's check of the URL (a GET when the push URL is saved); TamperedData unless
    its signature is made with our token."""
    try:
        check_signature(token, query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", ""))
    except InvalidSignatureException:
        raise TamperedData("push URL check: signature mismatch") from None
    return query.get("echostr", "")


def read_message(token: str, aes_key: str, appid: str, query: dict[str, str], body: bytes) -> dict[str, Any]:
    """The pushed message, decrypted and parsed; TamperedData if its signature is not made with our token, it
    does not decrypt with our key, or it is for another app."""
    try:
        envelope = json.loads(body)
        if not isinstance(envelope, dict) or not isinstance(envelope.get("Encrypt"), str):
            raise ValueError("no Encrypt field")
        text = WeChatCrypto(token, aes_key, appid).decrypt_message(
            envelope, query.get("msg_signature", ""), query.get("timestamp", ""), query.get("nonce", ""))
        message = json.loads(text)
        if not isinstance(message, dict):
            raise ValueError("not a JSON object")
        return message
    except (ValueError, TypeError, KeyError, IndexError, WeChatException) as exc:
        error = TamperedData(f"pushed message rejected ({type(exc).__name__})")
    raise error  # unchained: the cause may quote key material
