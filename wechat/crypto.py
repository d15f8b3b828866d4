"""Checks and decrypts the signed/encrypted user data a mini-program sends to the backend."""
import base64
import hashlib
import hmac
import json
import time

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.crypto import WeChatWxaCrypto
from wechatpy.exceptions import WeChatException

from wechat.errors import TamperedData


def check_signature(session_key, raw_data, signature):
    """Raise TamperedData unless signature == sha1(raw_data + session_key), compared in constant time."""
    if not (isinstance(raw_data, str) and isinstance(signature, str)):
        raise TamperedData("user data or signature missing")
    # Same digest as wechatpy's check_wxa_signature, which compares with != (not constant time).
    expected = hashlib.sha1((raw_data + session_key).encode("utf-8")).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8")):
        raise TamperedData("user data signature mismatch")


def decrypt_user_data(session_key, encrypted_data, iv, appid):
    """The JSON payload of encryptedData; TamperedData if it does not decrypt or is for another app."""
    try:
        return WeChatWxaCrypto(session_key, iv, appid).decrypt_message(encrypted_data)
    except (ValueError, TypeError, KeyError, IndexError, WeChatException) as exc:
        error = TamperedData(f"user data rejected ({type(exc).__name__})")
    raise error  # unchained: the cause may quote key material


def encrypt_user_data(session_key, iv, payload, appid):
    """encryptedData as WeChat builds it: payload plus an appid watermark, AES-128-CBC, PKCS#7, base64."""
    plain = json.dumps({**payload, "watermark": {"appid": appid, "timestamp": int(time.time())}},
                       ensure_ascii=False).encode("utf-8")
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(base64.b64decode(session_key)),
                       modes.CBC(base64.b64decode(iv))).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")
