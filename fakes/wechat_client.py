"""What the mini-program's client side does that the backend only receives: encryptedData, as WeChat builds it."""
import base64
import json
import time
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_user_data(session_key: str, iv: str, payload: dict[str, Any], appid: str) -> str:
    """encryptedData as WeChat builds it: payload plus an appid watermark, AES-128-CBC, PKCS#7, base64."""
    plain = json.dumps({**payload, "watermark": {"appid": appid, "timestamp": int(time.time())}},
                       ensure_ascii=False).encode("utf-8")
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(base64.b64decode(session_key)),
                       modes.CBC(base64.b64decode(iv))).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")
