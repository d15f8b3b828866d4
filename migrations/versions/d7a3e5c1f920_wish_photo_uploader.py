"""Who uploaded each wish photo: one not passed by WeChat is shown to its uploader and the wish's reviewer only

Revision ID: d7a3e5c1f920
Revises: d82c4f1a9e37
Create Date: 2026-12-08 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7a3e5c1f920'
down_revision = 'd82c4f1a9e37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wish_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploaded_by_wechat_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('uploaded_by_staff_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_wish_photo_uploaded_by_wechat_id_wechat_identity'),
                                    'wechat_identity', ['uploaded_by_wechat_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_wish_photo_uploaded_by_staff_id_staff'), 'staff',
                                    ['uploaded_by_staff_id'], ['id'])


def downgrade():
    with op.batch_alter_table('wish_photo', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_wish_photo_uploaded_by_staff_id_staff'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_wish_photo_uploaded_by_wechat_id_wechat_identity'),
                                 type_='foreignkey')
        batch_op.drop_column('uploaded_by_staff_id')
        batch_op.drop_column('uploaded_by_wechat_id')
