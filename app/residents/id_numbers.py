"""A member's ID number in and out of its record: encrypted, blind-indexed and masked, never plain."""
from app.auth.principal import Principal
from app.models import Resident
from app.privacy.audit import record
from app.privacy.masking import mask_id_number
from app.privacy.sealed_fields import id_cipher


def person_index(number: str) -> str:
    """The blind index that finds the same person in any household."""
    return id_cipher().blind_index(number)


def store_id_number(member: Resident, number: str) -> None:
    cipher = id_cipher()
    member.id_number_cipher = cipher.encrypt(number)
    member.id_number_index = cipher.blind_index(number)
    member.id_number_masked = mask_id_number(number)


def reveal_id_number(member: Resident) -> str | None:
    return id_cipher().decrypt(member.id_number_cipher) if member.id_number_cipher else None


def revealed(principal: Principal, member: Resident, reason: str) -> dict:
    """The member's whole ID number and phone for a staff member whose place includes them, the reason kept in
    the audit trail; the caller commits."""
    record(principal, "reveal", "resident", member.id, reason=reason.strip())
    return {"id": member.id, "name": member.name, "id_number": reveal_id_number(member), "phone": member.phone}
