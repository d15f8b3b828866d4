"""The residents' mini-program in Debian's Chromium (its H5 build served by the app at /m/, the fake WeChat behind
it): a family registers from the letter on its door, the head confirms a late registrant, and the grid head sees
them all, checked through the grid head's API. axe-core finds nothing serious or critical on the way, and no
request leaves 127.0.0.1.

JIASHU_SCREENSHOTS=docs/screenshots makes the README's screenshots (mp-*.png) on the way."""
import re
from urllib.parse import quote

import pytest

from app.codes.services import reprint
from app.web.extensions import db
from tests import factories as f
from tests.client.conftest import tap
from tests.console.test_browser import accessible, shot
from tests.residents.helpers import letter_token

pytestmark = pytest.mark.usefixtures("browser")


def scan(page, live, token):
    """Open the scan page as a link QR of the letter does: `q` the whole link, URL-encoded once, and its time."""
    page.goto("about:blank")   # a hash change alone does not run the page's onLoad again
    link = f"{live}/s/{token}"
    page.goto(f"/m/#/pages/scan/index?q={quote(link, safe='')}&scancode_time=1765152000")


def field(page, label, nth=0):
    return page.locator(f'uni-input[aria-label="{label}"] input').nth(nth)


def agree(page):
    """Agree to the privacy notice once it has loaded: until then 同意并登记 is disabled, and a tap on it is lost."""
    page.get_by_text(re.compile(r"^版本 ")).first.wait_for()
    tap(page, "同意并登记")


def choose(page, group, option, nth=0):
    page.locator(f'[role="radiogroup"][aria-label="{group}"]').nth(nth).get_by_role("radio", name=option).click()


def member_rows(client, world):
    answer = client.get(f"/api/households/{world.house1b.id}/members", headers=f.auth(world.head1))
    assert answer.status_code == 200
    return {m["name"]: m for m in answer.json}


@pytest.fixture(autouse=True)
def _links_of_this_server(served, live):
    """The printed links name the server the phone reaches (the backend refuses a link to another host)."""
    served.config["PUBLIC_BASE_URL"] = live


def test_a_family_registers_from_the_letter_and_the_grid_head_sees_them(phone, live, client, world):
    token = letter_token(world.house1b)
    head = phone()
    scan(head, live, token)
    head.get_by_text(world.house1b.address).first.wait_for()
    assert head.get_by_text(world.head1.name).count() == 1   # the letter's grid head, and a number to tap
    assert head.locator("uni-button", has_text=re.compile(r"拨打 1[3-9]\d{9}")).count() == 2
    shot(head, "mp-house")
    accessible(head)

    tap(head, "登记住户")
    head.get_by_text("个人信息保护告知书").first.wait_for()
    agree(head)
    field(head, "姓名").fill("赵六")
    field(head, "身份证号码").fill(f.id_number(1)[:-1] + ("0" if f.id_number(1)[-1] != "0" else "1"))
    tap(head, "提交登记")
    error = head.get_by_text("校验码不对")
    error.wait_for()
    assert field(head, "姓名").input_value() == "赵六"   # the input kept beside its error
    field(head, "身份证号码").fill(f.id_number(1))
    field(head, "手机号码（选填）").fill("13800130001")

    tap(head, "添加家庭成员")
    field(head, "姓名", 1).fill("钱七")
    choose(head, "与户主关系", "配偶", 0)
    field(head, "身份证号码", 1).fill(f.id_number(2))
    choose(head, "居住类型", "返乡人员", 1)
    field(head, "从哪个省份返乡").fill("河南")
    field(head, "从哪个城市返乡").fill("周口市")
    field(head, "返乡日期").fill("2026-11-01")
    shot(head, "mp-register")
    accessible(head)
    tap(head, "提交登记")
    head.get_by_text("钱七").first.wait_for()
    assert head.get_by_text("返乡").count()

    rows = member_rows(client, world)
    assert set(rows) == {"赵六", "钱七"} and rows["钱七"]["from_province"] == "河南省"
    returning = client.get(f"/api/grids/{world.grid1.id}/returning", headers=f.auth(world.head1)).json
    assert [(m["name"], m["from_city"], m["return_date"]) for m in returning] == [("钱七", "周口市", "2026-11-01")]

    late = phone()   # the grandmother, on her own phone, after the head
    scan(late, live, token)
    late.get_by_text(world.house1b.address).first.wait_for()
    tap(late, "登记住户")
    agree(late)
    late.get_by_text("这户已有户主").wait_for()
    field(late, "姓名").fill("孙九")
    choose(late, "与户主关系", "母亲")
    field(late, "身份证号码").fill(f.id_number(3, born="19560101"))
    tap(late, "提交登记")
    late.get_by_text("待确认").first.wait_for()

    head.goto("about:blank")
    head.goto("/m/#/pages/household/index")
    tap(head, "确认 孙九")
    head.wait_for_function("() => !document.body.innerText.includes('待确认')")
    shot(head, "mp-household")
    accessible(head)

    rows = member_rows(client, world)
    assert set(rows) == {"赵六", "钱七", "孙九"}
    assert all(m["status"] == "confirmed" for m in rows.values()), rows
    assert f.id_number(1) not in head.content()   # masked on the phone
    for page in (head, late):
        assert not page.outside, page.outside
        assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_a_reprinted_letter_says_so(phone, live, world):
    token = letter_token(world.house1b)
    reprint(world.house1b)
    db.session.commit()
    page = phone()
    scan(page, live, token)
    page.get_by_text("已作废").wait_for()
    accessible(page)
    assert not page.outside
