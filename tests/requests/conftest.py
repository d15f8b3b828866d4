"""Request photos go to a temporary folder in these tests."""
import pytest


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"
