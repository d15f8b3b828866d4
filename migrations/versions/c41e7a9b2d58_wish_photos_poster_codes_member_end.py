"""Wish photos; activities' check-in codes kept with the other QR codes (revocable); a party membership's end

Revision ID: c41e7a9b2d58
Revises: f3bf7843b8df
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c41e7a9b2d58'
down_revision = 'f3bf7843b8df'
branch_labels = None
depends_on = None

ONE_OF_TWO = '(household_id IS NULL) <> (staff_id IS NULL)'
ONE_OF_THREE = ('(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) '
                '+ (CASE WHEN activity_id IS NULL THEN 0 ELSE 1 END) = 1')


def upgrade():
    op.create_table('wish_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('wish', 'fulfilment', name='photokind', native_enum=False, length=16), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('check', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['wish_id'], ['wish.id'], name=op.f('fk_wish_photo_wish_id_wish')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_photo')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_wish_photo_stored_name'))
    )
    op.create_index(op.f('ix_wish_photo_wish_id'), 'wish_photo', ['wish_id'], unique=False)
    with op.batch_alter_table('party_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))

    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_qr_code_activity_id'), ['activity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_qr_code_activity_id_activity'), 'activity', ['activity_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_qr_code_one_target'), type_='check')
        batch_op.create_check_constraint('one_target', ONE_OF_THREE)
    # Each activity's token becomes its first code.
    op.execute("INSERT INTO qr_code (token, activity_id, version, scans, created_at) "
               "SELECT token, id, 1, 0, created_at FROM activity")
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_activity_token'), type_='unique')
        batch_op.drop_column('token')


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=32), nullable=True))
    op.execute("UPDATE activity SET token = (SELECT token FROM qr_code WHERE qr_code.activity_id = activity.id "
               "AND qr_code.revoked_at IS NULL)")
    op.execute("DELETE FROM qr_code WHERE activity_id IS NOT NULL")
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_activity_token'), ['token'])

    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_qr_code_one_target'), type_='check')
        batch_op.create_check_constraint('one_target', ONE_OF_TWO)
        batch_op.drop_constraint(batch_op.f('fk_qr_code_activity_id_activity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_qr_code_activity_id'))
        batch_op.drop_column('activity_id')

    with op.batch_alter_table('party_member', schema=None) as batch_op:
        batch_op.drop_column('ended_on')

    op.drop_index(op.f('ix_wish_photo_wish_id'), table_name='wish_photo')
    op.drop_table('wish_photo')
