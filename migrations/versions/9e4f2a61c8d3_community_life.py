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
    op.create_table('point_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_point_rule_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_rule')),
    sa.UniqueConstraint('community_id', 'code', name=op.f('uq_point_rule_community_id'))
    )
    op.create_index(op.f('ix_point_rule_community_id'), 'point_rule', ['community_id'], unique=False)
    op.create_table('reward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_reward_stock_never_negative')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_reward_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reward'))
    )
    op.create_index(op.f('ix_reward_community_id'), 'reward', ['community_id'], unique=False)
    op.create_table('wish_settings',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('value_cap', sa.Integer(), nullable=False),
    sa.Column('claim_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_wish_settings_community_id_community')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_wish_settings'))
    )
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_activity_community_id_community')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_activity_created_by_id_staff')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_activity_grid_id_grid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity')),
    sa.UniqueConstraint('token', name=op.f('uq_activity_token'))
    )
    op.create_index(op.f('ix_activity_community_id'), 'activity', ['community_id'], unique=False)
    op.create_index(op.f('ix_activity_grid_id'), 'activity', ['grid_id'], unique=False)
    op.create_table('party_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('committee', 'branch', 'group', name='organisationkind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_party_organisation_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_party_organisation_grid_id_grid')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_party_organisation_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_organisation')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_party_organisation_community_id'))
    )
    op.create_index(op.f('ix_party_organisation_community_id'), 'party_organisation', ['community_id'], unique=False)
    op.create_table('party_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_party_member_one_person')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_party_member_community_id_community')),
    sa.ForeignKeyConstraint(['organisation_id'], ['party_organisation.id'], name=op.f('fk_party_member_organisation_id_party_organisation')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_party_member_resident_id_resident')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_party_member_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_member')),
    sa.UniqueConstraint('resident_id', name=op.f('uq_party_member_resident_id')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_party_member_staff_id'))
    )
    op.create_index(op.f('ix_party_member_community_id'), 'party_member', ['community_id'], unique=False)
    op.create_index(op.f('ix_party_member_organisation_id'), 'party_member', ['organisation_id'], unique=False)
    op.create_table('point_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_point_account_one_holder')),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_point_account_never_negative')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_point_account_community_id_community')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_point_account_household_id_household')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_point_account_resident_id_resident'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_point_account_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_account')),
    sa.UniqueConstraint('household_id', name=op.f('uq_point_account_household_id')),
    sa.UniqueConstraint('resident_id', name=op.f('uq_point_account_resident_id')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_point_account_staff_id'))
    )
    op.create_index(op.f('ix_point_account_community_id'), 'point_account', ['community_id'], unique=False)
    op.create_table('volunteer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('skills', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_volunteer_one_person')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_volunteer_community_id_community')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_volunteer_resident_id_resident')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_volunteer_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer')),
    sa.UniqueConstraint('resident_id', name=op.f('uq_volunteer_resident_id')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_volunteer_staff_id'))
    )
    op.create_index(op.f('ix_volunteer_community_id'), 'volunteer', ['community_id'], unique=False)
    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('wechat_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_check_in_activity_id_activity')),
    sa.ForeignKeyConstraint(['wechat_id'], ['wechat_identity.id'], name=op.f('fk_check_in_wechat_id_wechat_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('activity_id', 'wechat_id', name=op.f('uq_check_in_activity_id'))
    )
    op.create_index(op.f('ix_check_in_activity_id'), 'check_in', ['activity_id'], unique=False)
    op.create_index(op.f('ix_check_in_wechat_id'), 'check_in', ['wechat_id'], unique=False)
    op.create_table('contact_household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_member_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_contact_household_household_id_household')),
    sa.ForeignKeyConstraint(['party_member_id'], ['party_member.id'], name=op.f('fk_contact_household_party_member_id_party_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_household')),
    sa.UniqueConstraint('household_id', name=op.f('uq_contact_household_household_id'))
    )
    op.create_index(op.f('ix_contact_household_party_member_id'), 'contact_household', ['party_member_id'], unique=False)
    op.create_table('point_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('actor_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['point_account.id'], name=op.f('fk_point_entry_account_id_point_account')),
    sa.ForeignKeyConstraint(['actor_staff_id'], ['staff.id'], name=op.f('fk_point_entry_actor_staff_id_staff')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_point_entry_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_point_entry_grid_id_grid')),
    sa.ForeignKeyConstraint(['reverses_id'], ['point_entry.id'], name=op.f('fk_point_entry_reverses_id_point_entry')),
    sa.ForeignKeyConstraint(['rule_id'], ['point_rule.id'], name=op.f('fk_point_entry_rule_id_point_rule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_entry')),
    sa.UniqueConstraint('account_id', 'source', name=op.f('uq_point_entry_account_id')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_point_entry_reverses_id'))
    )
    op.create_index(op.f('ix_point_entry_account_id'), 'point_entry', ['account_id'], unique=False)
    op.create_index('ix_point_entry_community_created', 'point_entry', ['community_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_point_entry_grid_id'), 'point_entry', ['grid_id'], unique=False)
    op.create_table('redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handed_over_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['point_account.id'], name=op.f('fk_redemption_account_id_point_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_redemption_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_redemption_grid_id_grid')),
    sa.ForeignKeyConstraint(['handed_over_by_id'], ['staff.id'], name=op.f('fk_redemption_handed_over_by_id_staff')),
    sa.ForeignKeyConstraint(['reward_id'], ['reward.id'], name=op.f('fk_redemption_reward_id_reward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption'))
    )
    op.create_index(op.f('ix_redemption_account_id'), 'redemption', ['account_id'], unique=False)
    op.create_index(op.f('ix_redemption_community_id'), 'redemption', ['community_id'], unique=False)
    op.create_index(op.f('ix_redemption_grid_id'), 'redemption', ['grid_id'], unique=False)
    op.create_index(op.f('ix_redemption_reward_id'), 'redemption', ['reward_id'], unique=False)
    op.create_table('wish',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('beneficiary_name', sa.String(length=50), nullable=False),
    sa.Column('vulnerability', sa.Enum('elderly_alone', 'left_behind_child', 'low_income', 'disabled', name='vulnerability', native_enum=False, length=24), nullable=True),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('category', sa.Enum('goods', 'service', 'companionship', 'other', name='wishcategory', native_enum=False, length=24), nullable=False),
    sa.Column('estimated_value', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', 'claimed', 'fulfilled', 'closed', 'cancelled', name='wishstatus', native_enum=False, length=24), nullable=False),
    sa.Column('content_check', sa.String(length=16), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('posted_by_wechat_id', sa.Integer(), nullable=True),
    sa.Column('posted_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.String(length=200), nullable=True),
    sa.Column('claimed_by_wechat_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fulfil_note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by_staff_id'], ['staff.id'], name=op.f('fk_wish_claimed_by_staff_id_staff')),
    sa.ForeignKeyConstraint(['claimed_by_wechat_id'], ['wechat_identity.id'], name=op.f('fk_wish_claimed_by_wechat_id_wechat_identity')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_wish_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_wish_grid_id_grid')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_wish_household_id_household')),
    sa.ForeignKeyConstraint(['posted_by_staff_id'], ['staff.id'], name=op.f('fk_wish_posted_by_staff_id_staff')),
    sa.ForeignKeyConstraint(['posted_by_wechat_id'], ['wechat_identity.id'], name=op.f('fk_wish_posted_by_wechat_id_wechat_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish'))
    )
    op.create_index(op.f('ix_wish_claimed_by_staff_id'), 'wish', ['claimed_by_staff_id'], unique=False)
    op.create_index(op.f('ix_wish_claimed_by_wechat_id'), 'wish', ['claimed_by_wechat_id'], unique=False)
    op.create_index('ix_wish_community_status', 'wish', ['community_id', 'status'], unique=False)
    op.create_index(op.f('ix_wish_grid_id'), 'wish', ['grid_id'], unique=False)
    op.create_index(op.f('ix_wish_household_id'), 'wish', ['household_id'], unique=False)
    op.create_index(op.f('ix_wish_posted_by_wechat_id'), 'wish', ['posted_by_wechat_id'], unique=False)
    op.create_index('ix_wish_status_claim_due', 'wish', ['status', 'claim_due_at'], unique=False)
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_request_id', sa.Integer(), nullable=False),
    sa.Column('service_request_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_request_id'], ['contact_request.id'], name=op.f('fk_handover_contact_request_id_contact_request')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_handover_officer_id_staff')),
    sa.ForeignKeyConstraint(['service_request_id'], ['service_request.id'], name=op.f('fk_handover_service_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    sa.UniqueConstraint('contact_request_id', name=op.f('uq_handover_contact_request_id')),
    sa.UniqueConstraint('service_request_id', name=op.f('uq_handover_service_request_id'))
    )
    op.create_index(op.f('ix_handover_officer_id'), 'handover', ['officer_id'], unique=False)
    op.create_table('wish_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('actor_staff_id', sa.Integer(), nullable=True),
    sa.Column('actor_wechat_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_staff_id'], ['staff.id'], name=op.f('fk_wish_event_actor_staff_id_staff')),
    sa.ForeignKeyConstraint(['actor_wechat_id'], ['wechat_identity.id'], name=op.f('fk_wish_event_actor_wechat_id_wechat_identity')),
    sa.ForeignKeyConstraint(['wish_id'], ['wish.id'], name=op.f('fk_wish_event_wish_id_wish')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_event'))
    )
    op.create_index(op.f('ix_wish_event_wish_id'), 'wish_event', ['wish_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_wish_event_wish_id'), table_name='wish_event')
    op.drop_table('wish_event')
    op.drop_index(op.f('ix_handover_officer_id'), table_name='handover')
    op.drop_table('handover')
    op.drop_index('ix_wish_status_claim_due', table_name='wish')
    op.drop_index(op.f('ix_wish_posted_by_wechat_id'), table_name='wish')
    op.drop_index(op.f('ix_wish_household_id'), table_name='wish')
    op.drop_index(op.f('ix_wish_grid_id'), table_name='wish')
    op.drop_index('ix_wish_community_status', table_name='wish')
    op.drop_index(op.f('ix_wish_claimed_by_wechat_id'), table_name='wish')
    op.drop_index(op.f('ix_wish_claimed_by_staff_id'), table_name='wish')
    op.drop_table('wish')
    op.drop_index(op.f('ix_redemption_reward_id'), table_name='redemption')
    op.drop_index(op.f('ix_redemption_grid_id'), table_name='redemption')
    op.drop_index(op.f('ix_redemption_community_id'), table_name='redemption')
    op.drop_index(op.f('ix_redemption_account_id'), table_name='redemption')
    op.drop_table('redemption')
    op.drop_index(op.f('ix_point_entry_grid_id'), table_name='point_entry')
    op.drop_index('ix_point_entry_community_created', table_name='point_entry')
    op.drop_index(op.f('ix_point_entry_account_id'), table_name='point_entry')
    op.drop_table('point_entry')
    op.drop_index(op.f('ix_contact_household_party_member_id'), table_name='contact_household')
    op.drop_table('contact_household')
    op.drop_index(op.f('ix_check_in_wechat_id'), table_name='check_in')
    op.drop_index(op.f('ix_check_in_activity_id'), table_name='check_in')
    op.drop_table('check_in')
    op.drop_index(op.f('ix_volunteer_community_id'), table_name='volunteer')
    op.drop_table('volunteer')
    op.drop_index(op.f('ix_point_account_community_id'), table_name='point_account')
    op.drop_table('point_account')
    op.drop_index(op.f('ix_party_member_organisation_id'), table_name='party_member')
    op.drop_index(op.f('ix_party_member_community_id'), table_name='party_member')
    op.drop_table('party_member')
    op.drop_index(op.f('ix_party_organisation_community_id'), table_name='party_organisation')
    op.drop_table('party_organisation')
    op.drop_index(op.f('ix_activity_grid_id'), table_name='activity')
    op.drop_index(op.f('ix_activity_community_id'), table_name='activity')
    op.drop_table('activity')
    op.drop_table('wish_settings')
    op.drop_index(op.f('ix_reward_community_id'), table_name='reward')
    op.drop_table('reward')
    op.drop_index(op.f('ix_point_rule_community_id'), table_name='point_rule')
    op.drop_table('point_rule')
