"""A time budget for one whole WeChat call: waiting for another server's token fetch, fetching the token, and the
call itself all come out of it, so a caller with a deadline (a scan page) is never kept longer."""
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("wechat_deadline", default=None)


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Everything inside must finish within `seconds` (None: no budget beyond each request's own timeout). A
    budget already running inside stays the tighter one."""
    if seconds is None:
        yield
        return
    outer = _deadline.get()
    deadline = time.monotonic() + seconds
    reset = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(reset)


def remaining() -> float | None:
    """Seconds left of the running budget (≤ 0 when spent), or None without one."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()
