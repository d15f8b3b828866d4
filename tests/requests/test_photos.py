"""Photos: JPEG, PNG or WebP by their bytes, 5 MB each, 6 a request, kept as fresh JPEGs without metadata under
random names, on disk or in an S3 bucket (`photo_store`: each test runs on both); a store that fails keeps no
half of an upload."""
import io
import time

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.models import RequestPhoto
from app.ops.database_errors import MESSAGE as DATABASE_DOWN
from app.storage import StoreUnavailable, object_store
from app.web.extensions import db
from tests import factories as f
from tests.images import declaring, image
from tests.object_store import closed_endpoint
from tests.requests.helpers import act, file

JPEG, PNG, WEBP = image("JPEG"), image("PNG"), image("WEBP")


def upload(client, who, rid, *photos):
    data = {"photos": [(io.BytesIO(content), name) for name, content in photos]}
    return client.post(f"/api/requests/{rid}/photos", headers=f.auth(who), data=data,
                       content_type="multipart/form-data")


def test_photos_are_kept_under_random_names_and_served_back(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]
    response = upload(client, world.wechat1, rid, ("门.jpg", JPEG), ("b.png", PNG), ("c.webp", WEBP))
    assert response.status_code == 201
    photos = response.json["photos"]
    assert [p["content_type"] for p in photos] == ["image/jpeg"] * 3
    stored = photo_store()
    assert len(stored) == 3 and not any("门" in name or name.startswith(("b.", "c.")) for name in stored)
    served = client.get(photos[1]["url"], headers=f.auth(world.head1))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.content_length == len(served.data)
    assert Image.open(io.BytesIO(served.data)).size == (40, 30)


def test_no_metadata_of_the_upload_is_kept(client, world, photo_store):
    """A phone's JPEG carries where it was taken (EXIF), a comment, XMP and a colour profile; a PNG text chunks.
    None of it is stored or served: the photo is written afresh from its pixels."""
    exif = Image.Exif()
    exif[0x010E] = "SECRET-EXIF 胜泉社区1号楼"
    jpeg = image("JPEG", (1200, 900), exif=exif, comment=b"SECRET-COMMENT", xmp=b"<x>SECRET-XMP</x>",
                 icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET-PNG-TEXT")
    png = image("PNG", pnginfo=text)
    assert b"SECRET-COMMENT" in jpeg and b"SECRET-EXIF" in jpeg and b"SECRET-PNG-TEXT" in png
    rid = file(client, world.wechat1)["id"]
    photos = upload(client, world.wechat1, rid, ("a.jpg", jpeg), ("b.png", png)).json["photos"]
    assert len(photos) == 2
    for key in photo_store():
        with object_store().open(key) as content:
            stored = content.read()
        assert b"SECRET" not in stored and "胜泉".encode() not in stored
        assert jpeg_segments(stored) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD}   # JFIF's header and pixels: no APP1-15, COM
        assert not {"comment", "icc_profile", "xmp", "exif"} & Image.open(io.BytesIO(stored)).info.keys()


def jpeg_segments(data: bytes) -> set[int]:
    """The markers of a JPEG's segments before its scan."""
    markers, at = set(), 2
    while data[at + 1] != 0xDA:
        markers.add(data[at + 1])
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return markers


@pytest.mark.parametrize("name, content, message", [
    ("fake.jpg", b"GIF89a" + b"\0" * 64, "'fake.jpg' is not a JPEG, PNG or WebP"),
    ("script.png", b"<script>alert(1)</script>", "'script.png' is not a JPEG, PNG or WebP"),
    ("big.jpg", JPEG + b"\0" * (5 * 1024 * 1024), "'big.jpg' is larger than 5 MB"),
], ids=["gif", "script", "too-big"])
def test_refused_uploads_name_the_file_and_keep_nothing(client, world, photo_store, name, content, message):
    rid = file(client, world.wechat1)["id"]
    response = upload(client, world.wechat1, rid, ("ok.png", PNG), (name, content))
    assert response.status_code == 422
    assert response.json["message"].startswith("photos:") and message in response.json["message"]
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["photos"] == []
    assert photo_store() == []


@pytest.mark.parametrize("kind, size", [("PNG", (7000, 7000)), ("WEBP", (10000, 10000)), ("JPEG", (65000, 300))],
                         ids=["png", "webp", "jpeg-panorama"])
def test_an_image_declaring_too_many_pixels_is_refused_before_it_is_decoded(client, world, photo_store, kind, size):
    rid = file(client, world.wechat1)["id"]
    started = time.process_time()
    response = upload(client, world.wechat1, rid, ("bomb.img", declaring(kind, size)))
    assert time.process_time() - started < 0.5   # a 7000 x 7000 RGBA PNG took 7 s to decode
    assert response.status_code == 422 and response.json["message"] == (
        f"photos: 'bomb.img' has too many pixels ({size[0]} x {size[1]}): at most 16,777,216 are decoded.")
    assert photo_store() == []


def test_a_phone_photo_is_kept_within_2048_px(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]
    response = upload(client, world.wechat1, rid, ("big.jpg", image("JPEG", (4000, 3000))))
    assert response.status_code == 201
    served = client.get(response.json["photos"][0]["url"], headers=f.auth(world.wechat1))
    assert Image.open(io.BytesIO(served.data)).size == (2048, 1536)


def test_at_most_six_photos_a_request(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]
    assert upload(client, world.wechat1, rid, *[(f"{i}.png", PNG) for i in range(5)]).status_code == 201
    response = upload(client, world.wechat1, rid, ("6.png", PNG), ("7.png", PNG))
    assert response.status_code == 422 and "at most 6" in response.json["message"]
    assert upload(client, world.wechat1, rid, ("6.png", PNG)).status_code == 201
    assert len(photo_store()) == 6


def test_no_file_names_the_field(client, world):
    rid = file(client, world.wechat1)["id"]
    response = client.post(f"/api/requests/{rid}/photos", headers=f.auth(world.wechat1), data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "photos" in response.json["message"]


def test_photos_only_while_the_request_is_under_way_and_by_household_or_handler(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]
    assert upload(client, world.admin_a, rid, ("a.png", PNG)).status_code == 403
    assert upload(client, world.head1, rid, ("a.png", PNG)).status_code == 201
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="ok")
    response = upload(client, world.wechat1, rid, ("a.png", PNG))
    assert response.status_code == 409 and "resolved" in response.json["message"]


def test_a_photo_gone_from_the_store_is_a_404(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]
    photo = upload(client, world.wechat1, rid, ("a.png", PNG)).json["photos"][0]
    object_store().delete(photo_store()[0])
    response = client.get(photo["url"], headers=f.auth(world.wechat1))
    assert response.status_code == 404 and "no longer in the store" in response.json["message"]


def _store_down(app, tmp_path):
    """The bucket's server refuses connections; the disk's folder cannot be made (a file is in its way)."""
    if app.config.get("S3_BUCKET"):
        app.config["S3_ENDPOINT_URL"] = closed_endpoint()
    else:
        (tmp_path / "not-a-folder").write_text("")
        app.config["UPLOAD_DIR"] = str(tmp_path / "not-a-folder" / "uploads")


def test_store_down_answers_503_keeps_no_row_and_serves_again_when_back(app, client, world, photo_store, tmp_path):
    rid = file(client, world.wechat1)["id"]
    kept = upload(client, world.wechat1, rid, ("a.png", PNG)).json["photos"][0]
    served = client.get(kept["url"], headers=f.auth(world.head1)).data
    working = dict(app.config)

    _store_down(app, tmp_path)
    for response in (upload(client, world.wechat1, rid, ("b.jpg", JPEG)),
                     client.get(kept["url"], headers=f.auth(world.head1))):
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert response.json["message"] == "The photo store is not answering right now; try again shortly."
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["photos"] == [kept]

    app.config.update(working)
    assert len(photo_store()) == 1
    assert client.get(kept["url"], headers=f.auth(world.head1)).data == served
    assert upload(client, world.wechat1, rid, ("b.jpg", JPEG)).status_code == 201


def test_store_failing_midway_through_an_upload_keeps_none_of_it(client, world, photo_store, monkeypatch):
    rid = file(client, world.wechat1)["id"]
    store = object_store()
    put, calls = store.put, []

    def second_put_fails(*args):
        calls.append(args)
        if len(calls) == 2:
            raise StoreUnavailable("The photo store is not answering right now.")
        put(*args)

    monkeypatch.setattr(store, "put", second_put_fails)
    response = upload(client, world.wechat1, rid, ("a.png", PNG), ("b.jpg", JPEG), ("c.webp", WEBP))
    assert response.status_code == 503 and len(calls) == 2
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["photos"] == []
    assert photo_store() == []


def test_database_failing_at_the_commit_deletes_the_stored_photos(client, world, photo_store):
    rid = file(client, world.wechat1)["id"]

    def cut(session):
        if any(isinstance(row, RequestPhoto) for row in session.new):
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection unexpectedly"))

    event.listen(db.session, "before_commit", cut)
    try:
        response = upload(client, world.wechat1, rid, ("a.png", PNG), ("b.jpg", JPEG))
    finally:
        event.remove(db.session, "before_commit", cut)
    assert response.status_code == 503 and response.json["message"] == DATABASE_DOWN
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["photos"] == []
    assert photo_store() == []
