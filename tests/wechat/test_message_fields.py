"""Subscribe-message values in the shape each kind of field takes."""
from datetime import UTC, datetime, timedelta, timezone

import pytest

from wechat.message_fields import kind_of, moment_value, text_value

CHINA = timezone(timedelta(hours=8))


def test_a_keyword_declares_its_kind():
    assert [kind_of(k) for k in ("thing1", "time3", "character_string12", "phrase2")] == \
        ["thing", "time", "character_string", "phrase"]
    for keyword in ("thing", "1thing", "things1", "Thing1", "time_3"):
        with pytest.raises(ValueError, match=keyword):
            kind_of(keyword)


def test_texts_fit_their_field_and_are_never_empty():
    assert text_value("thing", "楼道灯\n不亮  了") == "楼道灯 不亮 了"
    assert text_value("thing", "一二三四五六七八九十" * 2) == "一二三四五六七八九十" * 2
    assert text_value("thing", "一二三四五六七八九十" * 2 + "!") == "一二三四五六七八九十一二三四五六七八九…"
    assert text_value("thing", " \n") == text_value("phrase", "OK") == "无"
    assert text_value("phrase", "已受理 (No. 12)") == "已受理" and text_value("phrase", "请尽快到社区办理") == "请尽快到社"


def test_times_are_written_as_wechat_documents_in_china_time_only():
    moment = datetime(2026, 12, 7, 7, 1, tzinfo=UTC).astimezone(CHINA)
    assert moment_value("time", moment) == "2026年12月7日 15:01" and moment_value("date", moment) == "2026年12月7日"
    with pytest.raises(ValueError, match="China time"):
        moment_value("time", datetime(2026, 12, 7, 7, 1, tzinfo=UTC))
