"""The two communities, with the people who claim wishes in these tests recorded as volunteers."""
import pytest

from tests.wishes.helpers import volunteers


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
    import base64
    import os
    import threading

    from werkzeug.serving import make_server

    from app.web.extensions import db

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    token, aes_key = "push-token", base64.b64encode(os.urandom(32)).decode().rstrip("=")
    app.config.update(PUBLIC_BASE_URL=base, WECHAT_PUSH_TOKEN=token, WECHAT_PUSH_AES_KEY=aes_key)
    fake_wechat.push_url, fake_wechat.push_token, fake_wechat.push_aes_key = f"{base}/wechat/push", token, aes_key

    def deliver():
        db.session.rollback()   # the test's read transaction would hold SQLite's lock against the pushes' writes
        return fake_wechat.deliver_media_checks()

    yield deliver
    server.shutdown()
