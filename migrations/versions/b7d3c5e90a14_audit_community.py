"""The community of each audit entry (for the admin's audit log) and a hint of each Open311 key

Revision ID: b7d3c5e90a14
Revises: c41e7a9b2d58
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d3c5e90a14'
down_revision = 'c41e7a9b2d58'
branch_labels = None
depends_on = None

# Earlier entries get their community from the staff member who acted, else from the resident or household they
# touched, else from the acting WeChat user's own record; an operator's command keeps none.
BACKFILL = (
    "UPDATE audit_event SET community_id = (SELECT community_id FROM staff WHERE staff.id = actor_staff_id) "
    "WHERE actor_staff_id IS NOT NULL",
    "UPDATE audit_event SET community_id = (SELECT h.community_id FROM resident r JOIN household h "
    "ON h.id = r.household_id WHERE CAST(r.id AS VARCHAR(40)) = audit_event.object_id) "
    "WHERE community_id IS NULL AND object_type = 'resident'",
    "UPDATE audit_event SET community_id = (SELECT h.community_id FROM household h "
    "WHERE CAST(h.id AS VARCHAR(40)) = audit_event.object_id) "
    "WHERE community_id IS NULL AND object_type = 'household'",
    "UPDATE audit_event SET community_id = (SELECT h.community_id FROM wechat_identity w JOIN resident r "
    "ON r.id = w.resident_id JOIN household h ON h.id = r.household_id WHERE w.id = actor_wechat_id) "
    "WHERE community_id IS NULL AND actor_wechat_id IS NOT NULL",
)


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_community_id_community'), 'community',
                                    ['community_id'], ['id'])
    for statement in BACKFILL:
        op.execute(statement)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_community_at', ['community_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_event_community_action_at', ['community_id', 'action', 'at'], unique=False)
    with op.batch_alter_table('open311_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hint', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('open311_key', schema=None) as batch_op:
        batch_op.drop_column('hint')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_community_action_at')
        batch_op.drop_index('ix_audit_event_community_at')
        batch_op.drop_constraint(batch_op.f('fk_audit_event_community_id_community'), type_='foreignkey')
        batch_op.drop_column('community_id')
