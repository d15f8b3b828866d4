"""The console's lists a page at a time: the `page` their query strings take, and one page of a list's rows with
whether another follows (the page's "下一页")."""
from marshmallow import Schema, fields, validate

from app.web.extensions import db

PAGE_SIZE = 30


class PagedSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


def one_page(query, page: int, size: int = PAGE_SIZE, *, whole_rows: bool = False) -> tuple[list, bool]:
    """Page `page` of `query` (its first column's values, or whole rows) and whether there is another after it."""
    fetch = db.session.execute if whole_rows else db.session.scalars
    rows = list(fetch(query.limit(size + 1).offset((page - 1) * size)).all())
    return rows[:size], len(rows) > size
