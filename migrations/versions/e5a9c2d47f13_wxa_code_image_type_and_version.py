"""A mini-program code's image keeps the content type WeChat sent (JPEG in practice, where PNG was assumed) and the
version of the mini-program it opens (getwxacodeunlimit's env_version)

Revision ID: e5a9c2d47f13
Revises: c4e8a1f37b20
Create Date: 2026-12-08 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a9c2d47f13'
down_revision = 'c4e8a1f37b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wxa_code_image', schema=None) as batch_op:
        batch_op.alter_column('png', new_column_name='image', existing_type=sa.LargeBinary(), existing_nullable=False)
        batch_op.add_column(sa.Column('content_type', sa.String(length=40), server_default='image/png',
                                      nullable=False))
        batch_op.add_column(sa.Column('env_version', sa.String(length=16), server_default='release',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('wxa_code_image', schema=None) as batch_op:
        batch_op.drop_column('env_version')
        batch_op.drop_column('content_type')
        batch_op.alter_column('image', new_column_name='png', existing_type=sa.LargeBinary(), existing_nullable=False)
