"""An officer (or their community admin) reads the card's live link without reprinting it."""
from tests import factories as f

BASE = "https://jiashu.example.cn"


def test_reading_the_card_link_revokes_nothing_and_follows_a_reprint(client, app, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    link = f"/api/police/{world.police1.id}/card/code"
    mine = client.get(link, headers=f.auth(world.police1))
    assert mine.status_code == 200 and mine.json["url"] == f"{BASE}/c/{mine.json['token']}"
    assert client.get(f"/api/cards/{mine.json['token']}").status_code == 200   # a scan of the printed card
    again = client.get(link, headers=f.auth(world.admin_a)).json
    assert again == {**mine.json, "scans": 1}
    new = client.post(link, headers=f.auth(world.police1)).json
    assert client.get(f"/api/cards/{mine.json['token']}").status_code == 410
    assert client.get(link, headers=f.auth(world.police1)).json == new
    assert new["version"] == mine.json["version"] + 1


def test_only_the_officer_and_their_admin_read_the_link(client, world):
    link = f"/api/police/{world.police1.id}/card/code"
    assert client.get(link, headers=f.auth(world.police_all)).status_code == 404   # another officer's
    assert client.get(link, headers=f.auth(world.admin_b)).status_code == 404      # another community's admin
    assert client.get(f"/api/police/{world.head1.id}/card/code", headers=f.auth(world.admin_a)).status_code == 404
    assert client.get(link, headers=f.auth(world.head1)).status_code == 403
    assert client.get(link, headers=f.auth(world.wechat1)).status_code == 403
