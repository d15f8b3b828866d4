"""One rule for the formats an endpoint answers in: `?format=` names one, else the Accept header picks among
them, else the endpoint's first; a format the endpoint does not offer is refused (422 naming `format`)."""
from flask import Response, request
from marshmallow import Schema, fields, validate

from app.web.blueprint import Blueprint

MIMETYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",   # Flask adds "; charset=utf-8" to a text type
    "pdf": "application/pdf",
    "png": "image/png",
    "vcf": "text/vcard",   # a contact card (vCard), UTF-8 as the charset Flask adds says
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def answers_in(blp: Blueprint, *offered: str):
    """Decorator of a view that answers in the `offered` formats (the first is the default): the view gets the
    chosen one as the keyword `fmt`, and the spec lists each one's content type for the 200 answer."""
    field = fields.String(
        data_key="format", validate=validate.OneOf(offered), load_default=lambda: _from_accept(offered),
        metadata={"description": f"one of {', '.join(offered)}; without it the Accept header chooses, "
                                 f"and without that {offered[0]}"})
    query = Schema.from_dict({"fmt": field}, name="Format" + "".join(name.title() for name in offered))
    files = {MIMETYPES[name]: _BINARY for name in offered if name != "json"}

    def decorate(view):
        view = blp.arguments(query, location="query", as_kwargs=True)(view)
        return blp.doc(responses={200: {"content": files}})(view) if files else view
    return decorate


def _from_accept(offered: tuple[str, ...]) -> str:
    # A client may ask by Accept alone; one that asks for none of these gets the default, as HTTP allows.
    by_type = {MIMETYPES[name]: name for name in offered}
    return by_type.get(request.accept_mimetypes.best_match(list(by_type)) or "", offered[0])


def download(data: bytes, fmt: str, stem: str, disposition: str = "attachment") -> Response:
    """A file answer in `fmt`, named `stem`.`fmt` (inline: shown by the browser rather than saved)."""
    return Response(data, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{stem}.{fmt}"'})

