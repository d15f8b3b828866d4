"""Subscribe messages as WeChat takes them: times in China time as WeChat writes them, texts that fit their field,
and templates whose fields cannot hold what the app puts there refused when the app starts."""
from datetime import UTC, datetime

import pytest

from app import create_app
from app.notifications import templates
from app.notifications.delivery import deliver_due
from app.notifications.notify import notify
from app.web.extensions import db
from config import TestConfig

PRODUCTION_KEY = "A" * 43 + "="   # base64 of 32 bytes (tests/test_app.py)


def test_a_message_shows_china_time_as_wechat_writes_it_and_texts_that_fit(app, world, fake_wechat):
    """created_at (UTC) went out as "2026-12-07 07:01": 8 hours early, in a shape WeChat's time field refuses."""
    note = notify(world.wechat1, "test", "您提交的“楼道灯不亮”已由网格长王芳受理，预计明天上午处理完毕", "  ",
                  page="pages/inbox")
    db.session.commit()
    note.created_at = datetime(2026, 12, 7, 7, 1, tzinfo=UTC)
    db.session.commit()

    assert deliver_due() == {"sent": 1}
    [sent] = fake_wechat.sent
    assert sent["template_id"] == "jiashu-notice"
    assert {key: field["value"] for key, field in sent["data"].items()} == {
        "thing1": "您提交的“楼道灯不亮”已由网格长王芳受…", "thing2": "无", "time3": "2026年12月7日 15:01"}


def test_a_template_per_kind_fills_its_own_fields(app, world, fake_wechat):
    fake_wechat.add_template("TPL-request", "phrase1", "thing2", "date3")
    app.config["WECHAT_TEMPLATES"] = {"request_done": {"template_id": "TPL-request",
                                                       "fields": "phrase1:title,thing2:body,date3:time"}}
    templates.init_app(app)   # as a start with these settings does
    note = notify(world.wechat1, "request_done", "已办结 (request 12)", "楼道灯已修好", page="pages/inbox")
    db.session.commit()
    note.created_at = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)   # already the next day in China
    db.session.commit()

    assert deliver_due() == {"sent": 1}
    assert {key: field["value"] for key, field in fake_wechat.sent[0]["data"].items()} == {
        "phrase1": "已办结", "thing2": "楼道灯已修好", "date3": "2027年1月1日"}


@pytest.mark.parametrize("overrides, named", [
    ({"WECHAT_TEMPLATE_FIELDS": "thing1:title,phrase2:time"}, "phrase2"),
    ({"WECHAT_TEMPLATE_FIELDS": "thing1:title,time2:body"}, "time2"),
    ({"WECHAT_TEMPLATE_FIELDS": "thing1:title,number2:body"}, "number2"),
    ({"WECHAT_TEMPLATE_FIELDS": "thing1:title,thingy2:body"}, "thingy2"),
    ({"WECHAT_TEMPLATE_FIELDS": "thing1:address"}, "thing1"),
    ({"WECHAT_TEMPLATE_FIELDS": ""}, "WECHAT_TEMPLATE_FIELDS"),
    ({"WECHAT_TEMPLATES": {"visit": {"template_id": "TPL-visit", "fields": "thing1:title,character_string2:time"}}},
     "character_string2"),
    ({"WECHAT_TEMPLATES": {"visit": "TPL-visit"}}, r"WECHAT_TEMPLATES\['visit'\]"),
])
def test_a_field_that_cannot_hold_its_value_stops_the_start_naming_it(database_url, overrides, named):
    with pytest.raises(ValueError, match=named):
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)


def test_production_refuses_the_example_template_id(database_url):
    production = {"ENV_NAME": "production", "SECRET_KEY": "a-real-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                  "ID_ENCRYPTION_KEYS": f"k1:{PRODUCTION_KEY}", "ID_BLIND_INDEX_KEY": PRODUCTION_KEY,
                  "WECHAT_APPID": "wx1234567890abcdef", "WECHAT_SECRET": "s" * 32}
    with pytest.raises(RuntimeError, match="WECHAT_TEMPLATE_ID"):
        create_app(TestConfig, **production)
    create_app(TestConfig, **production, WECHAT_TEMPLATE_ID="bDmywsp2oEHjwAadTGKkUJ-eJEiMiOf7H-dZOU1lfSQ")
