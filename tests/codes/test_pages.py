"""The pages behind printed QR codes answer as /api/scan and /api/cards do (found by test_fuzz_pages.py)."""
from sqlalchemy import select

from app.codes.services import code_for
from app.models import QrCode
from app.web.extensions import db
from tests import factories as f


def tokens(*targets) -> list[str]:
    found = [code_for(target).token for target in targets]
    db.session.commit()
    return found


def total_scans() -> int:
    db.session.rollback()   # as the end of a real request does: what it did not commit is gone
    return sum(db.session.scalars(select(QrCode.scans)))


def test_a_code_on_the_other_kind_of_page_is_unknown_and_not_counted(client, world):
    house, card = tokens(world.house1, world.police1)
    for path in (f"/s/{card}", f"/c/{house}"):
        response = client.get(path)
        assert response.status_code == 404 and "二维码无效" in response.get_data(as_text=True)
    assert total_scans() == 0
    assert client.get(f"/s/{house}").status_code == client.get(f"/c/{card}").status_code == 200


def test_a_card_page_names_only_an_active_police_officer(client, world):
    retired = f.police(world.a)
    retired.name, retired.active = "离任民警", False
    retired_card, head_card = tokens(retired, world.head1)
    for token, name in ((retired_card, "离任民警"), (head_card, world.head1.name)):
        response = client.get(f"/c/{token}")
        assert response.status_code == 404 and name not in response.get_data(as_text=True)


def test_a_nul_in_the_token_is_an_unknown_code_in_html(client, world):
    response = client.get("/s/abc%00def")
    assert response.status_code == 404 and response.mimetype == "text/html"
