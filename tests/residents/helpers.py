"""Acting as the mini-program does: scan a letter, register people, and look at raw response text."""
from app.codes.services import code_for
from app.web.extensions import db
from tests import factories as f


def letter_token(house) -> str:
    """The token printed on a house's family letter."""
    token = code_for(house).token
    db.session.commit()
    return token


def person(name: str, serial: int, relationship="配偶", **fields) -> dict:
    """One member entry as the registration form sends it; `serial` makes the ID number and phone unique."""
    return {"name": name, "relationship_to_head": relationship, "id_number": f.id_number(serial),
            "phone": f"1380013{serial:04d}", "residence_type": "permanent", **fields}


def migrant(name: str, serial: int, province="河南", city="周口市", returned="2026-11-01", **fields) -> dict:
    return person(name, serial, residence_type="returning_migrant", from_province=province, from_city=city,
                  return_date=returned, stay_days=30, **fields)


def register(client, token, headers, members, claim_head=False, consent=None):
    if consent is None:
        consent = client.get("/api/privacy-notice").json["version"]
    body = {"members": members, "claim_head": claim_head, "consent_version": consent}
    return client.post(f"/api/scan/{token}/members", json=body, headers=headers)


def newcomer():
    """A WeChat user fresh from login, linked to nobody: (identity, headers)."""
    identity = f.wechat_user()
    return identity, f.auth(identity)


def secrets_of(*entries) -> list[str]:
    """The full ID numbers and phones of member entries: none may appear in a masked response."""
    return [value for e in entries for value in (e["id_number"], e["id_number"].lower(), e.get("phone")) if value]


def assert_masked(response, *entries):
    text = response.get_data(as_text=True)
    leaked = [value for value in secrets_of(*entries) if value in text]
    assert not leaked, f"{response.request.path} leaks {leaked}"
