"""Wishes under requests that arrive at the same moment, on SQLite (a file database) as on PostgreSQL: every step
is taken once and every count limit holds (issue 20, item 11)."""
import io

from sqlalchemy import func, select

from app.models import Notification, PointEntry, Wish, WishEvent, WishPhoto
from app.web.extensions import db
from tests import factories as f
from tests.concurrency import at_once
from tests.wishes.helpers import post, step
from tests.wishes.test_photos import photo


def _wish(client, world, until):
    wish = post(client, world.wechat1)["id"]
    for who, action, body in ((world.head1, "approve", {}), (world.wechat2, "claim", {}),
                              (world.wechat2, "fulfil", {"note": "已送到"})):
        if action == until:
            break
        assert step(client, who, wish, action, **body).status_code == 200
    return wish


def test_twenty_confirms_at_once_close_the_wish_once(app, client, world):
    wish = _wish(client, world, "confirm")
    wisher = f.auth(world.wechat1)
    codes = at_once(app, [lambda c: c.post(f"/api/wishes/{wish}/confirm", headers=wisher)] * 20)
    assert sorted(codes) == [200] + [409] * 19
    assert db.session.scalar(select(func.count()).where(WishEvent.wish_id == wish, WishEvent.action == "confirm")) == 1
    assert db.session.scalar(select(func.count()).where(Notification.kind == "wish_confirmed")) == 1
    assert db.session.scalar(select(func.sum(PointEntry.points))) == 10


def test_a_cancel_racing_a_claim_lets_one_win(app, client, world):
    for _ in range(5):
        wish = _wish(client, world, "claim")
        wisher, claimer = f.auth(world.wechat1), f.auth(world.wechat2)
        cancel, claim = at_once(app, [lambda c: c.post(f"/api/wishes/{wish}/cancel", headers=wisher),
                                      lambda c: c.post(f"/api/wishes/{wish}/claim", headers=claimer)])
        status = db.session.get(Wish, wish).status.value
        # The losing claim meets a withdrawn wish, gone from the wall (404), or one being withdrawn (409).
        assert (cancel, status) == (200, "cancelled") and claim in (404, 409) or (cancel, claim, status) == (
            409, 200, "claimed")


def test_an_approval_racing_a_rejection_lets_one_win(app, client, world):
    for _ in range(5):
        wish = post(client, world.wechat1)["id"]
        head = f.auth(world.head1)
        codes = at_once(app, [lambda c: c.post(f"/api/wishes/{wish}/approve", headers=head, json={}),
                              lambda c: c.post(f"/api/wishes/{wish}/reject", headers=head, json={"reason": "重复"})])
        assert sorted(codes) == [200, 409]
        assert db.session.get(Wish, wish).status.value == ("approved" if codes[0] == 200 else "rejected")


def _upload(wish, headers):
    return lambda c: c.post(f"/api/wishes/{wish}/photos", headers=headers, content_type="multipart/form-data",
                            data={"photo": (io.BytesIO(photo(size=(40, 30))), "p.jpg")})


def test_photos_sent_at_once_keep_to_their_limits(app, client, world):
    wished, claimed = post(client, world.wechat1)["id"], _wish(client, world, "fulfil")
    codes = at_once(app, [_upload(wished, f.auth(world.wechat1))] * 4)
    assert sorted(codes) == [201] + [409] * 3
    codes = at_once(app, [_upload(claimed, f.auth(world.wechat2))] * 6)
    assert sorted(codes) == [201] * 3 + [409] * 3
    counts = dict(db.session.execute(select(WishPhoto.wish_id, func.count()).group_by(WishPhoto.wish_id)).all())
    assert counts == {wished: 1, claimed: 3}
