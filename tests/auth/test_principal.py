"""Whom a bearer token stands for (principal_for_token): one narrow statement, the ORM objects made when touched."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.auth.principal import principal_for_token
from app.auth.tokens import issue_token
from app.models import ApiToken, Role
from app.web.extensions import db
from tests import factories as f


@pytest.fixture
def statements(app):
    """The SQL statements sent while the test runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield sent
    event.remove(db.engine, "before_cursor_execute", record)


def token_for(**owner) -> str:
    token, _ = issue_token(**owner)
    db.session.commit()
    db.session.expunge_all()   # as a request starts: nothing in the session
    return token


def test_a_staff_token_knows_its_ids_and_makes_the_staff_account_without_a_statement(world, statements):
    head_id, community_id, username = world.head1.id, world.a.id, world.head1.username
    token = token_for(staff_id=world.head1.id)
    statements.clear()
    p = principal_for_token(token)
    assert p is not None and p.role is Role.GRID_HEAD and len(statements) == 1
    assert (p.staff_id, p.community_id, p.wechat_id, p.household_id) == (head_id, community_id, None, None)
    assert p.wechat is None and p.member is None
    staff = p.staff
    assert staff.name == "王网格" and staff.username == username and len(statements) == 1
    assert staff in db.session and db.session.get(type(staff), head_id) is staff and len(statements) == 1
    assert not (db.session.new or db.session.dirty)


def test_the_session_s_own_object_is_the_principal_s(world):
    token, _ = issue_token(staff_id=world.admin_a.id)
    db.session.commit()
    assert principal_for_token(token).staff is db.session.get(type(world.admin_a), world.admin_a.id)


def test_a_resident_token_knows_the_house_and_loads_the_member_record_when_touched(world, statements):
    house_id, community_id, member_id = world.house1.id, world.a.id, world.resident1.id
    token = token_for(wechat_id=world.wechat1.id)
    statements.clear()
    p = principal_for_token(token)
    assert p.role is Role.RESIDENT and p.staff is None and p.staff_id is None
    assert (p.household_id, p.community_id) == (house_id, community_id) and len(statements) == 1
    assert p.wechat.resident_id == member_id and len(statements) == 1
    assert p.resident.id == member_id and p.member is p.resident


def test_a_registrant_an_unlinked_user_and_a_bound_staff_account(world):
    _, registrant = f.resident(world.house2b, confirmed=False)
    stranger, bound = f.wechat_user(), f.wechat_user()
    bound.staff = world.police1
    db.session.commit()
    police_id, bound_id = world.police1.id, bound.id
    tokens = [token_for(wechat_id=wechat_id) for wechat_id in (registrant.id, stranger.id, bound_id)]
    waiting, unlinked, police = (principal_for_token(token) for token in tokens)
    assert waiting.role is Role.REGISTRANT
    assert unlinked.role is None and unlinked.member is None and unlinked.community_id is None
    assert police.role is Role.POLICE and (police.staff_id, police.wechat_id) == (police_id, bound_id)


def test_expired_tokens_and_deactivated_accounts_stand_for_nobody(world):
    head_id = world.head2.id
    token = token_for(staff_id=world.head2.id)
    row = db.session.scalar(select(ApiToken).where(ApiToken.staff_id == head_id))
    row.expires_at -= timedelta(days=30)
    db.session.commit()
    assert principal_for_token(token) is None
    admin = db.session.merge(world.admin_b)
    admin.active = False
    db.session.commit()
    assert principal_for_token(token_for(staff_id=admin.id)) is None
    assert principal_for_token("no-such-token") is None
