"""Where uploaded files live: a folder on this machine (the default), or an S3-compatible bucket (MinIO, Alibaba
Cloud OSS, Tencent COS, AWS) when S3_BUCKET is set, so that several app servers share them."""
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from app.web.refusals import Unavailable

log = logging.getLogger(__name__)
SETTINGS = ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION",
            "S3_ADDRESSING_STYLE", "S3_TIMEOUT", "UPLOAD_DIR")


class StoreUnavailable(Unavailable):
    """The object store did not answer, or refused us (credentials, bucket): nothing was stored or read."""


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def open(self, key: str) -> BinaryIO | None:
        """The object's bytes to stream, None if there is no such object."""

    def delete(self, key: str) -> None: ...


class DiskStore:
    """Files in one folder, named by their keys; a disk error (full, read-only, gone) is a StoreUnavailable."""

    def __init__(self, folder: Path):
        self.folder = folder

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with unavailable_on("put", self.folder / key, OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{key}.part"
            partial.write_bytes(data)
            partial.replace(self.folder / key)   # a process killed mid-write leaves no file under the real name

    def open(self, key: str) -> BinaryIO | None:
        with unavailable_on("get", self.folder / key, OSError):
            try:
                return (self.folder / key).open("rb")
            except FileNotFoundError:
                return None

    def delete(self, key: str) -> None:
        with unavailable_on("delete", self.folder / key, OSError):
            (self.folder / key).unlink(missing_ok=True)


@contextmanager
def unavailable_on(action: str, where: object, *errors: type[Exception]) -> Iterator[None]:
    """The store's own errors as StoreUnavailable, logged in one line (an outage would print a traceback per
    request)."""
    try:
        yield
    except errors as exc:
        log.warning("object store: %s %s failed: %s", action, where, exc)
        raise StoreUnavailable("The photo store is not answering right now; try again shortly.") from exc


_building = threading.Lock()


def object_store() -> ObjectStore:
    """The app's store, made on first use from its configuration (and made again if that changed)."""
    config = current_app.config
    settings = tuple(config.get(name) for name in SETTINGS)
    made = current_app.extensions.get("jiashu.object_store")
    if made is None or made[0] != settings:
        with _building:   # a boto3 client is thread-safe once made, its making is not
            store: ObjectStore
            if config.get("S3_BUCKET"):
                from app.storage.s3 import (  # boto3 takes half a second to import
                    S3Store,
                    s3_client,
                )
                store = S3Store(s3_client(config), config["S3_BUCKET"])
            else:
                folder = config.get("UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads")
                store = DiskStore(Path(folder))
            made = current_app.extensions["jiashu.object_store"] = (settings, store)
    return made[1]
