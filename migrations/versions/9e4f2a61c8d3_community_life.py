"""Community life: police handovers to the grid, the points ledger and rewards, micro-wishes

Revision ID: 9e4f2a61c8d3
Revises: 7b1d2e9a4c30
Create Date: 2026-12-03 09:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9e4f2a61c8d3'
down_revision = '7b1d2e9a4c30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_request_id', sa.Integer(), nullable=False),
    sa.Column('service_request_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_request_id'], ['contact_request.id'],
                            name=op.f('fk_handover_contact_request_id_contact_request')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_handover_officer_id_staff')),
    sa.ForeignKeyConstraint(['service_request_id'], ['service_request.id'],
                            name=op.f('fk_handover_service_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    sa.UniqueConstraint('contact_request_id', name=op.f('uq_handover_contact_request_id')),
    sa.UniqueConstraint('service_request_id', name=op.f('uq_handover_service_request_id'))
    )
    op.create_index(op.f('ix_handover_officer_id'), 'handover', ['officer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_handover_officer_id'), table_name='handover')
    op.drop_table('handover')
