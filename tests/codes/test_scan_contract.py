"""GET /api/scan: the mini-program page passes on what WeChat handed it (a link QR's `q`, a mini-program code's
`scene`) and learns which code it is, with the same body as GET /api/scan/<token> or GET /api/cards/<token>."""
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.codes.services import code_for, reprint
from app.models import QrCode
from app.web.extensions import db
from qr.tokens import card_url, scan_url

BASE = "https://jiashu.example.cn"


@pytest.fixture
def codes(app, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    house, card = code_for(world.house1).token, code_for(world.police1).token
    db.session.commit()
    return house, card


def opened_with(link: str) -> str:
    """What a page's onLoad gets in options.q: the scanned link, URL-encoded once (encodeURIComponent)."""
    return quote(link, safe="")


def scanned(client, **query):
    # The test client encodes the query as wx.request does with its `data`.
    return client.get("/api/scan", query_string=query)


def scans(token: str) -> int:
    db.session.rollback()
    return db.session.scalar(select(QrCode.scans).where(QrCode.token == token))


def test_a_scanned_letter_link_passed_on_as_it_came_is_the_letter(client, codes):
    house, _ = codes
    answer = scanned(client, q=opened_with(scan_url(BASE, house)))
    assert answer.status_code == 200
    assert answer.json == {"kind": "letter", "token": house, "letter": client.get(f"/api/scan/{house}").json}
    assert scans(house) == 2   # this scan and the GET /api/scan/<token> compared with


def test_a_scanned_card_link_is_the_officers_card(client, world, codes):
    _, card = codes
    answer = scanned(client, q=opened_with(card_url(BASE, card)))
    assert answer.json == {"kind": "card", "token": card, "card": client.get(f"/api/cards/{card}").json}
    assert answer.json["card"]["name"] == world.police1.name


def test_a_decoded_link_and_a_mini_program_codes_scene_answer_the_same(client, codes):
    house, card = codes
    by_link = scanned(client, q=scan_url(BASE, house)).json
    assert scanned(client, scene=house).json == by_link
    assert scanned(client, scene=card).json["kind"] == "card"


def test_a_link_of_another_host_or_path_is_refused_naming_q(client, codes):
    house, _ = codes
    for link in (f"https://evil.example.com/s/{house}", f"{BASE}/x/{house}", f"{BASE}/api/scan/{house}",
                 f"ftp://jiashu.example.cn/s/{house}", "今天天气不错"):
        answer = scanned(client, q=opened_with(link))
        assert answer.status_code == 422, link
        assert answer.json["message"].startswith("q:") and "q" in answer.json["errors"]["query"]


def test_q_or_scene_is_required_and_only_one(client, codes):
    house, _ = codes
    neither = scanned(client)
    assert neither.status_code == 422 and "q" in neither.json["errors"]["query"]
    both = scanned(client, q=scan_url(BASE, house), scene=house)
    assert both.status_code == 422 and "scene" in both.json["errors"]["query"]
    junk = scanned(client, scene="../../etc/passwd")
    assert junk.status_code == 422 and "scene" in junk.json["errors"]["query"]


def test_replaced_unknown_and_wrong_kind_codes_answer_as_their_pages_do(client, world, codes):
    house, card = codes
    reprint(world.house1)
    db.session.commit()
    assert scanned(client, q=opened_with(scan_url(BASE, house))).status_code == 410
    assert scanned(client, scene=house).status_code == 410
    assert scanned(client, q=opened_with(scan_url(BASE, card))).status_code == 404   # a card in a letter's link
    assert scanned(client, q=opened_with(card_url(BASE, code_for(world.house2).token))).status_code == 404
    assert scanned(client, q=opened_with(f"{BASE}/s/not-a-code")).status_code == 404
    assert scanned(client, scene="A" * 22).status_code == 404


def test_no_resident_is_shown(client, world, codes):
    house, _ = codes
    body = scanned(client, scene=house).get_data(as_text=True)
    for secret in filter(None, (world.resident1.name, world.house1.head_name, world.house1.head_phone)):
        assert secret not in body
