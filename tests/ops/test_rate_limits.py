"""Rate limits: sign-in brakes per address and per username, and the named limits other views take."""
import io

from flask import jsonify

from app import create_app
from app.auth.principal import login_required
from app.web.limits import rate_limited
from config import TestConfig
from tests import factories as f
from tests.console.signing import csrf_of


def login(client, username, password="wrong", ip="10.0.0.1"):
    return client.post("/api/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def assert_limited(response):
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.json
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert body["message"].startswith("Too many requests") and "Try again in" in body["message"]


def test_password_sign_in_is_limited_per_address(client, world, limits_on):
    for n in range(10):
        assert login(client, f"nobody{n}").status_code == 401
    assert_limited(login(client, world.admin_a.username, "password-1"))
    assert login(client, world.admin_a.username, "password-1", ip="10.0.0.2").status_code == 200


def test_wrong_passwords_are_limited_per_username(client, world, limits_on):
    for n in range(5):
        assert login(client, world.head1.username, ip=f"10.0.1.{n}").status_code == 401
    assert_limited(login(client, world.head1.username, "password-1", ip="10.0.2.1"))
    assert login(client, world.head2.username, "password-1", ip="10.0.2.1").status_code == 200


def test_successful_sign_ins_do_not_use_up_the_username_limit(client, world, limits_on):
    for n in range(7):
        assert login(client, world.head1.username, "password-1", ip=f"10.0.3.{n}").status_code == 200


def test_wechat_sign_in_is_limited_per_address(client, app, limits_on, fake_wechat):
    limits_on["RATELIMIT_WECHAT_LOGIN"] = "2/minute"
    for n in range(2):
        fake_wechat.register_code(f"code{n}", f"openid-{n}")
        assert client.post("/api/auth/wechat", json={"code": f"code{n}"}).status_code == 200
    assert_limited(client.post("/api/auth/wechat", json={"code": "code2"}))


def test_limits_are_off_unless_enabled(client, world):
    for _ in range(12):
        assert login(client, world.head1.username).status_code == 401


def test_named_limit_counts_each_wechat_user_apart_and_strangers_by_address(app, client, world, limits_on):
    limits_on["RATELIMIT_SCAN"] = "2/minute"

    @app.get("/api/test-scan")
    @login_required(allow_unlinked=True)
    @rate_limited("RATELIMIT_SCAN")
    def scan():
        return jsonify(ok=True)

    @app.get("/api/test-public")
    @rate_limited("RATELIMIT_SCAN")
    def public():
        return jsonify(ok=True)

    first, second = f.auth(world.wechat1), f.auth(world.wechat2)
    assert [client.get("/api/test-scan", headers=first).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/test-scan", headers=second).status_code == 200
    assert [client.get("/api/test-public").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/test-public", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200



def test_forwarded_address_counts_only_behind_a_trusted_proxy(app, world, limits_on):
    behind = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                        TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True).test_client()

    def attempts(client, forwarded_for):
        return [client.post("/api/auth/login", json={"username": f"nobody{n}", "password": "wrong"},
                            headers={"X-Forwarded-For": forwarded_for(n)}).status_code for n in range(11)]

    assert attempts(behind, lambda n: "1.1.1.1")[-2:] == [401, 429]
    assert attempts(behind, lambda n: "2.2.2.2")[0] == 401
    # Without a trusted proxy the header is the client's own say: it counts on the connection's address.
    assert attempts(app.test_client(), lambda n: f"3.3.3.{n}")[-2:] == [401, 429]


def test_scan_lookups_and_registrations_are_limited_per_caller(client, world, limits_on):
    from app.codes.services import code_for
    from app.web.extensions import db
    from tests import factories as f

    limits_on["RATELIMIT_SCAN"] = "3/minute"
    limits_on["RATELIMIT_REGISTRATION"] = "1/hour"
    token = code_for(world.house1b).token
    db.session.commit()
    answers = [client.get(f"/api/scan/{token}").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert [client.get(f"/s/{token}").status_code for _ in range(4)][-1] == 429   # the page counts alike
    stranger = f.auth(f.resident(world.house2b, confirmed=False)[1])
    body = {"members": [], "claim_head": False, "consent_version": "x"}
    first = client.post(f"/api/scan/{token}/members", headers=stranger, json=body)
    assert first.status_code == 422                               # counted, though refused for its body
    second = client.post(f"/api/scan/{token}/members", headers=stranger, json=body)
    assert second.status_code == 429 and second.headers["Retry-After"]


def test_a_printed_code_scanned_too_often_answers_a_page_not_json(client, world, limits_on):
    from app.codes.services import code_for
    from app.web.extensions import db
    limits_on["RATELIMIT_SCAN"] = "2/minute"
    token = code_for(world.house1).token
    db.session.commit()
    for _ in range(2):
        assert client.get(f"/s/{token}").status_code == 200
    response = client.get(f"/s/{token}")
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert "扫码太频繁" in response.get_data(as_text=True) and 1 <= int(response.headers["Retry-After"]) <= 60


def test_scan_to_sign_in_codes_are_limited_per_address(client, limits_on, fake_wechat):
    """Each code costs a call to WeChat: a page reloaded in a loop is stopped, another office is not."""
    limits_on["RATELIMIT_SCAN_SIGN_IN"] = "2/minute"

    def ask(ip):
        return client.post("/console/login/scan", data={"csrf_token": csrf_of(client)}, environ_base={"REMOTE_ADDR": ip})

    assert [ask("10.0.4.1").status_code for _ in range(3)] == [200, 200, 429]
    assert ask("10.0.4.2").status_code == 200
    assert fake_wechat.calls["wxacode"] == 3


def test_a_cards_contact_download_is_limited_as_a_scan_and_refused_as_a_page(client, world, limits_on):
    from app.codes.services import code_for
    from app.web.extensions import db
    limits_on["RATELIMIT_SCAN"] = "2/minute"
    token = code_for(world.police1).token
    db.session.commit()
    for _ in range(2):
        assert client.get(f"/c/{token}/contact.vcf").status_code == 200
    response = client.get(f"/c/{token}/contact.vcf")
    assert response.status_code == 429 and response.mimetype == "text/html" and response.headers["Retry-After"]
    assert "public" not in response.headers.get("Cache-Control", "")


def test_photo_uploads_and_wishes_are_limited_per_person_and_photos_per_address(client, world, limits_on):
    from tests.images import image
    from tests.requests.helpers import file

    limits_on.update(RATELIMIT_PHOTOS="2/hour", RATELIMIT_PHOTOS_IP="3/hour", RATELIMIT_WISHES="1/hour")

    def upload(who, rid, ip):
        return client.post(f"/api/requests/{rid}/photos", headers=f.auth(who), content_type="multipart/form-data",
                           data={"photos": (io.BytesIO(image()), "a.png")}, environ_base={"REMOTE_ADDR": ip})

    def limited(response):
        assert response.status_code == 429 and 60 < int(response.headers["Retry-After"]) <= 3600
        return response.json["message"].startswith("Too many requests")

    mine, theirs = file(client, world.wechat1)["id"], file(client, world.wechat2)["id"]
    assert [upload(world.wechat1, mine, "10.9.0.1").status_code for _ in range(2)] == [201, 201]
    assert limited(upload(world.wechat1, mine, "10.9.0.2"))   # per person, from any address
    assert upload(world.wechat2, theirs, "10.9.0.1").status_code == 201
    assert limited(upload(world.head1, mine, "10.9.0.1"))   # the address's fourth, whoever sends it
    assert upload(world.head1, mine, "10.9.0.3").status_code == 201
    assert limited(client.post("/api/wishes/1/photos", headers=f.auth(world.wechat1), data={},
                               content_type="multipart/form-data", environ_base={"REMOTE_ADDR": "10.9.0.4"}))
    wish = {"text": "想要一台收音机", "category": "goods"}
    assert client.post("/api/wishes", headers=f.auth(world.wechat1), json=wish).status_code == 201
    assert limited(client.post("/api/wishes", headers=f.auth(world.wechat1), json=wish))
