"""Scans answer with an ETag and a short public freshness, so a phone or a caching proxy answers repeats itself
and then revalidates (304, no body); whatever changes what a scan shows changes its ETag at once; and a scan that
reaches the server costs a handful of statements."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.codes.services import code_for, reprint
from app.models import QrCode, Role
from app.web.extensions import db
from tests import factories as f

FRESH = "public, max-age=60, must-revalidate"


@pytest.fixture
def tokens(world):
    house, card = code_for(world.house1).token, code_for(world.police1).token
    db.session.commit()
    return house, card


def scan_urls(house: str, card: str) -> list[str]:
    return [f"/s/{house}", f"/c/{card}", f"/c/{card}/contact.vcf", f"/api/scan/{house}", f"/api/cards/{card}",
            f"/api/scan?scene={house}", f"/api/scan?scene={card}"]


@contextmanager
def statements():
    """The SQL statements sent meanwhile, on any connection of the app's engine."""
    sent: list[str] = []

    def note(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_repeat_with_the_etag_is_answered_304_without_a_body(client, tokens):
    for url in scan_urls(*tokens):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["Cache-Control"] == FRESH, url
        assert "Set-Cookie" not in first.headers and "Vary" not in first.headers, url
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", url
        assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Cache-Control"] == FRESH, url
        assert client.get(url, headers={"If-None-Match": '"another"'}).status_code == 200, url


def test_a_revalidated_scan_is_still_counted(client, tokens):
    house, _ = tokens
    etag = client.get(f"/s/{house}").headers["ETag"]
    client.get(f"/s/{house}", headers={"If-None-Match": etag})
    db.session.rollback()
    assert db.session.scalar(select(QrCode.scans).where(QrCode.token == house)) == 2


def test_everyone_gets_the_same_answer_so_it_may_be_shared(client, world, tokens):
    signed_in = [{}, f.auth(world.wechat1), f.auth(world.head1), f.auth(f.wechat_user())]
    for url in scan_urls(*tokens):
        answers = {(r.status_code, r.headers["ETag"], r.data) for r in
                   (client.get(url, headers=headers) for headers in signed_in)}
        assert len(answers) == 1, url


def test_a_new_grid_head_changes_the_etag_and_is_served_at_once(client, world, tokens):
    house, _ = tokens
    before = {url: client.get(url).headers["ETag"] for url in (f"/s/{house}", f"/api/scan/{house}")}
    world.grid1.head = f.staff(world.a, Role.GRID_HEAD, name="新网格长")
    db.session.commit()
    for url, etag in before.items():
        answer = client.get(url, headers={"If-None-Match": etag})
        assert answer.status_code == 200 and answer.headers["ETag"] != etag, url
        assert "新网格长" in answer.get_data(as_text=True), url


def test_an_officers_new_phone_changes_the_card_and_the_letter(client, world, tokens):
    house, card = tokens
    urls = [f"/s/{house}", f"/c/{card}", f"/c/{card}/contact.vcf", f"/api/cards/{card}", f"/api/scan/{house}"]
    before = {url: client.get(url).headers["ETag"] for url in urls}
    world.police1.phone = "13511112222"
    db.session.commit()
    for url, etag in before.items():
        answer = client.get(url, headers={"If-None-Match": etag})
        assert answer.status_code == 200 and "13511112222" in answer.get_data(as_text=True), url


def test_a_reprinted_code_answers_410_to_a_revalidation_and_keeps_no_freshness(client, world, tokens):
    house, card = tokens
    etags = {url: client.get(url).headers["ETag"] for url in scan_urls(house, card)}
    reprint(world.house1)
    reprint(world.police1)
    db.session.commit()
    for url, etag in etags.items():
        gone = client.get(url, headers={"If-None-Match": etag})
        assert gone.status_code == 410 and "public" not in gone.headers.get("Cache-Control", ""), url


def test_refusals_are_not_marked_shareable(client, world):
    for url in ("/s/" + "A" * 22, "/api/scan/" + "A" * 22, "/c/" + "A" * 22 + "/contact.vcf"):
        refused = client.get(url)
        assert refused.status_code == 404 and "ETag" not in refused.headers, url
        assert "public" not in refused.headers.get("Cache-Control", ""), url


@pytest.mark.parametrize("url", ["/s/{house}", "/c/{card}", "/api/scan/{house}", "/api/cards/{card}",
                                 "/api/scan?scene={house}", "/api/scan?scene={card}"])
def test_a_scan_reaching_the_server_costs_a_handful_of_statements(app, client, world, tokens, fake_wechat, url):
    letter = url in ("/s/{house}", "/api/scan/{house}")
    url = url.format(house=tokens[0], card=tokens[1])
    etag = client.get(url).headers["ETag"]   # a page's "open in WeChat" link made and kept
    with statements() as missed:
        assert client.get(url).status_code == 200
    with statements() as revalidated:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # A letter's code with what the letter shows, or the code with its house or officer and then what the letter
    # or card shows; the scan count; on a page, the kept link too, when it is kept in the database (no Redis).
    most = (2 if letter else 3) + (url.startswith(("/s/", "/c/")) and not app.config.get("REDIS_URL"))
    assert len(missed) == len(revalidated) == most, missed
