"""Request photos go to a temporary folder in these tests, or, for the photo tests, to each back end in turn."""
import pytest

from tests.object_store import moto_s3_server, new_bucket, stored_keys


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["disk", "s3"])
def photo_store(request, app, upload_dir):
    """Photos on disk, then in a fresh bucket of the S3 server; returns what lists the stored objects."""
    if request.param == "disk":
        return lambda: sorted(p.name for p in upload_dir.iterdir()) if upload_dir.exists() else []
    settings = new_bucket(request.getfixturevalue("s3_endpoint"))
    app.config.update(settings)
    return lambda: stored_keys(settings)
