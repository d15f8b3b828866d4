"""Masking of people's identifiers in every response."""


def mask_phone(phone: str | None) -> str | None:
    """138****8000: keeps the carrier prefix and the last four digits."""
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_id_number(number: str | None) -> str | None:
    """110***********1234: keeps the region prefix and the last four characters."""
    if not number:
        return number
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name):
    """王**: the family name only, for lists others see (the wish wall, leaderboards)."""
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)
