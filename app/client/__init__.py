"""The residents' mini-program built for the browser (miniprogram/, `make client`), served at /m/ from the app's
own origin: the API sends no CORS headers, and nothing the client loads may come from elsewhere."""
import os

from flask import Blueprint, Response, abort, current_app, redirect, send_from_directory

bp = Blueprint("client", __name__, url_prefix="/m")

# The built client's own scripts and styles only; uni sets inline styles (a page's layout, the tab bar), which
# style-src must admit. Its calls go to the API on this origin alone.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
          "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'")
# Asset names carry their content's hash: a new build has new names, so a copy never goes stale.
ASSET_MAX_AGE = 365 * 86400


def build_dir() -> str:
    return current_app.config["CLIENT_H5_DIR"] or os.path.join(
        current_app.root_path, "..", "miniprogram", "dist", "build", "h5")


@bp.after_request
def _client_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@bp.get("")
def bare():
    return redirect("/m/", code=301)


@bp.get("/")
def index():
    """The client's one HTML page (its pages are routes after the #): always asked again, so a deploy shows."""
    folder = build_dir()
    if not os.path.isfile(os.path.join(folder, "index.html")):
        abort(404, description="The browser client is not built: run `make client`.")
    response = send_from_directory(folder, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/<path:filename>")
def built_file(filename):
    """The build's scripts, styles and images; those under assets/ are named by their content's hash."""
    hashed = filename.startswith("assets/")
    return send_from_directory(build_dir(), filename, max_age=ASSET_MAX_AGE if hashed else 0)
