"""Letter print jobs run by `flask worker`, with their progress, for the console's letters page; resident's
move_from_id indexed (a grid head's moves out scanned every resident: bench.plans)

Revision ID: c4e8a1f37b20
Revises: b7d3c5e90a14
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a1f37b20'
down_revision = 'b7d3c5e90a14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('size', sa.String(length=8), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False,
                               length=16), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('file_key', sa.String(length=100), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_letter_job_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_letter_job_grid_id_grid')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_letter_job_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_job'))
    )
    with op.batch_alter_table('letter_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_job_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_job_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_job_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_job_state'), ['state'], unique=False)
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_move_from_id'), ['move_from_id'], unique=False)


def downgrade():
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_move_from_id'))
    with op.batch_alter_table('letter_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_job_state'))
        batch_op.drop_index(batch_op.f('ix_letter_job_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_letter_job_grid_id'))
        batch_op.drop_index(batch_op.f('ix_letter_job_community_id'))
    op.drop_table('letter_job')
