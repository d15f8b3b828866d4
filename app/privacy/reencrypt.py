"""`flask reencrypt`: bring every value sealed with id_cipher() under the current key, so old keys can go.

Rows are walked by id in batches, one transaction each; a value is rewritten only if it is still the one
read (a conditional UPDATE), so a change the running app makes meanwhile is never overwritten. What is under
the current key already is not touched: a second run finds nothing to do. The blind index has its own key
and does not change.
"""
import time
from collections import Counter
from dataclasses import dataclass, field

import click
from sqlalchemy import bindparam, func, select, update

from app.models import Resident, WeChatIdentity
from app.privacy.audit import SYSTEM, record
from app.privacy.sealed_fields import CipherError, IdCipher, id_cipher
from app.web.extensions import db

# Every column holding id_cipher() output "<key id>:<base64>"; a new one belongs here too.
SEALED_COLUMNS = (Resident.__table__.c.id_number_cipher, WeChatIdentity.__table__.c.session_key_sealed)
BATCH = 1000


def label(column) -> str:
    return f"{column.table.name}.{column.name}"


@dataclass
class Tally:
    """What a run did to one column."""
    column: str
    read: Counter = field(default_factory=Counter)   # values opened, by the older key id they were under
    changed_meanwhile: int = 0   # rewritten or deleted by the app between our read and our write: left alone
    unreadable: int = 0          # unknown key id or failed integrity check: left for the operator

    @property
    def reencrypted(self) -> int:
        return sum(self.read.values()) - self.changed_meanwhile


def _stale(column, current: str):
    return column.is_not(None) & ~column.startswith(f"{current}:", autoescape=True)


def _key_id(column):
    """SQL for a stored value's key id: the part before the first ':'."""
    if db.engine.dialect.name == "postgresql":
        return func.split_part(column, ":", 1)
    return func.substr(column, 1, func.instr(column, ":") - 1)


def stale_counts(cipher: IdCipher) -> dict[str, Counter]:
    """Per column, how many values each older key id still seals."""
    counts: dict[str, Counter] = {}
    for column in SEALED_COLUMNS:
        kid = _key_id(column)
        rows = db.session.execute(select(kid, func.count()).where(_stale(column, cipher.current)).group_by(kid))
        counts[label(column)] = Counter({key_id: count for key_id, count in rows})
    db.session.rollback()
    return counts


def _reseal(cipher: IdCipher, rows, tally: Tally) -> list[dict]:
    changes = []
    for row_id, stored in rows:
        try:
            plaintext = cipher.decrypt(stored)
        except (CipherError, ValueError):   # ValueError: the body is not even base64
            tally.unreadable += 1
            continue
        tally.read[stored.partition(":")[0]] += 1
        changes.append({"row_id": row_id, "read": stored, "sealed": cipher.encrypt(plaintext)})
    return changes


def reencrypt_column(column, cipher: IdCipher, tally: Tally, batch: int = BATCH, progress=None) -> None:
    """Re-encrypt one column's stale values, `batch` rows per transaction; `progress(tally)` after each."""
    table, after = column.table, 0
    rewrite = (update(table).where(table.c.id == bindparam("row_id"), column == bindparam("read"))
               .values({column.name: bindparam("sealed")}))
    while True:
        rows = db.session.execute(select(table.c.id, column).where(
            table.c.id > after, _stale(column, cipher.current)).order_by(table.c.id).limit(batch)).all()
        if not rows:
            db.session.rollback()
            return
        after = rows[-1][0]
        changes = _reseal(cipher, rows, tally)
        if changes:
            written = db.session.execute(rewrite, changes).rowcount  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
            tally.changed_meanwhile += len(changes) - written
        db.session.commit()
        if progress:
            progress(tally)


def reencrypt_all(cipher: IdCipher, batch: int = BATCH, progress=None) -> list[Tally]:
    """Every sealed column; one audit event for the run when anything was rewritten, even if it stops midway."""
    tallies = [Tally(label(column)) for column in SEALED_COLUMNS]
    try:
        for column, tally in zip(SEALED_COLUMNS, tallies):
            reencrypt_column(column, cipher, tally, batch, progress)
    finally:
        db.session.rollback()
        if any(t.reencrypted for t in tallies):
            record(SYSTEM, "reencrypt", "id_encryption_key", cipher.current, reason=summary(tallies)[:500])
            db.session.commit()
    return tallies


def summary(tallies: list[Tally]) -> str:
    parts = []
    for t in tallies:
        keys = ", ".join(f"{n:,} under {kid}" for kid, n in sorted(t.read.items()))
        parts.append(f"{t.column}: {t.reencrypted:,} re-encrypted (read {keys or 'none'}), "
                     f"{t.changed_meanwhile:,} changed meanwhile, {t.unreadable:,} unreadable")
    return "; ".join(parts)


def _describe(counts: dict[str, Counter], cipher: IdCipher) -> list[str]:
    lines = []
    for column, by_key in counts.items():
        keys = ", ".join(f"{n:,} under {kid}" + ("" if kid in cipher.keys else " (no such key configured)")
                         for kid, n in sorted(by_key.items()))
        lines.append(f"{column}: {keys or 'nothing under older keys'}")
    return lines


@click.command("reencrypt")
@click.option("--dry-run", is_flag=True, help="Count the values under each older key; change nothing")
@click.option("--batch", type=click.IntRange(1), default=BATCH, show_default=True, help="Rows per transaction")
def reencrypt_command(dry_run, batch):
    """Re-encrypt ID numbers and WeChat session keys still under an older ID_ENCRYPTION_KEYS key.

    Safe while the app runs and to run again; afterwards the older keys can be removed from the setting."""
    cipher = id_cipher()
    counts = stale_counts(cipher)
    for line in _describe(counts, cipher):
        click.echo(line)
    if dry_run:
        click.echo(f"Dry run: nothing written; the current key is {cipher.current}.")
        return
    if not any(counts.values()):
        click.echo(f"Nothing to re-encrypt: every value is under key {cipher.current}.")
        return
    started = time.perf_counter()
    tallies = reencrypt_all(cipher, batch, lambda t: click.echo(f"  {t.column}: {t.reencrypted:,} so far"))
    elapsed = time.perf_counter() - started
    total = sum(t.reencrypted for t in tallies)
    click.echo(f"Done in {elapsed:.1f} s ({total / max(elapsed, 1e-6):,.0f} rows/s): {summary(tallies)}.")
    left = stale_counts(cipher)
    if any(left.values()):
        raise click.ClickException("Values remain under older keys; keep those keys and look into them, "
                                   "or run again:\n" + "\n".join(_describe(left, cipher)))
    click.echo(f"Every value is under key {cipher.current}: the older keys may now leave ID_ENCRYPTION_KEYS.")
