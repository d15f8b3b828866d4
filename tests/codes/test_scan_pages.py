"""The pages a phone's browser opens on a scanned letter or card: what the letter or card prints, dialling links,
the officer as a contact to save, and "open in WeChat" by a URL Link that WeChat makes once per code."""
import re
import time
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from app.clock import utcnow
from app.codes import urllinks
from app.codes.services import code_for, reprint
from app.letters.content import card_for
from app.models import Household, QrCode, Resident, Role, Staff, StoredValue
from app.notifications.wechat_gateway import wechat_client
from app.web.extensions import db
from qr.card import card_qr_payload
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return unescape(response.get_data(as_text=True))


def card_token(officer) -> str:
    token = code_for(officer).token
    db.session.commit()
    return token


def wechat_link(html: str) -> str | None:
    found = re.search(r'<a class="button wechat" href="([^"]+)">在微信中打开</a>', html)
    return found.group(1) if found else None


def test_a_house_page_shows_the_letter_and_dials_its_contacts(client, world):
    html = page(client, f"/s/{letter_token(world.house1)}")
    assert "胜泉社区　第1网格" in html and world.house1.code in html and world.house1.address in html
    assert "王网格" in html and f'href="tel:{world.head1.phone}"' in html
    assert world.police1.name in html and f'href="tel:{world.police1.phone}"' in html   # the grid's own officer
    assert world.police_all.name not in html


def test_a_house_page_shows_nobody_of_a_registered_household(client, world):
    token = letter_token(world.house1b)
    _, headers = newcomer()
    family = [person("赵六", 1, is_self=True), person("钱七", 2, relationship="子女")]
    assert register(client, token, headers, family, claim_head=True).status_code == 201
    house = db.session.get(Household, world.house1b.id)
    members = db.session.execute(select(Resident.name, Resident.phone, Resident.id_number_masked)
                                 .where(Resident.household_id == house.id)).all()
    assert len(members) == 2
    private = {value for row in members for value in row if value} | {house.head_name, house.head_phone}
    private |= {entry[key] for entry in family for key in ("name", "phone", "id_number")}
    html = page(client, f"/s/{token}")
    assert house.code in html and not [value for value in private if value in html]


def test_a_house_without_a_grid_head_says_so_as_the_letter_does(client, world):
    world.grid1.head = None
    db.session.commit()
    html = page(client, f"/s/{letter_token(world.house1)}")
    assert "网格长</dt><dd><span class=\"name\">（待定）</span></dd>" in html


def test_a_new_grid_head_and_a_reprint_are_seen_at_once(client, world):
    token = letter_token(world.house1)
    assert "王网格" in page(client, f"/s/{token}")
    world.grid1.head = f.staff(world.a, Role.GRID_HEAD, name="新网格长", phone="13600000000")
    db.session.commit()
    html = page(client, f"/s/{token}")
    assert "新网格长" in html and 'href="tel:13600000000"' in html and "王网格" not in html
    new = reprint(world.house1).token
    db.session.commit()
    gone = client.get(f"/s/{token}")
    assert gone.status_code == 410 and "二维码已更换" in gone.get_data(as_text=True)
    assert "新网格长" in page(client, f"/s/{new}")


def test_a_card_page_shows_the_card_and_offers_the_officer_as_a_contact(client, world):
    token = card_token(world.police1)
    html = page(client, f"/c/{token}")
    assert world.police1.name in html and "社区民警" in html and "胜泉派出所" in html and "胜泉社区第1网格" in html
    assert f'href="tel:{world.police1.phone}"' in html
    assert f'href="/c/{token}/contact.vcf" download>保存到通讯录' in html


def test_the_contact_is_the_vcard_the_printed_card_carries(client, world):
    officer = world.police1
    officer.name, officer.station, officer.title = "李;警官", "胜泉派出所,第二警务室\\东", "社区民警\n一级"
    db.session.commit()
    token = card_token(officer)
    response = client.get(f"/c/{token}/contact.vcf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="contact.vcf"'
    text = response.data.decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
    lines = text.split("\r\n")
    assert "N:李\\;警官;;;;" in lines and "FN:李\\;警官" in lines
    assert "ORG:胜泉派出所\\,第二警务室\\\\东" in lines and "TITLE:社区民警\\n一级" in lines
    assert f"TEL;TYPE=WORK,VOICE:{officer.phone}" in lines and f"URL:http://127.0.0.1:5000/c/{token}" in lines
    # The same vCard as the officer's own card printed with ?vcard=1 holds in its QR code.
    assert text == card_qr_payload(card_for(db.session.get(Staff, officer.id), vcard=True), vcard=True)


def test_a_vcard_download_is_no_scan_and_refuses_as_the_card_page(client, world):
    token = card_token(world.police1)
    assert client.get(f"/c/{token}/contact.vcf").status_code == 200
    assert db.session.scalar(select(QrCode.scans).where(QrCode.token == token)) == 0
    assert client.get(f"/c/{letter_token(world.house1)}/contact.vcf").status_code == 404
    reprint(world.police1)
    db.session.commit()
    gone = client.get(f"/c/{token}/contact.vcf")
    assert gone.status_code == 410 and gone.mimetype == "text/html"


def test_without_wechat_configured_the_pages_have_no_wechat_button(client, world):
    assert wechat_link(page(client, f"/s/{letter_token(world.house1)}")) is None
    assert wechat_link(page(client, f"/c/{card_token(world.police1)}")) is None


@pytest.mark.parametrize("kind", ["s", "c"])
def test_the_wechat_button_opens_the_scan_page_with_the_token_and_is_made_once(client, world, fake_wechat, kind):
    token = letter_token(world.house1) if kind == "s" else card_token(world.police1)
    link = wechat_link(page(client, f"/{kind}/{token}"))
    assert (link, "pages/scan/index", f"scene={token}") in fake_wechat.links
    assert wechat_link(page(client, f"/{kind}/{token}")) == link
    assert fake_wechat.calls["urllink"] == 1


def test_another_app_server_finds_the_link_already_made(app, client, world, fake_wechat):
    token = letter_token(world.house1)
    link = wechat_link(page(client, f"/s/{token}"))
    app.extensions.pop("jiashu.wechat")   # another server: its own client, the same shared storage
    assert wechat_link(page(client, f"/s/{token}")) == link
    assert fake_wechat.calls["urllink"] == 1


@pytest.mark.parametrize("fault", [{"errcode": 45009}, {"errcode": -1}, {"status": 502}, {"delay": 1}])
def test_when_wechat_fails_the_page_shows_without_the_button_and_does_not_ask_at_every_scan(
        app, client, world, fake_wechat, caplog, fault):
    app.config["WECHAT_URLLINK_TIMEOUT"] = 0.3
    assert wechat_client().access_token   # fetched beforehand: the 0.3 s are generate_urllink's alone
    token = letter_token(world.house1)
    fake_wechat.fail("urllink", times=None, **fault)
    html = page(client, f"/s/{token}")
    assert wechat_link(html) is None and world.house1.code in html
    assert "No open-in-WeChat link" in caplog.text and token not in caplog.text
    assert wechat_link(page(client, f"/s/{token}")) is None
    assert fake_wechat.calls["urllink"] == 1


def test_after_a_failure_a_later_scan_gets_the_button(app, client, world, fake_wechat, monkeypatch):
    monkeypatch.setattr(urllinks, "RETRY_SECONDS", 1)
    monkeypatch.setattr(urllinks, "DOWN_SECONDS", 1)
    token = letter_token(world.house1)
    fake_wechat.fail("urllink", errcode=-1)
    assert wechat_link(page(client, f"/s/{token}")) is None
    time.sleep(1.1)
    assert wechat_link(page(client, f"/s/{token}")) == fake_wechat.links[-1][0]


def test_every_scan_page_admits_only_the_apps_own_stylesheet(client, world):
    house, card = letter_token(world.house1), card_token(world.police1)
    for path in (f"/s/{house}", f"/c/{card}", f"/c/{card}/contact.vcf", "/s/" + "A" * 22):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'none'; style-src 'self';") and "unsafe" not in policy, path
    assert client.get("/scan/static/scan.css").mimetype == "text/css"


def test_without_redis_a_link_gone_stale_is_swept_when_another_is_kept(app, client, world, fake_wechat):
    if app.config.get("REDIS_URL"):
        pytest.skip("Redis expires kept links itself")
    first, second = letter_token(world.house1), letter_token(world.house2)
    page(client, f"/s/{first}")
    kept = StoredValue.key.like(f"%_urllink_{first}")
    db.session.execute(update(StoredValue).where(kept).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    page(client, f"/s/{second}")
    assert db.session.scalar(select(StoredValue.key).where(kept)) is None
    assert db.session.scalar(select(StoredValue.key).where(StoredValue.key.like(f"%_urllink_{second}"))) is not None
