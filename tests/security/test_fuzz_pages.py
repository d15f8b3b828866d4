"""Hypothesis fuzzes the public pages behind the printed QR codes, /s/<token> (a family letter) and /c/<token>
(a police contact card), which /api/openapi.json does not describe: live, replaced and unknown tokens, tokens
of the other kind or of someone who is no officer, mangled and junk ones, with junk query strings. Each answers
HTML: 200 for a live code of the page's kind (counting the scan), 410 for a replaced one, 404 for anything
else, changing nothing; and no page ever shows a member's name, phone, ID number or WeChat account."""
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.codes.services import code_for, reprint
from app.models import Household, QrCode, Resident, WeChatIdentity
from app.web.extensions import db
from qr.tokens import new_token
from tests import factories as f
from tests.security.fuzzing import bounded, either, junk
from tests.security.stage import saved_data

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="module")
def codes(stage):
    """Per token, what each page should answer; and the people whose data no page may show."""
    stage.ready()
    w = stage.w
    replaced_house, replaced_card = code_for(w.house1b).token, code_for(w.police_all).token
    reprint(w.house1b)
    reprint(w.police_all)
    retired = f.police(w.a)
    retired.active = False
    house, card = w.house_token, w.card_token
    live = {(house, "s"): 200, (code_for(w.house_b).token, "s"): 200, (card, "c"): 200}
    others = [code_for(retired).token, code_for(w.head1).token, new_token()]   # no officer's, or unknown
    db.session.commit()
    return SimpleNamespace(live=live, replaced={replaced_house, replaced_card},
                           tokens=[house, card, replaced_house, replaced_card, *others], secrets=secrets())


def secrets() -> list[str]:
    """Members' names, phones and ID numbers, household heads' names and phones, WeChat openids."""
    values = [*db.session.execute(select(Resident.name, Resident.phone, Resident.id_number_masked)).all(),
              *db.session.execute(select(Household.head_name, Household.head_phone)).all(),
              *db.session.execute(select(WeChatIdentity.openid, WeChatIdentity.phone)).all()]
    return sorted({value for row in values for value in row if value})


def mangled(tokens):
    """A live token with a character changed, dropped or added, or its case flipped."""
    def mangle(token, at, char, how):
        at %= len(token)
        return {"change": token[:at] + char + token[at + 1:], "drop": token[:at] + token[at + 1:],
                "add": token[:at] + char + token[at:], "case": token.swapcase()}[how]

    return st.builds(mangle, st.sampled_from(tokens), st.integers(0, 30), st.sampled_from(ALPHANUMERIC),
                     st.sampled_from(["change", "drop", "add", "case"]))


def expected(codes, token: str, page: str) -> int:
    if token in codes.replaced:
        return 410
    return codes.live.get((token, page), 404)


def scans(token: str) -> int | None:
    return db.session.scalar(select(QrCode.scans).where(QrCode.token == token))


def test_pages_answer_html_as_the_code_says_and_never_show_members(stage, codes):
    # A "/" would make another URL (/s/a/b), which is no page: the app's JSON 404 answers it.
    tokens = st.one_of(st.sampled_from(codes.tokens), mangled(codes.tokens),
                       st.text(ALPHANUMERIC, min_size=20, max_size=26), junk.filter(lambda t: t and "/" not in t))

    @bounded(300)
    @given(page=st.sampled_from(["s", "c"]), token=tokens, query=either(["", "from=timeline"], junk))
    def fuzz(page, token, query):
        before, counted = saved_data(), scans(token)
        response = stage.client.get(f"/{page}/{quote(token, safe='')}", query_string=query)
        db.session.rollback()
        body = response.get_data(as_text=True)
        want = expected(codes, token, page)
        detail = f"/{page}/{token!r}?{query!r}: {response.status_code}, expected {want}: {body[:300]}"
        assert response.status_code == want, detail
        assert response.mimetype == "text/html" and body.lstrip().startswith("<!doctype html>"), detail
        assert not [secret for secret in codes.secrets if secret in body], detail
        if want == 200:
            assert scans(token) == counted + 1, detail
        else:
            assert saved_data() == before, f"changed saved data: {detail}"

    fuzz()
