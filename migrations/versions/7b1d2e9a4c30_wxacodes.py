"""A community's kind of printed code (link QR or mini-program code), and the mini-program codes fetched from WeChat

Revision ID: 7b1d2e9a4c30
Revises: 5d0c8e2f41a7
Create Date: 2026-12-10 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7b1d2e9a4c30'
down_revision = '5d0c8e2f41a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('community_code_kind',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('LINK', 'WXACODE', name='codekind', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'],
                            name=op.f('fk_community_code_kind_community_id_community')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_community_code_kind'))
    )
    op.create_table('wxa_code_image',
    sa.Column('qr_code_id', sa.Integer(), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['qr_code_id'], ['qr_code.id'], name=op.f('fk_wxa_code_image_qr_code_id_qr_code')),
    sa.PrimaryKeyConstraint('qr_code_id', name=op.f('pk_wxa_code_image'))
    )


def downgrade():
    op.drop_table('wxa_code_image')
    op.drop_table('community_code_kind')
