"""PostgreSQL restarted under load: the app recovers by itself, and no request is half written.

The app runs on a private throwaway cluster (tests/ops/throwaway_postgres.py), never the shared server, behind
a real threaded HTTP server, with its schema built by its migrations. Neither DATABASE_URL nor REDIS_URL
changes anything here, so these tests run once, in the run without DATABASE_URL: the plain `make test` every
machine runs, and the first of the two CI runs.
"""
import itertools
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from types import SimpleNamespace

import pytest
from flask import g, has_request_context
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.models import (
    Notification,
    RequestEvent,
    Resident,
    ServiceRequest,
    WeChatIdentity,
)
from app.ops.database_errors import MESSAGE
from app.requests.categories import category_by_code
from app.web.extensions import db
from config import TestConfig
from tests import factories as f
from tests.ops.http_load import Http, timed
from tests.residents.helpers import letter_token, migrant, newcomer, person, register

WORKERS = 6       # client threads, each sending one request after another
HOUSES = 120      # headless houses, each registered at most once (more than the load gets through)
SETTLE = 1.0      # seconds of load before the restart, and at least as long after it


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args):   # the app writes its own request log
        pass


@pytest.fixture
def served(cluster):
    """The app on the private cluster, behind werkzeug's threaded server: (app, base URL)."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=cluster.url, REDIS_URL=None)   # the database alone
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    with app.app_context():
        upgrade()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def committed():
    """The X-Request-Id of every request whose transaction the app saw commit."""
    ids = set()

    def seen(session):
        if has_request_context():
            ids.add(g.request_id)

    event.listen(db.session, "after_commit", seen)
    yield ids
    event.remove(db.session, "after_commit", seen)


def _seed(houses=HOUSES):
    """The usual two communities with their categories, and headless houses each with a newcomer."""
    w = f.two_communities()
    category_by_code(w.a.id, "safety")   # the defaults exist already in a running community
    db.session.commit()
    auth = SimpleNamespace(residents=[f.auth(w.wechat1), f.auth(w.wechat2)], head=f.auth(w.head1))
    free = []
    for n in range(houses):
        house = f.household(w.unit2, str(1000 + n))
        house_id, (identity, headers) = house.id, newcomer()
        members = [person("赵六", 2 * n, is_self=True), migrant("钱七", 2 * n + 1)]
        free.append(SimpleNamespace(id=house_id, identity_id=identity.id, token=letter_token(house),
                                    headers=headers, members=members))
    return auth, free


def _jobs(auth, houses, consent):
    """Endless (key, call) pairs, three writes in five: file, register, file, the grid head's queue, a household."""
    houses = iter(houses)
    for n in itertools.count():
        resident = auth.residents[n % 2]
        house = next(houses, None) if n % 5 == 1 else None
        if house is not None:
            key = f"register-{house.id}"
            yield key, partial(register, token=house.token, headers=house.headers | {"X-Request-Id": key},
                               members=house.members, claim_head=True, consent=consent)
        elif n % 5 == 3:
            key = f"queue-{n}"
            yield key, partial(Http.get, path="/api/requests", headers=auth.head | {"X-Request-Id": key})
        elif n % 5 == 4:
            key = f"household-{n}"
            yield key, partial(Http.get, path="/api/my/household", headers=resident | {"X-Request-Id": key})
        else:
            key = f"file-{n}"
            yield key, partial(Http.post, path="/api/requests", headers=resident | {"X-Request-Id": key},
                               json={"category": "safety", "description": key})


def _drive(base, jobs, lock, stop, answers):
    http = Http(base)
    while not stop.is_set():
        with lock:
            key, call = next(jobs)
        answers.append(timed(key, partial(call, http)))


def _check_nothing_half_written(answers, committed, houses):
    """Every write's rows are all there or none is; a write is there iff it was answered 2xx (or committed).
    Returns the writes that are there although their answer was not 2xx."""
    filed = db.session.scalars(select(ServiceRequest)).all()
    residents = db.session.scalars(select(Resident)).all()
    registered = {r.household_id for r in residents} & {h.id for h in houses}
    # A filing: its request, one "file" event, one notice to the handler. A registration: the head and the
    # returning migrant, both confirmed at once, the newcomer linked to the head, one notice to the grid head.
    assert len({r.description for r in filed}) == len(filed)                      # nothing done twice
    assert Counter((e.request_id, e.action) for e in db.session.scalars(select(RequestEvent))) == \
        Counter({(r.id, "file"): 1 for r in filed})
    assert Counter((n.kind, n.data.get("request_id") or n.data.get("household_id"))
                   for n in db.session.scalars(select(Notification))) == \
        Counter([("request_assigned", r.id) for r in filed] + [("returning_migrant", h) for h in registered])
    assert sorted((r.household_id, r.is_head, r.confirmed) for r in residents if r.household_id in registered) == \
        sorted((h, is_head, True) for h in registered for is_head in (False, True))
    newcomers = db.session.scalars(select(WeChatIdentity).where(WeChatIdentity.id.in_(h.identity_id for h in houses)))
    assert {i.id: (i.resident.household_id, i.resident.is_head) for i in newcomers if i.resident} == \
        {h.identity_id: (h.id, True) for h in houses if h.id in registered}

    saved = {r.description for r in filed} | {f"register-{h}" for h in registered}
    answered = {a.key for a in answers if a.ok and a.key.startswith(("file-", "register-"))}
    assert answered <= saved, f"answered 2xx, not in the database: {sorted(answered - saved)}"
    # The one legitimate "saved, not answered 2xx": the commit went through, then the view's read-back of what
    # it saved met the restart and answered 503. The app saw those commits happen; nothing else may be there.
    unanswered = saved - answered
    assert unanswered <= committed, f"in the database, never committed by a request: {unanswered - committed}"
    return unanswered


def test_postgres_restarted_under_load_app_recovers_and_nothing_is_half_written(served, cluster, committed):
    """Requests meeting the restart get a clean 503 (app/ops/database_errors.py), every request after it
    succeeds on the same app, and each write is in the database whole or not at all.

    This one passes without the pre-ping too (app/ops/database_errors.py, _ping_if_cut): under load, the first
    request to meet a dead connection fails within the restart anyway, and SQLAlchemy then discards every
    connection the pool holds. The next test is the one that guards pre-ping."""
    app, base = served
    auth, houses = _seed()
    consent = app.config["PRIVACY_NOTICE_VERSION"]
    answers, lock, stop = [], threading.Lock(), threading.Event()
    jobs = _jobs(auth, houses, consent)
    workers = [threading.Thread(target=_drive, args=(base, jobs, lock, stop, answers)) for _ in range(WORKERS)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    try:
        time.sleep(SETTLE)
        down = time.monotonic()
        cluster.restart()
        up = time.monotonic()
        while time.monotonic() < up + SETTLE or sum(a.started > up for a in answers) < 50:
            assert time.monotonic() < up + 20, "the load does not get through after the restart"
            time.sleep(0.05)
    finally:
        stop.set()
        for worker in workers:
            worker.join()

    failed = [a for a in answers if not a.ok]
    assert failed, "the restart met no request: the load is too light to test anything"
    for a in failed:
        assert a.status == 503 and MESSAGE in a.body, a          # a clean JSON 503, not a 500 or a hang
        assert a.started <= up and a.ended >= down, f"failed outside the restart: {a}"
    after = [a for a in answers if a.started > up]
    assert after and all(a.ok for a in after)                     # the same app, no restart: the pool recovered
    lost = _check_nothing_half_written(answers, committed, houses)

    first_ok = min(a.ended for a in after)
    print(f"\n{len(answers)} requests in {time.monotonic() - began:.1f}s, {len(failed)} failed "
          f"(503) during the {up - down:.2f}s restart, first success {first_ok - up:.3f}s after it, "
          f"{len(lost)} saved whose answer was lost: {sorted(lost)}")


def test_postgres_restarted_between_requests_no_request_fails(served, cluster):
    """Guards the pre-ping of pooled connections (app/ops/database_errors.py, _ping_if_cut). Restarted while no
    request runs (a quiet hour, a planned restart), the database leaves only dead connections in the pool, and
    nothing has failed yet to discard them: without pre-ping the next requests take them and fail."""
    _, base = served
    auth, _ = _seed(houses=0)

    def read(_):
        return Http(base).get("/api/requests", headers=auth.head).status_code

    with ThreadPoolExecutor(WORKERS) as clients:
        assert set(clients.map(read, range(WORKERS))) == {200}   # the pool holds connections now
        cluster.restart()
        assert list(clients.map(read, range(3 * WORKERS))) == [200] * 3 * WORKERS


def test_connection_cut_after_the_view_answered_keeps_the_answer(served):
    """A request's transaction that wrote is rolled back when its session closes, after the answer is made; on a
    connection cut by then that ROLLBACK fails, and the answer must still go out (app/ops/database_errors.py)."""
    app, base = served
    auth, _ = _seed(houses=0)

    @app.after_request
    def cut(response):
        # A raw statement counts as a write (app/web/transactions.py), so the request ends with a ROLLBACK.
        backend = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": backend})   # waits for it
        return response

    answer = Http(base).get("/api/requests", headers=auth.head)
    assert answer.status_code == 200, answer.text


def test_database_not_answering_is_a_503_with_a_message(closed_port):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/x")
    answer = app.test_client().get("/api/requests", headers={"Authorization": "Bearer some-token"})
    assert answer.status_code == 503
    assert answer.json == {"code": 503, "status": "Service Unavailable", "message": MESSAGE}
    assert answer.headers["Retry-After"] == "5"
