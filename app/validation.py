"""Checks for the identifiers people type in: mobile numbers (and, later, ID numbers)."""
import re

_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_mobile(raw: str) -> str:
    """A mainland mobile number with +86, spaces and dashes stripped; ValueError if it is not one."""
    digits = re.sub(r"[\s\-()]", "", str(raw))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    if not _MOBILE.fullmatch(digits):
        raise ValueError("Not a mainland mobile number (11 digits starting 13-19).")
    return digits
