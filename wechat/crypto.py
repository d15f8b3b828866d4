"""Checks and decrypts the signed/encrypted user data a mini-program sends to the backend."""
import hashlib
import hmac
from typing import Any

from wechatpy.crypto import WeChatWxaCrypto
from wechatpy.exceptions import WeChatException

from wechat.errors import TamperedData


def check_signature(session_key: str, raw_data: object, signature: object) -> None:
    """Raise TamperedData unless signature == sha1(raw_data + session_key), compared in constant time."""
    if not (isinstance(raw_data, str) and isinstance(signature, str)):
        raise TamperedData("user data or signature missing")
    # Same digest as wechatpy's check_wxa_signature, which compares with != (not constant time).
    expected = hashlib.sha1((raw_data + session_key).encode("utf-8")).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8")):
        raise TamperedData("user data signature mismatch")


def decrypt_user_data(session_key: str, encrypted_data: str, iv: str, appid: str) -> dict[str, Any]:
    """The JSON payload of encryptedData; TamperedData if it does not decrypt or is for another app."""
    try:
        data: dict[str, Any] = WeChatWxaCrypto(session_key, iv, appid).decrypt_message(encrypted_data)
        return data
    except (ValueError, TypeError, KeyError, IndexError, WeChatException) as exc:
        error = TamperedData(f"user data rejected ({type(exc).__name__})")
    raise error  # unchained: the cause may quote key material
