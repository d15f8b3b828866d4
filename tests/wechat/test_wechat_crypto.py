"""Signature and encryptedData checks on what the mini-program sends."""
import base64
import hashlib
import traceback

import pytest

from fakes.wechat_client import encrypt_user_data
from wechat.crypto import check_signature, decrypt_user_data
from wechat.errors import TamperedData

APPID = "wx0000000000fake00"
SESSION_KEY = base64.b64encode(bytes(range(16))).decode()
IV = base64.b64encode(bytes(range(16, 32))).decode()
PAYLOAD = {"phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": "86"}


def _flip(encrypted, index):
    raw = bytearray(base64.b64decode(encrypted))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def _rejected(call):
    with pytest.raises(TamperedData) as raised:
        call()
    text = "".join(traceback.format_exception(raised.value))
    assert SESSION_KEY not in text and base64.b64decode(SESSION_KEY).hex() not in text
    return raised.value


def test_valid_payload_decrypts():
    encrypted = encrypt_user_data(SESSION_KEY, IV, PAYLOAD, APPID)

    data = decrypt_user_data(SESSION_KEY, encrypted, IV, APPID)

    assert {key: data[key] for key in PAYLOAD} == PAYLOAD
    assert data["watermark"]["appid"] == APPID


@pytest.mark.parametrize("index", [0, 20, -1])
def test_flipped_byte_is_rejected(index):
    encrypted = _flip(encrypt_user_data(SESSION_KEY, IV, PAYLOAD, APPID), index)
    _rejected(lambda: decrypt_user_data(SESSION_KEY, encrypted, IV, APPID))


def test_wrong_iv_is_rejected():
    encrypted = encrypt_user_data(SESSION_KEY, IV, PAYLOAD, APPID)
    other_iv = base64.b64encode(bytes(range(100, 116))).decode()
    _rejected(lambda: decrypt_user_data(SESSION_KEY, encrypted, other_iv, APPID))


def test_wrong_session_key_is_rejected():
    encrypted = encrypt_user_data(SESSION_KEY, IV, PAYLOAD, APPID)
    other_key = base64.b64encode(bytes(16)).decode()
    _rejected(lambda: decrypt_user_data(other_key, encrypted, IV, APPID))


def test_other_apps_watermark_is_rejected():
    encrypted = encrypt_user_data(SESSION_KEY, IV, PAYLOAD, "wx1111111111other")
    _rejected(lambda: decrypt_user_data(SESSION_KEY, encrypted, IV, APPID))


@pytest.mark.parametrize("garbage", ["", "not base64 at all!", base64.b64encode(b"short").decode()])
def test_garbage_is_rejected(garbage):
    _rejected(lambda: decrypt_user_data(SESSION_KEY, garbage, IV, APPID))


def test_signature_accepts_matching_raw_data():
    raw_data = '{"nickName":"Band","avatarUrl":""}'
    signature = hashlib.sha1((raw_data + SESSION_KEY).encode()).hexdigest()

    check_signature(SESSION_KEY, raw_data, signature)  # no exception


@pytest.mark.parametrize("signature", ["0" * 40, "", None, "签名"])
def test_bad_signature_is_rejected(signature):
    _rejected(lambda: check_signature(SESSION_KEY, '{"nickName":"Band"}', signature))


def test_missing_raw_data_is_rejected():
    _rejected(lambda: check_signature(SESSION_KEY, None, "0" * 40))


def test_signature_of_altered_raw_data_is_rejected():
    signature = hashlib.sha1(('{"nickName":"Band"}' + SESSION_KEY).encode()).hexdigest()
    _rejected(lambda: check_signature(SESSION_KEY, '{"nickName":"Bond"}', signature))
