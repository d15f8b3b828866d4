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
