"""Idempotency-Key: a retried POST answers what the first did and creates nothing twice."""
import os
import threading
import uuid

import pytest
from flask_smorest import abort
from sqlalchemy import func, select

import app.admin.routes as admin_routes
from app.models import Staff
from app.ops.idempotency_store import DatabaseRecords
from app.web.extensions import db
from tests import factories as f

BODY = {"username": "newadmin", "password": "long-enough", "role": "admin", "name": "赵管理"}


@pytest.fixture(params=["configured", "database"] if os.environ.get("REDIS_URL") else ["configured"])
def store(request, app):
    """Each test runs on the store the environment configures (Redis or the database), and on the database."""
    if request.param == "database":
        app.extensions["jiashu.idempotency"] = DatabaseRecords(db.engine)
    return request.param


def create(client, admin, key, **changes):
    return client.post("/api/admin/staff", json={**BODY, **changes},
                       headers={**f.auth(admin), "Idempotency-Key": key})


def accounts(username=BODY["username"]):
    return db.session.scalar(select(func.count()).select_from(Staff).where(Staff.username == username))


def test_retry_replays_the_first_answer_and_creates_one_account(client, world, store):
    key = str(uuid.uuid4())
    first, again = create(client, world.admin_a, key), create(client, world.admin_a, key)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert accounts() == 1
    assert create(client, world.admin_a, str(uuid.uuid4())).status_code == 409  # a new key runs anew


def test_same_key_with_another_body_is_refused(client, world, store):
    key = str(uuid.uuid4())
    assert create(client, world.admin_a, key).status_code == 201
    response = create(client, world.admin_a, key, name="别人")
    assert response.status_code == 422 and "Idempotency-Key" in response.json["message"]
    assert "Idempotency-Key" in response.json["errors"]["headers"]


def test_key_belongs_to_its_caller(client, world, store):
    key = str(uuid.uuid4())
    assert create(client, world.admin_a, key).status_code == 201
    other = create(client, world.admin_b, key, username="otheradmin")
    assert other.status_code == 201 and other.json["username"] == "otheradmin"
    assert "Idempotent-Replayed" not in other.headers and accounts("otheradmin") == 1


def test_retry_while_the_first_runs_is_409(app, client, world, store, monkeypatch):
    started, release, answers = threading.Event(), threading.Event(), []
    create_staff = admin_routes.create_staff

    def slow_create_staff(*args):
        started.set()
        release.wait(10)
        return create_staff(*args)

    monkeypatch.setattr(admin_routes, "create_staff", slow_create_staff)
    key, headers = str(uuid.uuid4()), f.auth(world.admin_a)
    first = threading.Thread(target=lambda: answers.append(app.test_client().post(
        "/api/admin/staff", json=BODY, headers={**headers, "Idempotency-Key": key})))
    first.start()
    try:
        assert started.wait(10)
        response = client.post("/api/admin/staff", json=BODY, headers={**headers, "Idempotency-Key": key})
        assert response.status_code == 409 and response.headers["Retry-After"]
        assert "Idempotency-Key" in response.json["message"]
    finally:
        release.set()
        first.join(10)
    assert answers[0].status_code == 201
    assert create(client, world.admin_a, key).json == answers[0].json and accounts() == 1


def test_server_errors_are_not_kept(client, world, store, monkeypatch):
    key = str(uuid.uuid4())
    monkeypatch.setattr(admin_routes, "create_staff", lambda *args: abort(503, message="down"))
    assert create(client, world.admin_a, key).status_code == 503
    monkeypatch.setattr(admin_routes, "create_staff", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):  # the test client lets a crash through; the claim is freed all the same
        create(client, world.admin_a, key)
    monkeypatch.undo()
    assert create(client, world.admin_a, key).status_code == 201 and accounts() == 1


def test_client_errors_are_kept(client, world, store):
    key = str(uuid.uuid4())
    first = create(client, world.admin_a, key, role="mayor")
    again = create(client, world.admin_a, key, role="mayor")
    assert first.status_code == again.status_code == 422 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"


def test_overlong_key_is_refused(client, world):
    response = create(client, world.admin_a, "k" * 101)
    assert response.status_code == 422 and response.json["message"].startswith("Idempotency-Key:")
    assert accounts() == 0


def test_sign_in_has_no_caller_yet_and_runs_every_time(client, world):
    sign_in = {"username": world.admin_a.username, "password": "password-1"}
    tokens = {client.post("/api/auth/login", json=sign_in, headers={"Idempotency-Key": "same"}).json["token"]
              for _ in range(2)}
    assert len(tokens) == 2


def test_redis_down_refuses_keyed_requests_with_503(app, client, world, closed_port):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/0"
    for name in ("jiashu.redis", "jiashu.idempotency"):
        app.extensions.pop(name, None)
    response = create(client, world.admin_a, str(uuid.uuid4()))
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.json["message"].startswith("Idempotency-Key:") and accounts() == 0
    assert client.post("/api/admin/staff", json=BODY, headers=f.auth(world.admin_a)).status_code == 201


def test_a_change_saved_before_its_answer_failed_is_not_done_again(client, world, store, monkeypatch):
    """The database goes away after the commit: the client sees a 5xx and retries; the account exists already."""
    create_staff = admin_routes.create_staff

    def saved_then_lost(*args):
        create_staff(*args)
        db.session.commit()
        abort(503, message="The database is not answering right now; try again shortly.")

    key = str(uuid.uuid4())
    monkeypatch.setattr(admin_routes, "create_staff", saved_then_lost)
    assert create(client, world.admin_a, key).status_code == 503
    monkeypatch.undo()
    again = create(client, world.admin_a, key)
    assert again.status_code == 409 and again.headers["Idempotent-Replayed"] == "true"
    assert "carried out" in again.json["message"] and accounts() == 1
