"""Load over real HTTP for the tests that break a server under it: a client with a timeout, and timed answers."""
import time
from dataclasses import dataclass

import requests

TIMEOUT = 10      # seconds a client waits: a hang fails the test instead of stalling it


class Http:
    """The test client's call shape (paths, json=, headers=) over real HTTP, with a timeout."""

    def __init__(self, base):
        self.base, self.session = base, requests.Session()

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, timeout=TIMEOUT, **kwargs)

    def post(self, path, **kwargs):
        return self.session.post(self.base + path, timeout=TIMEOUT, **kwargs)


@dataclass
class Answer:
    key: str            # the X-Request-Id sent: "file-12", "register-40", "queue-3" …
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    body: str

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


def timed(key, send) -> Answer:
    """Send one request (`send()` returns a requests Response) and note when it started and ended."""
    started = time.monotonic()
    try:
        response = send()
        status, body = response.status_code, response.text
    except requests.RequestException as exc:
        status, body = None, repr(exc)
    return Answer(key, started, time.monotonic(), status, body)
