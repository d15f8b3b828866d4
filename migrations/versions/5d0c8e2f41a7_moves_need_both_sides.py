"""moves need both sides: a duplicate ID number is kept as a move awaiting the source side's consent

Revision ID: 5d0c8e2f41a7
Revises: 5c0e311ca11e
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d0c8e2f41a7'
down_revision = '5c0e311ca11e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('move_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('move_consent', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('move_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_resident_move_from_id_resident'), 'resident', ['move_from_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.drop_constraint('uq_resident_household_person', type_='unique')


def downgrade():
    # A later duplicate in one household would break the restored constraint: it keeps its record and its
    # encrypted number, and loses only the look-up index.
    op.execute("UPDATE resident SET id_number_index = NULL WHERE id_number_index IS NOT NULL AND id NOT IN "
               "(SELECT MIN(id) FROM resident WHERE id_number_index IS NOT NULL "
               "GROUP BY household_id, id_number_index)")
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_resident_household_person', ['household_id', 'id_number_index'])
        batch_op.drop_constraint(batch_op.f('fk_resident_move_from_id_resident'), type_='foreignkey')
        batch_op.drop_column('move_consent_at')
        batch_op.drop_column('move_consent')
        batch_op.drop_column('move_from_id')
