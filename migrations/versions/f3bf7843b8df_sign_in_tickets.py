"""Scan-to-sign-in tickets of the staff console (a browser's one-time, two-minute mini-program code)

Revision ID: f3bf7843b8df
Revises: 9e4f2a61c8d3
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3bf7843b8df'
down_revision = '9e4f2a61c8d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_ticket',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('browser_digest', sa.String(length=64), nullable=False),
    sa.Column('browser', sa.String(length=60), nullable=False),
    sa.Column('state', sa.Enum('PENDING', 'CONFIRMED', 'CANCELLED', 'CONSUMED', name='ticketstate', native_enum=False, length=16), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('wechat_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_sign_in_ticket_staff_id_staff')),
    sa.ForeignKeyConstraint(['wechat_id'], ['wechat_identity.id'], name=op.f('fk_sign_in_ticket_wechat_id_wechat_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_ticket'))
    )
    with op.batch_alter_table('sign_in_ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_ticket_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_ticket_expires_at'))

    op.drop_table('sign_in_ticket')
