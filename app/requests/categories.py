"""A community's request categories: the defaults every community starts with, and the admin's edits."""
from collections.abc import Callable, Sequence

from sqlalchemy import Row, bindparam, select
from sqlalchemy.exc import IntegrityError

from app.models import Category
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound

FIRST_RESPONDERS = ("joint_head", "unit_leader")

# (code, name, deadline in hours, first responder, is a dispute)
DEFAULTS = [
    ("repair", "维修", 72, "unit_leader", False),
    ("dispute", "邻里纠纷", 48, "joint_head", True),
    ("safety", "安全隐患", 24, None, False),
    ("sanitation", "环境卫生", 48, "unit_leader", False),
    ("welfare", "社保救助", 120, None, False),
    ("care", "养老助残", 72, "joint_head", False),
    ("other", "其他", 72, None, False),
]


def ensure_defaults(community_id: int) -> None:
    """Give a community that has never had categories the default set (once, even if two callers race)."""
    if db.session.scalar(select(Category.id).where(Category.community_id == community_id).limit(1)):
        return
    try:
        with db.session.begin_nested():
            db.session.add_all(
                Category(community_id=community_id, code=code, name=name, deadline_hours=hours,
                         first_responder=responder, is_dispute=dispute)
                for code, name, hours, responder, dispute in DEFAULTS)
    except IntegrityError:
        pass  # another request seeded them first


def categories(community_id: int, include_inactive: bool = False) -> Sequence[Category]:
    ensure_defaults(community_id)
    query = select(Category).where(Category.community_id == community_id)
    if not include_inactive:
        query = query.where(Category.active.is_(True))
    return db.session.scalars(query.order_by(Category.id)).all()


def _with_defaults(community_id: int, find: Callable):
    """What find() finds, the community's default categories added first if it never had any."""
    found = find()
    if found is None:
        ensure_defaults(community_id)
        found = find()
    return found


def category_by_code(community_id: int, code: str) -> Category | None:
    """An active category of the community by its code."""
    query = select(Category).where(Category.community_id == community_id, Category.code == code,
                                   Category.active.is_(True))
    return _with_defaults(community_id, lambda: db.session.scalar(query))


# Narrow for speed: a prebuilt Core statement of what filing reads of a category, rather than an ORM row.
_category = Category.__table__
_TO_FILE = select(*(_category.c[key] for key in ("id", "code", "name", "deadline_hours", "first_responder"))).where(
    _category.c.community_id == bindparam("community_id"), _category.c.code == bindparam("code"),
    _category.c.active.is_(True))


def category_to_file(community_id: int, code: str) -> Row | None:
    """category_by_code() as filing reads it: its id, code, name, deadline_hours and first_responder."""
    return _with_defaults(community_id, lambda: db.session.execute(
        _TO_FILE, {"community_id": community_id, "code": code}).first())


def own_category(community_id: int, category_id: int) -> Category:
    """A category of the admin's own community (active or retired); NotFound for any other."""
    found = db.session.scalar(select(Category).where(Category.id == category_id,
                                                     Category.community_id == community_id))
    if found is None:
        raise NotFound(f"Category {category_id} not found.", zh="未找到该服务类别。")
    return found


def save_category(category: Category, changes: dict) -> Category:
    """Apply an admin's changes (create or edit); the caller commits."""
    code = changes.get("code", category.code)
    taken = db.session.scalar(select(Category.id).where(
        Category.community_id == category.community_id, Category.code == code, Category.id != category.id))
    if taken:
        raise Conflict(f"'{code}' is already a category of this community.", "code",
                       zh=f"本社区已有代码为 {code} 的服务类别。")
    for key, value in changes.items():
        setattr(category, key, value)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict("another admin saved the same code at the same moment.", "code",
                       zh="另一位管理员刚刚保存了相同的代码，请刷新后重试。") from None
    return category

