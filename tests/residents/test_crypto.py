"""ID number keys: AES-GCM with key ids so keys rotate, a stable blind index, and production insists on real keys."""
import base64

import pytest
from sqlalchemy import select

from app import create_app
from app.models import Resident
from app.privacy.sealed_fields import CipherError, IdCipher
from app.web.extensions import db
from config import TestConfig
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register

OLD, NEW, INDEX = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2, 3))


def keyed_app(database_url, keys):
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, ID_ENCRYPTION_KEYS=keys,
                      ID_BLIND_INDEX_KEY=INDEX)


def stored_cipher(name):
    db.session.expire_all()
    return db.session.scalar(select(Resident.id_number_cipher).where(Resident.name == name))


def test_numbers_under_an_old_key_still_open_after_a_new_key_is_put_first(app, world, database_url):
    zhao = person("赵六", 1, is_self=True)
    old_app, new_app = keyed_app(database_url, f"y2025:{OLD}"), keyed_app(database_url, f"y2026:{NEW},y2025:{OLD}")
    _, headers = newcomer()
    token = letter_token(world.house1b)
    response = register(old_app.test_client(), token, headers, [zhao], claim_head=True)
    assert stored_cipher("赵六").startswith("y2025:")

    client = new_app.test_client()
    revealed = client.post(f"/api/members/{response.json['members'][0]['id']}/reveal",
                           json={"reason": "换密钥后核对"}, headers=f.auth(world.head1))
    assert revealed.json["id_number"] == zhao["id_number"]
    assert register(client, token, headers, [person("钱七", 2)]).status_code == 201
    assert stored_cipher("钱七").startswith("y2026:")
    # The blind index does not depend on the encryption key: the same person is still found (by staff).
    again = register(client, token, headers, [dict(zhao, is_self=False)])
    assert again.status_code == 201
    members = client.get(f"/api/households/{world.house1b.id}/members", headers=f.auth(world.head1)).json
    assert {m["id"]: m["already_registered"] for m in members}[again.json["members"][0]["id"]] == "here"
    for each in (old_app, new_app):
        with each.app_context():
            db.engine.dispose()


def test_a_removed_key_or_altered_ciphertext_is_refused_not_misread():
    config = {"SECRET_KEY": "s", "ID_ENCRYPTION_KEYS": f"y2025:{OLD}", "ID_BLIND_INDEX_KEY": INDEX}
    sealed = IdCipher.from_config(config).encrypt("11010519491231002X")
    with pytest.raises(CipherError, match="y2025"):
        IdCipher.from_config(config | {"ID_ENCRYPTION_KEYS": f"y2026:{NEW}"}).decrypt(sealed)
    raw = bytearray(base64.b64decode(sealed.split(":")[1]))
    raw[-1] ^= 1
    with pytest.raises(CipherError, match="integrity"):
        IdCipher.from_config(config).decrypt("y2025:" + base64.b64encode(bytes(raw)).decode())
    # Relabelling a ciphertext with another key id fails too: the id is bound into the tag.
    relabelled = IdCipher.from_config(config | {"ID_ENCRYPTION_KEYS": f"y2025:{OLD},other:{OLD}"})
    with pytest.raises(CipherError):
        relabelled.decrypt("other:" + sealed.split(":")[1])


def test_each_encryption_uses_a_fresh_nonce_but_the_index_is_stable():
    cipher = IdCipher.from_config({"SECRET_KEY": "s"})
    first, second = cipher.encrypt("11010519491231002X"), cipher.encrypt("11010519491231002X")
    assert first != second and cipher.decrypt(first) == cipher.decrypt(second) == "11010519491231002X"
    assert len(base64.b64decode(first.split(":")[1])) == 12 + 18 + 16
    assert cipher.blind_index("11010519491231002X") == cipher.blind_index("11010519491231002X")
    assert cipher.derived and first.startswith("dev:")


def test_production_refuses_to_start_without_id_keys(database_url):
    production = {"ENV_NAME": "production", "SECRET_KEY": "a-real-secret", "SQLALCHEMY_DATABASE_URI": database_url}
    with pytest.raises(RuntimeError, match="ID_ENCRYPTION_KEYS"):
        create_app(TestConfig, **production)
    with pytest.raises(RuntimeError, match="ID_BLIND_INDEX_KEY"):
        create_app(TestConfig, **production, ID_ENCRYPTION_KEYS=f"y2025:{OLD}")
    create_app(TestConfig, **production, ID_ENCRYPTION_KEYS=f"y2025:{OLD}", ID_BLIND_INDEX_KEY=INDEX)


@pytest.mark.parametrize("keys, complaint", [
    ("y2025", "<id>:<base64>"),
    (f"y2025:{base64.b64encode(b'short').decode()}", "32 bytes"),
    (f"y2025:{OLD},y2025:{NEW}", "appears twice"),
    ("y2025:not base64!", "base64"),
])
def test_malformed_keys_stop_the_app_at_start(database_url, keys, complaint):
    with pytest.raises(ValueError, match=complaint):
        keyed_app(database_url, keys)
