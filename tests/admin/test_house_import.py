"""The admin imports houses from a sheet: idempotent, all-or-nothing, errors by row and column."""
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.models import Grid, Household, Unit
from app.web.extensions import db
from tests import factories as f

HEADER = ["网格编号", "网格名称", "楼栋编号", "楼栋名称", "门牌号", "地址", "户主姓名", "户主电话"]
ROWS = [
    [1, "第一网格", 3, "3号楼", 402, "胜泉社区3号楼402室", "张三", "138 0013 8000"],
    [1, "第一网格", 3, "3号楼", "401", "胜泉社区3号楼401室", None, None],
    [2, "第二网格", 5, "5号楼", "1-101", "胜泉社区5号楼1-101室", "李四", "+86 139-1234-5678"],
]


def xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, headers, data, name="houses.xlsx", query=""):
    return client.post(f"/api/admin/houses/import{query}", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Grid, Unit, Household))


def test_import_creates_hierarchy_and_codes(client, world):
    before = counts()
    response = upload(client, f.auth(world.admin_a), xlsx(ROWS))
    assert response.status_code == 200, response.json
    assert response.json["created"] == 3 and response.json["units_created"] == 2
    assert counts() == (before[0], before[1] + 2, before[2] + 3)  # grids 1 and 2 exist already
    house = db.session.scalar(select(Household).where(Household.code == "SQ-02-05-1-101"))
    assert house.head_phone == "13912345678" and house.address == "胜泉社区5号楼1-101室"
    assert db.session.scalar(select(Household).where(Household.code == "SQ-01-03-402")).head_phone == "13800138000"


def test_same_file_twice_changes_nothing(client, world):
    headers = f.auth(world.admin_a)
    upload(client, headers, xlsx(ROWS))
    before = counts()
    again = upload(client, headers, xlsx(ROWS)).json
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert counts() == before


def test_changed_row_updates_in_place(client, world):
    headers = f.auth(world.admin_a)
    upload(client, headers, xlsx(ROWS))
    changed = [ROWS[0][:5] + ["胜泉社区3号楼402室(新)", "张三", "13800138000"]] + ROWS[1:]
    result = upload(client, headers, xlsx(changed)).json
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 2)
    assert db.session.scalar(select(Household.address).where(Household.code == "SQ-01-03-402")).endswith("(新)")


def test_bad_rows_are_reported_and_nothing_is_imported(client, world):
    before = counts()
    bad = ROWS + [
        [1, None, 3, None, "403", None, None, None],            # row 5: no address
        ["x", None, 3, None, "404", "地址", None, "12345"],      # row 6: grid and phone
        [1, None, 3, None, 402, "重复", None, None],             # row 7: same house as row 2
    ]
    response = upload(client, f.auth(world.admin_a), xlsx(bad))
    assert response.status_code == 422
    errors = {(e["row"], e["column"]) for e in response.json["errors"]["rows"]}
    assert errors == {(5, "地址 (address)"), (6, "网格编号 (grid)"), (6, "户主电话 (head_phone)"),
                      (7, "门牌号 (door)")}
    assert "nothing was imported" in response.json["message"]
    assert counts() == before


def test_dry_run_reports_without_writing(client, world):
    before = counts()
    response = upload(client, f.auth(world.admin_a), xlsx(ROWS), query="?dry_run=true")
    assert response.json["created"] == 3 and response.json["dry_run"] is True
    assert counts() == before


def test_missing_column_and_wrong_file_type(client, world):
    headers = f.auth(world.admin_a)
    response = upload(client, headers, xlsx([[1, 3, "402"]], header=["网格编号", "楼栋编号", "门牌号"]))
    assert response.status_code == 422 and "地址 (address)" in response.json["message"]
    response = upload(client, headers, b"%PDF-1.4", name="houses.pdf")
    assert response.status_code == 422 and response.json["message"].startswith("file:")
    response = upload(client, headers, b"not a zip", name="houses.xlsx")
    assert response.status_code == 422 and "xlsx" in response.json["message"]
    assert client.post("/api/admin/houses/import", headers=headers).status_code == 422


def test_gb18030_csv_from_excel(client, world):
    text = ",".join(HEADER) + "\r\n1,,3,,402,胜泉社区3号楼402室,张三,13800138000\r\n"
    response = upload(client, f.auth(world.admin_a), text.encode("gb18030"), name="houses.csv")
    assert response.status_code == 200 and response.json["created"] == 1


def test_export_round_trips_and_template_imports(client, world):
    headers = f.auth(world.admin_a)
    upload(client, headers, xlsx(ROWS))
    exported = client.get("/api/admin/houses/export", headers=headers)
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1 + 4 + 3   # the world's four houses and the three imported
    again = upload(client, headers, exported.data).json
    assert again["created"] == again["updated"] == 0



@pytest.mark.parametrize("fmt, name", [("xlsx", "t.xlsx"), ("csv", "t.csv")])
def test_the_template_uploaded_unedited_changes_nothing(client, world, fmt, name):
    """A new admin's first try: the template's example row matched grid 1 of the demo and renamed it."""
    headers = f.auth(world.admin_a)
    template = client.get(f"/api/admin/houses/template?format={fmt}", headers=headers)
    assert template.status_code == 200 and template.headers["Content-Disposition"].endswith(f'{fmt}"')
    before = counts(), world.grid1.name, world.house1.head_name
    result = upload(client, headers, template.data, name=name).json
    assert (result["created"], result["updated"], result["renamed"], result["heads_changed"]) == (0, 0, [], [])
    assert result["skipped"] == [{"row": 2, "message": "an example row (its address starts with 【示例】); not imported."}]
    db.session.expire_all()
    assert (counts(), world.grid1.name, world.house1.head_name) == before


def test_a_filled_template_imports_its_own_rows_and_skips_the_example(client, world):
    template = client.get("/api/admin/houses/template?format=csv", headers=f.auth(world.admin_b))
    text = template.data.decode("utf-8-sig")
    assert "【示例】东风社区3号楼402室" in text   # the admin's own community in the example
    text += "1,,3,,402,东风社区3号楼402室,赵六,\r\n"
    result = upload(client, f.auth(world.admin_b), text.encode(), name="t.csv").json
    assert result["created"] == 1 and [s["row"] for s in result["skipped"]] == [2]


def test_an_import_says_which_grids_and_units_it_renamed_and_which_heads_it_replaced(client, world):
    sheet = [[1, "第一网格", 1, "一号楼", "101", world.house1.address, "钱七", None],
             [1, "第一网格", 1, "一号楼", "102", world.house1b.address, None, None],
             [2, None, 1, None, "101", world.house2.address, "张三", None]]
    result = upload(client, f.auth(world.admin_a), xlsx(sheet), query="?dry_run=true").json
    assert result["renamed"] == [{"grid": 1, "from": "第1网格", "to": "第一网格"},
                                 {"grid": 1, "unit": 1, "from": "1号楼", "to": "一号楼"}]
    assert result["heads_changed"] == [{"house": world.house1.code, "from": "张三", "to": "钱七"}]
    assert (result["updated"], result["unchanged"]) == (1, 2)
    db.session.expire_all()
    assert (world.grid1.name, world.house1.head_name) == ("第1网格", "张三")   # a dry run writes nothing


def test_export_is_audited_and_scoped(client, world):
    from app.models import AuditEvent
    body = client.get("/api/admin/houses/export?format=csv", headers=f.auth(world.admin_b)).data.decode("utf-8-sig")
    assert world.house_b.code.split("-")[-1] in body and "胜泉" not in body
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_staff_id, event.action) == (world.admin_b.id, "export")


def test_only_admins_import(client, world):
    for person in (world.head1, world.police_all, world.wechat1):
        assert upload(client, f.auth(person), xlsx(ROWS)).status_code == 403
    assert upload(client, {}, xlsx(ROWS)).status_code == 401


def test_admin_imports_into_own_community_only(client, world):
    upload(client, f.auth(world.admin_b), xlsx(ROWS))
    assert db.session.scalar(select(Household).where(Household.code == "DF-01-03-402")) is not None
    assert db.session.scalar(select(Household).where(Household.code == "SQ-01-03-402")) is None


def test_a_cell_with_a_nul_character_is_a_row_error(client, world):
    """Found by the fuzz suite: a NUL in a name reached PostgreSQL, which cannot store it (500)."""
    before = counts()
    sheet = ",".join(HEADER) + "\n1,第一网格,3,3号楼,402,胜泉社区3号楼402室,张\x00三,\n"
    response = upload(client, f.auth(world.admin_a), sheet.encode(), name="houses.csv")
    assert response.status_code == 422
    assert response.json["errors"]["rows"] == [
        {"row": 2, "column": "户主姓名 (head_name)", "message": "contains a NUL character; retype the cell."}]
    assert counts() == before
