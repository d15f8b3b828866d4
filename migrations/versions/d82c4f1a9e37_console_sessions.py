"""The console's sign-ins in a table of their own (console_session): the cookie holds a secret /api does not
accept, and the server keeps when it last served a page, so the idle limit ends a sign-in on the server

Revision ID: d82c4f1a9e37
Revises: e5a9c2d47f13
Create Date: 2026-12-08 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd82c4f1a9e37'
down_revision = 'e5a9c2d47f13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('console_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_console_session_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_console_session')),
    sa.UniqueConstraint('digest', name=op.f('uq_console_session_digest'))
    )
    with op.batch_alter_table('console_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_session_seen_at'), ['seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_console_session_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('console_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_console_session_staff_id'))
        batch_op.drop_index(batch_op.f('ix_console_session_seen_at'))

    op.drop_table('console_session')
