"""Scan to sign in: the sign-in page's mini-program code (drawn by the fake WeChat, served by the app), a staff
member's bound WeChat confirming it in the mini-program, and the browser that asked, only it and only once,
signing in; who may not confirm, and codes expired, cancelled or used."""
import base64
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.clock import utcnow
from app.models import AuditEvent, SignInTicket
from app.web.extensions import db
from tests import factories as f
from tests.console.signing import csrf_of
from tests.qr.scan import qr_texts

SCAN = "/console/login/scan"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


def ask_code(client, **form) -> str:
    """What the sign-in page does on loading: ask for a code; then what a phone reads from it (the ticket)."""
    answer = client.post(SCAN, data={"csrf_token": csrf_of(client), **form},
                         headers={"HX-Request": "true", "User-Agent": CHROME})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    image = re.search(r'src="data:image/jpeg;base64,([^"]+)"', answer.get_data(as_text=True)).group(1)
    [ticket] = qr_texts(base64.b64decode(image))
    return ticket


def look(client, ticket, **query):
    """The page's look every two seconds."""
    return client.get(f"{SCAN}/{ticket}", query_string=query, headers={"HX-Request": "true"})


def phone_of(staff) -> dict:
    """The mini-program signed in with a WeChat bound to `staff` (as an invite binds it)."""
    identity = f.wechat_user()
    identity.staff_id = staff.id
    db.session.commit()
    return f.auth(identity)


def answer(client, ticket, headers, what="confirm"):
    return client.post(f"/api/console-login/{ticket}/{what}", headers=headers)


def expire(ticket):
    db.session.execute(update(SignInTicket).where(SignInTicket.id == ticket).values(
        expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_bound_staff_member_confirms_and_the_browser_that_asked_signs_in(client, world, fake_wechat):
    page = client.get("/console/login?next=/console/registrations").get_data(as_text=True)
    assert "微信扫码登录" in page and 'hx-trigger="load"' in page
    ticket = ask_code(client, next="/console/registrations")
    assert fake_wechat.calls["wxacode"] == 1
    assert look(client, ticket).status_code == 204   # nobody has scanned it yet
    phone = phone_of(world.head1)
    shown = client.get(f"/api/console-login/{ticket}", headers=phone)
    assert shown.status_code == 200
    assert (shown.json["ticket"], shown.json["state"], shown.json["browser"]) == (ticket, "pending", "Chrome · Windows")
    confirmed = answer(client, ticket, phone)
    assert confirmed.status_code == 200 and confirmed.json["state"] == "confirmed"
    signed = look(client, ticket, next="/console/registrations")
    assert signed.status_code == 200 and signed.headers["HX-Redirect"] == "/console/registrations"
    assert world.head1.name in client.get("/console/registrations").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "scan_sign_in")).one()
    assert (event.actor_staff_id, event.object_id) == (world.head1.id, str(world.head1.id))
    assert event.actor_wechat_id is not None
    # Once: the browser's proof went with the sign-in, and the phone's code is spent.
    assert look(client, ticket).status_code == 404
    again = answer(client, ticket, phone)
    assert again.status_code == 410 and again.json["message"].startswith("ticket:")


def test_without_htmx_the_confirmed_browser_is_redirected_home(client, world, fake_wechat):
    ticket = ask_code(client)
    answer(client, ticket, phone_of(world.police1))
    signed = client.get(f"{SCAN}/{ticket}")
    assert signed.status_code == 303 and signed.location == "/console/police"


def test_the_code_is_this_browsers_own(app, client, world, fake_wechat):
    ticket = ask_code(client)
    answer(client, ticket, phone_of(world.head1))
    stranger = app.test_client()
    ask_code(stranger)   # a proof of its own, for another ticket
    lost = look(stranger, ticket)
    assert lost.status_code == 404 and "二维码已失效" in lost.get_data(as_text=True)
    assert stranger.get("/console/requests").location.startswith("/console/login")   # still signed out
    assert look(client, ticket).headers["HX-Redirect"] == "/console/requests"


@pytest.mark.parametrize("caller", ["resident", "registrant", "unlinked", "password", "deactivated", "nobody"])
def test_only_a_wechat_bound_to_an_active_staff_account_may_answer(client, world, fake_wechat, caller):
    ticket = ask_code(client)
    if caller == "deactivated":
        headers = phone_of(world.head1)
        world.head1.active = False
        db.session.commit()
    else:
        headers = {"resident": lambda: f.auth(world.wechat1),
                   "registrant": lambda: f.auth(f.resident(world.house1, confirmed=False)[1]),
                   "unlinked": lambda: f.auth(f.wechat_user()),
                   "password": lambda: f.auth(world.head1),   # a password's token proves no phone
                   "nobody": dict}[caller]()
    for what in ("confirm", "cancel"):
        assert answer(client, ticket, headers, what).status_code == (401 if caller == "nobody" else 403)
    assert client.get(f"/api/console-login/{ticket}", headers=headers).status_code in (401, 403)
    assert look(client, ticket).status_code == 204   # still waiting


def test_an_unknown_code_answers_404_naming_the_ticket(client, world):
    unknown = answer(client, "x" * 22, phone_of(world.head1))
    assert unknown.status_code == 404 and unknown.json["message"].startswith("ticket:")


def test_an_expired_code_is_refused_and_the_page_offers_a_new_one(client, world, fake_wechat):
    phone = phone_of(world.head1)
    ticket = ask_code(client)
    expire(ticket)
    over = look(client, ticket)
    assert over.status_code == 200 and "二维码已过期，点击刷新" in over.get_data(as_text=True)
    refused = answer(client, ticket, phone)
    assert refused.status_code == 410 and "expired" in refused.json["message"]
    # Confirmed in time, looked at too late: no sign-in.
    late = ask_code(client)
    answer(client, late, phone)
    expire(late)
    assert "二维码已过期" in look(client, late).get_data(as_text=True)
    assert client.get("/console/requests").location.startswith("/console/login")
    # A new code works.
    fresh = ask_code(client)
    answer(client, fresh, phone)
    assert look(client, fresh).headers["HX-Redirect"] == "/console/requests"


def test_a_cancelled_code_signs_nobody_in(client, world, fake_wechat):
    phone = phone_of(world.head1)
    ticket = ask_code(client)
    assert answer(client, ticket, phone, "cancel").json["state"] == "cancelled"
    assert "已在手机上取消" in look(client, ticket).get_data(as_text=True)
    assert answer(client, ticket, phone).status_code == 410
    assert client.get("/console/requests").location.startswith("/console/login")


def test_the_codes_cookie_is_httponly_strict_and_for_the_scan_path_only(client, world, fake_wechat):
    ask_code(client)
    cookie = client.get_cookie("scan", path=SCAN)
    assert cookie.http_only and cookie.same_site == "Strict" and cookie.path == SCAN and cookie.max_age == 120
    assert db.session.scalar(select(SignInTicket.browser_digest)) != cookie.value   # only its digest is kept


def test_without_wechat_the_page_has_the_password_form_only(client, world):
    page = client.get("/console/login").get_data(as_text=True)
    assert "微信扫码登录" not in page and 'name="password"' in page


def test_when_wechat_fails_the_page_offers_to_try_again(client, world, fake_wechat):
    fake_wechat.fail("wxacode", errcode=41030)
    refused = client.post(SCAN, data={"csrf_token": csrf_of(client)}, headers={"HX-Request": "true"})
    assert refused.status_code == 503 and "暂时无法生成二维码，点击重试" in refused.get_data(as_text=True)
    assert db.session.scalar(select(SignInTicket.id)) is None
    assert ask_code(client)   # WeChat answers again


def test_the_api_is_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/console-login/{ticket}", "/api/console-login/{ticket}/confirm",
                 "/api/console-login/{ticket}/cancel"):
        operation = paths[path].get("get") or paths[path]["post"]
        assert "410" in operation["responses"] and operation.get("security") != []   # a bearer token
