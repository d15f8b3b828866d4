"""`flask db upgrade` on an empty database builds exactly the schema the models describe."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.web.extensions import db
from config import TestConfig


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A brand-new database beside the test one (PostgreSQL), or a new SQLite file."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_matches_models_and_downgrades_cleanly(empty_database):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_an_activitys_token_becomes_its_first_qr_code_and_comes_back_on_downgrade(empty_database):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade(revision="f3bf7843b8df")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO community (id, code, name, created_at) VALUES (1, 'SQ', '胜泉社区', "
                              "CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO staff (id, community_id, username, password_hash, role, name, phone, active,"
                              " created_at) VALUES (1, 1, 'admin', 'x', 'admin', '管理员', '13700000000', true, "
                              "CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO activity (id, community_id, title, place, starts_at, ends_at, points, token, "
                              "created_by_id, created_at) VALUES (1, 1, '义诊', '广场', CURRENT_TIMESTAMP, "
                              "CURRENT_TIMESTAMP, 5, 'Ab3dEf7hIj9kLm1nOp2qRs', 1, CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT token, activity_id, version, revoked_at FROM qr_code")).all() == [
                ("Ab3dEf7hIj9kLm1nOp2qRs", 1, 1, None)]
        downgrade(revision="f3bf7843b8df")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT token FROM activity")).scalar() == "Ab3dEf7hIj9kLm1nOp2qRs"
            assert conn.execute(text("SELECT count(*) FROM qr_code")).scalar() == 0
        downgrade(revision="base")
        db.engine.dispose()
