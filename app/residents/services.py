"""Registering, confirming, changing and removing household members: plain values in, the caller commits."""
from sqlalchemy import select, update

from app.extensions import db
from app.models import Household, Resident, WeChatIdentity
from app.models.base import utcnow
from app.models.people import ResidenceType
from app.residents import announcements as tell
from app.residents.id_numbers import person_index, store_id_number
from app.residents.migrants import MIGRANT_FIELDS, migrant_field_errors, migrant_fields

HEAD_RELATIONSHIP = "本人"


class Refusal(Exception):
    """Understood, but this caller may not do it (403)."""


class Conflict(Exception):
    """It clashes with what is registered already (409)."""


class FieldError(ValueError):
    """A value that does not fit the record it would change (422); `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def confirmed_head(household_id: int) -> Resident | None:
    return db.session.scalar(select(Resident).where(
        Resident.household_id == household_id, Resident.is_head, Resident.confirmed))


def register_members(household_id: int, wechat: WeChatIdentity, entries: list[dict], *, claim_head: bool,
                     consent_version: str, notice_version: str) -> list[Resident]:
    """Add the scanned household's members as `wechat` typed them in.

    The first registrant of a household without a head may claim it and is confirmed at once with the
    family; otherwise members wait for the head (or the grid head). A person registered in another household
    is a move, which waits for the grid head."""
    if consent_version != notice_version:
        raise Conflict(f"Please read and accept the updated privacy notice (version {notice_version}).")
    # Locked so that two first registrants cannot both become head (PostgreSQL; SQLite writes one at a time).
    household = db.session.scalar(select(Household).where(Household.id == household_id).with_for_update())
    own = wechat.resident
    indexes = [person_index(entry["id_number"]) for entry in entries]
    _check_registrant(own, household.id, entries, indexes)
    elsewhere = _registered_elsewhere(household.id, indexes)
    if claim_head:
        _check_head_free(household.id)
    origins = _origins(own, household.id, entries, indexes, elsewhere)
    claimant_moves = any(origin is not None for entry, origin in zip(entries, origins) if entry["is_self"])
    # The claimant of a headless house and the family a confirmed head adds need nobody's confirmation.
    at_once = (claim_head and not claimant_moves) or (
        own is not None and own.household_id == household.id and own.is_head and own.confirmed)
    now = utcnow()
    rows = []
    for entry, origin in zip(entries, origins):
        row = _new_member(household, entry, head=claim_head and entry["is_self"])
        row.move_from_household_id = origin
        row.registered_by_id = own.id if own else None
        row.consent_version, row.consent_at = consent_version, now
        if at_once and origin is None:
            row.confirmed, row.confirmed_at = True, now
        rows.append(row)
    db.session.add_all(rows)
    db.session.flush()
    if own is None:
        _link_self(wechat, rows, entries)
    tell.registered(household, rows, confirmed_head(household.id))
    return rows


def _check_registrant(own: Resident | None, household_id: int, entries: list[dict], indexes: list[str]):
    if len(set(indexes)) < len(indexes):
        raise Conflict("members: the same ID number appears twice in this registration.")
    if own is None:
        return
    self_at = next((i for i, entry in enumerate(entries) if entry["is_self"]), None)
    if own.household_id == household_id:
        if self_at is not None:
            raise Conflict("You are registered in this household already; add only your family members.")
    elif self_at is None:
        raise Conflict("You are registered in another household. To move here, register yourself (is_self) "
                       "too; the grid head confirms the move.")
    elif own.id_number_index and own.id_number_index != indexes[self_at]:
        raise Conflict(f"members.{self_at}.id_number: this is not the ID number you are registered with.")


def _registered_elsewhere(household_id: int, indexes: list[str]) -> dict[str, int]:
    """Blind index → the other household a person is registered in; Conflict if already in this one."""
    found = [tuple(row) for row in db.session.execute(
        select(Resident.id_number_index, Resident.household_id).where(Resident.id_number_index.in_(indexes)))]
    for position, index in enumerate(indexes):
        if (index, household_id) in found:
            raise Conflict(f"members.{position}.id_number: this person is registered in this household already.")
    return {index: other for index, other in found}


def _origins(own, household_id, entries, indexes, elsewhere) -> list[int | None]:
    """Per entry, the household the person moves from (None: no move). A registrant who belongs to another
    household moves themselves, even if their old record carries no ID number to match."""
    moving_in = own is not None and own.household_id != household_id
    return [own.household_id if entry["is_self"] and moving_in else elsewhere.get(index)
            for entry, index in zip(entries, indexes)]


def _check_head_free(household_id: int) -> None:
    claims = db.session.scalars(select(Resident.confirmed).where(
        Resident.household_id == household_id, Resident.is_head)).all()
    if any(claims):
        raise Conflict("claim_head: this household has a head already; register as a member and the head "
                       "will confirm you.")
    if claims:
        raise Conflict("claim_head: someone's claim to head this household is waiting for the grid head.")


def _new_member(household: Household, entry: dict, head: bool) -> Resident:
    row = Resident(household=household, name=entry["name"], phone=entry.get("phone"), is_head=head,
                   relationship_to_head=HEAD_RELATIONSHIP if head else entry["relationship_to_head"],
                   residence_type=ResidenceType(entry["residence_type"]),
                   **{field: entry.get(field) for field in MIGRANT_FIELDS})
    store_id_number(row, entry["id_number"])
    return row


def _link_self(wechat: WeChatIdentity, rows: list[Resident], entries: list[dict]) -> None:
    """A newcomer becomes the member they registered as themselves, and the registrant of the others."""
    me = next((row for row, entry in zip(rows, entries) if entry["is_self"]), None)
    if me is None:
        return
    wechat.resident = me
    for row in rows:
        if row is not me:
            row.registered_by_id = me.id


def confirm_member(member: Resident, *, by_grid_head: bool) -> None:
    """Confirm a pending member; a move also takes the person out of the household they came from."""
    if member.confirmed:
        raise Conflict("This member is confirmed already.")
    earlier = _records_elsewhere(member)
    if (earlier or member.move_from_household_id is not None) and not by_grid_head:
        raise Refusal("A person moving from another household is confirmed by the grid head.")
    if member.is_head and confirmed_head(member.household_id):
        raise Conflict("This household has a confirmed head already; reject this claim instead.")
    member.confirmed, member.confirmed_at = True, utcnow()
    tell.registrant(member, confirmed=True)
    for old in earlier:
        _move_out(old, member)


def _records_elsewhere(member: Resident) -> list[Resident]:
    if not member.id_number_index:
        return []
    return db.session.scalars(select(Resident).where(
        Resident.id_number_index == member.id_number_index, Resident.household_id != member.household_id)).all()


def _move_out(old: Resident, new: Resident) -> None:
    db.session.execute(update(WeChatIdentity).where(WeChatIdentity.resident_id == old.id)
                       .values(resident_id=new.id))
    tell.moved_out(old, new)
    remove_member(old)


def reject_member(member: Resident) -> None:
    """Turn down a pending registration: the record goes, and whoever typed it in is told."""
    if member.confirmed:
        raise Conflict("Only pending registrations are rejected; a confirmed member is removed instead.")
    tell.registrant(member, confirmed=False)
    remove_member(member)


def remove_member(member: Resident) -> None:
    """Delete a member record; WeChat users linked to it are unlinked (and may register again)."""
    db.session.execute(update(WeChatIdentity).where(WeChatIdentity.resident_id == member.id)
                       .values(resident_id=None))
    db.session.execute(update(Resident).where(Resident.registered_by_id == member.id).values(registered_by_id=None))
    db.session.delete(member)


def update_member(member: Resident, changes: dict) -> None:
    """Apply a resident's corrections; a new ID number must not belong to anyone else registered."""
    changes = dict(changes)
    if member.is_head and changes.get("relationship_to_head", HEAD_RELATIONSHIP) != HEAD_RELATIONSHIP:
        raise FieldError("relationship_to_head", f"The head's relationship is always {HEAD_RELATIONSHIP}.")
    if "id_number" in changes:
        _change_id_number(member, changes.pop("id_number"))
    kind = changes.get("residence_type", member.residence_type.value if member.residence_type else None)
    kept = migrant_fields(kind)
    stored = {field: getattr(member, field) for field in kept}
    errors = migrant_field_errors(kind, {**stored, **changes})
    if errors:
        field = next(iter(errors))
        raise FieldError(field, errors[field])
    for field, value in changes.items():
        setattr(member, field, ResidenceType(value) if field == "residence_type" else value)
    for field in MIGRANT_FIELDS:
        if field not in kept:
            setattr(member, field, None)


def _change_id_number(member: Resident, number: str) -> None:
    index = person_index(number)
    if index == member.id_number_index:
        return
    holders = set(db.session.scalars(select(Resident.household_id).where(Resident.id_number_index == index)))
    if member.household_id in holders:
        raise Conflict("id_number: this person is registered in this household already.")
    if holders:
        raise Conflict("id_number: this person is registered in another household; to move them here, "
                       "register them by scanning this house's letter.")
    store_id_number(member, number)
