"""Photos on wishes: the wisher's (on the wall once WeChat's media check passed it) and the claimer's fulfilment
photos; re-encoded upright within 750 x 1334 px without metadata; a flagged one goes back to the grid head and
is never shown to others."""
import io

from PIL import Image
from sqlalchemy import func, select

from app.models import WishPhoto
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import notices
from tests.wishes.helpers import post, step

RED, BLUE = (220, 20, 30), (30, 60, 200)
ADDRESS = "胜泉社区1号楼101室"


def photo(colour=BLUE, size=(2000, 1500), rotated=True) -> bytes:
    """A phone's JPEG: landscape pixels shown upright (EXIF orientation 6), with the address in its metadata."""
    exif = Image.Exif()
    exif[0x010E] = ADDRESS   # ImageDescription; a phone writes its GPS position likewise
    if rotated:
        exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, who, wish_id, content=None, name="p.jpg"):
    return client.post(f"/api/wishes/{wish_id}/photos", headers=f.auth(who), content_type="multipart/form-data",
                       data={"photo": (io.BytesIO(photo() if content is None else content), name)})


def wall(client):
    return client.get("/api/communities/SQ/wish-wall").json


def seen(client, who, wish_id):
    return client.get(f"/api/wishes/{wish_id}", headers=f.auth(who)).json["photos"]


def test_the_wishers_photo_reaches_the_wall_upright_small_and_without_metadata(client, world, fake_wechat,
                                                                               verdicts):
    wish = post(client, world.wechat1)
    added = upload(client, world.wechat1, wish["id"])
    assert added.status_code == 201
    [mine] = added.json["photos"]
    assert mine["kind"] == "wish" and mine["check"] == "pending"
    assert [(suggest, status) for _, suggest, status in verdicts()] == [("pass", 200)]   # fetched, pushed, taken
    assert fake_wechat.checked_images == [(750, 1000, "JPEG")]   # upright, within 750 x 1334
    [mine] = seen(client, world.wechat1, wish["id"])
    assert mine["check"] == "pass"
    assert wall(client) == []   # not approved yet
    step(client, world.head1, wish["id"], "approve")
    [row] = wall(client)
    assert row["photo"] == f"/api/communities/SQ/wish-wall/photos/{mine['id']}"
    served = client.get(row["photo"])   # no sign-in
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (750, 1000) and not image.getexif()
    assert ADDRESS.encode() not in served.data and ADDRESS.encode("utf-16-le") not in served.data
    # A volunteer about to claim sees it too; the wall's address of it serves nothing of another community.
    assert [p["id"] for p in client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.wechat2)).json[
        "photos"]] == [mine["id"]]
    assert client.get(f"/api/communities/DF/wish-wall/photos/{mine['id']}").status_code == 404
    assert client.get(row["photo"]).status_code == 404   # claimed: off the wall


def test_a_comment_in_the_wishers_jpeg_is_not_served_on_the_public_wall(client, world, verdicts):
    exif = Image.Exif()
    exif[0x010E] = ADDRESS
    out = io.BytesIO()
    Image.new("RGB", (800, 600), BLUE).save(out, "JPEG", exif=exif, comment="联系我 13800000000".encode())
    wish = post(client, world.wechat1)
    upload(client, world.wechat1, wish["id"], out.getvalue())
    verdicts()
    step(client, world.head1, wish["id"], "approve")
    served = client.get(wall(client)[0]["photo"]).data
    assert served.startswith(b"\xff\xd8")
    assert b"13800000000" not in served and ADDRESS.encode() not in served and b"Exif" not in served
    assert not Image.open(io.BytesIO(served)).info.keys() & {"comment", "exif"}


def test_a_flagged_photo_takes_the_wish_off_the_wall_back_to_the_grid_head(client, world, fake_wechat, verdicts):
    fake_wechat.flag_image(RED)
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    assert len(wall(client)) == 1
    flagged = upload(client, world.wechat1, wish["id"], photo(RED))
    assert flagged.status_code == 201 and flagged.json["status"] == "approved"   # WeChat has not answered yet
    assert wall(client)[0]["photo"] is None   # pending: not on the wall
    assert [(suggest, status) for _, suggest, status in verdicts()] == [("risky", 200)]
    after = client.get(f"/api/wishes/{wish['id']}", headers=f.auth(world.head1)).json
    assert after["status"] == "submitted" and after["events"][-1]["action"] == "photo_flagged"
    assert notices()[-1] == (world.head1, "wish_photo_flagged")
    assert wall(client) == []
    [risky] = seen(client, world.head1, wish["id"])
    assert risky["check"] == "risky" and seen(client, world.wechat1, wish["id"]) == [risky]   # its uploader
    assert client.get(f"/api/communities/SQ/wish-wall/photos/{risky['id']}").status_code == 404
    # The grid head's review puts the wish back on the wall, without the photo; a claimer never sees it.
    step(client, world.head1, wish["id"], "approve")
    [row] = wall(client)
    assert row["photo"] is None
    claimed = client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.wechat2)).json
    assert claimed["photos"] == []
    assert client.get(risky["url"], headers=f.auth(world.wechat2)).status_code == 404
    assert client.get(risky["url"], headers=f.auth(world.head1)).status_code == 200


def test_fulfilment_photos_go_to_the_wisher_once_passed_and_a_flagged_one_to_the_grid_head(client, world,
                                                                                         fake_wechat, verdicts):
    fake_wechat.flag_image(RED)
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    step(client, world.wechat2, wish["id"], "claim")
    assert upload(client, world.wechat1, wish["id"]).status_code == 409   # the wisher's photo comes before a claim
    upload(client, world.wechat2, wish["id"], photo(BLUE))
    upload(client, world.wechat2, wish["id"], photo(RED))
    assert [suggest for _, suggest, _ in verdicts()] == ["pass", "risky"]
    fine, risky = seen(client, world.wechat2, wish["id"])
    assert (fine["kind"], fine["check"], risky["check"]) == ("fulfilment", "pass", "risky")
    assert seen(client, world.wechat1, wish["id"]) == [fine]
    assert {p["id"] for p in seen(client, world.wechat2, wish["id"])} == {fine["id"], risky["id"]}
    served = client.get(fine["url"], headers=f.auth(world.wechat1))
    assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).size == (750, 1000)
    step(client, world.wechat2, wish["id"], "fulfil", note="已送达")
    assert upload(client, world.wechat2, wish["id"]).status_code == 409   # fulfilled: no more photos
    refused = step(client, world.wechat1, wish["id"], "confirm")
    assert refused.status_code == 409 and "grid head" in refused.json["message"]
    assert step(client, world.head1, wish["id"], "confirm").json["status"] == "closed"


def test_without_wechat_a_photo_is_kept_but_shown_to_nobody_else(client, world):
    wish = post(client, world.wechat1)
    [kept] = upload(client, world.wechat1, wish["id"]).json["photos"]
    assert kept["check"] is None
    step(client, world.head1, wish["id"], "approve")
    assert wall(client)[0]["photo"] is None
    assert seen(client, world.head1, wish["id"]) == [kept]
    assert client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.wechat2)).json["photos"] == []


def test_uploads_are_refused_for_others_and_for_what_is_no_photo(client, world, fake_wechat, verdicts):
    wish = post(client, world.wechat1)
    assert upload(client, world.wechat2, wish["id"]).status_code == 404   # another household's wish
    assert upload(client, world.head2, wish["id"]).status_code == 404      # another grid's
    not_a_photo = upload(client, world.wechat1, wish["id"], b"GIF89a" + b"\0" * 64, "x.gif")
    assert not_a_photo.status_code == 422 and not_a_photo.json["message"].startswith("photo:")
    broken = upload(client, world.wechat1, wish["id"], b"\xff\xd8\xff\xe0" + b"\0" * 64)
    assert broken.status_code == 422 and "could not be read" in broken.json["message"]
    assert upload(client, world.wechat1, wish["id"]).status_code == 201
    assert upload(client, world.wechat1, wish["id"]).status_code == 409   # one wisher's photo
    assert fake_wechat.calls["media_check_async"] == 1


def test_without_wechat_answering_no_photo_is_kept(client, world, fake_wechat, upload_dir):
    wish = post(client, world.wechat1)
    fake_wechat.down()
    answer = upload(client, world.wechat1, wish["id"])
    assert answer.status_code == 503
    assert db.session.scalar(select(func.count(WishPhoto.id))) == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_flagged_photo_is_seen_by_its_uploader_and_the_reviewer_only(client, world, fake_wechat, verdicts):
    fake_wechat.flag_image(RED)
    spouse = f.resident(world.house1, "王芳")[1]   # a confirmed member of the wisher's household
    wish = post(client, world.wechat1)
    upload(client, world.wechat1, wish["id"], photo(RED))
    verdicts()
    [risky] = seen(client, world.wechat1, wish["id"])
    assert risky["check"] == "risky"
    assert seen(client, world.wechat1, wish["id"]) == [risky] and seen(client, world.head1, wish["id"]) == [risky]
    for other in (spouse, world.joint, world.leader):   # the household's other member, its staff who review nothing
        assert seen(client, other, wish["id"]) == []
        assert client.get(risky["url"], headers=f.auth(other)).status_code == 404
    assert client.get(risky["url"], headers=f.auth(world.wechat2)).status_code == 404   # another household
    assert client.get(risky["url"], headers=f.auth(world.head2)).status_code == 404     # another grid's head
    # A claimer's flagged photo likewise: theirs and the reviewer's, not the wisher's household's.
    fake_wechat.flag_image(BLUE)
    step(client, world.head1, wish["id"], "approve")
    claimed = client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.wechat2))
    assert claimed.status_code == 200
    upload(client, world.wechat2, wish["id"], photo(BLUE))
    verdicts()
    [theirs] = [p for p in seen(client, world.wechat2, wish["id"]) if p["kind"] == "fulfilment"]
    assert theirs["check"] == "risky"
    assert theirs not in seen(client, world.wechat1, wish["id"]) and theirs not in seen(client, spouse, wish["id"])
    assert theirs in seen(client, world.wechat2, wish["id"]) and theirs in seen(client, world.head1, wish["id"])


def test_a_lapsed_claims_photos_leave_with_it(client, world, fake_wechat, verdicts, upload_dir):
    from datetime import timedelta

    from app.clock import utcnow
    from app.wishes.lifecycle import lapse_overdue

    fake_wechat.flag_image(RED)
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    step(client, world.wechat2, wish["id"], "claim")
    for colour in (BLUE, RED):
        upload(client, world.wechat2, wish["id"], photo(colour))
    verdicts()
    old = seen(client, world.wechat2, wish["id"])
    assert [p["check"] for p in old] == ["pass", "risky"] and len(list(upload_dir.iterdir())) == 2
    assert lapse_overdue(utcnow() + timedelta(days=8)) == 1
    assert list(upload_dir.iterdir()) == []   # the objects went too
    # The next claimer sees none of them, adds their own three, and the wisher confirms.
    claimed = client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.head2))
    assert claimed.status_code == 200 and claimed.json["photos"] == []
    assert all(client.get(p["url"], headers=f.auth(world.head2)).status_code == 404 for p in old)
    assert all(client.get(p["url"], headers=f.auth(world.head1)).status_code == 404 for p in old)
    assert [upload(client, world.head2, wish["id"]).status_code for _ in range(3)] == [201, 201, 201]
    assert step(client, world.head2, wish["id"], "fulfil", note="已送达").status_code == 200
    confirmed = step(client, world.wechat1, wish["id"], "confirm")
    assert confirmed.status_code == 200 and confirmed.json["status"] == "closed"
