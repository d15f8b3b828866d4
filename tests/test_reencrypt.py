"""`flask reencrypt`: every sealed value moves to the current key, reads the same, and old keys can then go."""
import base64

from sqlalchemy import delete, select, update

from app.auth.wechat_login import session_key_of
from app.models import AuditEvent, Resident, WeChatIdentity
from app.privacy import sealed_fields
from app.privacy.reencrypt import SEALED_COLUMNS, Tally, reencrypt_all, reencrypt_column
from app.residents.id_numbers import reveal_id_number, store_id_number
from app.web.extensions import db
from tests import factories as f

OLD, NEW, GONE, INDEX = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2, 4, 3))


def use_keys(app, keys):
    app.config.update(ID_ENCRYPTION_KEYS=keys, ID_BLIND_INDEX_KEY=INDEX)
    sealed_fields.init_app(app)
    db.session.expire_all()


def people(world, count=5):
    """`count` members with ID numbers, one without, and WeChat users with and without a session key."""
    for n in range(count):
        member, identity = f.resident(world.house1b, name=f"成员{n}")
        store_id_number(member, f.id_number(n))
        identity.session_key_sealed = sealed_fields.id_cipher().encrypt(f"session-key-{n}")
    f.resident(world.house2b, name="无证件")
    db.session.commit()


def plaintexts() -> dict:
    """Every sealed value as it reads now, with the blind indexes (which must not change)."""
    db.session.expire_all()
    members = db.session.scalars(select(Resident).order_by(Resident.id)).all()
    identities = db.session.scalars(select(WeChatIdentity).order_by(WeChatIdentity.id)).all()
    return {**{("member", m.id): (reveal_id_number(m), m.id_number_index) for m in members},
            **{("wechat", i.id): session_key_of(i) for i in identities}}


def sealed_values() -> list[str]:
    db.session.expire_all()
    return [value for column in SEALED_COLUMNS
            for value in db.session.scalars(select(column).where(column.is_not(None)).order_by(column))]


def audit_events():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reencrypt")).all()


def test_rotation_moves_every_value_to_the_new_key_and_the_old_key_can_go(app, world, runner):
    use_keys(app, f"y2025:{OLD}")
    people(world)
    use_keys(app, f"y2026:{NEW},y2025:{OLD}")
    newcomer, _ = f.resident(world.house2b, name="换钥后登记")
    store_id_number(newcomer, f.id_number(99))
    db.session.commit()
    before = plaintexts()
    assert sum(v.startswith("y2025:") for v in sealed_values()) == 10

    untouched = sealed_values()
    dry = runner.invoke(args=["reencrypt", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "resident.id_number_cipher: 5 under y2025" in dry.output
    assert "wechat_identity.session_key_sealed: 5 under y2025" in dry.output
    assert sealed_values() == untouched and audit_events() == []

    result = runner.invoke(args=["reencrypt", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "resident.id_number_cipher: 4 so far" in result.output and "older keys may now leave" in result.output
    assert all(v.startswith("y2026:") for v in sealed_values())
    assert plaintexts() == before
    [event] = audit_events()
    assert event.object_id == "y2026" and event.actor_staff_id is None
    assert event.reason.startswith("resident.id_number_cipher: 5 re-encrypted (read 5 under y2025)")

    after = sealed_values()
    again = runner.invoke(args=["reencrypt"])
    assert again.exit_code == 0 and "Nothing to re-encrypt" in again.output
    assert sealed_values() == after and len(audit_events()) == 1

    use_keys(app, f"y2026:{NEW}")
    assert plaintexts() == before


def meddling(cipher, hooks: dict):
    """`cipher`, letting the app run a statement the moment the command has read a value (before it writes)."""
    class Meddling(sealed_fields.IdCipher):
        def decrypt(self, stored):
            if stored in hooks:
                with db.engine.begin() as conn:
                    conn.execute(hooks.pop(stored))
            return super().decrypt(stored)

    return Meddling(cipher.current, cipher.keys, cipher.index_key)


def test_a_value_changed_between_read_and_write_is_left_as_the_app_wrote_it(app, world):
    use_keys(app, f"y2025:{OLD}")
    people(world, count=3)
    first, second, third = db.session.execute(select(WeChatIdentity.id, WeChatIdentity.session_key_sealed).where(
        WeChatIdentity.session_key_sealed.is_not(None)).order_by(WeChatIdentity.id)).all()
    use_keys(app, f"y2026:{NEW},y2025:{OLD}")
    cipher = sealed_fields.id_cipher()
    # A new sign-in seals the first user's new session key; the second user is deleted.
    newer = cipher.encrypt("a-newer-session-key")
    racing = meddling(cipher, {
        first.session_key_sealed: update(WeChatIdentity).where(WeChatIdentity.id == first.id).values(
            session_key_sealed=newer),
        second.session_key_sealed: delete(WeChatIdentity).where(WeChatIdentity.id == second.id),
    })
    tally = Tally("wechat_identity.session_key_sealed")
    reencrypt_column(WeChatIdentity.__table__.c.session_key_sealed, racing, tally)

    assert (tally.reencrypted, tally.changed_meanwhile) == (1, 2)
    db.session.expire_all()
    assert db.session.get(WeChatIdentity, first.id).session_key_sealed == newer
    assert db.session.get(WeChatIdentity, second.id) is None
    assert session_key_of(db.session.get(WeChatIdentity, third.id)) == "session-key-2"


def test_values_under_a_key_no_longer_configured_are_kept_and_reported(app, world, runner):
    use_keys(app, f"x2024:{GONE}")
    people(world, count=1)
    lost = sealed_values()
    use_keys(app, f"y2026:{NEW}")
    newcomer, _ = f.resident(world.house2b, name="换钥后登记")
    store_id_number(newcomer, f.id_number(7))
    db.session.commit()

    result = runner.invoke(args=["reencrypt"])
    assert result.exit_code == 1
    assert "resident.id_number_cipher: 1 under x2024 (no such key configured)" in result.output
    assert "keep those keys" in result.output
    assert all(value in sealed_values() for value in lost) and audit_events() == []


def test_an_interrupted_run_is_audited_and_the_next_run_finishes_it(app, world):
    use_keys(app, f"y2025:{OLD}")
    people(world, count=3)
    use_keys(app, f"y2026:{NEW},y2025:{OLD}")

    def stop(tally):
        raise KeyboardInterrupt

    try:
        reencrypt_all(sealed_fields.id_cipher(), batch=2, progress=stop)
    except KeyboardInterrupt:
        pass
    [event] = audit_events()
    assert event.reason.startswith("resident.id_number_cipher: 2 re-encrypted")
    tallies = reencrypt_all(sealed_fields.id_cipher())
    assert [t.reencrypted for t in tallies] == [1, 3]
    assert all(v.startswith("y2026:") for v in sealed_values())


def test_every_sealed_column_is_listed():
    """A new column of id_cipher() output must be re-encrypted too: name it *_cipher or *_sealed and list it."""
    sealed = {c for table in db.metadata.sorted_tables for c in table.columns
              if c.name.endswith(("_cipher", "_sealed"))}
    assert sealed == set(SEALED_COLUMNS)
