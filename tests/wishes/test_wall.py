"""The public wish wall shows approved wishes with their text, category, grid and a masked name, and nothing that
finds the person; text others will see passes WeChat's content check first, and a flagged one goes back to the
grid head, never onto the wall."""
import json

from sqlalchemy import func, select

from app.models import Wish
from app.web.extensions import db
from tests import factories as f
from tests.wishes.helpers import post, step


def wall(client, code="SQ"):
    return client.get(f"/api/communities/{code}/wish-wall")


def test_the_wall_leaks_nothing_personal_field_by_field(client, world):
    world.resident1.name = "王小明"
    db.session.commit()
    by_resident = post(client, world.wechat1, text="想要一套儿童绘本", estimated_value=60)
    by_staff = post(client, world.head1, household_id=world.house1b.id, beneficiary_name="赵秀兰",
                    vulnerability="left_behind_child", text="希望有人辅导功课", category="service")
    waiting = post(client, world.wechat2, text="还没审核的心愿")
    for wish in (by_resident, by_staff):
        step(client, world.head1, wish["id"], "approve")
    answer = wall(client)
    assert answer.status_code == 200
    rows = {row["id"]: row for row in answer.json}
    assert set(rows) == {by_resident["id"], by_staff["id"]}   # the submitted one waits
    for row in rows.values():
        assert set(row) == {"id", "text", "category", "grid", "name", "photo", "approved_at"}
    assert rows[by_resident["id"]]["name"] == "王**" and rows[by_staff["id"]]["name"] == "赵**"
    assert rows[by_resident["id"]]["text"] == "想要一套儿童绘本" and rows[by_resident["id"]]["category"] == "goods"
    assert rows[by_staff["id"]]["grid"] == "第1网格" and rows[by_staff["id"]]["category"] == "service"
    # Nothing of the registered houses behind them, anywhere in the answer.
    # (Leaving out the approval time, whose microseconds may hold any digits, the estimated value's among them.)
    raw = json.dumps([{k: v for k, v in row.items() if k != "approved_at"} for row in answer.json], ensure_ascii=False)
    for house in (world.house1, world.house1b):
        for secret in (house.address, house.code, house.head_name, house.head_phone, house.door + "室"):
            assert secret not in raw
    for secret in ("王小明", "赵秀兰", world.resident1.phone, "left_behind_child", "60", world.head1.phone):
        assert secret not in raw
    assert waiting["id"] not in rows


def test_claimed_cancelled_and_other_communities_wishes_are_off_the_wall(client, world):
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    assert len(wall(client).json) == 1
    step(client, world.wechat2, wish["id"], "claim")
    assert wall(client).json == []
    assert wall(client, "DF").json == []
    assert wall(client, "XX").status_code == 404


def test_the_text_passes_wechats_check_with_the_authors_openid(client, world, fake_wechat):
    wish = post(client, world.wechat1, text="想要一副老花镜")
    assert fake_wechat.checked == [(world.wechat1.openid, "想要一副老花镜", 3)]
    assert wish["flagged"] is False
    step(client, world.head1, wish["id"], "approve")
    assert [row["text"] for row in wall(client).json] == ["想要一副老花镜"]


def test_a_flagged_wish_goes_back_to_the_grid_head_never_onto_the_wall(client, world, fake_wechat):
    fake_wechat.flag_text("代购香烟")
    _, head_wechat = world.head1, f.wechat_user("openid-head1")
    head_wechat.staff = world.head1
    db.session.commit()
    wish = post(client, world.wechat1, text="请帮我代购香烟两条")
    assert wish["status"] == "submitted" and wish["flagged"] is True
    assert "复核" in wish["events"][0]["note"]
    as_is = step(client, world.head1, wish["id"], "approve")
    assert as_is.status_code == 422 and as_is.json["message"].startswith("text:")
    still = step(client, world.head1, wish["id"], "approve", text="仍然想代购香烟")
    assert still.status_code == 409
    assert wall(client).json == []
    revised = step(client, world.head1, wish["id"], "approve", text="想要一些日用品")
    assert revised.status_code == 200 and revised.json["flagged"] is False
    assert fake_wechat.checked[-1] == ("openid-head1", "想要一些日用品", 3)   # checked as the grid head's text
    assert [row["text"] for row in wall(client).json] == ["想要一些日用品"]


def test_without_wechat_answering_nothing_is_posted(client, world, fake_wechat):
    fake_wechat.down()
    answer = client.post("/api/wishes", headers=f.auth(world.wechat1), json={"text": "想要一台收音机", "category": "goods"})
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert db.session.scalar(select(func.count(Wish.id))) == 0
