"""Two headers on every answer (API, console pages, scan pages, static files, errors): browsers never guess a
type other than the one sent (a photo or a download is never run as a script or page), and a page's address,
which may hold a code's token, is sent as Referer to the app itself only, never to another site.

`same-origin`, not `no-referrer`: Flask-WTF's CSRF check over HTTPS wants the console's own Referer."""
from flask import Flask, Response

HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _add(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add)
