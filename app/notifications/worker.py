"""`flask worker`: the process that delivers the outbox and prints queued letters (app/letters/jobs.py), safe to
run several at once."""
import signal
import time

import click

from app.letters.jobs import run_next_job
from app.notifications.delivery import deliver_due


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now and exit (for cron or tests)")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls when idle")
@click.option("--batch", default=100, show_default=True, help="Notifications per poll at most")
def worker_command(once, interval, batch):
    """Deliver due notifications through WeChat, and print queued letters, until stopped (SIGTERM finishes the
    current message or print)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while not stopping:
        counts = deliver_due(limit=batch)
        if counts:
            click.echo(" ".join(f"{state}={n}" for state, n in sorted(counts.items())))
        printed = run_next_job()
        if once:
            return
        if not counts and not printed:
            time.sleep(interval)
