"""The demo community, shaped like Shengquan: 512 households in 6 grids and 25 units."""
from sqlalchemy import select

from app.admin.house_import import import_houses
from app.admin.house_sheet import RawRow
from app.admin.staff import create_staff
from app.demo.activity import escalate_as_they_fell_due, seed_activity
from app.demo.community_life import seed_community_life
from app.models import Community, Grid, Unit
from app.web.extensions import db

DEMO_CODE = "SQ"
DEMO_PASSWORD = "jiashu-demo"
UNITS_PER_GRID = [5, 4, 4, 4, 4, 4]
HOUSEHOLDS = 512
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英"]


def demo_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def demo_phone(i: int) -> str:
    return f"139{i:08d}"


def _house_rows():
    units = [(g + 1, u + 1) for g, count in enumerate(UNITS_PER_GRID) for u in range(count)]
    per_unit, extra = divmod(HOUSEHOLDS, len(units))
    doors = [f"{floor}{room:02d}" for floor in range(1, 12) for room in range(1, 5)]
    number = 2
    for index, (grid, unit) in enumerate(units):
        building = index + 1
        for door in doors[: per_unit + (1 if index < extra else 0)]:
            yield RawRow(number, {
                "grid": grid, "grid_name": f"第{grid}网格", "unit": unit, "unit_name": f"{building}号楼",
                "door": door, "address": f"胜泉社区{building}号楼{door}室",
                "head_name": demo_name(number), "head_phone": demo_phone(number)})
            number += 1


def seed_demo(hash_method: str) -> bool:
    """Create the demo community and its staff; False (and nothing done) if it exists already."""
    if db.session.scalar(select(Community).where(Community.code == DEMO_CODE)):
        return False
    community = Community(code=DEMO_CODE, name="胜泉社区")
    db.session.add(community)
    db.session.flush()
    result = import_houses(community, list(_house_rows()))
    assert not result.errors, result.errors

    def account(username, role, name, phone, **places):
        data = {"username": username, "password": DEMO_PASSWORD, "role": role, "name": name,
                "phone": phone, "grid_ids": [], "unit_ids": [], "household_ids": [], **places}
        return create_staff(community.id, data, hash_method)

    account("admin", "admin", "社区管理员", "13900000000")
    grids = db.session.scalars(select(Grid).where(Grid.community_id == community.id).order_by(Grid.number))
    for grid in grids:
        account(f"grid{grid.number}", "grid_head", demo_name(1000 + grid.number),
                f"1370000000{grid.number}", grid_ids=[grid.id])
    officer = account("police", "police", "李警官", "13600000001")
    officer.title, officer.station = "社区民警", "胜泉派出所"
    first_unit = db.session.scalar(select(Unit).join(Grid).where(Grid.community_id == community.id)
                                   .order_by(Grid.number, Unit.number))
    assert first_unit is not None, "the demo community's grids were built with units"
    account("unit1", "unit_leader", demo_name(2000), "13500000001", unit_ids=[first_unit.id])
    db.session.flush()
    seed_activity(community.id)
    seed_community_life(community.id)
    db.session.commit()
    escalate_as_they_fell_due(community.id)
    return True


