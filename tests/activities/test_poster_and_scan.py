"""An activity's printed poster (A4, PDF or PNG: title, time, place, points and the check-in code of its /a/ link in
the CJK font) and what scanning it answers: GET /api/scan says it is an activity, and a reprint revokes the old
poster (410) as it does a letter."""
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

from app.clock import CHINA, utcnow
from qr.tokens import activity_url
from tests import factories as f
from tests.qr.scan import pdf_fonts, pdf_text, qr_texts

BASE = "https://jiashu.example.cn"


def organise(client, world, starts_at, ends_at):
    answer = client.post("/api/activities", headers=f.auth(world.head1), json={
        "title": "冬季义诊：免费量血压、测血糖", "place": "胜泉社区党群服务中心二楼", "grid_id": world.grid1.id,
        "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "points": 8})
    assert answer.status_code == 201
    return answer.json


@pytest.fixture(autouse=True)
def base(app):
    app.config["PUBLIC_BASE_URL"] = BASE


def token_of(client, who, activity):
    return client.post(f"/api/activities/{activity['id']}/code", headers=f.auth(who)).json["token"]


def test_the_poster_prints_title_time_place_points_and_the_code_in_the_cjk_font(client, world, tmp_path):
    activity = organise(client, world, datetime(2026, 12, 6, 9, 0, tzinfo=CHINA), datetime(2026, 12, 6, 11, 30, tzinfo=CHINA))
    pdf = client.get(f"/api/activities/{activity['id']}/poster", headers=f.auth(world.head1))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == f'inline; filename="activity-{activity["id"]}.pdf"'
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf.data)
    text = "".join(pdf_text(path).split())
    for shown in ("社区活动", "胜泉社区", "冬季义诊：免费量血压、测血糖", "2026年12月06日09:00–11:30",
                  "胜泉社区党群服务中心二楼", "签到可得8积分"):
        assert shown in text, shown
    assert "Identity-H" in pdf_fonts(path)   # the CJK font embedded, not a viewer's substitute
    png = client.get(f"/api/activities/{activity['id']}/poster?format=png", headers=f.auth(world.head1))
    assert png.mimetype == "image/png"
    token = token_of(client, world.head1, activity)   # a reprint: the new poster carries the new link
    png = client.get(f"/api/activities/{activity['id']}/poster?format=png", headers=f.auth(world.head1))
    assert qr_texts(png.data) == [activity_url(BASE, token)]
    assert client.get(f"/api/activities/{activity['id']}/poster", headers=f.auth(world.head2)).status_code == 404
    assert client.get(f"/api/activities/{activity['id']}/poster?format=xlsx",
                      headers=f.auth(world.head1)).status_code == 422


def test_scanning_the_poster_says_it_is_the_activity_and_a_reprint_revokes_it(client, world):
    now = utcnow()
    activity = organise(client, world, now - timedelta(hours=1), now + timedelta(hours=2))
    old = token_of(client, world.head1, activity)
    scanned = client.get("/api/scan", query_string={"q": quote(activity_url(BASE, old), safe="")})
    assert scanned.status_code == 200
    assert (scanned.json["kind"], scanned.json["token"]) == ("activity", old)
    assert {k: v for k, v in scanned.json["activity"].items() if not k.endswith("_at")} == {
        "title": "冬季义诊：免费量血压、测血糖", "place": "胜泉社区党群服务中心二楼", "points": 8, "community": "胜泉社区",
        "grid": "第1网格", "open": True}
    assert scanned.json["activity"]["starts_at"] == activity["starts_at"]
    assert client.get("/api/scan", query_string={"scene": old}).json == scanned.json
    page = client.get(f"/a/{old}")
    shown = page.get_data(as_text=True)   # what the poster prints, for a camera outside WeChat
    assert page.status_code == 200 and all(text in shown for text in ("冬季义诊", "党群服务中心二楼", "签到得 8 分"))
    new = token_of(client, world.head1, activity)
    revoked = client.get("/api/scan", query_string={"q": activity_url(BASE, old)})
    assert revoked.status_code == 410 and "poster" in revoked.json["message"]
    assert client.get(f"/a/{old}").status_code == 410
    assert client.get("/api/scan", query_string={"q": activity_url(BASE, new)}).json["token"] == new
    # A letter's token under /a/ is no activity; another host's link is refused.
    letter = client.get(f"/api/households/{world.house1.id}/code", headers=f.auth(world.head1)).json["token"]
    assert client.get("/api/scan", query_string={"q": activity_url(BASE, letter)}).status_code == 404
    assert client.get("/api/scan", query_string={"q": activity_url("https://evil.example", new)}).status_code == 422
