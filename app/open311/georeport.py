"""Categories, service requests and the discovery document in GeoReport v2's own field names and values."""
import re
from collections.abc import Mapping
from datetime import datetime

from app.clock import CHINA, to_utc
from app.models import Category, RequestStatus, ServiceRequest
from app.open311.formats import FORMATS
from app.web.refusals import Refusal
from app.web.validation import halfwidth, normalize_mobile

# GeoReport knows two states; a resolved request is closed unless the resident reopens it.
OPEN311_STATUS = {RequestStatus.OPEN: "open", RequestStatus.ACCEPTED: "open",
                  RequestStatus.RESOLVED: "closed", RequestStatus.CLOSED: "closed"}

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def w3c(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, as the spec asks; China time."""
    return to_utc(moment).astimezone(CHINA).isoformat(timespec="seconds") if moment else None


def parse_w3c(name: str, value: str | None) -> datetime | None:
    """A query date-time; one without an offset is taken as China time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        return to_utc(moment if moment.tzinfo else moment.replace(tzinfo=CHINA))
    except ValueError:
        raise Refusal(f"'{value}' is not an ISO 8601 date-time.", name, status=400) from None
    except OverflowError:   # in UTC it falls before year 1 or after 9999
        raise Refusal(f"'{value}' is out of range.", name, status=400) from None


def _phone(raw: str) -> str:
    """A mainland mobile as 11 digits; any other number (a landline, abroad) as its digits and a leading +."""
    try:
        return normalize_mobile(raw)
    except ValueError:
        number = re.sub(r"[\s\-()]", "", halfwidth(raw))
    if not re.fullmatch(r"\+?[0-9]{5,19}", number):
        raise Refusal("not a telephone number (digits, with spaces, dashes or a leading +).", "phone", status=400)
    return number


def caller(values: Mapping[str, str | None]) -> dict:
    """The caller's first_name, last_name, phone and email as the request keeps them (file_request's `caller`)."""
    given = {name: (values.get(name) or "").strip() for name in ("first_name", "last_name", "phone", "email")}
    for name in ("first_name", "last_name"):
        if len(given[name]) > 50:
            raise Refusal("at most 50 characters.", name, status=400)
    if given["email"] and not (len(given["email"]) <= 254 and EMAIL.fullmatch(given["email"])):
        raise Refusal("not an e-mail address.", "email", status=400)
    if given["phone"]:
        given["phone"] = _phone(given["phone"])
    return {f"caller_{name}": value or None for name, value in given.items()}


def service_notice(category: Category) -> str:
    return f"{category.deadline_hours}小时内办理"


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or f"{category.name}（{service_notice(category)}）",
        "metadata": False,   # no extra attributes: a description and the house are all it takes
        "type": "realtime",
        "keywords": category.name,
        "group": "矛盾纠纷" if category.is_dispute else "便民服务",
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def service_request(req: ServiceRequest, keyed: bool) -> dict:
    """A request as GeoReport lists it. Without the community's api_key (anyone at all may read) it leaves out
    the free text, which may name people, and gives the building instead of the house."""
    house = req.household
    return {
        "service_request_id": str(req.id),
        "status": OPEN311_STATUS[req.status],
        "status_notes": req.resolution_note if keyed else None,
        "service_name": req.category.name,
        "service_code": req.category.code,
        "description": req.description if keyed else None,
        "agency_responsible": f"{req.community.name}{req.grid.name}",
        "service_notice": service_notice(req.category),
        "requested_datetime": w3c(req.filed_at),
        "updated_datetime": w3c(req.updated_at),
        "expected_datetime": w3c(req.due_at),
        "address": house.address if keyed else f"{req.community.name}{house.unit.name}",
        "address_id": house.code if keyed else None,
        "zipcode": None,
        "lat": None,     # houses are known by their code, not by coordinates
        "long": None,
        "media_url": None,  # photos are served only to those who may see the request
    }


SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+08:00"   # when this API last changed: XML, keyless reads, tokens, discovery


def discovery(base_url: str) -> dict:
    """What a client needs to find the endpoint and get a key."""
    return {
        "changeset": CHANGESET,
        "contact": "请联系所在社区的管理员（社区居委会）。",
        "key_service": "API 密钥（api_key）由社区管理员在家书后台签发，每个密钥只用于本社区；读取无需密钥。",
        "endpoints": [{"specification": SPECIFICATION, "url": f"{base_url.rstrip('/')}/open311/v2",
                       "changeset": CHANGESET, "type": "production", "formats": list(FORMATS.values())}],
    }
