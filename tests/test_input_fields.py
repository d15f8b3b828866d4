"""Times people give (an activity's start and end) are RFC 3339 with an offset, in this century: one at the
calendar's very ends has no UTC reading and answered 500; now a 422 naming the field."""
from datetime import timedelta

import pytest

from app.clock import utcnow
from tests import factories as f


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                    "1999-12-31T23:59:59+00:00", "2100-01-01T00:00:00+08:00"])
def test_a_time_outside_this_century_is_refused_naming_the_field(client, world, field, moment):
    now = utcnow()
    body = {"title": "社区义诊", "place": "社区广场", "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(), field: moment}
    answer = client.post("/api/activities", headers=f.auth(world.admin_a), json=body)
    assert answer.status_code == 422 and f"{field}: must be a time from 2000 to 2099" in answer.json["message"]


def test_a_time_with_its_offset_is_kept_as_that_moment(client, world):
    answer = client.post("/api/activities", headers=f.auth(world.admin_a), json={
        "title": "社区义诊", "place": "社区广场", "starts_at": "2099-12-31T08:00:00+08:00",
        "ends_at": "2099-12-31T10:00:00+08:00"})
    assert answer.status_code == 201, answer.json
    assert (answer.json["starts_at"], answer.json["ends_at"]) == ("2099-12-31T00:00:00+00:00", "2099-12-31T02:00:00+00:00")
