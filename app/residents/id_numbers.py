"""A member's ID number in and out of its record: encrypted, blind-indexed and masked, never plain."""
from app.models import Resident
from app.privacy.masking import mask_id_number
from app.privacy.sealed_fields import id_cipher


def person_index(number: str) -> str:
    """The blind index that finds the same person in any household."""
    return id_cipher().blind_index(number)


def sealed_id_number(number: str) -> dict[str, str | None]:
    """A member's ID number columns: encrypted, blind-indexed and masked."""
    cipher = id_cipher()
    return {"id_number_cipher": cipher.encrypt(number), "id_number_index": cipher.blind_index(number),
            "id_number_masked": mask_id_number(number)}


def store_id_number(member: Resident, number: str) -> None:
    for column, value in sealed_id_number(number).items():
        setattr(member, column, value)


def reveal_id_number(member: Resident) -> str | None:
    return id_cipher().decrypt(member.id_number_cipher) if member.id_number_cipher else None
