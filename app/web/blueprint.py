"""The API's Blueprint: flask-smorest's, without the schemas it would make anew for every request."""
import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's. A schema given as a class is made here, once: webargs would make it (and every nested
        schema, copying their fields) for each request; a schema keeps no request's state."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """X-Pagination's fields, as flask-smorest's PaginationMetadataSchema documents them, in its order (it made
        that schema for every page it answered, to dump these integers as they are)."""
        pages = -(-item_count // page_size)
        metadata = {"total": item_count, "total_pages": pages}
        if pages:
            metadata.update(first_page=1, last_page=pages)
            if page <= pages:
                metadata["page"] = page
                if page > 1:
                    metadata["previous_page"] = page - 1
                if page < pages:
                    metadata["next_page"] = page + 1
        return metadata
