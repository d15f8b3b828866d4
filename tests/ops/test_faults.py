"""Faults a city deployment meets: WeChat down, database connections cut under the app."""
from datetime import UTC

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from app.models import Delivery, Notification, Resident, ServiceRequest, WeChatIdentity
from app.notifications.delivery import deliver_due
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import file
from tests.residents.helpers import letter_token, migrant, newcomer, person, register


def test_wechat_down_registrations_and_requests_still_succeed(client, world, fake_wechat):
    db.session.add(WeChatIdentity(openid="o-head1", staff_id=world.head1.id))   # the grid head's phone
    db.session.commit()
    fake_wechat.down()
    _, headers = newcomer()
    answer = register(client, letter_token(world.house1b), headers,
                      [person("赵六", 1, is_self=True), migrant("钱七", 2)], claim_head=True)
    assert answer.status_code == 201
    assert file(client, world.wechat1)["status"] == "open"       # file() asserts the 201
    deliver_due()
    assert Delivery.PENDING in set(db.session.scalars(select(Notification.state)))
    fake_wechat.up()
    from datetime import datetime, timedelta
    deliver_due(now=datetime.now(UTC) + timedelta(hours=2))
    states = set(db.session.scalars(select(Notification.state)))
    assert Delivery.PENDING not in states and Delivery.SENT in states


def test_database_connections_cut_the_app_reconnects_by_itself(client, world, database_url):
    headers = f.auth(world.head1)
    assert client.get("/api/households", headers=headers).status_code == 200
    db.session.remove()   # the request's end in production (here the test's app context outlives it)
    if db.engine.dialect.name == "postgresql":
        # What a PostgreSQL restart does to the pool: every open connection is dead.
        outsider = create_engine(database_url, poolclass=NullPool)
        with outsider.connect() as conn:
            killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            assert killed.scalar() >= 1                    # the app's pooled connection among them
            conn.commit()
    else:
        db.engine.dispose()
    for _ in range(3):
        assert client.get("/api/households", headers=headers).status_code == 200
        db.session.remove()
    file(client, world.wechat1)                                   # asserts the 201
    assert db.session.scalar(select(func.count(ServiceRequest.id))) == 1
    assert db.session.scalar(select(func.count(Resident.id))) == 2   # nothing half written or lost
