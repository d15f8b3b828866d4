"""An Open311 request's caller: name, phone and e-mail as fields of the request, out of the filing's note

Revision ID: 5c0e311ca11e
Revises: 3a4336e6087f
Create Date: 2026-12-03 08:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '5c0e311ca11e'
down_revision = '3a4336e6087f'
branch_labels = None
depends_on = None

COLUMNS = (('caller_first_name', 50), ('caller_last_name', 50), ('caller_phone', 20), ('caller_email', 254))
NOTE = 'Open311'   # the filing's note was "Open311: first last phone email", the empty ones left out
REQUESTS = sa.table('service_request', sa.column('id'), sa.column('source'), *(sa.column(n) for n, _ in COLUMNS))
EVENTS = sa.table('request_event', sa.column('id'), sa.column('request_id'), sa.column('action'), sa.column('note'))


def split_contact(note: str) -> dict:
    """The caller's fields from such a note: the word with an @ is the e-mail, a number the phone, the rest names."""
    words = note.removeprefix(NOTE).removeprefix(':').split()
    email = next((w for w in words if '@' in w), None)
    phone = next((w for w in words if w != email and re.fullmatch(r'\+?[0-9()-]{5,20}', w)), None)
    names = [w for w in words if w not in (email, phone)]
    values = (names[0] if names else None, ' '.join(names[1:]) or None, phone, email)
    return {name: value[:length] if value else None for (name, length), value in zip(COLUMNS, values)}


def _filings(conn):
    """(event id, request id, note) of every Open311 request's filing."""
    return conn.execute(sa.select(EVENTS.c.id, EVENTS.c.request_id, EVENTS.c.note).join(
        REQUESTS, REQUESTS.c.id == EVENTS.c.request_id).where(
        REQUESTS.c.source == 'open311', EVENTS.c.action == 'file')).all()


def upgrade():
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    conn = op.get_bind()
    for event_id, request_id, note in _filings(conn):
        if note and note.startswith(NOTE):
            conn.execute(REQUESTS.update().where(REQUESTS.c.id == request_id).values(**split_contact(note)))
            conn.execute(EVENTS.update().where(EVENTS.c.id == event_id).values(note=None))


def downgrade():
    conn = op.get_bind()
    callers = {row[0]: row[1:] for row in conn.execute(sa.select(
        REQUESTS.c.id, *(REQUESTS.c[name] for name, _ in COLUMNS)).where(REQUESTS.c.source == 'open311'))}
    for event_id, request_id, _ in _filings(conn):
        contact = ' '.join(value for value in callers[request_id] if value)
        conn.execute(EVENTS.update().where(EVENTS.c.id == event_id).values(
            note=f'{NOTE}: {contact}' if contact else NOTE))
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
