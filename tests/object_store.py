"""The S3 side of the photo tests: moto's S3 server on a loopback port, spoken to over real HTTP by boto3."""
import socket
import uuid
from contextlib import contextmanager

import pytest

ACCESS_KEY, SECRET_KEY = "jiashu-test", "jiashu-test-secret"


@contextmanager
def moto_s3_server():
    """moto's S3 in a thread of this process on a free port of 127.0.0.1; yields its endpoint URL."""
    moto_server = pytest.importorskip(
        "moto.server", reason="moto is not installed: pip install -r requirements-s3-dev.txt")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def closed_endpoint() -> str:
    """An endpoint where nothing listens: the store is down, connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def s3_settings(endpoint: str, bucket: str) -> dict:
    return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY, "S3_ADDRESSING_STYLE": "path",
            "S3_TIMEOUT": 5.0}


def new_bucket(endpoint: str) -> dict:
    """A bucket of its own (moto keeps every bucket of the run); returns the app settings naming it."""
    settings = s3_settings(endpoint, f"jiashu-{uuid.uuid4().hex[:12]}")
    client(settings).create_bucket(Bucket=settings["S3_BUCKET"])
    return settings


def client(settings: dict):
    from app.storage.s3 import s3_client  # moto and boto3 only where the S3 tests run
    return s3_client(settings)


def stored_keys(settings: dict) -> list[str]:
    listed = client(settings).list_objects_v2(Bucket=settings["S3_BUCKET"])
    return sorted(item["Key"] for item in listed.get("Contents", []))
