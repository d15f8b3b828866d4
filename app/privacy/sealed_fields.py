"""ID numbers at rest: AES-GCM under rotating keys, plus a keyed blind index for look-ups."""
import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app

DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_NONCE_BYTES = 12


class CipherError(ValueError):
    """Stored ciphertext that cannot be opened: an unknown key id, or data that was altered."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret.encode())


def _key_bytes(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what}: not valid base64.") from None
    if len(key) != 32:
        raise ValueError(f"{what}: a key is 32 bytes (base64 of 32 random bytes), got {len(key)}.")
    return key


def parse_keys(setting: str) -> tuple[str, dict[str, bytes]]:
    """'kid1:base64,kid2:base64' → (current key id, {key id: key}); the first key is the current one."""
    keys = {}
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        kid, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.fullmatch(kid):
            raise ValueError("ID_ENCRYPTION_KEYS: write each key as <id>:<base64>, ids of 1-16 letters/digits.")
        if kid in keys:
            raise ValueError(f"ID_ENCRYPTION_KEYS: key id '{kid}' appears twice.")
        keys[kid] = _key_bytes(encoded, f"ID_ENCRYPTION_KEYS ({kid})")
    if not keys:
        raise ValueError("ID_ENCRYPTION_KEYS: no key given.")
    return next(iter(keys)), keys


@dataclass(frozen=True)
class IdCipher:
    current: str
    keys: dict
    index_key: bytes
    derived: bool = False   # True when the keys come from SECRET_KEY (development and tests only)

    @classmethod
    def from_config(cls, config) -> "IdCipher":
        secret = config["SECRET_KEY"]
        index_setting = config.get("ID_BLIND_INDEX_KEY")
        index_key = (_key_bytes(index_setting, "ID_BLIND_INDEX_KEY") if index_setting
                     else _derive(secret, b"jiashu id-number blind index v1"))
        if config.get("ID_ENCRYPTION_KEYS"):
            current, keys = parse_keys(config["ID_ENCRYPTION_KEYS"])
            return cls(current, keys, index_key, derived=not index_setting)
        return cls(DEV_KEY_ID, {DEV_KEY_ID: _derive(secret, b"jiashu id-number encryption v1")}, index_key,
                   derived=True)

    def encrypt(self, plaintext: str) -> str:
        """'<key id>:<base64 of nonce + ciphertext + tag>'; the key id is also bound in as associated data."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext.encode(), self.current.encode())
        return f"{self.current}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        kid, _, body = stored.partition(":")
        if kid not in self.keys:
            raise CipherError(f"No key '{kid}' in ID_ENCRYPTION_KEYS; keep old keys listed after the new one.")
        raw = base64.b64decode(body)
        try:
            return AESGCM(self.keys[kid]).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], kid.encode()).decode()
        except InvalidTag:
            raise CipherError("A stored ID number failed its integrity check.") from None

    def blind_index(self, plaintext: str) -> str:
        """The same number always gives the same index; without the key it reveals nothing."""
        return hmac.new(self.index_key, plaintext.encode(), hashlib.sha256).hexdigest()


def init_app(app: Flask) -> None:
    cipher = IdCipher.from_config(app.config)
    if cipher.derived and not app.testing:
        app.logger.warning("ID numbers are protected with keys derived from SECRET_KEY: fine for development, "
                           "but set ID_ENCRYPTION_KEYS and ID_BLIND_INDEX_KEY for real data.")
    app.extensions["id_cipher"] = cipher


def id_cipher() -> IdCipher:
    return current_app.extensions["id_cipher"]
