"""Photos: JPEG, PNG or WebP by their bytes, 5 MB each, 6 a request, stored under random names."""
import io

import pytest

from tests import factories as f
from tests.requests.helpers import act, file

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 64


def upload(client, who, rid, *photos):
    data = {"photos": [(io.BytesIO(content), name) for name, content in photos]}
    return client.post(f"/api/requests/{rid}/photos", headers=f.auth(who), data=data,
                       content_type="multipart/form-data")


def test_photos_are_kept_under_random_names_and_served_back(client, world, upload_dir):
    rid = file(client, world.wechat1)["id"]
    response = upload(client, world.wechat1, rid, ("门.jpg", JPEG), ("b.png", PNG), ("c.webp", WEBP))
    assert response.status_code == 201
    photos = response.json["photos"]
    assert [p["content_type"] for p in photos] == ["image/jpeg", "image/png", "image/webp"]
    stored = sorted(p.name for p in upload_dir.iterdir())
    assert len(stored) == 3 and not any("门" in name or name.startswith(("b.", "c.")) for name in stored)
    served = client.get(photos[0]["url"], headers=f.auth(world.head1))
    assert served.status_code == 200 and served.data == JPEG and served.mimetype == "image/jpeg"


@pytest.mark.parametrize("name, content, message", [
    ("fake.jpg", b"GIF89a" + b"\0" * 64, "'fake.jpg' is not a JPEG, PNG or WebP"),
    ("script.png", b"<script>alert(1)</script>", "'script.png' is not a JPEG, PNG or WebP"),
    ("big.jpg", JPEG + b"\0" * (5 * 1024 * 1024), "'big.jpg' is larger than 5 MB"),
], ids=["gif", "script", "too-big"])
def test_refused_uploads_name_the_file_and_keep_nothing(client, world, upload_dir, name, content, message):
    rid = file(client, world.wechat1)["id"]
    response = upload(client, world.wechat1, rid, ("ok.png", PNG), (name, content))
    assert response.status_code == 422
    assert response.json["message"].startswith("photos:") and message in response.json["message"]
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["photos"] == []
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_at_most_six_photos_a_request(client, world):
    rid = file(client, world.wechat1)["id"]
    assert upload(client, world.wechat1, rid, *[(f"{i}.png", PNG) for i in range(5)]).status_code == 201
    response = upload(client, world.wechat1, rid, ("6.png", PNG), ("7.png", PNG))
    assert response.status_code == 422 and "at most 6" in response.json["message"]
    assert upload(client, world.wechat1, rid, ("6.png", PNG)).status_code == 201


def test_no_file_names_the_field(client, world):
    rid = file(client, world.wechat1)["id"]
    response = client.post(f"/api/requests/{rid}/photos", headers=f.auth(world.wechat1), data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "photos" in response.json["message"]


def test_photos_only_while_the_request_is_under_way_and_by_household_or_handler(client, world):
    rid = file(client, world.wechat1)["id"]
    assert upload(client, world.admin_a, rid, ("a.png", PNG)).status_code == 403
    assert upload(client, world.head1, rid, ("a.png", PNG)).status_code == 201
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="ok")
    response = upload(client, world.wechat1, rid, ("a.png", PNG))
    assert response.status_code == 409 and "resolved" in response.json["message"]
