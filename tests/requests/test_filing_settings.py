"""What the mini-program's filing form is told beside the categories: the photo limit the upload holds to, and the
subscribe-message templates the household's notices about its request are sent with (asked for at the filing tap)."""
import io

from app.notifications import templates
from app.requests.lifecycle import RESIDENT, RESIDENT_NOTICES, TRANSITIONS
from tests import factories as f
from tests.images import image
from tests.requests.helpers import file

JPEG = image("JPEG")
FIELDS = "thing1:title,thing2:body,time3:time"


def configure(app, **settings):
    """Templates are checked and kept at start-up: set them as a deployment's settings would be read."""
    app.config.update(**settings)
    templates.init_app(app)


def test_the_announced_photo_limit_is_the_one_uploads_hold_to(client, world):
    told = client.get("/api/requests/filing", headers=f.auth(world.wechat1)).json
    assert (told["photo_limit"], told["photo_max_mb"]) == (6, 5)
    rid = file(client, world.wechat1)["id"]
    too_many = [(io.BytesIO(JPEG), f"{n}.jpg") for n in range(told["photo_limit"] + 1)]
    refused = client.post(f"/api/requests/{rid}/photos", headers=f.auth(world.wechat1),
                          data={"photos": too_many}, content_type="multipart/form-data")
    assert refused.status_code == 422
    allowed = [(io.BytesIO(JPEG), f"{n}.jpg") for n in range(told["photo_limit"])]
    assert client.post(f"/api/requests/{rid}/photos", headers=f.auth(world.wechat1),
                       data={"photos": allowed}, content_type="multipart/form-data").status_code == 201


def test_one_generic_template_is_announced_once(client, app, world):
    configure(app, WECHAT_TEMPLATE_ID="tmpl-notice", WECHAT_TEMPLATES={})
    told = client.get("/api/requests/filing", headers=f.auth(world.wechat1)).json
    assert told["subscribe_templates"] == ["tmpl-notice"]


def test_templates_per_kind_are_announced_most_awaited_first_and_at_most_three(client, app, world):
    configure(app, WECHAT_TEMPLATE_ID="tmpl-notice", WECHAT_TEMPLATES={
        kind: {"template_id": template_id, "fields": FIELDS} for kind, template_id in (
            ("request_resolved", "tmpl-resolved"), ("request_accepted", "tmpl-accepted"),
            ("request_progress", "tmpl-progress"), ("request_transferred", "tmpl-transferred"),
            ("request_assigned", "tmpl-for-staff"))})
    told = client.get("/api/requests/filing", headers=f.auth(world.wechat1)).json
    assert told["subscribe_templates"] == ["tmpl-resolved", "tmpl-accepted", "tmpl-progress"]


def test_every_notice_the_household_hears_about_its_request_is_one_it_may_subscribe_to():
    heard = {kind for t in TRANSITIONS.values() for who, kind, _ in t.notices if who == RESIDENT}
    assert set(RESIDENT_NOTICES) == heard


def test_signed_out_callers_are_told_nothing(client):
    assert client.get("/api/requests/filing").status_code == 401
