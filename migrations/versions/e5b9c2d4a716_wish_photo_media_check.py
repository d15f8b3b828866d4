"""WeChat's asynchronous media check of wish photos (mediaCheckAsync v2): its trace id and when its verdict is due

Revision ID: e5b9c2d4a716
Revises: d7a3e5c1f920
Create Date: 2026-12-08 01:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b9c2d4a716'
down_revision = 'd7a3e5c1f920'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wish_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trace_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('check_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_wish_photo_trace_id'), ['trace_id'])
        batch_op.create_index(batch_op.f('ix_wish_photo_check_due_at'), ['check_due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('wish_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_photo_check_due_at'))
        batch_op.drop_constraint(batch_op.f('uq_wish_photo_trace_id'), type_='unique')
        batch_op.drop_column('check_due_at')
        batch_op.drop_column('trace_id')
