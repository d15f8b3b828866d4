"""Load benchmark: gunicorn on loopback against the seeded city, a realistic mix, beside a trivial JSON endpoint.

    .venv/bin/python -m bench.seed_city                  # once: the city in database jiashu_bench
    .venv/bin/python -m bench.load [--duration 60] [--connections 16] [--workers 2 --threads 4] [--profile]

It starts the loopback fake WeChat (`python -m fakes.wechat_server`) and gunicorn (2 workers, the project's
gunicorn.conf.py) on 127.0.0.1 ports of its own, with REDIS_URL on a Redis database of its own, then runs
`wrk` (Debian's package) for a bounded time:

1. warm-up: the mix for a few seconds (its own one-time requests, not counted);
2. the ceiling: GET /healthz alone, at the same number of connections as the mix, then the cheapest signed-in
   request (GET /api/auth/me: one indexed token lookup) the same way;
3. the mix: every connection draws each next request by weight (MIX): scan lookups, WeChat logins, member
   registrations, request filing, grid-head queue reads, figures reads — a fixed mix, so a slow endpoint
   costs the whole mix its time rather than just getting fewer requests.

Why wrk: it is C on epoll, so at a few thousand requests a second it takes a small slice of the 2 cores the
server needs (a Python client would compete with gunicorn for them). Requests are prepared here (fresh
WeChat identities and Idempotency-Keys for one-time requests, random houses, tokens of real grid heads,
admins and residents) and replayed by bench/replay.lua, one connection per wrk thread so that the script
times each request itself (LuaJIT FFI clock) and reports p50/p99 per endpoint.

Bearer tokens are inserted straight into api_token (as app/auth/tokens.py stores them: SHA-256 only) and
deleted afterwards. Per-address rate limits are raised through the environment (every request comes from
127.0.0.1); the limiter stays on, counting in Redis. Every process started here is stopped at the end, also
on Ctrl-C or an error. --profile records the workers with py-spy (pip install py-spy) during the mix.
"""
import argparse
import hashlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import psycopg

from bench.seed_city import (
    DB_PREFIX,
    ID_CHECK,
    ID_WEIGHTS,
    PG_SERVER,
    bench_env,
    check_name,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The benchmark's own Redis database (flushed before each run); BENCH_REDIS_DB picks another one.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "11"))
FAKE_APPID = "wx0000000000benc00"
# (endpoint, share of the requests in percent): residents scan letters and sign in most, grid heads read their
# queues all day, requests are filed a few times a day per grid, people register once, figures are a dashboard.
MIX = [("scan", 30), ("wechat_login", 15), ("register", 8), ("file_request", 12), ("queue", 25), ("figures", 10)]
ONE_TIME = ("register", "file_request")   # a repeat would be a conflict, or an idempotent replay
LABELS = {
    "healthz": "GET /healthz (trivial JSON)",
    "me": "GET /api/auth/me (cheapest signed-in)",
    "scan": "GET /api/scan/<token>",
    "wechat_login": "POST /api/auth/wechat",
    "register": "POST /api/scan/<token>/members",
    "file_request": "POST /api/requests",
    "queue": "GET /api/requests?… (grid head)",
    "figures": "GET /api/figures/… (grid head, admin)",
}
# A generous bound on the mix's rate, to size the request files so that one-time requests never repeat.
MAX_MIX_RATE = 2500
# Guangdong regions: none of the seeded people (Jinan) has them, so registrations are new people.
NEW_REGIONS = ["440103", "440104", "440105", "440106", "440303", "440304", "440305", "440306"]
RATE_LIMITS = {name: "1000000/minute" for name in (
    "RATELIMIT_LOGIN_IP", "RATELIMIT_LOGIN_USER", "RATELIMIT_WECHAT_LOGIN", "RATELIMIT_SCAN",
    "RATELIMIT_REGISTRATION", "RATELIMIT_CONTACT", "RATELIMIT_PHOTOS", "RATELIMIT_PHOTOS_IP", "RATELIMIT_WISHES")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_id_number(rng: random.Random, taken: set) -> str:
    while True:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(29000))
        body = f"{rng.choice(NEW_REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]
        if number not in taken:
            taken.add(number)
            return number


class Tokens:
    """Bearer tokens minted for this run, stored as the app stores them, deleted at the end."""

    def __init__(self, conn):
        self.conn, self.ids = conn, []
        self.expires = datetime.now(UTC) + timedelta(hours=6)

    def mint(self, column: str, owners: list[int]) -> list[str]:
        tokens = [secrets.token_urlsafe(32) for _ in owners]
        with self.conn.cursor() as cur:
            start = cur.execute("SELECT nextval(pg_get_serial_sequence('api_token', 'id'))").fetchone()[0]
            cur.execute("SELECT setval(pg_get_serial_sequence('api_token', 'id'), %s)", (start + len(owners),))
            ids = list(range(start, start + len(owners)))
            with cur.copy(f"COPY api_token (id, token_hash, {column}, expires_at, created_at) FROM STDIN") as copy:
                for token_id, token, owner in zip(ids, tokens, owners):
                    copy.write_row((token_id, hashlib.sha256(token.encode()).hexdigest(), owner, self.expires,
                                    datetime.now(UTC)))
        self.conn.commit()
        self.ids += ids
        return tokens

    def delete(self):
        if self.ids:
            self.conn.execute("DELETE FROM api_token WHERE id = ANY(%s)", (self.ids,))
            self.conn.commit()


def line(method, path, token="", key="", body=None) -> str:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")) if body is not None else ""
    return "\t".join((method, path, token, key, text))


class Workload:
    """The prepared request files of the mix, drawn from the seeded city."""

    def __init__(self, conn, tokens: Tokens, rng: random.Random, run: str):
        self.conn, self.tokens, self.rng, self.run = conn, tokens, rng, run
        cur = conn.cursor()
        self.house_codes = [r[0] for r in cur.execute(
            "SELECT token FROM qr_code WHERE household_id IS NOT NULL AND revoked_at IS NULL")]
        grids = cur.execute("SELECT id, head_id FROM grid WHERE head_id IS NOT NULL ORDER BY id").fetchall()
        self.grid_heads = list(zip([g for g, _ in grids], tokens.mint("staff_id", [h for _, h in grids])))
        admins = [r[0] for r in cur.execute("SELECT id FROM staff WHERE role = 'ADMIN' AND active ORDER BY id")]
        self.admins = tokens.mint("staff_id", admins)
        residents = [r[0] for r in cur.execute(
            """SELECT w.id FROM wechat_identity w JOIN resident r ON r.id = w.resident_id
               WHERE r.confirmed AND w.staff_id IS NULL ORDER BY random() LIMIT 20000""")]
        self.residents = tokens.mint("wechat_id", residents)
        self.categories = [r[0] for r in cur.execute("SELECT DISTINCT code FROM category WHERE active")]
        self.id_numbers = set()
        self.today = datetime.now(timezone(timedelta(hours=8))).date()

    def fresh_identities(self, n: int) -> list[str]:
        """n WeChat users who signed in but registered nowhere yet: each registers once."""
        self.batch = getattr(self, "batch", 0) + 1
        ids = [r[0] for r in self.conn.execute(
            """INSERT INTO wechat_identity (openid, created_at)
               SELECT %s || g, now() FROM generate_series(1, %s) AS g RETURNING id""",
            (f"bench-{self.run}-{self.batch}-", n))]
        self.conn.commit()
        return self.tokens.mint("wechat_id", ids)

    def lines(self, endpoint: str, n: int, phase: str) -> list[str]:
        rng = self.rng
        if endpoint == "healthz":
            return [line("GET", "/healthz")]
        if endpoint == "me":   # one indexed lookup of the token and a small JSON answer: nothing cheaper signs in
            return [line("GET", "/api/auth/me", rng.choice(self.grid_heads)[1]) for _ in range(n)]
        if endpoint == "scan":
            return [line("GET", f"/api/scan/{rng.choice(self.house_codes)}") for _ in range(n)]
        if endpoint == "wechat_login":
            # Seven in ten are people signing in again (a code the fake maps to the same openid), three new.
            returning = [f"{self.run}-again-{i}" for i in range(2000)]
            return [line("POST", "/api/auth/wechat", body={"code": rng.choice(returning) if rng.random() < 0.7
                                                           else f"{self.run}-{phase}-new-{i}"})
                    for i in range(n)]
        if endpoint == "register":
            out = []
            for token in self.fresh_identities(n):
                members = [{"name": "测试" + rng.choice("伟芳娜敏静丽强磊"), "id_number": new_id_number(rng, self.id_numbers),
                            "residence_type": "permanent", "is_self": True, "relationship_to_head": "子",
                            "phone": f"139{rng.randrange(10**8):08d}"}]
                if rng.random() < 0.5:
                    members.append({"name": "测试" + rng.choice("伟芳娜敏静丽强磊"), "relationship_to_head": "母亲",
                                    "id_number": new_id_number(rng, self.id_numbers), "residence_type": "permanent"})
                if rng.random() < 0.1:
                    members.append({"name": "返乡" + rng.choice("伟芳娜"), "relationship_to_head": "父亲",
                                    "id_number": new_id_number(rng, self.id_numbers),
                                    "residence_type": "returning_migrant", "from_province": "四川",
                                    "from_city": "成都", "return_date": (self.today - timedelta(days=3)).isoformat(),
                                    "stay_days": 30})
                out.append(line("POST", f"/api/scan/{rng.choice(self.house_codes)}/members", token,
                                secrets.token_hex(16),
                                {"members": members, "claim_head": False, "consent_version": "2026-11"}))
            return out
        if endpoint == "file_request":
            return [line("POST", "/api/requests", rng.choice(self.residents), secrets.token_hex(16),
                         {"category": rng.choice(self.categories), "description": "楼道灯不亮了，请尽快处理（压测）"})
                    for _ in range(n)]
        if endpoint == "queue":
            queries = ["?status=open"] * 5 + [""] * 3 + ["?page=2", "?mine=true"]
            out = []
            for _ in range(n):
                _, token = rng.choice(self.grid_heads)
                out.append(line("GET", "/api/requests" + rng.choice(queries), token))
            return out
        if endpoint == "figures":
            month = f"?from={self.today - timedelta(days=30)}&to={self.today}"
            out = []
            for _ in range(n):
                grid, token = rng.choice(self.grid_heads)
                pick = rng.random()
                if pick < 0.4:
                    out.append(line("GET", f"/api/figures/grids/{grid}{month}", token))
                elif pick < 0.7:
                    out.append(line("GET", f"/api/figures/grids/{grid}", token))
                elif pick < 0.9:
                    out.append(line("GET", f"/api/figures/community{month}", rng.choice(self.admins)))
                else:
                    out.append(line("GET", "/api/figures/community", rng.choice(self.admins)))
            return out
        raise ValueError(endpoint)


class Processes:
    """Every process this run starts, each in its own session, stopped (group and all) in reverse order."""

    def __init__(self):
        self.started = []

    def start(self, name, argv, log_to: Path, cwd=ROOT, **kwargs):
        log = open(log_to, "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd,
                                **kwargs)
        self.started.append((name, proc, log))
        return proc

    def stop_all(self):
        for _name, proc, log in reversed(self.started):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=35)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            log.close()
        self.started = []


def wait_for(url: str, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {seconds:.0f} s (see the logs in {OUT})")
        time.sleep(0.2)


def run_wrk(base_url: str, mix: list, connections: int, duration: int, files: Path) -> dict:
    """One wrk, a connection per thread, drawing requests by weight from `files`; its JSON report."""
    argv = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
            "-s", str(ROOT / "bench" / "replay.lua"), base_url, "--", str(files), str(connections),
            ",".join(f"{name}:{weight}" for name, weight in mix)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=duration + 60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    last = [text for text in out.splitlines() if text.startswith("{")]
    if proc.returncode or not last:
        raise SystemExit(f"wrk failed ({proc.returncode}): {err or out}")
    return json.loads(last[-1])


def summarise(report: dict) -> list[dict]:
    """Per endpoint: throughput, latencies, answers; socket errors (not per endpoint) go to the first row."""
    seconds = report["duration_us"] / 1e6
    socket_errors = report["connect_errors"] + report["read_errors"] + report["write_errors"] + report["timeouts"]
    rows = []
    for endpoint, e in report["endpoints"].items():
        statuses = {int(k): v for k, v in e["statuses"].items()}
        ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
        limited = statuses.get(429, 0)
        errors = sum(statuses.values()) - ok - limited
        rows.append({"endpoint": endpoint, "requests": e["requests"], "rps": e["requests"] / seconds,
                     "p50_ms": e["p50_us"] / 1000, "p90_ms": e["p90_us"] / 1000, "p99_ms": e["p99_us"] / 1000,
                     "max_ms": e["max_us"] / 1000, "mean_ms": e["mean_us"] / 1000, "ok": ok, "limited_429": limited,
                     "errors": errors, "error_rate": errors / max(1, e["requests"]), "statuses": statuses,
                     "wrapped": e["wrapped"], "samples": e["samples"]})
    order = [name for name, _ in MIX] + ["healthz", "me"]
    rows.sort(key=lambda r: order.index(r["endpoint"]))
    if rows:
        rows[0]["socket_errors"] = socket_errors
        rows[0]["errors"] += socket_errors
    return rows


def print_table(title: str, rows: list[dict], ceiling: float | None = None):
    print(f"\n{title}")
    print(f"  {'endpoint':<40} {'requests':>9} {'req/s':>8} {'share':>6} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'errors':>7} {'429':>5}")
    total = sum(r["rps"] for r in rows)
    for r in rows:
        print(f"  {LABELS[r['endpoint']]:<40} {r['requests']:>9,} {r['rps']:>8.1f} "
              f"{r['rps'] / total:>6.1%} {r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['max_ms']:>7.1f} "
              f"{r['errors']:>7} {r['limited_429']:>5}")
    if len(rows) > 1:
        requests = sum(r["requests"] for r in rows)
        errors = sum(r["errors"] for r in rows)
        worst = max(r["p99_ms"] for r in rows)
        print(f"  {'mix total':<40} {requests:>9,} {total:>8.1f} "
              f"{'':>6} {'':>7} {worst:>7.1f} {'':>7} {errors:>7}")
        if ceiling:
            print(f"  mix throughput = {total / ceiling:.1%} of the trivial endpoint's {ceiling:.0f} req/s; "
                  f"worst endpoint p99 {worst:.1f} ms; error rate {errors / max(1, requests):.3%}")
    for r in rows:
        if r["errors"] or (r["wrapped"] and r["endpoint"] in ONE_TIME):
            print(f"  ! {r['endpoint']}: statuses {r['statuses']}, wrapped {r['wrapped']}×, e.g. {r['samples'][:2]}")


def server_log_summary(path: Path) -> dict:
    """Answers by route and status from the app's JSON request log lines, with the app's own timings."""
    by_route = {}
    for text in path.read_text(errors="replace").splitlines():
        if not text.startswith('{"event": "request"'):
            continue
        entry = json.loads(text)
        key = (entry["method"], entry["route"], entry["status"])
        by_route.setdefault(key, []).append(entry["duration_ms"])
    return by_route


class CpuMeter:
    """CPU seconds spent by the gunicorn workers, by the database's backends for this database, and by the whole
    machine, over a phase: per request they compare runs even when other work shares the cores."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, gunicorn_pid: int, conn, database: str):
        self.master, self.conn, self.database = gunicorn_pid, conn, database

    @staticmethod
    def _process(pid) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / CpuMeter.TICK

    @staticmethod
    def _machine() -> tuple[float, float]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]
        return (sum(values) - idle) / CpuMeter.TICK, sum(values) / CpuMeter.TICK

    def _sample(self) -> dict:
        workers = subprocess.run(["pgrep", "-P", str(self.master)], capture_output=True, text=True).stdout.split()
        backends = [r[0] for r in self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (self.database,))]
        busy, total = self._machine()
        return {"app": {p: self._process(p) for p in workers}, "db": {p: self._process(p) for p in backends},
                "busy": busy, "total": total}

    def start(self):
        self.before = self._sample()

    def stop(self, requests: int) -> dict:
        after, before = self._sample(), self.before
        spent = {kind: sum(v - before[kind].get(p, 0.0) for p, v in after[kind].items()) for kind in ("app", "db")}
        busy, total = after["busy"] - before["busy"], after["total"] - before["total"]
        return {"app_cpu_s": spent["app"], "db_cpu_s": spent["db"], "machine_busy_s": busy, "machine_total_s": total,
                "app_ms_per_request": 1000 * spent["app"] / max(1, requests),
                "db_ms_per_request": 1000 * spent["db"] / max(1, requests),
                "others_busy_share": max(0.0, busy - spent["app"] - spent["db"]) / max(total, 1e-9)}


def print_cpu(label: str, cpu: dict):
    print(f"  CPU ({label}): gunicorn workers {cpu['app_cpu_s']:.1f} s = {cpu['app_ms_per_request']:.2f} ms/request, "
          f"PostgreSQL {cpu['db_cpu_s']:.1f} s = {cpu['db_ms_per_request']:.2f} ms/request; "
          f"everything else (wrk, fake WeChat, Redis, others' work) {cpu['others_busy_share']:.0%} and idle "
          f"{1 - cpu['machine_busy_s'] / max(cpu['machine_total_s'], 1e-9):.0%} of the machine's "
          f"{cpu['machine_total_s']:.0f} CPU-seconds")


def database_bound(ceiling: dict, mix_cpu: dict) -> dict:
    """The most the mix could reach, as a share of the ceiling, if only PostgreSQL's work cost CPU: all of the
    machine's CPU per trivial request at the ceiling, over PostgreSQL's CPU per mixed request."""
    machine = 1000 * ceiling["cpu"]["machine_total_s"] / max(1, ceiling["requests"])
    return {"machine_ms_per_trivial": machine, "share": machine / max(mix_cpu["db_ms_per_request"], 1e-9)}


def py_spy() -> str | None:
    return shutil.which("py-spy") or next((str(p) for p in [Path("/tmp/pyspy/bin/py-spy")] if p.exists()), None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DB_PREFIX)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mix (and of the ceiling run)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16, help="of the mix, and of the ceiling run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (GUNICORN_THREADS)")
    parser.add_argument("--profile", action="store_true", help="py-spy the workers during the mix")
    parser.add_argument("--no-plans", action="store_true", help="skip bench.plans (EXPLAIN of queue and figures)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--app-dir", type=Path, default=ROOT,
                        help="serve the app from another checkout (e.g. a `git worktree` of an older commit, "
                             "to measure before and after on the same database)")
    args = parser.parse_args(argv)
    database = check_name(args.database)
    if not 1 <= args.duration <= 600:
        raise SystemExit("--duration: 1 to 600 seconds")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    run = datetime.now().strftime("%Y%m%d-%H%M%S")
    rng = random.Random(args.seed)
    files = OUT / f"load-{run}"
    files.mkdir(parents=True, exist_ok=True)
    weights = sum(w for _, w in MIX)
    processes = Processes()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    conn = psycopg.connect(f"{PG_SERVER}/{database}")
    tokens = Tokens(conn)
    try:
        households = conn.execute("SELECT count(*) FROM household").fetchone()[0]
        requests = conn.execute("SELECT count(*) FROM service_request").fetchone()[0]
        print(f"Database {database}: {households:,} households, {requests:,} service requests")
        plans_ok = None
        if not args.no_plans:
            plans = subprocess.run([sys.executable, "-m", "bench.plans", "--database", database,
                                    "--app-dir", str(args.app_dir), "--out", str(files / "plans.txt")],
                                   cwd=ROOT, capture_output=True, text=True, timeout=300)
            plans_ok = plans.returncode == 0
            summary = [text for text in plans.stdout.splitlines() if text.startswith(("===", "    =>", "Summary"))]
            print("Query plans (EXPLAIN ANALYZE, BUFFERS; in full in plans.txt):\n  " + "\n  ".join(summary[-60:])
                  if summary else f"bench.plans failed: {plans.stderr[-2000:]}")
        started = time.perf_counter()
        work = Workload(conn, tokens, rng, run)
        for phase, seconds in (("warmup", args.warmup), ("mix", args.duration)):
            (files / phase).mkdir(exist_ok=True)
            for endpoint, weight in MIX:
                n = max(args.connections * 20, round(seconds * MAX_MIX_RATE * weight / weights))
                if endpoint not in ONE_TIME:
                    n = min(n, 20000)   # repeats are harmless: scans, sign-ins and reads
                (files / phase / f"{endpoint}.tsv").write_text("\n".join(work.lines(endpoint, n, phase)) + "\n")
        (files / "ceiling").mkdir(exist_ok=True)
        (files / "ceiling" / "healthz.tsv").write_text(
            "\n".join(work.lines("healthz", 1, "ceiling") * args.connections) + "\n")
        (files / "floor").mkdir(exist_ok=True)
        (files / "floor" / "me.tsv").write_text("\n".join(work.lines("me", 2000, "floor")) + "\n")
        # Fresh statistics: a table that just grew from a few rows to tens of thousands would otherwise be
        # planned as tiny (a sequential scan per sign-in) until autovacuum gets round to it.
        conn.execute("ANALYZE api_token")
        conn.execute("ANALYZE wechat_identity")
        conn.commit()
        print(f"Prepared tokens and requests in {time.perf_counter() - started:.1f} s ({files})")

        import redis
        client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
        client.flushdb()
        secret = secrets.token_hex(16)
        wechat_port, port = free_port(), free_port()
        processes.start("fake WeChat", [sys.executable, "-m", "fakes.wechat_server", "--port", str(wechat_port),
                                        "--appid", FAKE_APPID, "--secret", secret], files / "fake_wechat.log")
        env = {**os.environ, **bench_env(database), **RATE_LIMITS,
               "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}", "WECHAT_API_BASE": f"http://127.0.0.1:{wechat_port}",
               "WECHAT_APPID": FAKE_APPID, "WECHAT_SECRET": secret, "PUBLIC_BASE_URL": "https://jiashu.example.cn",
               "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers),
               "GUNICORN_THREADS": str(args.threads), "LOG_LEVEL": "WARNING"}
        app_dir = args.app_dir.resolve()
        if (app_dir / "gunicorn.conf.py").exists():
            argv = [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
        else:
            argv = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "-k", "gthread",
                    "--threads", str(args.threads),
                    "-b", f"127.0.0.1:{port}", "wsgi:app"]
        gunicorn = processes.start("gunicorn", argv, files / "gunicorn.log", env=env, cwd=app_dir)
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/readyz", 30)
        print(f"gunicorn {' '.join(argv[1:])} in {app_dir} on {base} (pid {gunicorn.pid}); "
              f"fake WeChat on port {wechat_port}")
        load = os.getloadavg()
        print(f"Load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work on the machine "
              "skews the figures)")

        print(f"\nWarm-up: the mix for {args.warmup} s …", flush=True)
        warm = summarise(run_wrk(base, MIX, args.connections, args.warmup, files / "warmup"))
        print("  warm-up answers outside 2xx: " + (", ".join(f"{r['endpoint']} {r['statuses']}" for r in warm
                                                            if r["errors"]) or "none"))
        print(f"Ceiling: GET /healthz alone, {args.connections} connections, {args.duration} s …", flush=True)
        meter = CpuMeter(gunicorn.pid, conn, database)
        meter.start()
        ceiling = summarise(run_wrk(base, [("healthz", 1)], args.connections, args.duration, files / "ceiling"))[0]
        ceiling["cpu"] = meter.stop(ceiling["requests"])
        print_table("Ceiling", [ceiling])
        print_cpu("ceiling", ceiling["cpu"])
        print(f"\nThe cheapest signed-in request alone, {args.connections} connections, {args.duration} s …",
              flush=True)
        floor = summarise(run_wrk(base, [("me", 1)], args.connections, args.duration, files / "floor"))[0]
        print_table("Cheapest signed-in request", [floor])
        print(f"  = {floor['rps'] / ceiling['rps']:.1%} of the trivial endpoint: "
              "no mix of signed-in requests can do better")

        spies = []
        if args.profile:
            spy = py_spy()
            if spy is None:
                print("py-spy not found: pip install --target /tmp/pyspy py-spy; profiling skipped")
            else:
                workers = subprocess.run(["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True).stdout.split()
                for pid in workers:
                    spies.append(processes.start(f"py-spy {pid}", [
                        spy, "record", "--pid", pid, "--duration", str(args.duration), "--rate", "200", "--nonblocking",
                        "--format", "speedscope", "--output", str(files / f"profile-{pid}.json")],
                        files / f"py-spy-{pid}.log"))
        print(f"\nMix: {', '.join(f'{k} {v}%' for k, v in MIX)} of the requests, {args.connections} connections, "
              f"{args.duration} s …", flush=True)
        meter.start()
        rows = summarise(run_wrk(base, MIX, args.connections, args.duration, files / "mix"))
        mix_cpu = meter.stop(sum(r["requests"] for r in rows))
        for spy in spies:
            spy.wait(timeout=60)
        print_table("Mix", rows, ceiling["rps"])
        print_cpu("mix", mix_cpu)
        bound = database_bound(ceiling, mix_cpu)
        print(f"  Bound from the database alone: the machine has {bound['machine_ms_per_trivial']:.2f} ms of CPU "
              f"for each trivial request at the ceiling; PostgreSQL alone spends {mix_cpu['db_ms_per_request']:.2f} "
              f"ms on a mixed one, so even an app costing nothing could serve the mix at {bound['share']:.0%} of the "
              "ceiling at most")
        processes.stop_all()

        by_route = server_log_summary(files / "gunicorn.log")
        failures = {k: len(v) for k, v in by_route.items() if k[2] >= 500}
        tracebacks = (files / "gunicorn.log").read_text(errors="replace").count("Traceback")
        print(f"\nServer log: {sum(len(v) for v in by_route.values()):,} requests logged, "
              f"5xx {failures or 'none'}, tracebacks {tracebacks}")
        total_mix = sum(r["rps"] for r in rows)
        result = {"run": run, "database": database, "app_dir": str(app_dir), "duration_s": args.duration,
                  "connections": args.connections,
                  "workers": args.workers, "threads": args.threads,
                  "mix_weights": dict(MIX), "ceiling": ceiling, "cheapest_signed_in": floor,
                  "mix": rows, "mix_rps": total_mix,
                  "mix_share_of_ceiling": total_mix / ceiling["rps"],
                  "worst_p99_ms": max(r["p99_ms"] for r in rows), "errors": sum(r["errors"] for r in rows),
                  "mix_cpu": mix_cpu, "database_bound_share": bound["share"], "plans_index_backed": plans_ok,
                  "load_average_before": load}
        (files / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        ok = (result["mix_share_of_ceiling"] >= 0.40 and result["worst_p99_ms"] <= 150 and result["errors"] == 0)
        print(f"Targets (mix ≥ 40 % of trivial, p99 ≤ 150 ms, 0 errors): {'met' if ok else 'MISSED'}; "
              f"figures in {files / 'result.json'}")
        return result
    finally:
        processes.stop_all()
        tokens.delete()
        conn.close()


if __name__ == "__main__":
    main()
