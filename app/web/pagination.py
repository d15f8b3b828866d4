"""One page of a query for flask-smorest's @blp.paginate(), with the total it reports."""
from sqlalchemy import func, select

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
