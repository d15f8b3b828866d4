"""Ids beyond the database's integer range: no such object (404) in a URL, a 422 naming the field elsewhere.

Found by the fuzz suite: they reached SQL and overflowed (500) on SQLite and PostgreSQL alike."""
from sqlalchemy import func, select

from app.models import Staff
from app.web.extensions import db
from app.web.ids import MAX_ID
from tests import factories as f

HUGE = 10**20


def test_an_id_in_a_url_beyond_any_row_is_404(client, world):
    headers = f.auth(world.admin_a)
    for path in (f"/api/households/{HUGE}", f"/api/grids/{MAX_ID + 1}", f"/api/requests/{HUGE}/photos/1"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.json["message"], path
    assert client.get(f"/api/households/{MAX_ID}", headers=headers).status_code == 404


def test_an_id_in_a_query_or_body_beyond_any_row_is_422_naming_it(client, world):
    headers = f.auth(world.admin_a)
    response = client.get(f"/api/households?grid_id={HUGE}", headers=headers)
    assert response.status_code == 422 and "grid_id" in response.json["message"]
    body = {"username": "new.head", "password": "password-123", "role": "grid_head", "name": "新", "grid_ids": [HUGE]}
    before = db.session.scalar(select(func.count()).select_from(Staff))
    response = client.post("/api/admin/staff", headers=headers, json=body)
    assert response.status_code == 422 and "grid_ids" in response.json["message"]
    assert db.session.scalar(select(func.count()).select_from(Staff)) == before


def test_a_page_far_past_the_end_is_empty(client, world):
    response = client.get(f"/api/households?page={HUGE}", headers=f.auth(world.admin_a))
    assert response.status_code == 200 and response.json == []
