"""Checks for the identifiers people type in: mobile numbers and resident ID numbers."""
import re
from datetime import date

from app.clock import china_today

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# What normalize_mobile() accepts, for the API's schemas to declare: separators anywhere, +86/0086/86 first,
# the full-width forms a Chinese input method types (１３８, －, （）) as well as ASCII, and no other digits.
_D = "[0-9０-９]"
_SEP = r"[\s\-()－（）]*"
MOBILE_PATTERN = (rf"^{_SEP}(?:(?:[+＋]{_SEP}|[0０]{_SEP}[0０]{_SEP})?[8８]{_SEP}[6６]{_SEP})?"
                  rf"[1１]{_SEP}[3-9３-９]{_SEP}(?:{_D}{_SEP}){{9}}$")


# Exactly the full-width forms the patterns admit (not NFKC, which would also turn ① or ² into digits).
_HALFWIDTH = str.maketrans("０１２３４５６７８９＋－（）Ｘｘ\u3000", "0123456789+-()Xx ")


def _halfwidth(raw: str) -> str:
    return str(raw).translate(_HALFWIDTH)


def normalize_mobile(raw: str) -> str:
    """A mainland mobile number in ASCII digits with +86, spaces and dashes stripped; ValueError if it is not one."""
    digits = re.sub(r"[\s\-()]", "", _halfwidth(raw))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    if not _MOBILE.fullmatch(digits):
        raise ValueError("Not a mainland mobile number (11 digits starting 13-19).")
    return digits


# GB 11643: 17 digits weighted by 2^(17-i) mod 11, the sum mod 11 picks the check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# What normalize_id_number() accepts in shape (spaces anywhere, x or X, full-width too), for the schemas to declare.
ID_NUMBER_PATTERN = rf"^\s*(?:{_D}\s*){{17}}(?:{_D}|[XxＸｘ])\s*$"
# Province-level prefixes of GB/T 2260 region codes (81-83: Hong Kong, Macao, Taiwan residence permits).
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
def id_check_character(first17: str) -> str:
    """GB 11643's mod-11 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_id_number(raw: str) -> str:
    """An 18-character resident ID number (GB 11643), upper-case X; ValueError naming what is wrong."""
    number = re.sub(r"\s", "", _halfwidth(raw)).upper()
    if not _ID_SHAPE.fullmatch(number):
        raise ValueError("An ID number has 18 characters: 17 digits, then a digit or X.")
    if int(number[:2]) not in _PROVINCES:
        raise ValueError("The first six digits are not a region code.")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("Digits 7-14 are not a real birth date.") from None
    if born > china_today() or born.year < 1900:
        raise ValueError("The birth date in the ID number is impossible.")
    if id_check_character(number[:17]) != number[17]:
        raise ValueError("The check character does not match; please check each digit.")
    return number
