"""The migration that made an Open311 caller's contacts fields of the request moves those already kept in the
filing's note ("Open311: 张 三 13800138000 …") into them, and the note away; a downgrade puts the note back."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.web.extensions import db
from config import TestConfig

BEFORE = "3a4336e6087f"
ROWS = """
INSERT INTO community (id, code, name, created_at) VALUES (1, 'SQ', '胜泉社区', '2026-11-01');
INSERT INTO grid (id, community_id, number, name) VALUES (1, 1, 1, '第1网格');
INSERT INTO unit (id, grid_id, number, name) VALUES (1, 1, 1, '1号楼');
INSERT INTO household (id, community_id, grid_id, unit_id, door, code, address, created_at)
    VALUES (1, 1, 1, 1, '101', 'SQ-01-01-101', '1号楼101室', '2026-11-01');
INSERT INTO category (id, community_id, code, name, deadline_hours, is_dispute, active, created_at)
    VALUES (1, 1, 'repair', '维修', 72, false, true, '2026-11-01');
INSERT INTO service_request (id, community_id, grid_id, household_id, category_id, description, source, status,
                             escalation_level, filed_at, due_at, updated_at)
    VALUES (1, 1, 1, 1, 1, '漏水', 'open311', 'open', 1, '2026-11-02', '2026-11-05', '2026-11-02'),
           (2, 1, 1, 1, 1, '漏水', 'open311', 'open', 1, '2026-11-02', '2026-11-05', '2026-11-02'),
           (3, 1, 1, 1, 1, '漏水', 'wechat', 'open', 1, '2026-11-02', '2026-11-05', '2026-11-02');
INSERT INTO request_event (id, request_id, at, action, to_status, note)
    VALUES (1, 1, '2026-11-02', 'file', 'open', 'Open311: 张 三 138-0013-8000 zs@example.cn'),
           (2, 2, '2026-11-02', 'file', 'open', 'Open311: 13900139000'),
           (3, 3, '2026-11-02', 'file', 'open', 'Open311: 不是热线'),
           (4, 1, '2026-11-03', 'accept', 'accepted', 'Open311: 受理');
"""
CALLERS = "SELECT id, caller_first_name, caller_last_name, caller_phone, caller_email FROM service_request ORDER BY id"
NOTES = "SELECT note FROM request_event ORDER BY id"


@pytest.fixture
def migrated_app(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'callers.db'}")
    with app.app_context():
        yield app
        db.engine.dispose()


def rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_callers_move_from_the_note_to_the_request_and_back(migrated_app):
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        for statement in filter(str.strip, ROWS.split(";")):
            conn.execute(text(statement))
    upgrade()
    assert rows(CALLERS) == [(1, "张", "三", "138-0013-8000", "zs@example.cn"), (2, None, None, "13900139000", None),
                             (3, None, None, None, None)]   # only an Open311 request's filing had a caller
    assert rows(NOTES) == [(None,), (None,), ("Open311: 不是热线",), ("Open311: 受理",)]
    downgrade(revision=BEFORE)
    assert rows(NOTES) == [("Open311: 张 三 138-0013-8000 zs@example.cn",), ("Open311: 13900139000",),
                           ("Open311: 不是热线",), ("Open311: 受理",)]
