"""Figures on a seeded data set, checked against values counted by hand."""
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from app.auth.principal import Principal
from app.clock import CHINA
from app.models import Role, ServiceRequest
from app.models.requests import MediationKind, MediationOutcome
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request, perform
from app.web.extensions import db
from tests import factories as f

T0 = datetime(2024, 3, 10, 9, 0, tzinfo=CHINA)
RANGE = "?from=2024-03-01&to=2024-03-15"


def hours(n):
    return T0 + timedelta(hours=n)


class Seeder:
    def __init__(self, world):
        self.world = world

    def file(self, house, wechat, code, at):
        category = category_by_code(house.community_id, code)
        resident = Principal(role=Role.RESIDENT, wechat=wechat)
        req = db.session.get_one(ServiceRequest, file_request(house, category, f"{code} 诉求", wechat, resident,
                                                              now=at).id)
        req.resident = resident
        return req

    def step(self, req, action, at, **data):
        who = req.resident if action == "rate" else Principal(role=req.handler.role, staff=req.handler)
        perform(req, action, who, data, now=at)

    def life(self, req, accepted=None, resolved=None, rating=None):
        if accepted is not None:
            self.step(req, "accept", hours(accepted))
        if resolved is not None:
            self.step(req, "resolve", hours(resolved), note="办结")
        if rating is not None:
            self.step(req, "rate", hours(resolved + 1), rating=rating)


@pytest.fixture
def seeded(world):
    """Grid 1 (house 1):  R1 safety  filed 0h, accepted 2h, resolved 10h (due 24h: on time), rated 5
                          R2 safety  filed 1h, accepted 5h, resolved 31h (due 25h: late),  rated 3
                          R3 dispute filed 0h, accepted 6h, resolved 40h (due 48h: on time); mediated: resolved
                          R4 dispute filed 2h, still open; mediated: not resolved
                          R5 repair  filed ten days later (outside the range), accepted 1h after
       Grid 2 (house 2):  R6 safety  filed 0h, open
                          R7 dispute filed 0h, accepted 2h, resolved 20h (on time), rated 5; mediated: resolved
       Registration: houses 1, 2 and 2b have a confirmed resident; 1b only an unconfirmed one."""
    w, s = world, Seeder(world)
    s.life(s.file(w.house1, w.wechat1, "safety", hours(0)), accepted=2, resolved=10, rating=5)
    s.life(s.file(w.house1, w.wechat1, "safety", hours(1)), accepted=5, resolved=31, rating=3)
    r3 = s.file(w.house1, w.wechat1, "dispute", hours(0))
    s.life(r3, accepted=6, resolved=40)
    s.step(r3, "mediate", hours(41), kind=MediationKind.PEOPLES, outcome=MediationOutcome.RESOLVED)
    r4 = s.file(w.house1, w.wechat1, "dispute", hours(2))
    s.step(r4, "mediate", hours(3), kind=MediationKind.JUDICIAL, outcome=MediationOutcome.NOT_RESOLVED)
    r5 = s.file(w.house1, w.wechat1, "repair", hours(240))
    s.step(r5, "accept", hours(241))
    s.file(w.house2, w.wechat2, "safety", hours(0))
    r7 = s.file(w.house2, w.wechat2, "dispute", hours(0))
    s.life(r7, accepted=2, resolved=20, rating=5)
    s.step(r7, "mediate", hours(21), kind=MediationKind.PRE_COMPLAINT, outcome=MediationOutcome.RESOLVED)
    f.resident(w.house1b, name="未确认", confirmed=False)
    f.resident(w.house2b, name="王五")
    db.session.commit()
    return w


def get(client, who, path):
    response = client.get(path, headers=f.auth(who))
    assert response.status_code == 200, response.json
    return response.json


def test_grid_figures_match_the_hand_count(client, seeded):
    body = get(client, seeded.head1, f"/api/figures/grids/{seeded.grid1.id}{RANGE}")
    assert body["requests"] == 4
    assert body["by_status"] == {"open": 1, "accepted": 0, "resolved": 1, "closed": 2}
    assert body["by_category"] == [{"code": "dispute", "name": "邻里纠纷", "count": 2},
                                   {"code": "safety", "name": "安全隐患", "count": 2}]
    assert body["avg_hours_to_accept"] == 4.0           # (2 + 4 + 6) / 3
    assert body["avg_hours_to_resolve"] == 26.7         # (10 + 30 + 40) / 3
    assert (body["resolved"], body["on_time"], body["on_time_rate"]) == (3, 2, 0.667)
    assert body["satisfaction"] == {"mean": 4.0, "count": 2}
    assert body["disputes"] == {"count": 2, "resolved": 1, "rate": 0.5}
    assert body["registration"] == {"households": 2, "registered": 1, "coverage": 0.5}
    assert (body["from"], body["to"], body["grid"]["id"]) == ("2024-03-01", "2024-03-15", seeded.grid1.id)


def test_community_figures_add_up_the_grids(client, seeded):
    body = get(client, seeded.admin_a, f"/api/figures/community{RANGE}")
    assert body["requests"] == 6
    assert body["by_status"] == {"open": 2, "accepted": 0, "resolved": 1, "closed": 3}
    assert {c["code"]: c["count"] for c in body["by_category"]} == {"safety": 3, "dispute": 3}
    assert body["avg_hours_to_accept"] == 3.5            # (2 + 4 + 6 + 2) / 4
    assert body["avg_hours_to_resolve"] == 25.0          # (10 + 30 + 40 + 20) / 4
    assert body["on_time_rate"] == 0.75                  # 3 of 4
    assert body["satisfaction"] == {"mean": 4.33, "count": 3}
    assert body["disputes"] == {"count": 3, "resolved": 2, "rate": 0.667}
    assert body["registration"] == {"households": 4, "registered": 3, "coverage": 0.75}
    grid2 = body["grids"][1]
    assert (grid2["number"], grid2["requests"], grid2["avg_hours_to_resolve"]) == (2, 2, 20.0)
    assert grid2["satisfaction"] == {"mean": 5.0, "count": 1}
    assert grid2["registration"]["coverage"] == 1.0


def test_without_a_range_everything_counts(client, seeded):
    body = get(client, seeded.admin_a, "/api/figures/community")
    assert body["requests"] == 7 and body["by_status"]["accepted"] == 1
    assert body["avg_hours_to_accept"] == 3.0            # (2 + 4 + 6 + 2 + 1) / 5
    assert body["from"] is None


def test_range_ends_are_china_dates_and_both_included(client, world):
    s = Seeder(world)
    s.file(world.house2, world.wechat2, "other", datetime(2024, 3, 15, 23, 30, tzinfo=CHINA))
    s.file(world.house2, world.wechat2, "other", datetime(2024, 3, 16, 0, 10, tzinfo=CHINA))
    s.file(world.house2, world.wechat2, "other", datetime(2024, 3, 1, 0, 0, tzinfo=CHINA))
    db.session.commit()
    assert get(client, world.admin_a, f"/api/figures/grids/{world.grid2.id}{RANGE}")["requests"] == 2
    assert get(client, world.admin_a, f"/api/figures/grids/{world.grid2.id}?from=2024-03-16")["requests"] == 1


def test_empty_grid_has_counts_of_zero_and_no_rates(client, world):
    body = get(client, world.head2, f"/api/figures/grids/{world.grid2.id}")
    assert body["requests"] == 0 and body["on_time_rate"] is None and body["avg_hours_to_accept"] is None
    assert body["satisfaction"] == {"mean": None, "count": 0}
    assert body["registration"] == {"households": 2, "registered": 1, "coverage": 0.5}


def workbook(client, who, url):
    response = client.get(url, headers=f.auth(who))
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def test_workbook_has_a_row_per_grid_and_the_total(client, seeded):
    book = workbook(client, seeded.admin_a, f"/api/figures/community{RANGE}&format=xlsx")
    rows = list(book["网格 grids"].iter_rows(values_only=True))
    assert rows[0][0] == "胜泉社区 2024-03-01 至 2024-03-15"
    assert rows[1][:2] == ("网格 grid", "诉求数 requests")
    assert [r[0] for r in rows[2:]] == ["第1网格", "第2网格", "合计 total"]
    total = dict(zip(rows[1], rows[4]))
    assert total["诉求数 requests"] == 6 and total["按时办结率 on-time rate"] == 0.75
    assert total["化解率 dispute resolution rate"] == 0.667 and total["登记覆盖率 coverage"] == 0.75
    assert dict(zip(rows[1], rows[2]))["平均办结小时 avg hours to resolve"] == 26.7
    categories = list(book["类别 categories"].iter_rows(values_only=True))
    assert sorted(categories[1:]) == [("dispute", "邻里纠纷", 3), ("safety", "安全隐患", 3)]


def test_a_grids_figures_as_a_workbook(client, seeded):
    """A grid head asked for their grid's figures with format=xlsx and was given JSON."""
    book = workbook(client, seeded.head1, f"/api/figures/grids/{seeded.grid1.id}?format=xlsx")
    same = get(client, seeded.head1, f"/api/figures/grids/{seeded.grid1.id}")
    rows = list(book["网格 grids"].iter_rows(values_only=True))
    assert rows[0][0].startswith("第1网格 全部时间（截至 20")
    assert [r[0] for r in rows[2:]] == ["第1网格"]
    assert dict(zip(rows[1], rows[2]))["诉求数 requests"] == same["requests"] > 0
    assert list(book["类别 categories"].iter_rows(min_row=2, values_only=True)) == [
        (c["code"], c["name"], c["count"]) for c in same["by_category"]]
    assert client.get(f"/api/figures/grids/{seeded.grid2.id}?format=xlsx",
                      headers=f.auth(seeded.head1)).status_code == 404


@pytest.mark.parametrize("start, end, words", [
    ("2024-03-01", "2024-03-15", "2024-03-01 至 2024-03-15"), (None, "2024-03-15", "截至 2024-03-15"),
    ("2024-03-01", None, "2024-03-01 起（截至 2026-12-03）"), (None, None, "全部时间（截至 2026-12-03）")])
def test_the_workbooks_period_reads_as_people_say_it(monkeypatch, start, end, words):
    from datetime import date

    from app.figures import workbook as module
    monkeypatch.setattr(module, "china_today", lambda: date(2026, 12, 3))
    assert module.period_words(start, end) == words


@pytest.mark.parametrize("who, grid", [("head1", "grid2"), ("police1", "grid2"), ("wechat1", "grid1"),
                                       ("admin_b", "grid1"), ("leader", "grid2")])
def test_grid_figures_outside_the_callers_place_are_404(client, seeded, who, grid):
    response = client.get(f"/api/figures/grids/{getattr(seeded, grid).id}", headers=f.auth(getattr(seeded, who)))
    assert response.status_code == 404


def test_police_read_their_jurisdictions_grid(client, seeded):
    assert get(client, seeded.police1, f"/api/figures/grids/{seeded.grid1.id}")["requests"] == 5


def test_community_figures_are_the_admins_own(client, seeded):
    assert get(client, seeded.admin_b, "/api/figures/community")["requests"] == 0
    for path in ("/api/figures/community", "/api/figures/community?format=xlsx"):
        assert client.get(path, headers=f.auth(seeded.head1)).status_code == 403


@pytest.mark.parametrize("query, field", [("?from=2024-03-20&to=2024-03-01", "to"),
                                          ("?from=yesterday", "from"), ("?to=2024-02-30", "to")])
def test_bad_ranges_name_the_field(client, world, query, field):
    response = client.get(f"/api/figures/community{query}", headers=f.auth(world.admin_a))
    assert response.status_code == 422 and f"{field}:" in response.json["message"]


def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_crash(client, world):
    """Found by the fuzz suite: from=0001-01-01 has no UTC midnight and answered 500."""
    for query, field in (("?from=0001-01-01", "from"), ("?to=9999-12-31", "to")):
        response = client.get(f"/api/figures/grids/{world.grid1.id}{query}", headers=f.auth(world.head1))
        assert response.status_code == 422 and f"{field}:" in response.json["message"]
