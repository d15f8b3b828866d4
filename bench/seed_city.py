"""Seed a city-sized data set into its own PostgreSQL database, fast (COPY), for the load benchmark.

    .venv/bin/python -m bench.seed_city [--database jiashu_bench] [--communities 100] [--requests 1000000] ...

What it makes (defaults): 100 communities × 20 grids × 10 buildings × 10 flats = 200,000 households, each
community with an admin, 20 grid heads, 2 police officers (10 grids each), a unit leader per building and a
十联户 head per building's 10 flats (42,300 staff); 300,000 residents in 85 % of the households, every ID
number really encrypted with the app's AES-GCM cipher and blind-indexed (HMAC) one by one — that costs ~3 µs
a row, so no ciphertext is reused; a WeChat identity for every head and a fifth of the other members; a QR
code per household and per officer; the 7 default categories per community; 1,000,000 service requests
filed over the past 365 days with their timelines (file, escalate, accept, note, mediate, resolve, rate) and
a mediation record per dispute. Open, accepted, resolved and closed follow from each request's age.

The schema comes from `flask db upgrade` (the migrations); any index the models declare that the migrations do
not create yet is then created from the models, any the models no longer declare is dropped, both named in the
output (the migrations then need regenerating). Foreign keys and plain indexes of the
loaded tables are dropped for the load and put back afterwards (foreign keys validated), then VACUUM ANALYZE.

It only ever creates or drops a database whose name starts with `jiashu_bench`. The app settings the seed
encrypts with (SECRET_KEY, ID_ENCRYPTION_KEYS, ID_BLIND_INDEX_KEY) come from `bench_env()`; bench/load.py
starts gunicorn with the same ones. These keys are derived from fixed labels: benchmark data only.
"""
import argparse
import base64
import bisect
import hashlib
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
DB_PREFIX = "jiashu_bench"
NOTICE_VERSION = "2026-11"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰凤志文斌浩宇欣怡子涵梓萱一诺"
DISTRICTS = ["历下", "市中", "槐荫", "天桥", "历城", "长清", "章丘", "济阳", "莱芜", "钢城"]
ROADS = ["泉城路", "经十路", "解放路", "和平路", "文化路", "山大路", "历山路", "花园路", "工业南路", "二环东路"]
# Region codes of the seeded ID numbers (Jinan); the load benchmark registers people from other regions.
REGIONS = ["370102", "370103", "370104", "370105", "370112", "370113", "370114", "370115"]
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCES = [("四川", "成都"), ("河南", "郑州"), ("安徽", "合肥"), ("湖北", "武汉"), ("江苏", "南京")]
RELATIONS = ["配偶", "子", "女", "父亲", "母亲", "孙子", "孙女"]
# (code, name, deadline hours, first responder, dispute) as app/requests/categories.py DEFAULTS, with weights.
CATEGORY_WEIGHTS = {"repair": 30, "dispute": 10, "safety": 10, "sanitation": 20, "welfare": 8, "care": 7,
                    "other": 15}
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _key(label: str) -> str:
    return base64.b64encode(hashlib.sha256(f"jiashu benchmark only: {label}".encode()).digest()).decode()


def bench_env(database: str) -> dict:
    """The app's environment for the benchmark database (production mode, fixed benchmark-only keys)."""
    return {
        "JIASHU_ENV": "production",
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "SECRET_KEY": _key("secret key"),
        "ID_ENCRYPTION_KEYS": "bench1:" + _key("id encryption key"),
        "ID_BLIND_INDEX_KEY": _key("blind index key"),
        "WECHAT_FAKE_IN_PRODUCTION": "1",   # production mode against the loopback fake WeChat, knowingly
    }


def id_number(region: str, born: date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


def qr_token(rng: random.Random) -> str:
    n, out = rng.getrandbits(131), []
    for _ in range(22):
        n, r = divmod(n, 62)
        out.append(B62[r])
    return "".join(out)


def check_name(database: str) -> str:
    if not database.startswith(DB_PREFIX) or not database.replace("_", "").isalnum():
        raise SystemExit(f"refusing database {database!r}: the benchmark only touches databases named {DB_PREFIX}*")
    return database


@contextmanager
def step(label: str, timings: dict):
    started = time.perf_counter()
    print(f"  {label} …", end="", flush=True)
    yield
    timings[label] = time.perf_counter() - started
    print(f" {timings[label]:.1f} s", flush=True)


class City:
    """The generated rows, kept as plain lists while the tables are written."""

    def __init__(self, args, cipher, now):
        self.a, self.cipher, self.now = args, cipher, now
        self.rng = random.Random(args.seed)
        self.password_hash = None
        self.staff_role = {}       # staff id -> role value
        self.admin_of = {}         # community id -> admin staff id
        self.grid_head = {}        # grid id -> staff id
        self.unit_leader = {}      # unit id -> staff id
        self.joint_head = {}       # unit id -> staff id (one 十联户 head for a building's flats)
        self.house_place = []      # household id - 1 -> (community, grid, unit)
        self.head_identity = {}    # household id -> wechat identity id of its confirmed head
        self.registered = []       # household ids with a confirmed head

    def name(self):
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))

    def phone(self):
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"


def copy_rows(cur, table: str, columns: list[str], rows) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def gen_places(city: City, cur, counts: dict):
    a, rng, now = city.a, city.rng, city.now
    created = now - timedelta(days=400)
    communities, grids, units, houses, staff, jurisdictions, categories, codes = [], [], [], [], [], [], [], []
    staff_id = 0

    def add_staff(community, username, role, name, phone, title=None, station=None):
        nonlocal staff_id
        staff_id += 1
        # Role is a non-native Enum without values_callable: the column holds the member's name (GRID_HEAD).
        staff.append((staff_id, community, username, city.password_hash, role.upper(), name, phone, title,
                      station, True, created))
        city.staff_role[staff_id] = role
        return staff_id

    grid_id = unit_id = house_id = 0
    for c in range(1, a.communities + 1):
        district = DISTRICTS[(c - 1) % len(DISTRICTS)]
        cname = f"{district}第{c}社区"
        communities.append((c, f"C{c:03d}", cname, None, created))
        city.admin_of[c] = add_staff(c, f"c{c:03d}-admin", "admin", city.name(), city.phone())
        officers = [add_staff(c, f"c{c:03d}-police{p + 1}", "police", city.name(), city.phone(), "社区民警",
                              f"{district}派出所") for p in range(2)]
        for g in range(1, a.grids + 1):
            grid_id += 1
            head = add_staff(c, f"c{c:03d}-grid{g:02d}", "grid_head", city.name(), city.phone())
            city.grid_head[grid_id] = head
            grids.append((grid_id, c, g, f"第{g}网格", head))
            officer = officers[(g - 1) * len(officers) // a.grids]
            jurisdictions.append((len(jurisdictions) + 1, officer, c, grid_id))
            for u in range(1, a.units + 1):
                unit_id += 1
                building = (g - 1) * a.units + u
                leader = add_staff(c, f"c{c:03d}-g{g:02d}-u{u:02d}-leader", "unit_leader", city.name(),
                                   city.phone())
                joint = add_staff(c, f"c{c:03d}-g{g:02d}-u{u:02d}-joint", "joint_head", city.name(),
                                  city.phone())
                city.unit_leader[unit_id], city.joint_head[unit_id] = leader, joint
                units.append((unit_id, grid_id, u, f"{building}号楼", leader))
                road = ROADS[(c + g) % len(ROADS)]
                for d in range(a.doors):
                    house_id += 1
                    floor, room = d // 2 + 1, d % 2 + 1
                    door = f"{floor}0{room}"
                    houses.append((house_id, c, grid_id, unit_id, door, f"C{c:03d}-{g:02d}-{u:02d}-{door}",
                                   f"{cname}{road}{building}号楼{door}室", city.name(), city.phone(), joint,
                                   created))
                    city.house_place.append((c, grid_id, unit_id))
                    codes.append((len(codes) + 1, qr_token(rng), house_id, None, 1, None, rng.randrange(0, 6),
                                  created))
        for officer in officers:
            codes.append((len(codes) + 1, qr_token(rng), None, officer, 1, None, 0, created))
    from app.requests.categories import DEFAULTS
    categories = [((c - 1) * len(DEFAULTS) + k + 1, c, code, name, None, hours, responder, dispute, True, created)
                  for c in range(1, a.communities + 1) for k, (code, name, hours, responder, dispute)
                  in enumerate(DEFAULTS)]
    city.categories = DEFAULTS
    counts["community"] = copy_rows(cur, "community", ["id", "code", "name", "letter_template", "created_at"],
                                    communities)
    counts["staff"] = copy_rows(cur, "staff", ["id", "community_id", "username", "password_hash", "role", "name",
                                               "phone", "title", "station", "active", "created_at"], staff)
    counts["grid"] = copy_rows(cur, "grid", ["id", "community_id", "number", "name", "head_id"], grids)
    counts["jurisdiction"] = copy_rows(cur, "jurisdiction", ["id", "staff_id", "community_id", "grid_id"],
                                       jurisdictions)
    counts["unit"] = copy_rows(cur, "unit", ["id", "grid_id", "number", "name", "leader_id"], units)
    counts["household"] = copy_rows(cur, "household", [
        "id", "community_id", "grid_id", "unit_id", "door", "code", "address", "head_name", "head_phone",
        "joint_head_id", "created_at"], houses)
    counts["qr_code"] = copy_rows(cur, "qr_code", ["id", "token", "household_id", "staff_id", "version",
                                                   "revoked_at", "scans", "created_at"], codes)
    counts["category"] = copy_rows(cur, "category", [
        "id", "community_id", "code", "name", "description", "deadline_hours", "first_responder", "is_dispute",
        "active", "created_at"], categories)


def gen_people(city: City, cur, counts: dict):
    """Residents (real per-row encryption) and the WeChat identities of heads and some members."""
    a, rng, now, cipher = city.a, city.rng, city.now, city.cipher
    n_houses = len(city.house_place)
    registered = sorted(rng.sample(range(1, n_houses + 1), round(n_houses * a.registered_share)))
    sizes = dict.fromkeys(registered, 1)
    extra = max(0, a.residents - len(registered))
    while extra:
        house = registered[rng.randrange(len(registered))]
        if sizes[house] < 6:
            sizes[house] += 1
            extra -= 1
    city.registered = registered
    residents, identities = [], []
    person = identity = 0
    base_day = date(1935, 1, 1)

    def next_id_number():
        nonlocal person
        k, seq = divmod(person, 1000)
        region = REGIONS[k % len(REGIONS)]
        born = base_day + timedelta(days=(k // len(REGIONS)) * 7919 % 29000)
        person += 1
        return id_number(region, born, seq)

    for house in registered:
        joined = now - timedelta(days=rng.uniform(30, 400))
        head_id = None
        for m in range(sizes[house]):
            number = next_id_number()
            is_head = m == 0
            confirmed = is_head or rng.random() > 0.03
            kind = rng.choices(["permanent", "tenant", "returning_migrant", "temporary"], [80, 12, 5, 3])[0]
            origin = (None, None, None, None)
            if kind == "returning_migrant":
                province, town = rng.choice(PROVINCES)
                back = (now - timedelta(days=rng.uniform(1, 365))).date()
                origin = (province, town, back, rng.randrange(7, 120))
            rid = person  # ids follow the ID-number counter (1-based after the increment)
            residents.append((
                rid, house, city.name(), "本人" if is_head else rng.choice(RELATIONS),
                city.phone() if is_head or rng.random() < 0.5 else None, is_head, confirmed, joined,
                cipher.encrypt(number), cipher.blind_index(number), number[:3] + "*" * 11 + number[-4:],
                kind.upper(), *origin, None if is_head else head_id, None, NOTICE_VERSION, joined,
                joined if confirmed else None))
            if is_head:
                head_id = rid
            if is_head or rng.random() < 0.2:
                identity += 1
                openid = "o" + qr_token(rng)[:27]
                identities.append((identity, openid, None, None, rid if confirmed else None,
                                   cipher.encrypt(base64.b64encode(rng.randbytes(16)).decode()), None, joined))
                if is_head:
                    city.head_identity[house] = identity
    gen_audit(city, cur, counts, residents)
    counts["resident"] = copy_rows(cur, "resident", [
        "id", "household_id", "name", "relationship_to_head", "phone", "is_head", "confirmed", "created_at",
        "id_number_cipher", "id_number_index", "id_number_masked", "residence_type", "from_province", "from_city",
        "return_date", "stay_days", "registered_by_id", "move_from_household_id", "consent_version", "consent_at",
        "confirmed_at"], residents)
    counts["wechat_identity"] = copy_rows(cur, "wechat_identity", [
        "id", "openid", "unionid", "staff_id", "resident_id", "session_key_sealed", "phone", "created_at"],
        identities)


REVEAL_REASONS = ["核实户籍信息", "走访核对身份", "联系家属", "办理社保救助核实"]


def gen_audit(city: City, cur, counts: dict, residents: list):
    """The audit trail the registrations and the grid heads' reveals leave: each resident's registration, and a
    reveal of about one resident in thirty by their grid head, with a reason, at some time since."""
    rng, now = city.rng, city.now
    rows = []
    for resident in residents:
        rid, house, joined = resident[0], resident[1], resident[7]
        community, grid, _ = city.house_place[house - 1]
        rows.append((joined, None, None, "resident", "register", "resident", str(rid), None, community))
        if rng.random() < 1 / 30:
            at = joined + (now - joined) * rng.random()
            rows.append((at, city.grid_head[grid], None, "grid_head", "reveal", "resident", str(rid),
                         rng.choice(REVEAL_REASONS), community))
    rows.sort(key=lambda row: row[0])   # the table fills in time order, as the app writes it
    counts["audit_event"] = copy_rows(cur, "audit_event", [
        "id", "at", "actor_staff_id", "actor_wechat_id", "role", "action", "object_type", "object_id", "reason",
        "community_id"], ((i, *row) for i, row in enumerate(rows, start=1)))


NOTES = ["已联系物业上门查看", "已安排维修人员", "正在协调相关部门", "已电话回访居民"]
RESOLUTIONS = ["已修复，居民确认", "已协调解决", "已清理完毕", "已办理完成", "双方达成一致"]
DESCRIPTIONS = {
    "repair": ["楼道灯不亮了", "单元门禁坏了", "水管漏水，请尽快处理", "电梯有异响"],
    "dispute": ["楼上噪音扰民", "邻居占用楼道堆放杂物", "停车位纠纷"],
    "safety": ["楼道电动车充电有隐患", "井盖松动", "消防通道被堵"],
    "sanitation": ["垃圾桶满了没人清理", "楼下有积水", "绿化带有垃圾"],
    "welfare": ["咨询低保申请", "医保报销问题", "申请临时救助"],
    "care": ["独居老人需要上门看望", "申请助餐服务", "轮椅借用"],
    "other": ["咨询社区活动", "建议增加健身器材", "快递柜位置建议"],
}


def gen_requests(city: City, cur, events_cur, counts: dict):
    """Service requests over the past year, their timeline events, and mediation for the disputes.

    The events stream through a second connection's COPY while the requests are written: four million
    event tuples would otherwise sit in memory."""
    a, rng, now = city.a, city.rng, city.now
    cats = city.categories
    codes = [c[0] for c in cats]
    cum = []
    total = 0
    for code in codes:
        total += CATEGORY_WEIGHTS[code]
        cum.append(total)
    year = 365 * 86400.0
    # Filing instants, oldest first, so ids grow with time as they would in production.
    offsets = sorted((rng.random() * year for _ in range(a.requests)), reverse=True)
    registered, head_identity = city.registered, city.head_identity
    n_registered = len(registered)
    now_ts = now.timestamp()
    hour = 3600.0
    ts = datetime.fromtimestamp
    utc = UTC
    role = city.staff_role
    req_cols = ["id", "community_id", "grid_id", "household_id", "category_id", "description", "source",
                "filed_by_wechat_id", "status", "handler_id", "escalation_level", "filed_at", "due_at", "escalate_at",
                "accepted_at", "resolved_at", "resolution_note", "rating", "rating_comment", "updated_at"]
    ev_cols = ["id", "request_id", "at", "action", "actor_staff_id", "actor_wechat_id", "role", "from_status",
               "to_status", "handler_id", "note"]
    med_cols = ["id", "request_id", "kind", "outcome", "mediator", "note", "updated_at"]
    mediations = []
    tally = {"open": 0, "accepted": 0, "resolved": 0, "closed": 0}
    ev_id = 0

    def event(rid, at, action, staff, wechat, who, before, after, handler, note=None):
        nonlocal ev_id
        ev_id += 1
        ev_copy.write_row((ev_id, rid, ts(at, utc), action, staff, wechat, who, before, after, handler, note))

    def request_rows():
        for rid, offset in enumerate(offsets, start=1):
            filed = now_ts - offset
            # Office hours are busier: nudge a third of the filings into 8:00-20:00 China time.
            if rng.random() < 0.33:
                filed = filed - (filed % 86400) + rng.uniform(0, 12 * hour)
                filed = min(filed, now_ts - 60)
            house = registered[rng.randrange(n_registered)]
            community, grid, unit = city.house_place[house - 1]
            k = bisect.bisect_right(cum, rng.random() * total)
            code, _, deadline, responder, dispute = cats[k]
            category = (community - 1) * len(cats) + k + 1
            filer = head_identity[house]
            if responder == "unit_leader":
                level, handler = 0, city.unit_leader[unit]
            elif responder == "joint_head":
                level, handler = 0, city.joint_head[unit]
            else:
                level, handler = 1, city.grid_head[grid]
            due = filed + deadline * hour
            accept_at = filed + rng.expovariate(1 / (0.12 * deadline * hour))
            resolve_at = accept_at + rng.expovariate(1 / (0.45 * deadline * hour))
            stuck = rng.random() < 0.004   # forgotten: escalated up to the admin, still not finished
            event(rid, filed, "file", None, filer, "resident", None, "open", handler)
            status, accepted, resolved, rating, note = "open", None, None, None, None
            escalate_at = filed + deadline * hour if level < 2 else None
            if stuck and due < now_ts:
                level, handler, escalate_at = 2, city.admin_of[community], None
                event(rid, due, "escalate", None, None, None, "open", "open", handler)
                accept_at = due + rng.uniform(0, 48 * hour)
                resolve_at = now_ts + 1
            last = filed
            if accept_at < now_ts:
                status, accepted = "accepted", accept_at
                event(rid, accept_at, "accept", handler, None, role[handler], "open", "accepted", handler)
                last = accept_at
                if dispute:
                    at = min(accept_at + rng.uniform(1, 24) * hour, now_ts - 1)
                    outcome = None
                    if resolve_at < now_ts:
                        outcome = rng.choices(["resolved", "not_resolved", "referred"], [78, 12, 10])[0]
                    mediations.append((len(mediations) + 1, rid,
                                       rng.choices(["peoples", "judicial", "pre_complaint", "industry"],
                                                   [70, 10, 10, 10])[0], outcome, city.name(), None,
                                       ts(max(at, min(resolve_at, now_ts - 1)), utc)))
                    event(rid, at, "mediate", handler, None, role[handler], status, status, handler)
                if rng.random() < 0.25:
                    at = accept_at + (min(resolve_at, now_ts) - accept_at) * rng.random()
                    event(rid, at, "note", handler, None, role[handler], "accepted", "accepted", handler,
                          rng.choice(NOTES))
                if resolve_at < now_ts:
                    status, resolved, escalate_at = "resolved", resolve_at, None
                    note = rng.choice(RESOLUTIONS)
                    event(rid, resolve_at, "resolve", handler, None, role[handler], "accepted", "resolved",
                          handler, note)
                    last = resolve_at
                    rate_at = resolve_at + rng.expovariate(1 / (20 * hour))
                    if rng.random() < 0.7 and rate_at < now_ts and rate_at < resolve_at + 7 * 86400:
                        status = "closed"
                        rating = rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 4, 3])[0]
                        event(rid, rate_at, "rate", None, filer, "resident", "resolved", "closed", handler)
                        last = rate_at
            tally[status] += 1
            if escalate_at is not None and status in ("resolved", "closed"):
                escalate_at = None
            yield (rid, community, grid, house, category, rng.choice(DESCRIPTIONS[code]), "wechat", filer, status,
                   handler, level, ts(filed, utc), ts(due, utc), ts(escalate_at, utc) if escalate_at else None,
                   ts(accepted, utc) if accepted else None, ts(resolved, utc) if resolved else None, note, rating,
                   None, ts(last, utc))

    with events_cur.copy(f"COPY request_event ({', '.join(ev_cols)}) FROM STDIN") as ev_copy:
        counts["service_request"] = copy_rows(cur, "service_request", req_cols, request_rows())
    counts["request_event"] = ev_id
    counts["mediation"] = copy_rows(cur, "mediation", med_cols, mediations)
    city.status_tally = tally


BULK_TABLES = ["community", "staff", "grid", "jurisdiction", "unit", "household", "qr_code", "category", "resident",
               "wechat_identity", "audit_event", "service_request", "request_event", "mediation"]


def build_schema(database: str, timings: dict):
    env = {**os.environ, **bench_env(database), "FLASK_APP": "wsgi.py"}
    with step("schema: flask db upgrade", timings):
        subprocess.run([str(ROOT / ".venv/bin/flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Indexes the models declare that the migrations do not (yet) create: made from the models, and named.
    os.environ.update(bench_env(database))
    from sqlalchemy import inspect

    from app import create_app
    from app.web.extensions import db
    app = create_app()
    added, dropped = [], []
    with app.app_context():
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            present = {ix["name"] for ix in inspector.get_indexes(table.name)}
            constraints = {uq["name"] for uq in inspector.get_unique_constraints(table.name)}
            declared = {index.name for index in table.indexes}
            for index in table.indexes:
                if index.name not in present | constraints:
                    index.create(db.engine)
                    added.append(index.name)
            for name in sorted(present - declared - constraints):
                with db.engine.begin() as conn:
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                dropped.append(name)
        db.engine.dispose()
    return app, added, dropped


def drop_for_load(cur):
    """Drop every foreign key, and the plain (non-constraint) indexes of the loaded tables; give back their DDL."""
    cur.execute("""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE contype = 'f' AND connamespace = 'public'::regnamespace""")
    fks = cur.fetchall()
    cur.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                   JOIN pg_class t ON t.oid = i.indrelid
                   WHERE t.relname = ANY(%s) AND NOT i.indisprimary
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
                (BULK_TABLES,))
    indexes = cur.fetchall()
    for table, name, _ in fks:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    return fks, indexes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DB_PREFIX)
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--grids", type=int, default=20, help="per community")
    parser.add_argument("--units", type=int, default=10, help="buildings per grid")
    parser.add_argument("--doors", type=int, default=10, help="households per building")
    parser.add_argument("--residents", type=int, default=300_000)
    parser.add_argument("--registered-share", type=float, default=0.85, help="households with members")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    database = check_name(args.database)
    timings, counts = {}, {}
    started = time.perf_counter()
    print(f"Seeding {database}: {args.communities} communities × {args.grids} grids × {args.units} buildings × "
          f"{args.doors} flats, {args.residents:,} residents, {args.requests:,} requests", flush=True)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {database}")
    sys.path.insert(0, str(ROOT))
    app, added, dropped = build_schema(database, timings)
    from werkzeug.security import generate_password_hash

    from app.privacy.sealed_fields import id_cipher
    with app.app_context():
        cipher = id_cipher()
    city = City(args, cipher, datetime.now(UTC).replace(microsecond=0))
    city.password_hash = generate_password_hash("bench-password", method="scrypt")  # one hash, every account
    url = f"{PG_SERVER}/{database}"
    with psycopg.connect(url) as conn, conn.cursor() as cur, psycopg.connect(url) as conn2, conn2.cursor() as cur2:
        for c in (cur, cur2):
            c.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '512MB'")
        with step("drop foreign keys and plain indexes for the load", timings):
            fks, indexes = drop_for_load(cur)
            conn.commit()   # the DDL's locks would block the second connection's COPY
        with step("communities, grids, buildings, households, staff, QR codes, categories", timings):
            gen_places(city, cur, counts)
        with step("residents (AES-GCM + HMAC per row), WeChat identities, audit trail", timings):
            gen_people(city, cur, counts)
        with step("service requests, timeline events, mediations", timings):
            gen_requests(city, cur, cur2, counts)
            conn.commit()
            conn2.commit()
        with step(f"recreate {len(indexes)} indexes", timings):
            for _, ddl in indexes:
                cur.execute(ddl)
        with step(f"re-add and validate {len(fks)} foreign keys", timings):
            for table, name, ddl in fks:
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}')
        with step("sequences", timings):
            for table in BULK_TABLES:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)")
        conn.commit()
    with psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True) as conn:
        with step("VACUUM ANALYZE", timings):
            conn.execute("VACUUM ANALYZE")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    total = time.perf_counter() - started
    print("\nRows:")
    for table, n in counts.items():
        print(f"  {table:<16} {n:>10,}")
    print("Requests by status: " + ", ".join(f"{k} {v:,}" for k, v in city.status_tally.items()))
    if added or dropped:
        print("The models differ from the migrations (regenerate them): created from the models "
              f"{', '.join(added) or 'none'}; dropped, no longer in the models: {', '.join(dropped) or 'none'}")
    print(f"Database size {size}; seeded in {total:.1f} s")
    return {"counts": counts, "timings": timings, "total_seconds": total, "added_indexes": added,
            "dropped_indexes": dropped}


if __name__ == "__main__":
    main()
