"""Returning migrants: the province they came from, and which fields their record (or a temporary
resident's) needs."""
from app.models.people import ResidenceType

MIGRANT_FIELDS = ("from_province", "from_city", "return_date", "stay_days")
REQUIRED_FOR_MIGRANT = ("from_province", "from_city", "return_date")
# Where from and when: a returning migrant's. How long they stay: a returning migrant's or a temporary
# resident's (暂住, registered for a stay); a permanent resident or tenant gives none of them.
FIELDS_BY_TYPE = {ResidenceType.RETURNING_MIGRANT.value: MIGRANT_FIELDS,
                  ResidenceType.TEMPORARY.value: ("stay_days",)}

# Province-level divisions by official name; people often type the short name, which is the same minus
# the suffix (省, 市, 自治区 …).
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区",
)
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_BY_NAME = {name: name for name in PROVINCES} | {_short(name): name for name in PROVINCES}


def normalize_province(raw: str) -> str:
    """The official name of a province-level division, from it or its short name (河南 → 河南省)."""
    name = str(raw).strip()
    if name not in _BY_NAME:
        raise ValueError("Not a province, municipality or region of China (e.g. 河南 or 河南省).")
    return _BY_NAME[name]


def migrant_fields(residence_type: str | None) -> tuple:
    """The migrant fields a member of this residence type may give."""
    return FIELDS_BY_TYPE.get(residence_type, ()) if residence_type else ()


def migrant_field_errors(residence_type: str | None, values: dict) -> dict[str, str]:
    """Field → message for migrant fields missing from a returning migrant, or given by whoever may not."""
    if residence_type == ResidenceType.RETURNING_MIGRANT.value:
        return {f: "Required for a returning migrant." for f in REQUIRED_FOR_MIGRANT if values.get(f) in (None, "")}
    allowed = migrant_fields(residence_type)
    return {f: "Only for a returning migrant or a temporary resident." if f == "stay_days" else
            "Only for a returning migrant." for f in MIGRANT_FIELDS if f not in allowed and values.get(f) is not None}
