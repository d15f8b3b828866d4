"""WeChat refusing the token fetch itself (a wrong AppSecret or app id, a server off the IP allow-list) is final: one
fetch, no retry, said plainly in the log and kept for /readyz; only busy and quota answers stay passing."""
import logging

import pytest

from wechat.client import send_subscribe
from wechat.errors import CredentialsRejected, QuotaExceeded, Unavailable


def _send(client):
    send_subscribe(client, "o-alice", "TPL", {"thing1": "hello"})


@pytest.mark.parametrize("errcode", [40001, 40125, 40013, 40164])
def test_a_refused_token_fetch_is_final_fetched_once_and_said_plainly(client, fake, errcode, caplog):
    fake.fail("stable_token", errcode=errcode, times=None)

    with pytest.raises(CredentialsRejected) as raised:
        _send(client)

    assert raised.value.errcode == errcode and not raised.value.retryable
    assert fake.calls["stable_token"] == 1 and fake.calls["subscribe"] == 0
    said = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(said) == 1 and "WECHAT_SECRET" in said[0].getMessage() and str(errcode) in said[0].getMessage()
    assert f"errcode {errcode}" in client.credentials_refusal()


def test_a_wrong_secret_is_refused_by_wechat_itself(fake, client):
    client.secret = "not-the-secret"
    with pytest.raises(CredentialsRejected) as raised:
        _send(client)
    assert raised.value.errcode == 40125 and fake.calls["stable_token"] == 1


def test_a_good_fetch_clears_the_refusal(client, fake):
    fake.fail("stable_token", errcode=40125)
    with pytest.raises(CredentialsRejected):
        _send(client)
    _send(client)
    assert client.credentials_refusal() is None and len(fake.sent) == 1


@pytest.mark.parametrize("errcode, error", [(-1, Unavailable), (45009, QuotaExceeded), (45011, QuotaExceeded)])
def test_a_busy_or_rationed_token_fetch_stays_passing(client, fake, errcode, error):
    fake.fail("stable_token", errcode=errcode)
    with pytest.raises(error) as raised:
        _send(client)
    assert raised.value.retryable and client.credentials_refusal() is None
