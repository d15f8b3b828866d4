"""The spec is the contract: rules the server enforces are declared in /api/openapi.json, and what a declared
pattern lets through includes everything the server accepts (the fuzz suite sends what it refuses)."""
import re

import pytest

from app import create_app
from app.web.validation import normalize_id_number, normalize_mobile
from config import TestConfig

SPEC = create_app(TestConfig).test_client().get("/api/openapi.json").json


def schema(name):
    return SPEC["components"]["schemas"][name]["properties"]


def parameter(path, name):
    return next(p["schema"] for p in SPEC["paths"][path]["get"]["parameters"] if p["name"] == name)


@pytest.mark.parametrize("path", ["/api/scan/{token}", "/api/cards/{token}"])
def test_a_replaced_code_answers_410_and_the_spec_says_so(path):
    assert "410" in SPEC["paths"][path]["get"]["responses"]


def test_the_reveal_reason_declares_its_length():
    assert (schema("Reveal")["reason"]["minLength"], schema("Reveal")["reason"]["maxLength"]) == (4, 500)


@pytest.mark.parametrize("component, field, normalize, accepted, refused", [
    ("MemberEntry", "id_number", normalize_id_number, ["11010519491231002X", " 110105 19491231 002x ",
                                                        "１１０１０５１９４９１２３１００２ｘ"],
     ["11010519491231002", "1101051949123100Y2", "110105-19491231-002X", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"]),
    ("MemberChange", "phone", normalize_mobile, ["13800138000", "+86 138-0013-8000", "0086(138)00138000",
                                                 "＋８６　１３８－００１３８０００", "（１３８）００１３８０００"],
     ["1380013800", "23800138000", "+87 13800138000", "138.0013.8000", "١٣٨٠٠١٣٨٠٠٠", "①3800138000"]),
    ("ContactCreate", "phone", normalize_mobile, ["8613800138000"], ["tel:13800138000"]),
])
def test_id_numbers_and_phones_declare_the_pattern_the_server_checks(component, field, normalize, accepted,
                                                                     refused):
    declared = schema(component)[field]
    assert declared["minLength"] in (11, 18)
    for text in accepted:
        assert re.search(declared["pattern"], text) and normalize(text)
    for text in refused:
        assert not re.search(declared["pattern"], text)
        with pytest.raises(ValueError):
            normalize(text)
    assert schema("MemberChange")["id_number"]["pattern"] == schema("MemberEntry")["id_number"]["pattern"]


@pytest.mark.parametrize("path", ["/api/figures/community", "/api/figures/grids/{grid_id}"])
def test_figures_declare_the_dates_they_accept(path):
    for name in ("from", "to"):
        declared = parameter(path, name)
        assert declared["format"] == "date" and declared["pattern"] == "^20[0-9]{2}"
        assert "2000-01-01 to 2099-12-31" in next(
            p["description"] for p in SPEC["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_a_category_change_declares_it_needs_a_field():
    body = SPEC["paths"]["/api/categories/{category_id}"]["patch"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"]["minProperties"] == 1
