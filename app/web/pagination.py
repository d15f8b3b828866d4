"""One page of a query for flask-smorest's @blp.paginate(), with the total it reports."""
from collections.abc import Sequence

from sqlalchemy import Row, func, select

from app.web.extensions import db


def page_of(query, pagination_parameters, *order_by):
    """The rows of the requested page, in `order_by`; sets the item count for the X-Pagination header."""
    # Counting over the query as a subquery keeps its FROM, joins and WHERE whatever they are.
    pagination_parameters.item_count = db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery()))
    if pagination_parameters.first_item >= pagination_parameters.item_count:
        return []   # past the last page; a far-off page's offset would not even fit the database's integers
    page = query.order_by(*order_by).limit(pagination_parameters.page_size)
    return db.session.scalars(page.offset(pagination_parameters.first_item)).all()


def page_of_rows(count, page, params: dict, pagination_parameters) -> Sequence[Row]:
    """page_of for prebuilt Core statements run with `params`: `count` counts the rows, `page` takes the page's
    :limit and :offset."""
    first, size = pagination_parameters.first_item, pagination_parameters.page_size
    if first == 0:
        rows = db.session.execute(page, {**params, "limit": size, "offset": 0}).all()
        # A first page not full is all there is: its length is the count.
        pagination_parameters.item_count = (len(rows) if len(rows) < size
                                            else db.session.execute(count, params).scalar_one())
        return rows
    pagination_parameters.item_count = db.session.execute(count, params).scalar_one()
    if first >= pagination_parameters.item_count:
        return []   # past the last page (see page_of)
    return db.session.execute(page, {**params, "limit": size, "offset": first}).all()
