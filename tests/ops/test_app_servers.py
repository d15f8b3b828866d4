"""Two app servers behind HAProxy, one SIGKILLed under load: the balancer takes it out, the other answers, nothing
is half written, every notification goes out once, every escalation happens once, and the server rejoins.

Everything runs on loopback and is stopped at the end: a private PostgreSQL (tests/ops/throwaway_postgres.py), a
private redis-server, moto's S3 server as a process, the fake WeChat in this process (it counts the messages it
receives), and per "machine" gunicorn with the project's gunicorn.conf.py beside `flask worker` and `flask
escalate`, all sharing them, behind HAProxy run with the configuration printed in docs/deployment.md. Prints the
figures; `pytest -s tests/ops/test_app_servers.py` shows them. Like the PostgreSQL restart test it brings its own
database, so it runs in the run without DATABASE_URL only.
"""
import csv
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
import requests
from flask_migrate import upgrade
from sqlalchemy import select, update

from app import create_app
from app.clock import utcnow
from app.models import (
    Delivery,
    Level,
    Notification,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
    WeChatIdentity,
)
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from bench.load import RATE_LIMITS
from config import TestConfig
from fakes.wechat_server import FakeWeChat
from tests import factories as f
from tests.images import image
from tests.object_store import new_bucket, stored_keys
from tests.ops.http_load import Http, timed
from tests.residents.helpers import letter_token

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 6          # client threads, each sending one request after another
PHASE = 4.0          # seconds of load with two servers, then with one, then with both again
WARM = 2.0           # seconds first, while fresh workers make their pools and clients (not counted)
OVERDUE = 30         # requests made overdue in three batches while the load runs
JPEG = image("JPEG")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return time.monotonic()
        except (requests.RequestException, redis.RedisError, OSError):
            pass
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.1)


class Processes:
    """Processes started by this test, each in its own process group, its output in a log file."""

    def __init__(self, logs: Path):
        self.logs, self.running = logs, {}

    def start(self, name: str, command: list[str], env: dict | None = None) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.running[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                  start_new_session=True)

    def kill(self, name: str) -> None:
        """SIGKILL to the process and its children (gunicorn's workers): a machine losing power, as seen from
        the balancer."""
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.running.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running.clear()

    def tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}"
                         for log in sorted(self.logs.glob("*.log")))


def haproxy_config(front: int, apps: dict[str, int], socket_path: Path) -> str:
    """The configuration of docs/deployment.md, on loopback ports, with a stats socket to watch it by."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    config = re.search(r"```haproxy\n(.*?)```", text, re.S).group(1)
    config = re.sub(r"bind :80\b.*", f"bind 127.0.0.1:{front}", config)
    for number, (name, port) in enumerate(apps.items(), start=11):
        config = config.replace(f"server {name} 10.0.0.{number}:8000", f"server {name} 127.0.0.1:{port}")
    assert all(f"127.0.0.1:{port}" in config for port in apps.values()), config
    return config.replace("global\n", f"global\n    stats socket {socket_path} mode 600 level admin\n", 1)


def haproxy_servers(socket_path: Path) -> dict[str, dict]:
    """`show stat` of the app backend's servers: status (UP, DOWN …) and counters (hrsp_2xx …)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(socket_path))
        sock.sendall(b"show stat\n")
        raw = b"".join(iter(lambda: sock.recv(65536), b""))
    rows = csv.DictReader(raw.decode().lstrip("# ").splitlines())
    return {row["svname"]: row for row in rows if row["pxname"] == "app" and row["svname"] != "BACKEND"}


@pytest.fixture
def machines(cluster, tmp_path):
    """The shared services and two app machines behind HAProxy; yields what the test drives and checks."""
    for tool in ("haproxy", "redis-server"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (scripts/system-packages.sh installs HAProxy)")
    pytest.importorskip("moto.server", reason="moto is not installed: pip install -r requirements-s3-dev.txt")
    procs = Processes(tmp_path)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=cluster.url, REDIS_URL=None)
    try:
        with app.app_context(), FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as wechat:
            upgrade()
            redis_port, s3_port = free_port(), free_port()
            procs.start("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no"])
            procs.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)])
            wait_for("redis", redis.Redis(port=redis_port).ping)
            wait_for("moto", lambda: requests.get(f"http://127.0.0.1:{s3_port}/", timeout=1).status_code)
            s3 = new_bucket(f"http://127.0.0.1:{s3_port}")
            env = os.environ | RATE_LIMITS | {name: str(value) for name, value in s3.items()} | {
                "DATABASE_URL": cluster.url, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "FLASK_APP": "wsgi.py",
                "WECHAT_APPID": wechat.appid, "WECHAT_SECRET": wechat.secret, "WECHAT_API_BASE": wechat.base_url,
                "TRUSTED_PROXIES": "1", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", "LOG_LEVEL": "WARNING"}
            env.pop("JIASHU_ENV", None)
            ports = {"app1": free_port(), "app2": free_port()}

            def start_app(name):
                procs.start(name, [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                            env | {"GUNICORN_BIND": f"127.0.0.1:{ports[name]}"})

            for name in ports:
                start_app(name)
                procs.start(f"{name}-worker", [sys.executable, "-m", "flask", "worker", "--interval", "0.2"], env)
                procs.start(f"{name}-escalate", [sys.executable, "-m", "flask", "escalate", "--every", "1"], env)
            front, stats = free_port(), tmp_path / "haproxy.sock"
            (tmp_path / "haproxy.cfg").write_text(haproxy_config(front, ports, stats))
            procs.start("haproxy", ["haproxy", "-db", "-f", str(tmp_path / "haproxy.cfg")])
            wait_for("both app servers in rotation", lambda: stats.exists() and all(
                server["status"] == "UP" for server in haproxy_servers(stats).values()), timeout=30)
            yield SimpleNamespace(base=f"http://127.0.0.1:{front}", procs=procs, wechat=wechat, s3=s3,
                                  start_app=start_app, servers=lambda: haproxy_servers(stats))
    except BaseException:   # a process that did not come up: its log says why
        print(procs.tail())
        raise
    finally:
        procs.stop_all()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _seed():
    """The usual two communities, their grid heads and admin signed in to WeChat (so notices go out), scan
    tokens of four houses, and requests waiting to be made overdue."""
    w = f.two_communities()
    safety = category_by_code(w.a.id, "safety")
    for staff in (w.head1, w.head2, w.admin_a):
        db.session.add(WeChatIdentity(openid=f"openid-{staff.username}", staff=staff))
    waiting = [file_request(house, safety, f"overdue-{n}", wechat, None).id
               for n, (house, wechat) in enumerate(itertools.islice(
                   itertools.cycle([(w.house1, w.wechat1), (w.house2, w.wechat2)]), OVERDUE))]
    db.session.commit()
    return SimpleNamespace(
        residents=[f.auth(w.wechat1), f.auth(w.wechat2)], heads=[f.auth(w.head1), f.auth(w.head2)],
        scans=[letter_token(h) for h in (w.house1, w.house1b, w.house2, w.house2b)], waiting=waiting,
        admin_id=w.admin_a.id)


def _one_job(http, n, world, answers):
    """Two scans, one filing with a photo, two queue reads in every five jobs."""
    if n % 5 in (0, 3):
        key = f"scan-{n}"
        answers.append(timed(key, lambda: http.get(f"/api/scan/{world.scans[n % 4]}", headers={"X-Request-Id": key})))
    elif n % 5 == 1:
        key, resident = f"file-{n}", world.residents[n % 2]
        filed = timed(key, lambda: http.post("/api/requests", headers=resident | {"X-Request-Id": key},
                                             json={"category": "safety", "description": key}))
        answers.append(filed)
        if filed.ok:
            rid, key = json.loads(filed.body)["id"], f"photo-{n}"
            answers.append(timed(key, lambda: http.post(
                f"/api/requests/{rid}/photos", headers=resident | {"X-Request-Id": key},
                files={"photos": ("door.jpg", JPEG, "image/jpeg")})))
    else:
        key = f"queue-{n}"
        answers.append(timed(key, lambda: http.get("/api/requests", headers=world.heads[n % 2] | {"X-Request-Id": key})))


def _drive(base, world, numbers, lock, stop, answers):
    http = Http(base)
    while not stop.is_set():
        with lock:
            n = next(numbers)
        _one_job(http, n, world, answers)


def _make_overdue(ids):
    db.session.execute(update(ServiceRequest).where(ServiceRequest.id.in_(ids)).values(escalate_at=utcnow()))
    db.session.commit()


def _rate(answers, start, end):
    return sum(a.ok and start <= a.ended < end for a in answers) / (end - start)


def test_an_app_server_killed_under_load_is_taken_out_nothing_is_lost_and_it_rejoins(machines):
    world = _seed()
    answers, lock, stop, numbers = [], threading.Lock(), threading.Event(), itertools.count()
    clients = [threading.Thread(target=_drive, args=(machines.base, world, numbers, lock, stop, answers))
               for _ in range(CLIENTS)]
    began = time.monotonic()
    for client in clients:
        client.start()
    try:
        _make_overdue(world.waiting[:10])
        time.sleep(WARM + PHASE)
        killed = time.monotonic()
        machines.procs.kill("app1")
        out = wait_for("app1 taken out", lambda: machines.servers()["app1"]["status"] == "DOWN", timeout=10)
        _make_overdue(world.waiting[10:20])
        time.sleep(PHASE)
        restarted = time.monotonic()
        machines.start_app("app1")
        back = wait_for("app1 back in rotation", lambda: machines.servers()["app1"]["status"] == "UP")
        served_before = int(machines.servers()["app1"]["hrsp_2xx"])
        _make_overdue(world.waiting[20:])
        time.sleep(WARM + PHASE)
        served_after = int(machines.servers()["app1"]["hrsp_2xx"])
    finally:
        stop.set()
        for client in clients:
            client.join()
    ended = time.monotonic()
    drained = wait_for("the outbox delivered", lambda: db.session.scalar(select(Notification.id).where(
        Notification.state.in_([Delivery.PENDING, Delivery.SENDING])).limit(1)) is None)

    failed = [a for a in answers if not a.ok]
    # Only requests on app1 when it died, or sent to it on a kept-alive connection in the moment before HAProxy saw
    # that connection close. HAProxy answers those 502, or closes the client's connection unanswered, as a server
    # closing an idle keep-alive connection would (clients resend then; the mini-program with its Idempotency-Key).
    # Once app1 is out, nothing fails.
    for a in failed:
        assert a.status in (502, None) and killed - 10 < a.started < out and a.ended < out, a
    assert served_after > served_before, "app1 took no traffic after rejoining"
    lost_photos = _check_nothing_half_written(answers, machines.s3, {a.key for a in failed})
    _check_each_notification_sent_once(machines.wechat)
    _check_each_escalation_once(world)

    print(f"\n{len(answers)} requests in {ended - began:.1f} s, {len(failed)} failed "
          f"({', '.join(sorted(a.key for a in failed)) or 'none'}), started from "
          f"{min((a.started - killed for a in failed), default=0):+.2f} s to "
          f"{max((a.started - killed for a in failed), default=0):+.2f} s of the kill; app1 out of rotation "
          f"{out - killed:.2f} s after the kill, back {back - restarted:.2f} s after its restart; "
          f"{lost_photos} photo object(s) stored by a killed upload without a row\n"
          f"throughput: two servers {_rate(answers, began + WARM, killed):.0f} req/s, one server "
          f"{_rate(answers, out, restarted):.0f} req/s, two again {_rate(answers, back + WARM, ended):.0f} req/s; "
          f"{len(machines.wechat.sent)} WeChat messages, each once; outbox empty {drained - ended:.1f} s after "
          f"the load; {OVERDUE} escalations, each once")


def _check_nothing_half_written(answers, s3, failed_keys):
    """Every filing whole (its request, one event, one notice); every photo row has its object. Returns how many
    objects no row names: only uploads in flight on the killed server may leave one."""
    filed = db.session.scalars(select(ServiceRequest).where(ServiceRequest.description.like("file-%"))).all()
    answered = {a.key for a in answers if a.ok}
    saved = {r.description for r in filed}
    assert len(saved) == len(filed)
    assert {k for k in answered if k.startswith("file-")} <= saved
    assert saved - answered <= failed_keys, "saved, and answered neither 2xx nor by the kill"
    events = Counter((e.request_id, e.action) for e in db.session.scalars(select(RequestEvent)))
    assert all(events[(r.id, "file")] == 1 for r in filed)

    photos = db.session.scalars(select(RequestPhoto)).all()
    by_request = Counter(p.request_id for p in photos)
    for r in filed:   # a photo where its upload was answered 2xx, none where it was not sent or refused
        upload = f"photo-{r.description.removeprefix('file-')}"
        if upload not in failed_keys:
            assert by_request[r.id] == (upload in answered), r.description
    objects = set(stored_keys(s3))
    rows = {p.stored_name for p in photos}
    assert rows <= objects, f"photo rows without their object: {rows - objects}"
    orphans = objects - rows
    assert len(orphans) <= sum(k.startswith("photo-") for k in failed_keys)
    return len(orphans)


def _check_each_notification_sent_once(wechat):
    notes = db.session.scalars(select(Notification)).all()
    assert {n.state for n in notes} == {Delivery.SENT}, Counter(n.state for n in notes)
    openids = dict(db.session.execute(select(WeChatIdentity.staff_id, WeChatIdentity.openid)).all())
    expected = Counter((openids[n.recipient_staff_id], n.page, n.title[:20]) for n in notes)
    sent = Counter((m["touser"], m["page"], m["data"]["thing1"]["value"]) for m in wechat.sent)
    assert sent == expected


def _check_each_escalation_once(world):
    escalated = Counter(e.request_id for e in db.session.scalars(
        select(RequestEvent).where(RequestEvent.action == "escalate")))
    assert escalated == Counter(world.waiting)
    moved = db.session.scalars(select(ServiceRequest).where(ServiceRequest.id.in_(world.waiting))).all()
    assert {(r.escalation_level, r.handler_id) for r in moved} == {(Level.ADMIN, world.admin_id)}
