"""Waiting for what happens elsewhere (a server answering, a worker sending): as long as a machine busy with other
work may take, and when it did not happen, a failure that says what, and why if the process doing it stopped."""
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def wait_until(what: str | Callable[[], str], check: Callable[[], object], seconds: float = 120,
               process: subprocess.Popen | None = None, log: Path | None = None,
               ignoring: tuple[type[Exception], ...] = ()) -> None:
    """Poll `check` until it answers true (an exception in `ignoring` counts as not yet). Fails after `seconds`, or
    as soon as `process` stops, saying `what` did not happen (a callable says it as things then stand), with the
    end of the output in `log`."""
    deadline = time.monotonic() + seconds
    while True:
        last = ""
        try:
            if check():
                return
        except ignoring as exc:
            last = f" (last: {exc!r})"
        ended = process.poll() if process is not None else None
        if ended is not None or time.monotonic() > deadline:
            why = f"its process stopped, exit status {ended}" if ended is not None else f"not within {seconds:.0f} s"
            said = what() if callable(what) else what
            output = ""
            if log is not None:
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(none)"
                output = f" The end of its output ({log.name}):\n{tail}"
            raise AssertionError(f"{said}: {why}{last}.{output}")
        time.sleep(0.05)
