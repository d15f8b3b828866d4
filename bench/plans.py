"""Query plans of the grid head's queue, of the figures and of every console page (the admin's audit log among
them), as the app really sends them, on the seeded city.

    .venv/bin/python -m bench.plans [--database jiashu_bench] [--out FILE]

Each endpoint runs once through the app (Flask's test client, the benchmark's settings) while every SELECT it
sends is recorded with its parameters; each distinct SELECT then runs again under EXPLAIN (ANALYZE, BUFFERS)
on the same connection. The console's pages are asked by staff signed in through its sign-in form (every seeded
account has the password `bench-password`), and a community's letters are printed by the worker's job. The output
has every plan in full, and a summary: a sequential scan of a table of 10,000 rows or more (households, residents,
requests, their timeline, mediations ...) marks a plan NOT index-backed.
"""
import argparse
import hashlib
import os
import re
import secrets
import sys
import tempfile
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

    os.environ["UPLOAD_DIR"] = tempfile.mkdtemp(prefix="jiashu-plans-")   # the letters job's PDF
    app = create_app()
    started = datetime.now(UTC)
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
        police_id = db.session.execute(text(
            "SELECT id FROM staff WHERE community_id = :c AND role = 'POLICE' ORDER BY id LIMIT 1"),
            {"c": community_id}).scalar()
        unit_id = db.session.execute(text("SELECT id FROM unit WHERE grid_id = :g ORDER BY id LIMIT 1"),
                                     {"g": grid_id}).scalar()
        head, admin = token_for("staff_id", head_id), token_for("staff_id", admin_id)
        db.session.commit()
        consoles = {who: console_of(app, staff_id) for who, staff_id in
                    (("head", head_id), ("admin", admin_id), ("police", police_id))}
        job_id = queue_print(admin_id)
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
            # The console's pages, signed in (a session, no bearer token)
            ("console: grid head's dashboard", "head", "/console/dashboard"),
            ("console: admin's dashboard, last 30 days", "admin", f"/console/dashboard?{month}"),
            ("console: grid head's queue, unfinished", "head", "/console/requests"),
            ("console: grid head's queue, all", "head", "/console/requests?status=all"),
            ("console: grid head's queue, overdue", "head", "/console/requests?overdue=true"),
            ("console: grid head's queue, a category, page 2", "head", "/console/requests?status=all&category=repair&page=2"),
            ("console: grid head's queue, one grid, mine", "head", f"/console/requests?status=all&grid={grid_id}&mine=true"),
            ("console: admin's queue, open", "admin", "/console/requests?status=open"),
            ("console: admin's queue, all", "admin", "/console/requests?status=all"),
            ("console: grid head's registrations", "head", "/console/registrations"),
            ("console: admin's registrations", "admin", "/console/registrations"),
            ("console: grid head's households", "head", "/console/households"),
            ("console: grid head's households, a building, not registered", "head",
             f"/console/households?grid={grid_id}&unit={unit_id}&unregistered=true"),
            ("console: admin's households, page 2", "admin", "/console/households?page=2"),
            ("console: admin's households, not registered", "admin", "/console/households?unregistered=true"),
            ("console: grid head's returning migrants", "head", "/console/returning"),
            ("console: admin's returning migrants, a province", "admin", "/console/returning?province=四川"),
            ("console: grid's returning migrants sheet", "head", f"/console/grids/{grid_id}/returning.xlsx"),
            ("console: police queue, open", "police", "/console/police"),
            ("console: police queue, all", "police", "/console/police?status=all"),
            ("console: letters page", "admin", "/console/letters"),
            ("console: a house's letter found by code", "admin", f"/console/letters?house={house_code(community_id)}"),
            ("console: a letter job's progress", "admin", f"/console/letters/jobs/{job_id}"),
            ("console: big screen figures", "admin", "/console/screen/figures"),
            ("console: admin's audit log, newest first", "admin", "/console/admin/audit"),
            ("console: audit log, page 3", "admin", "/console/admin/audit?page=3"),
            ("console: audit log, reveals of the last 30 days", "admin", f"/console/admin/audit?action=reveal&{month}"),
            ("console: audit log, one grid head's entries", "admin", f"/console/admin/audit?actor={head_id}"),
            ("worker: the community's letters job", None, "run_next_job"),
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
        worst = []
        for label, who, path in calls:
            captured.clear()
            if who is None:   # the worker, in the app's context as `flask worker` runs
                from app.letters.jobs import run_next_job
                status = run_next_job()
                db.session.remove()
            elif who in consoles:
                status = consoles[who].get(path, base_url=HTTPS, headers={"HX-Request": "true"} if "/jobs/" in path
                                           else {}).status_code
            else:
                status = client.get(path, headers={"Authorization": f"Bearer {who}"}).status_code
            statements = list({statement: (statement, parameters) for statement, parameters in captured}.values())
            say(f"=== {label}: GET {path} -> {status}, {len(captured)} SELECTs, {len(statements)} distinct")
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
        for console in consoles.values():
            console.post("/console/logout", base_url=HTTPS, headers=csrf_headers(console))
        db.session.execute(text("DELETE FROM api_token WHERE id = ANY(:ids)"), {"ids": minted})
        db.session.execute(text("DELETE FROM audit_event WHERE object_type = 'grid_returning' AND at > :t"),
                           {"t": started})
        db.session.execute(text("DELETE FROM letter_job WHERE id = :j"), {"j": job_id})
        db.session.commit()
        engine.dispose()
    say("Summary: " + ("every plan is index-backed" if not worst else
                       f"{len(worst)} plan(s) scan a big table: " + "; ".join(f"{label}: {s}" for label, _, s in worst)))
    report = "\n".join(lines)
    if args.out:
        args.out.write_text(report + "\n")
    print(report)
    return not worst


HTTPS = "https://localhost"   # production settings: the console's cookie is Secure, and CSRF checks the referrer
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_headers(client) -> dict:
    page = client.get("/console/login", base_url=HTTPS).get_data(as_text=True)
    return {"X-CSRFToken": CSRF.search(page).group(1), "Referer": f"{HTTPS}/console/login"}


def console_of(app, staff_id):
    """A test client signed in to the console as the staff member, through the sign-in form."""
    from sqlalchemy import text

    from app.web.extensions import db

    username = db.session.execute(text("SELECT username FROM staff WHERE id = :i"), {"i": staff_id}).scalar()
    client = app.test_client()
    answer = client.post("/console/login", base_url=HTTPS, headers=csrf_headers(client),
                         data={"username": username, "password": "bench-password"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client


def queue_print(admin_id: int) -> int:
    """A print of the admin's community, queued as the console's letters page queues it."""
    from app.letters.jobs import queue_job
    from app.models import Staff
    from app.web.extensions import db

    job = queue_job(db.session.get(Staff, admin_id), None)
    db.session.commit()
    return job.id


def house_code(community_id: int) -> str:
    from sqlalchemy import text

    from app.web.extensions import db

    return db.session.execute(text("SELECT code FROM household WHERE community_id = :c ORDER BY code LIMIT 1"),
                              {"c": community_id}).scalar()


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
