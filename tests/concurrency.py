"""Requests that arrive at the same moment, each in its own thread (its own app context, its own connection)."""
import threading

from app.web.extensions import db


def at_once(app, calls):
    """Make every call(client) in its own thread, released together; their status codes in call order."""
    barrier, codes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        client = app.test_client()
        barrier.wait()
        codes[i] = calls[i](client).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()   # what the threads wrote, not what this session read before
    return codes
