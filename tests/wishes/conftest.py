"""The two communities, with the people who claim wishes in these tests recorded as volunteers."""
import pytest

from tests.wishes.helpers import volunteers, wire_message_push


@pytest.fixture
def world(world):
    volunteers(world.wechat1, world.wechat2, world.head2, world.leader)
    return world


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    """Wish photos go to a temporary folder."""
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def verdicts(app, fake_wechat):
    """The app served on loopback, where the fake WeChat fetches photos and pushes its verdicts (message push in
    safe mode); returns deliver(), which has the fake do so for every check asked so far, and answers the
    pushes it made."""
    import threading

    from werkzeug.serving import make_server

    from app.web.extensions import db

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wire_message_push(app, f"http://127.0.0.1:{server.server_port}", fake_wechat)

    def deliver():
        db.session.rollback()   # the test's read transaction would hold SQLite's lock against the pushes' writes
        return fake_wechat.deliver_media_checks()

    yield deliver
    server.shutdown()
