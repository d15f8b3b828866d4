"""Family letters and contact cards as printed: right names and phones, QR codes that scan to the stored URL."""
from sqlalchemy import select

from app.models import AuditEvent, QrCode, Role
from app.web.extensions import db
from qr.tokens import scan_url
from tests import factories as f
from tests.qr.scan import pdf_page_png, pdf_text, qr_texts

BASE = "https://jiashu.example.cn"


def save(tmp_path, response, name="out.pdf"):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


def house_url(house):
    token = db.session.scalar(select(QrCode.token).where(QrCode.household_id == house.id,
                                                          QrCode.revoked_at.is_(None)))
    return scan_url(BASE, token)


def test_letter_pdf_names_phones_and_scans_to_stored_url(client, app, world, tmp_path):
    app.config["PUBLIC_BASE_URL"] = BASE
    pdf = save(tmp_path, client.get(f"/api/households/{world.house1.id}/letter", headers=f.auth(world.head1)))
    text = pdf_text(pdf).replace(" ", "")
    assert world.house1.code in text and "王网格" in text and world.head1.phone in text
    assert world.police1.name in text and world.police1.phone in text   # the grid's own officer first
    assert qr_texts(pdf_page_png(pdf, 1)) == [house_url(world.house1)]


def test_the_letter_prints_whom_a_scan_shows_no_deactivated_head_nor_a_former_officer(client, world, tmp_path):
    world.head1.active = False
    world.police1.role = Role.GRID_HEAD   # no longer police; the grid's jurisdiction row is still there
    db.session.commit()
    pdf = save(tmp_path, client.get(f"/api/households/{world.house1.id}/letter", headers=f.auth(world.admin_a)))
    text = pdf_text(pdf).replace(" ", "")
    assert world.head1.name not in text and world.head1.phone not in text and "（待定）" in text
    assert world.police1.name not in text and world.police_all.name in text   # the community's officer instead
    scanned = client.get(f"/api/scan/{db.session.scalar(select(QrCode.token).where(QrCode.household_id == world.house1.id))}").json
    assert scanned["grid_head"] is None and scanned["police"]["name"] == world.police_all.name


def test_letter_png_and_a5(client, app, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    png = client.get(f"/api/households/{world.house1.id}/letter?format=png&size=A5", headers=f.auth(world.wechat1))
    assert png.mimetype == "image/png"
    assert qr_texts(png.data) == [house_url(world.house1)]


def test_letters_only_within_place(client, world):
    assert client.get(f"/api/households/{world.house2.id}/letter", headers=f.auth(world.head1)).status_code == 404
    assert client.get(f"/api/households/{world.house2.id}/letter", headers=f.auth(world.wechat1)).status_code == 404
    assert client.get(f"/api/households/{world.house_b.id}/letter", headers=f.auth(world.admin_a)).status_code == 404
    assert client.get(f"/api/households/{world.house1.id}/letter?size=B5", headers=f.auth(world.head1)).status_code == 422


def test_reprint_revokes_old_code(client, app, world):
    headers = f.auth(world.admin_a)
    first = client.get(f"/api/households/{world.house1.id}/code", headers=headers).json
    assert client.get(f"/s/{first['token']}").status_code == 200
    second = client.post(f"/api/households/{world.house1.id}/code", headers=headers).json
    assert second["version"] == first["version"] + 1 and second["token"] != first["token"]
    gone = client.get(f"/s/{first['token']}")
    assert gone.status_code == 410 and "已作废" in gone.get_data(as_text=True)
    assert client.get(f"/s/{second['token']}").status_code == 200
    assert client.get("/s/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/s/not-a-token").status_code == 404
    # Scans are counted per code.
    assert client.get(f"/api/households/{world.house1.id}/code", headers=headers).json["scans"] == 1
    assert client.post(f"/api/households/{world.house2.id}/code", headers=f.auth(world.head1)).status_code == 404
    assert client.post(f"/api/households/{world.house1.id}/code", headers=f.auth(world.wechat1)).status_code == 403
    # The one reprint is audited, in the house's community; the refused tries are not.
    audited = db.session.execute(select(AuditEvent.actor_staff_id, AuditEvent.object_id, AuditEvent.community_id)
                                 .where(AuditEvent.action == "reprint")).all()
    assert audited == [(world.admin_a.id, str(world.house1.id), world.house1.community_id)]


def test_grid_batch_has_a_page_per_house_each_scanning_to_its_own_url(client, app, world, tmp_path):
    app.config["PUBLIC_BASE_URL"] = BASE
    extra = [f.household(world.unit1, door) for door in ("201", "202", "301")]
    db.session.commit()
    pdf = save(tmp_path, client.get(f"/api/grids/{world.grid1.id}/letters", headers=f.auth(world.head1)))
    houses = sorted([world.house1, world.house1b, *extra], key=lambda h: h.code)
    pages = pdf_text(pdf).split("\f")[:-1]
    assert len(pages) == len(houses)                       # grid 1 only, one page per house
    for number, (page, house) in enumerate(zip(pages, houses), start=1):
        assert house.code in page.replace(" ", "")
        assert qr_texts(pdf_page_png(pdf, number, dpi=100)) == [house_url(house)]


def test_batch_scope(client, world):
    assert client.get(f"/api/grids/{world.grid2.id}/letters", headers=f.auth(world.head1)).status_code == 404
    assert client.get(f"/api/grids/{world.grid_b.id}/letters", headers=f.auth(world.admin_a)).status_code == 404
    assert client.get(f"/api/grids/{world.grid1.id}/letters", headers=f.auth(world.police1)).status_code == 403
    assert client.get("/api/community/letters", headers=f.auth(world.head1)).status_code == 403


def test_template_edit_is_checked_and_printed(client, world, tmp_path):
    headers = f.auth(world.admin_a)
    assert client.get("/api/community/letter-template", headers=headers).json["is_default"] is True
    bad = client.put("/api/community/letter-template", headers=headers, json={"template": "您好 {mayor}"})
    assert bad.status_code == 422 and bad.json["message"].startswith("template:") and "{mayor}" in bad.json["message"]
    ok = client.put("/api/community/letter-template", headers=headers,
                    json={"template": "{house_code}的居民您好，请联系{grid_head}。春节快乐！"})
    assert ok.status_code == 200 and ok.json["is_default"] is False
    pdf = save(tmp_path, client.get(f"/api/households/{world.house1.id}/letter", headers=headers))
    assert "春节快乐" in pdf_text(pdf).replace(" ", "")
    assert client.put("/api/community/letter-template", headers=f.auth(world.head1),
                      json={"template": "x"}).status_code == 403


def test_officer_card_url_and_vcard(client, app, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    headers = f.auth(world.police1)
    png = client.get(f"/api/police/{world.police1.id}/card", headers=headers)
    url, = qr_texts(png.data)
    assert url.startswith(f"{BASE}/c/") and client.get(url.removeprefix(BASE)).status_code == 200
    vcard, = qr_texts(client.get(f"/api/police/{world.police1.id}/card?vcard=true", headers=headers).data)
    assert vcard.startswith("BEGIN:VCARD") and world.police1.phone in vcard and world.police1.name in vcard
    old = url.removeprefix(BASE)
    new = client.post(f"/api/police/{world.police1.id}/card/code", headers=headers).json["url"]
    assert client.get(old).status_code == 410 and new != url


def test_cards_only_for_the_officer_and_their_admin(client, world):
    assert client.get(f"/api/police/{world.police_all.id}/card", headers=f.auth(world.police1)).status_code == 404
    assert client.get(f"/api/police/{world.police1.id}/card", headers=f.auth(world.admin_a)).status_code == 200
    assert client.get(f"/api/police/{world.police1.id}/card", headers=f.auth(world.admin_b)).status_code == 404
    assert client.get(f"/api/police/{world.police1.id}/card", headers=f.auth(world.head1)).status_code == 403


def test_print_letters_writes_a_communitys_letters_or_one_grids_with_their_heads_and_officers(runner, world, tmp_path):
    from app.models import Household
    out = tmp_path / "sq.pdf"
    result = runner.invoke(args=["print-letters", "--community", "SQ", str(out)])
    houses = db.session.scalars(select(Household).where(Household.community_id == world.a.id)
                                .order_by(Household.code)).all()
    assert f"{len(houses)} letters" in result.output and len(houses) == 4, result.output   # not community B's
    officers = {world.grid1.id: world.police1, world.grid2.id: world.police_all}   # the grid's own, else the whole's
    for page, house in zip(pdf_text(out).split("\f")[:-1], houses, strict=True):
        flat = page.replace(" ", "")
        assert house.code in flat and house.grid.head.name in flat and house.grid.head.phone in flat, house.code
        officer = officers[house.grid_id]
        assert officer.name in flat and officer.phone in flat, house.code
    one = tmp_path / "g2.pdf"
    assert runner.invoke(args=["print-letters", "--community", "SQ", "--grid", "2", str(one)]).exit_code == 0
    grid2 = [house.code for house in houses if house.grid_id == world.grid2.id]
    printed = [page.replace(" ", "") for page in pdf_text(one).split("\f")[:-1]]
    assert len(printed) == len(grid2) == 2 and all(code in page for code, page in zip(grid2, printed))


def test_mini_program_code_from_wechat_carries_the_house_token(client, world, fake_wechat):
    headers = f.auth(world.head1)
    token = client.get(f"/api/households/{world.house1.id}/code", headers=headers).json["token"]
    image = client.get(f"/api/households/{world.house1.id}/wxacode", headers=headers)
    assert image.mimetype == "image/jpeg" and qr_texts(image.data) == [token]
    fake_wechat.fail("wxacode", status=502, times=None)
    kept = client.get(f"/api/households/{world.house1.id}/wxacode", headers=headers)
    assert kept.data == image.data and fake_wechat.calls["wxacode"] == 1   # WeChat is not asked again
    client.post(f"/api/households/{world.house1.id}/code", headers=headers)   # a reprint needs a new one
    assert client.get(f"/api/households/{world.house1.id}/wxacode", headers=headers).status_code == 503
    assert client.get(f"/api/households/{world.house2.id}/wxacode", headers=headers).status_code == 404


def test_a_letter_for_a_grid_without_a_head_says_so_without_empty_brackets(client, world, tmp_path):
    """A new user printed "网格长（待定）（ ）" for a grid whose head was not appointed yet."""
    world.grid1.head = None
    db.session.commit()
    pdf = save(tmp_path, client.get(f"/api/households/{world.house1.id}/letter", headers=f.auth(world.admin_a)))
    text = "".join(pdf_text(pdf).split())
    assert "网格长（待定）或社区民警" in text
    assert "（）" not in text and "()" not in text
