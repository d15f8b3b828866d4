"""Query plans of the grid head's queue, the figures and the admin's audit log, as the app really sends them, on the
seeded city.

    .venv/bin/python -m bench.plans [--database jiashu_bench] [--out FILE]

Each endpoint runs once through the app (Flask's test client, the benchmark's settings; a console page with the
admin's token as its session's sign-in) while every SELECT it
sends is recorded with its parameters; each distinct SELECT then runs again under EXPLAIN (ANALYZE, BUFFERS)
on the same connection. The output has every plan in full, and a summary: a sequential scan of a table of
10,000 rows or more (households, residents, requests, their timeline, mediations ...) marks a plan NOT
index-backed.
"""
import argparse
import hashlib
import os
import re
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from bench.seed_city import DB_PREFIX, bench_env, check_name

ROOT = Path(__file__).resolve().parent.parent
MANY_ROWS = 10_000   # a sequential scan of a table this big marks a plan; smaller ones are cheap either way


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DB_PREFIX)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout whose app to ask (see bench.load)")
    args = parser.parse_args(argv)
    database = check_name(args.database)
    os.environ.update(bench_env(database))
    os.environ["RATELIMIT_ENABLED"] = "0"
    sys.path.insert(0, str(args.app_dir.resolve()))
    from sqlalchemy import event, text

    from app import create_app
    from app.web.extensions import db

    app = create_app()
    captured = []
    lines = []

    def say(line=""):
        lines.append(line)

    with app.app_context():
        engine = db.engine
        minted = []

        def token_for(column, owner):
            token = secrets.token_urlsafe(32)
            minted.append(db.session.execute(text(
                f"INSERT INTO api_token (token_hash, {column}, expires_at, created_at) "
                "VALUES (:h, :o, :e, now()) RETURNING id"),
                {"h": hashlib.sha256(token.encode()).hexdigest(), "o": owner,
                 "e": datetime.now(UTC) + timedelta(hours=1)}).scalar())
            return token

        # A grid of a community in the middle, its head, and the community's admin.
        grid_id, head_id, community_id = db.session.execute(text(
            "SELECT id, head_id, community_id FROM grid WHERE head_id IS NOT NULL ORDER BY id "
            "OFFSET (SELECT count(*) / 2 FROM grid) LIMIT 1")).one()
        admin_id = db.session.execute(text(
            "SELECT id FROM staff WHERE community_id = :c AND role = 'ADMIN' ORDER BY id LIMIT 1"),
            {"c": community_id}).scalar()
        head, admin = token_for("staff_id", head_id), token_for("staff_id", admin_id)
        db.session.commit()
        db.session.remove()

        today = datetime.now(timezone(timedelta(hours=8))).date()
        month = f"from={today - timedelta(days=30)}&to={today}"
        calls = [
            ("grid head's queue, open requests", head, "/api/requests?status=open"),
            ("grid head's queue, all requests (newest first)", head, "/api/requests"),
            ("grid head's queue, page 2", head, "/api/requests?page=2"),
            ("grid figures, last 30 days", head, f"/api/figures/grids/{grid_id}?{month}"),
            ("grid figures, all time", head, f"/api/figures/grids/{grid_id}"),
            ("community figures, last 30 days", admin, f"/api/figures/community?{month}"),
            ("community figures, all time", admin, "/api/figures/community"),
            ("admin's audit log, newest first", admin, "/console/admin/audit"),
            ("audit log, page 3", admin, "/console/admin/audit?page=3"),
            ("audit log, reveals of the last 30 days", admin, f"/console/admin/audit?action=reveal&{month}"),
            ("audit log, one grid head's entries", admin, f"/console/admin/audit?actor={head_id}"),
        ]

        @event.listens_for(engine, "before_cursor_execute")
        def record(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT") and not conn.info.get("explaining"):
                captured.append((statement, parameters))

        big = {name for name, rows in db.session.execute(text(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"))
            if rows >= MANY_ROWS}
        db.session.remove()
        client = app.test_client()
        with client.session_transaction() as session:   # the console's sign-in: the admin's token (app/console/signin.py)
            session["token"], session["seen"] = admin, int(time.time())
        worst = []
        for label, token, path in calls:
            captured.clear()
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            statements = list(captured)
            say(f"=== {label}: GET {path} -> {response.status_code}, {len(statements)} SELECTs")
            with engine.connect() as conn:
                conn.info["explaining"] = True
                for statement, parameters in statements:
                    plan = [row[0] for row in conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
                    seq = sorted({m for line in plan for m in re.findall(r"Seq Scan on (\w+)", line)
                                  if m in big})
                    timing = next((line for line in plan if line.startswith("Execution Time")), "")
                    head_line = " ".join(statement.split())[:150]
                    verdict = "NOT index-backed: sequential scan of " + ", ".join(seq) if seq else "index-backed"
                    say(f"--- {head_line} …")
                    say(f"    params {parameters}")
                    for line in plan:
                        say("    " + line)
                    say(f"    => {verdict}; {timing}")
                    if seq:
                        worst.append((label, head_line, seq))
                del conn.info["explaining"]   # the info stays with the pooled connection, which the app gets next
            say()
        db.session.execute(text("DELETE FROM api_token WHERE id = ANY(:ids)"), {"ids": minted})
        db.session.commit()
        engine.dispose()
    say("Summary: " + ("every plan is index-backed" if not worst else
                       f"{len(worst)} plan(s) scan a big table: " + "; ".join(f"{label}: {s}" for label, _, s in worst)))
    report = "\n".join(lines)
    if args.out:
        args.out.write_text(report + "\n")
    print(report)
    return not worst


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
