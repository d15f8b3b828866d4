"""Scanning a door's letter shows the house and whom to call, never who lives there."""
from app.codes.services import code_for, reprint
from app.models import QrCode
from app.web.extensions import db
from tests.residents.helpers import letter_token, newcomer, person, register


def test_a_stranger_sees_the_house_and_its_contacts_but_no_residents(client, world):
    response = client.get(f"/api/scan/{letter_token(world.house1)}")
    assert response.status_code == 200
    body = response.json
    assert body["code"] == world.house1.code and body["address"] == world.house1.address
    assert body["community"] == "胜泉社区"
    # Staff phones are printed on the letter, so they are shown in full.
    assert body["grid_head"] == {"name": "王网格", "phone": world.head1.phone}
    assert body["police"]["name"] == world.police1.name  # the officer of this grid, before the community's
    assert body["police"]["phone"] == world.police1.phone
    assert body["has_head"] is True
    text = response.get_data(as_text=True)
    for private in (world.resident1.name, world.resident1.phone, "138****", "13800138000", "张三"):
        assert private not in text


def test_a_grid_without_its_own_officer_shows_the_community_officer(client, world):
    body = client.get(f"/api/scan/{letter_token(world.house2)}").json
    assert body["police"]["name"] == world.police_all.name
    assert body["grid_head"]["name"] == world.head2.name


def test_has_head_turns_true_once_someone_claims_the_empty_house(client, world):
    token = letter_token(world.house1b)
    assert client.get(f"/api/scan/{token}").json["has_head"] is False
    _, headers = newcomer()
    register(client, token, headers, [person("赵六", 1, is_self=True)], claim_head=True)
    assert client.get(f"/api/scan/{token}").json["has_head"] is True


def test_every_scan_is_counted(client, world):
    token = letter_token(world.house1)
    for _ in range(3):
        client.get(f"/api/scan/{token}")
    assert db.session.scalar(db.select(QrCode.scans).where(QrCode.token == token)) == 3


def test_a_replaced_letter_answers_410_and_says_why(client, world):
    old = letter_token(world.house1)
    new = reprint(world.house1).token
    db.session.commit()
    gone = client.get(f"/api/scan/{old}")
    assert gone.status_code == 410
    assert "reprinted letter" in gone.json["message"]
    _, headers = newcomer()
    assert register(client, old, headers, [person("赵六", 1, is_self=True)]).status_code == 410
    assert client.get(f"/api/scan/{new}").json["code"] == world.house1.code


def test_unknown_and_malformed_codes_are_404(client, world):
    assert client.get("/api/scan/" + "A" * 22).status_code == 404
    assert client.get("/api/scan/not-a-token").status_code == 404
    assert client.get("/api/scan/%27%20OR%201=1").status_code == 404


def test_an_officer_card_is_not_a_family_letter(client, world):
    card = code_for(world.police1).token
    db.session.commit()
    response = client.get(f"/api/scan/{card}")
    assert response.status_code == 404
    assert world.police1.name not in response.get_data(as_text=True)
