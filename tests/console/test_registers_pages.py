"""The registers beside the registrations page: households and coverage, returning migrants and their sheet, and
moves out of a grid answered by its grid head; each within the caller's grids (the admin's: the community)."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from app.clock import china_today
from app.models import AuditEvent, Resident
from app.models.people import ResidenceType
from app.residents.id_numbers import store_id_number
from app.residents.services import register_members
from app.web.extensions import db
from tests import factories as f
from tests.console.signing import sign_in


def test_a_grid_head_sees_their_households_with_members_and_the_unregistered(client, world):
    f.resident(world.house1, name="李五", confirmed=False)
    db.session.commit()
    sign_in(client, world.head1)
    page = client.get("/console/households").get_data(as_text=True)
    assert world.house1.code in page and world.house1b.code in page and world.house2.code not in page
    assert "登记 2 人 · 已确认 1 人" in page   # house1: its head, and 李五 waiting
    unregistered = client.get("/console/households?unregistered=true").get_data(as_text=True)
    assert world.house1b.code in unregistered and world.house1.code not in unregistered
    unit = client.get(f"/console/households?grid={world.grid1.id}&unit={world.unit1.id}").get_data(as_text=True)
    assert world.unit1.name in unit and world.house1.code in unit
    assert client.get(f"/console/households?grid={world.grid2.id}").status_code == 404
    assert client.get("/console/households?page=0").status_code == 422


def test_the_admin_sees_the_communitys_households_and_coverage_page_by_page(client, world):
    for door in range(200, 231):   # 31 more in grid 1: 35 houses in the community, 30 a page
        f.household(world.unit1, str(door))
    db.session.commit()
    sign_in(client, world.admin_a)
    first = client.get("/console/households").get_data(as_text=True)
    assert world.grid1.name in first and world.grid2.name in first and world.house_b.code not in first
    assert "下一页" in first and world.house2b.code not in first   # SQ-02-… sorts after grid 1's 33
    second = client.get("/console/households?page=2").get_data(as_text=True)
    assert world.house2.code in second and world.house2b.code in second and "下一页" not in second
    assert client.get(f"/console/households?grid={world.grid_b.id}").status_code == 404


@pytest.mark.parametrize("player", ["police1", "leader", "joint"])
def test_police_and_unit_leaders_have_no_registers(client, world, player):
    sign_in(client, getattr(world, player))
    for path in ("/console/households", "/console/returning", "/console/registrations",
                 f"/console/grids/{world.grid1.id}/returning.xlsx"):
        assert client.get(path).status_code == 403


@pytest.fixture
def migrants(world):
    for house, name, province in ((world.house1b, "返乡甲", "四川省"), (world.house1, "返乡丙", "河南省"),
                                  (world.house2, "返乡乙", "四川省")):
        migrant, _ = f.resident(house, name=name)
        migrant.residence_type, migrant.return_date, migrant.from_province = (
            ResidenceType.RETURNING_MIGRANT, china_today(), province)
        migrant.phone = "13912345678"
    store_id_number(db.session.scalar(select(Resident).where(Resident.name == "返乡甲")), f.id_number(9))
    db.session.commit()


def test_returning_migrants_of_ones_grids_and_their_sheet(client, world, migrants):
    sign_in(client, world.head1)
    page = client.get("/console/returning").get_data(as_text=True)
    assert "返乡甲" in page and "返乡丙" in page and "返乡乙" not in page
    sichuan = client.get("/console/returning?province=四川").get_data(as_text=True)
    assert "返乡甲" in sichuan and "返乡丙" not in sichuan
    sheet = client.get(f"/console/grids/{world.grid1.id}/returning.xlsx?province=四川")
    assert sheet.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.values)
    assert rows[0][:3] == ("门牌编码", "地址", "姓名") and len(rows) == 2
    assert rows[1][0] == world.house1b.code and rows[1][2] == "返乡甲" and rows[1][6] == "四川省"
    assert f.id_number(9) not in str(rows) and "*" in rows[1][4] and rows[1][5] == "139****5678"   # masked
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "grid_returning"))
    assert (audit.actor_staff_id, audit.object_id) == (world.head1.id, str(world.grid1.id))
    assert client.get(f"/console/grids/{world.grid2.id}/returning.xlsx").status_code == 404
    assert client.get(f"/console/returning?grid={world.grid2.id}").status_code == 404


def test_the_admin_sees_the_communitys_returning_migrants(client, world, migrants):
    sign_in(client, world.admin_a)
    page = client.get("/console/returning").get_data(as_text=True)
    assert "返乡甲" in page and "返乡乙" in page
    assert client.get(f"/console/grids/{world.grid2.id}/returning.xlsx").status_code == 200
    assert client.get(f"/console/grids/{world.grid_b.id}/returning.xlsx").status_code == 404


def _claim(person, house, serial):
    """Someone registers `person` (their ID number known) in `house`: a move waiting for the person's side."""
    store_id_number(person, f.id_number(serial))
    entry = {"name": person.name, "id_number": f.id_number(serial), "relationship_to_head": "本人",
             "residence_type": "permanent", "is_self": True}
    [claim] = register_members(house.id, f.wechat_user(), [entry], claim_head=False, consent_version="v",
                               notice_version="v")
    db.session.commit()
    return claim


def test_the_grid_head_agrees_to_a_move_out_of_their_grid(client, world):
    leaving, _ = f.resident(world.house1b, name="迁出甲")
    move = _claim(leaving, world.house2b, 31)
    headers = sign_in(client, world.head1)
    page = client.get("/console/registrations").get_data(as_text=True)
    assert "待同意的迁出" in page and f"从 {world.house1b.code} 迁往 {world.house2b.code}" in page
    assert client.post(f"/console/moves/{move.id}/approve").status_code == 400   # no CSRF token
    done = client.post(f"/console/moves/{move.id}/approve", headers={**headers, "HX-Request": "true"})
    assert done.status_code == 200 and "已同意迁出" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Resident, move.id).move_consent == "grid_head"
    again = client.post(f"/console/moves/{move.id}/approve", headers=headers)
    assert again.status_code == 409   # agreed already, as the API says
    assert "从 " not in client.get("/console/registrations").get_data(as_text=True)   # no longer waiting
    other = client.application.test_client()
    sign_in(other, world.head2)   # the grid it goes to confirms on its registrations page, and sees it as 迁入
    assert "迁入" in other.get("/console/registrations").get_data(as_text=True)


def test_the_grid_head_refuses_a_move_and_others_cannot_answer_it(client, world):
    leaving, _ = f.resident(world.house1b, name="迁出乙")
    move = _claim(leaving, world.house2b, 32)
    for player, status in (("head2", 404), ("admin_a", 403), ("police1", 403)):
        other = client.application.test_client()
        headers = sign_in(other, getattr(world, player))
        assert other.post(f"/console/moves/{move.id}/approve", headers=headers).status_code == status
    headers = sign_in(client, world.head1)
    assert client.post(f"/console/moves/{move.id}/refuse", headers=headers).status_code == 303
    db.session.expire_all()
    assert db.session.get(Resident, move.id) is None and db.session.get(Resident, leaving.id) is not None


def test_the_admin_sees_the_communitys_pending_registrations_and_decides_none(client, world):
    f.resident(world.house2, name="待确认乙", confirmed=False)
    db.session.commit()
    sign_in(client, world.admin_a)
    page = client.get("/console/registrations").get_data(as_text=True)
    assert "待确认乙" in page and world.grid1.name in page and "待同意的迁出" not in page
    assert "/confirm" not in page and "/reveal" not in page


def _statements(client, path: str) -> int:
    sent: list[str] = []

    def note(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return len(sent)


def test_the_admin_sees_each_grids_coverage_and_waiting_people_in_statements_that_do_not_grow_with_grids(
        client, world):
    sign_in(client, world.admin_a)
    few = _statements(client, "/console/registrations")
    for number in range(3, 9):   # six more grids, each with one house and somebody waiting in it
        house = f.household(f.unit(f.grid(world.a, number=number)), "101")
        f.resident(house, name=f"待确认{number}", confirmed=False)
    db.session.commit()
    page = client.get("/console/registrations").get_data(as_text=True)
    sections = page.split("<h2>")[1:]
    for number in range(3, 9):
        own = next(s for s in sections if s.startswith(f"第{number}网格"))
        assert f"待确认{number}" in own and "登记覆盖：0 / 1 户" in own
        assert all(f"待确认{number}" not in s for s in sections if s is not own)
    assert _statements(client, "/console/registrations") == few
