"""What one request of each kind in the load mix costs, in this process, with no server and no network.

    .venv/bin/python -m bench.endpoints [--requests 300] [--profile scan]

Beside the mix's endpoints it measures /healthz and /api/auth/me (the cheapest signed-in request). The
requests are the load benchmark's own (bench.load's Workload, on the seeded city in jiashu_bench), sent
straight into the WSGI app one after another; the fake WeChat runs beside it as in the load. Printed per
endpoint: the app's CPU per request (this process: the app plus a thin test client), PostgreSQL's CPU per
request (this database's backends, from /proc), SQL statements and Redis commands per request. Being CPU
time, the figures hold when other work shares the machine, so a change can be weighed in a minute.
--profile ENDPOINT prints that endpoint's top functions (cProfile, by own time and by total time);
--statements ENDPOINT the SQL one request of it sends.
"""
import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import time
from datetime import datetime
from pathlib import Path

import psycopg

from bench.load import (
    FAKE_APPID,
    MIX,
    OUT,
    RATE_LIMITS,
    REDIS_DB,
    ROOT,
    CpuMeter,
    Processes,
    Tokens,
    Workload,
    free_port,
    wait_for,
)
from bench.seed_city import DB_PREFIX, PG_SERVER, bench_env, check_name

# The mix's endpoints, after two baselines: the trivial endpoint and the cheapest signed-in request.
ENDPOINTS = ["healthz", "me"] + [name for name, _ in MIX]


def start_app(database: str, processes: Processes, logs, app_dir: Path):
    secret, port = secrets.token_hex(16), free_port()
    processes.start("fake WeChat", [sys.executable, "-m", "fakes.wechat_server", "--port", str(port),
                                    "--appid", FAKE_APPID, "--secret", secret], logs / "fake_wechat.log")
    wait_for(f"http://127.0.0.1:{port}/cgi-bin/token", 10)
    os.environ.update({**bench_env(database), **RATE_LIMITS, "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
                       "WECHAT_API_BASE": f"http://127.0.0.1:{port}", "WECHAT_APPID": FAKE_APPID,
                       "WECHAT_SECRET": secret, "PUBLIC_BASE_URL": "https://jiashu.example.cn", "LOG_LEVEL": "WARNING"})
    import logging
    logging.getLogger("jiashu.request").disabled = True     # gunicorn's would go to a file; here it is noise
    sys.path.insert(0, str(app_dir))    # the app (wsgi, app, config) from that checkout; the benchmark from this one
    from wsgi import app
    print(f"app from {Path(sys.modules['app'].__file__).parent.parent}", flush=True)
    return app


def counters(app):
    """Running counts of SQL statements and Redis commands sent by the app (and the statements, in "sent")."""
    from redis import Redis
    from sqlalchemy import event

    from app.web.extensions import db
    counts = {"sql": 0, "redis": 0, "sent": []}

    def sent(conn, cursor, statement, *args):
        counts["sql"] += 1
        counts["sent"].append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", sent)
    original = Redis.execute_command

    def counted(self, *args, **options):
        counts["redis"] += 1
        return original(self, *args, **options)

    Redis.execute_command = counted
    return counts


def send(client, text: str) -> int:
    method, path, token, key, body = text.split("\t")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    if body:
        headers["Content-Type"] = "application/json"
    return client.open(path, method=method, headers=headers, data=body.encode() or None).status_code


def package_of(filename: str) -> str:
    """The installed package, "app", "bench", "stdlib" or "builtin" a profiled function's file belongs to."""
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    if filename == "~" or filename.startswith("<"):
        return "builtin"
    for top in ("app", "bench", "fakes"):
        if f"/{top}/" in filename:
            return top
    return "stdlib"


def by_package(stats: pstats.Stats) -> dict:
    """Own CPU seconds per package; a builtin's or the standard library's are its callers' (isinstance() called
    by SQLAlchemy is SQLAlchemy's cost), split by what each caller spent in it."""
    totals: dict = {}
    for (filename, _, _), (_, _, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        package = package_of(filename)
        if package in ("builtin", "stdlib") and callers:
            for (caller_file, _, _), (_, _, spent, _) in callers.items():
                totals[package_of(caller_file)] = totals.get(package_of(caller_file), 0) + spent
        else:
            totals[package] = totals.get(package, 0) + own
    return totals


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DB_PREFIX)
    parser.add_argument("--requests", type=int, default=300, help="per endpoint")
    parser.add_argument("--profile", choices=ENDPOINTS)
    parser.add_argument("--only", nargs="+", choices=ENDPOINTS, help="these endpoints")
    parser.add_argument("--statements", choices=ENDPOINTS, help="print one request's SQL")
    parser.add_argument("--calls", action="store_true",
                        help="count Python function calls a request (cProfile: the same whatever else runs)")
    parser.add_argument("--seed", type=int, default=None, help="of the requests drawn")
    parser.add_argument("--app-dir", type=Path, default=ROOT,
                        help="measure the app of another checkout (e.g. a `git worktree` of an older commit)")
    args = parser.parse_args(argv)
    database = check_name(args.database)
    logs = OUT / f"endpoints-{datetime.now():%Y%m%d-%H%M%S}"
    logs.mkdir(parents=True, exist_ok=True)
    conn = psycopg.connect(f"{PG_SERVER}/{database}")
    tokens, processes = Tokens(conn), Processes()
    try:
        # A fresh seed by default: registrations of ID numbers an earlier run registered would be moves.
        work = Workload(conn, tokens, random.Random(args.seed), logs.name)
        names = args.only or ENDPOINTS
        batches = {name: work.lines(name, 1, "mix") * args.requests if name == "healthz"
                   else work.lines(name, args.requests, "mix") for name in names}
        conn.execute("ANALYZE api_token")
        conn.commit()
        conn.autocommit = True        # else pg_stat_activity answers from the transaction's first snapshot
        import redis
        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
        app = start_app(database, processes, logs, args.app_dir.resolve())
        counts = counters(app)
        client = app.test_client()
        meter = CpuMeter(os.getpid(), conn, database)
        for name, lines in batches.items():
            for text in lines[:20]:                                 # warm caches and pools first
                send(client, text)
            lines = lines[20:]
            if name == args.statements:
                counts["sent"].clear()
                send(client, lines.pop())
                print(f"-- the SQL of one {name} request:\n" + ";\n".join(counts["sent"]) + ";")
            counts["sent"].clear()
            before, started = dict(counts), time.process_time()
            meter.start()
            profiled = name == args.profile or args.calls
            profiler = cProfile.Profile(time.process_time) if profiled else None  # CPU, not waits
            if profiler:
                profiler.enable()
            statuses = [send(client, text) for text in lines]
            if profiler:
                profiler.disable()
            app_ms = 1000 * (time.process_time() - started) / len(lines)
            db_ms = meter.stop(len(lines))["db_ms_per_request"]
            failed = sorted({s for s in statuses if not 200 <= s < 300})
            print(f"{name:14} app {app_ms:6.2f} ms  PostgreSQL {db_ms:5.2f} ms  "
                  f"SQL {(counts['sql'] - before['sql']) / len(lines):5.1f}  "
                  f"Redis {(counts['redis'] - before['redis']) / len(lines):4.1f} a request"
                  + (f"  NON-2xx: {failed}" if failed else ""), flush=True)
            if profiler and args.calls:
                calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
                print(f"{'':14} {calls / len(lines):8.0f} Python function calls a request")
            if profiler and name == args.profile:
                stats = pstats.Stats(profiler)
                stats.dump_stats(logs / f"{name}.prof")   # for snakeviz, or pstats at leisure
                print(f"own CPU time by package, ms a request (of {app_ms:.2f} under the profiler):")
                for package, seconds in sorted(by_package(stats).items(), key=lambda item: -item[1])[:16]:
                    print(f"  {package:24} {1000 * seconds / len(lines):6.3f}")
                for order in ("tottime", "cumulative"):
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(30)
                    print(out.getvalue())
    finally:
        tokens.delete()
        processes.stop_all()


if __name__ == "__main__":
    main()
