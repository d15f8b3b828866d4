"""What residents type is checked field by field, and every error names the field it is about."""
import pytest

from app.web.validation import normalize_id_number
from tests import factories as f
from tests.residents.helpers import letter_token, migrant, newcomer, person, register


@pytest.mark.parametrize("raw, expected", [
    ("11010519491231002X", "11010519491231002X"),   # the example printed in GB 11643 itself
    ("11010519491231002x", "11010519491231002X"),   # a lower-case x is accepted and stored upper
    (" 370102 19850312 0003 ", "370102198503120003"),
    ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),   # typed full-width: stored as ASCII
])
def test_valid_id_numbers(raw, expected):
    assert normalize_id_number(raw) == expected


@pytest.mark.parametrize("raw, complaint", [
    ("110105194912310021", "check character"),      # one digit off: the mod-11 check catches it
    ("11010519491231003X", "check character"),
    ("1101051949123100", "18 characters"),
    ("11010519491231002Y", "18 characters"),
    ("99010519491231002X", "region"),
    ("110105194902300021", "birth date"),            # 30 February
    ("110105209912310012", "birth date"),            # born in 2099
])
def test_invalid_id_numbers_say_what_is_wrong(raw, complaint):
    with pytest.raises(ValueError, match=complaint):
        normalize_id_number(raw)


def messages(response):
    assert response.status_code == 422, response.json
    return response.json["message"]


def test_each_error_names_the_member_and_field(client, world):
    _, headers = newcomer()
    bad_id = person("钱七", 2, id_number="110105194912310021")
    bad_phone = person("孙九", 3, phone="12345")
    no_date = migrant("周十", 4, returned=None)
    message = messages(register(client, letter_token(world.house1b), headers,
                                [person("赵六", 1, is_self=True), bad_id, bad_phone, no_date]))
    assert "members.1.id_number: The check character does not match" in message
    assert "members.2.phone: Not a mainland mobile number" in message
    assert "members.3.return_date" in message
    assert "members.0" not in message


def test_migrant_fields_belong_to_returning_migrants_only(client, world):
    _, headers = newcomer()
    stray = person("赵六", 1, is_self=True, from_province="河南")
    assert "members.0.from_province: Only for a returning migrant" in messages(
        register(client, letter_token(world.house1b), headers, [stray]))
    nowhere = migrant("钱七", 2, province="火星")
    assert "members.0.from_province: Not a province" in messages(
        register(client, letter_token(world.house1b), headers, [nowhere]))
    tomorrow = migrant("钱七", 2, returned="2999-01-01")
    assert "members.0.return_date: Cannot be in the future" in messages(
        register(client, letter_token(world.house1b), headers, [tomorrow]))


def test_a_temporary_resident_gives_how_long_they_stay_but_not_where_from(client, world):
    _, headers = newcomer()
    lodger = person("赵六", 1, is_self=True, residence_type="temporary", stay_days=90)
    registered = register(client, letter_token(world.house1b), headers, [lodger])
    assert registered.status_code == 201 and registered.json["members"][0]["stay_days"] == 90
    _, headers = newcomer()
    settled = person("钱七", 2, is_self=True, stay_days=90)
    assert "members.0.stay_days: Only for a returning migrant or a temporary resident" in messages(
        register(client, letter_token(world.house1b), headers, [settled]))
    from_afar = person("孙九", 3, is_self=True, residence_type="temporary", stay_days=90, from_province="河南")
    assert "members.0.from_province: Only for a returning migrant." in messages(
        register(client, letter_token(world.house1b), headers, [from_afar]))


def test_corrections_keep_a_temporary_residents_stay_until_they_settle(client, world):
    _, headers = newcomer()
    lodger = person("赵六", 1, is_self=True, residence_type="temporary", stay_days=90)
    member = register(client, letter_token(world.house1b), headers, [lodger], claim_head=True).json["members"][0]
    change = lambda body: client.patch(f"/api/members/{member['id']}", json=body, headers=headers)  # noqa: E731
    assert change({"name": "赵六六"}).json["stay_days"] == 90
    assert change({"stay_days": 30}).json["stay_days"] == 30
    assert change({"residence_type": "permanent"}).json["stay_days"] is None


def test_a_member_other_than_the_claimed_head_needs_a_relationship(client, world):
    _, headers = newcomer()
    entry = person("钱七", 2)
    del entry["relationship_to_head"]
    assert "members.1.relationship_to_head: Required" in messages(register(
        client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True), entry], claim_head=True))


def test_phones_are_normalised_and_id_letters_stored_upper(client, world):
    _, headers = newcomer()
    entry = person("赵六", 1, is_self=True, phone="＋８６ １３８－００１３－０００１",   # a Chinese IME's full width
                   id_number="11010519491231002x", residence_type="returning_migrant", from_province="河南",
                   from_city="周口市", return_date="2026-10-01")
    response = register(client, letter_token(world.house1b), headers, [entry], claim_head=True)
    assert response.status_code == 201
    member = response.json["members"][0]
    assert member["from_province"] == "河南省"
    revealed = client.post(f"/api/members/{member['id']}/reveal", json={"reason": "核对户籍信息"},
                           headers=f.auth(world.head1)).json
    assert revealed["id_number"] == "11010519491231002X" and revealed["phone"] == "13800130001"


def test_corrections_are_checked_like_registrations(client, world):
    _, headers = newcomer()
    response = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True)],
                        claim_head=True)
    member_id = response.json["members"][0]["id"]
    assert "id_number" in messages(client.patch(f"/api/members/{member_id}", json={"id_number": "123"},
                                                headers=headers))
    assert "return_date: Required for a returning migrant" in messages(client.patch(
        f"/api/members/{member_id}", json={"residence_type": "returning_migrant", "from_province": "河南",
                                           "from_city": "周口市"}, headers=headers))
    assert "relationship_to_head" in messages(client.patch(
        f"/api/members/{member_id}", json={"relationship_to_head": "子"}, headers=headers))
