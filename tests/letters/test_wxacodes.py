"""Letters and cards printed with mini-program codes: chosen per community, fetched from WeChat once per code
version and kept, each page's code read back to its house (the fake WeChat draws a plain QR of the scene where
WeChat draws its round code)."""
import pytest
from sqlalchemy import select

from app.models import Household, QrCode
from app.web.extensions import db
from tests import factories as f
from tests.letters.test_letters import save
from tests.qr.scan import pdf_page_png, pdf_text, qr_texts


def choose(client, world, kind):
    template = client.get("/api/community/letter-template", headers=f.auth(world.admin_a)).json["template"]
    return client.put("/api/community/letter-template", headers=f.auth(world.admin_a),
                      json={"template": template, "code_kind": kind})


@pytest.fixture
def wxacodes(app, client, world, fake_wechat):
    """Community A prints mini-program codes, on seven houses. No fault is staged here: the fake gets the default
    5 s, so a busy machine cannot time a code out into a second fetch the counts would see."""
    app.config["WECHAT_TIMEOUT"] = 5
    for door in ("201", "202", "301"):
        f.household(world.unit1, door)
    db.session.commit()
    assert choose(client, world, "wxacode").json["code_kind"] == "wxacode"
    return fake_wechat


def live_tokens() -> dict[str, str]:
    """House code → the token of its live code."""
    db.session.rollback()
    return dict(db.session.execute(select(Household.code, QrCode.token).join(
        QrCode, (QrCode.household_id == Household.id) & QrCode.revoked_at.is_(None))).all())


def print_community(client, world, tmp_path, name="letters.pdf"):
    return save(tmp_path, client.get("/api/community/letters", headers=f.auth(world.admin_a)), name)


def test_a_batch_fetches_each_houses_code_once_and_each_page_scans_to_its_house(client, world, wxacodes, tmp_path):
    pdf = print_community(client, world, tmp_path)
    houses = sorted(h.code for h in db.session.scalars(select(Household).where(Household.community_id == world.a.id)))
    assert len(houses) == 7
    assert wxacodes.calls["wxacode"] == len(houses)   # community B's house is not fetched
    tokens = live_tokens()
    pages = pdf_text(pdf).split("\f")[:-1]
    assert len(pages) == len(houses)
    for number, (page, house) in enumerate(zip(pages, houses), start=1):
        assert house in page.replace(" ", "")
        assert qr_texts(pdf_page_png(pdf, number, dpi=100)) == [tokens[house]]   # the scene is the house's token

    before = wxacodes.calls
    again = print_community(client, world, tmp_path, "again.pdf")
    assert wxacodes.calls == before                   # the second print asks WeChat nothing
    assert qr_texts(pdf_page_png(again, 1, dpi=100)) == [tokens[houses[0]]]


def test_a_scanned_mini_program_code_resolves_to_its_house(client, world, wxacodes, tmp_path):
    pdf = print_community(client, world, tmp_path)
    scene, = qr_texts(pdf_page_png(pdf, 1, dpi=100))
    answer = client.get("/api/scan", query_string={"scene": scene}).json
    assert answer["kind"] == "letter" and answer["letter"]["code"] == min(live_tokens())


def test_a_reprint_revokes_the_mini_program_code_and_fetches_one_new_code(client, world, wxacodes, tmp_path):
    print_community(client, world, tmp_path)
    old = live_tokens()[world.house1.code]
    assert client.post(f"/api/households/{world.house1.id}/code", headers=f.auth(world.admin_a)).status_code == 201
    before = wxacodes.calls["wxacode"]
    pdf = print_community(client, world, tmp_path, "reprinted.pdf")
    assert wxacodes.calls["wxacode"] == before + 1
    new = live_tokens()[world.house1.code]
    page = sorted(live_tokens()).index(world.house1.code) + 1
    assert qr_texts(pdf_page_png(pdf, page, dpi=100)) == [new] != [old]
    assert client.get("/api/scan", query_string={"scene": old}).status_code == 410


def test_a_single_letter_and_a_card_carry_mini_program_codes_a_vcard_stays_a_qr(client, world, wxacodes):
    letter = client.get(f"/api/households/{world.house1.id}/letter?format=png", headers=f.auth(world.head1))
    assert qr_texts(letter.data) == [live_tokens()[world.house1.code]]
    card = client.get(f"/api/police/{world.police1.id}/card", headers=f.auth(world.police1))
    scene, = qr_texts(card.data)
    assert client.get("/api/scan", query_string={"scene": scene}).json["card"]["name"] == world.police1.name
    vcard, = qr_texts(client.get(f"/api/police/{world.police1.id}/card?vcard=true",
                                 headers=f.auth(world.police1)).data)
    assert vcard.startswith("BEGIN:VCARD")
    assert wxacodes.calls["wxacode"] == 2


def test_a_community_back_on_link_codes_prints_links_again(client, app, world, wxacodes, tmp_path):
    app.config["PUBLIC_BASE_URL"] = "https://jiashu.example.cn"
    print_community(client, world, tmp_path)
    assert choose(client, world, "link").json["code_kind"] == "link"
    pdf = print_community(client, world, tmp_path, "links.pdf")
    url, = qr_texts(pdf_page_png(pdf, 1, dpi=100))
    assert url == f"https://jiashu.example.cn/s/{live_tokens()[min(live_tokens())]}"


def test_a_print_out_of_time_keeps_what_it_fetched_and_the_next_goes_on(client, app, world, wxacodes, tmp_path):
    app.config["WECHAT_CODES_BUDGET_SECONDS"] = 0   # one code per request
    for fetched in range(1, 7):
        pending = client.get("/api/community/letters", headers=f.auth(world.admin_a))
        assert pending.status_code == 503 and pending.headers["Retry-After"] == "1"
        assert f"{7 - fetched} mini-program codes are still to be fetched" in pending.json["message"]
        assert wxacodes.calls["wxacode"] == fetched
    print_community(client, world, tmp_path)
    assert wxacodes.calls["wxacode"] == 7


def test_wechat_busy_is_retried_and_a_refusal_is_not(client, world, wxacodes, tmp_path):
    wxacodes.fail("wxacode", errcode=-1)   # "system busy" once: tried again
    print_community(client, world, tmp_path)
    assert wxacodes.calls["wxacode"] == 7 + 1

    assert client.post(f"/api/households/{world.house1.id}/code", headers=f.auth(world.admin_a)).status_code == 201
    wxacodes.fail("wxacode", errcode=45009, times=None)   # the day's quota: three tries, then 503
    busy = client.get("/api/community/letters", headers=f.auth(world.admin_a))
    assert busy.status_code == 503 and "45009" in busy.json["message"]
    assert wxacodes.calls["wxacode"] == 8 + 3
    wxacodes.fail("wxacode", errcode=41030)   # a page WeChat does not know: not worth trying again
    refused = client.get("/api/community/letters", headers=f.auth(world.admin_a))
    assert refused.status_code == 502 and "41030" in refused.json["message"]
    assert wxacodes.calls["wxacode"] == 11 + 1


def test_the_code_kind_is_the_admins_and_needs_wechat(client, app, world):
    assert client.get("/api/community/letter-template", headers=f.auth(world.admin_a)).json["code_kind"] == "link"
    unconfigured = choose(client, world, "wxacode")
    assert unconfigured.status_code == 422 and unconfigured.json["message"].startswith("code_kind:")
    bad = choose(client, world, "barcode")
    assert bad.status_code == 422 and "code_kind" in bad.json["errors"]["json"]
    app.config.update(WECHAT_APPID="wx1", WECHAT_SECRET="s")
    assert choose(client, world, "wxacode").status_code == 200
    # Another community's admin sees their own community's kind; a grid head may not choose.
    assert client.get("/api/community/letter-template", headers=f.auth(world.admin_b)).json["code_kind"] == "link"
    head = client.put("/api/community/letter-template", headers=f.auth(world.head1),
                      json={"template": "x", "code_kind": "link"})
    assert head.status_code == 403
    # Leaving code_kind out of a new text leaves the kind as it is.
    kept = client.put("/api/community/letter-template", headers=f.auth(world.admin_a), json={"template": "您好"})
    assert kept.json["code_kind"] == "wxacode"


def test_before_the_release_codes_of_the_trial_version_are_drawn_and_replaced_at_release(client, app, world, wxacodes,
                                                                                           tmp_path):
    """getwxacodeunlimit was called without check_path: every code failed with 41030 until the release."""
    wxacodes.released_pages.clear()   # no version released yet
    wxacode = f"/api/households/{world.house1.id}/wxacode"
    refused = client.get(wxacode, headers=f.auth(world.head1))
    assert refused.status_code == 502 and "41030" in refused.json["message"]

    app.config.update(WECHAT_CODE_CHECK_PATH=False, WECHAT_CODE_ENV_VERSION="trial")
    trial = client.get(wxacode, headers=f.auth(world.head1))
    token = live_tokens()[world.house1.code]
    assert trial.status_code == 200 and trial.mimetype == "image/jpeg" and qr_texts(trial.data) == [token]
    assert wxacodes.drawn == [(token, "pages/scan/index", "trial", False)]

    wxacodes.released_pages.add("pages/scan/index")   # released: back to the settings' defaults
    app.config.update(WECHAT_CODE_CHECK_PATH=True, WECHAT_CODE_ENV_VERSION="release")
    pdf = print_community(client, world, tmp_path)
    assert qr_texts(pdf_page_png(pdf, 1, dpi=100)) == [live_tokens()[min(live_tokens())]]
    assert wxacodes.drawn[1:].count((token, "pages/scan/index", "release", True)) == 1   # the trial's code replaced
    assert len(wxacodes.drawn) == 1 + 7 and client.get(wxacode, headers=f.auth(world.head1)).status_code == 200
    assert len(wxacodes.drawn) == 1 + 7
