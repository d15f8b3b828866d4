"""Categories and service requests in GeoReport v2's own field names and values."""
from datetime import datetime

from app.clock import CHINA, to_utc
from app.models import Category, RequestStatus, ServiceRequest

# GeoReport knows two states; a resolved request is closed unless the resident reopens it.
OPEN311_STATUS = {RequestStatus.OPEN: "open", RequestStatus.ACCEPTED: "open",
                  RequestStatus.RESOLVED: "closed", RequestStatus.CLOSED: "closed"}


class GeoReportError(Exception):
    """An error GeoReport v2 answers as [{code, description}]."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


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
        raise GeoReportError(400, f"{name}: '{value}' is not an ISO 8601 date-time.") from None
    except OverflowError:   # in UTC it falls before year 1 or after 9999
        raise GeoReportError(400, f"{name}: '{value}' is out of range.") from None


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or f"{category.name}（{category.deadline_hours}小时内办理）",
        "metadata": False,   # no extra attributes: a description and the house are all it takes
        "type": "realtime",
        "keywords": category.name,
        "group": "矛盾纠纷" if category.is_dispute else "便民服务",
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def service_request(req: ServiceRequest) -> dict:
    return {
        "service_request_id": str(req.id),
        "status": OPEN311_STATUS[req.status],
        "status_notes": req.resolution_note,
        "service_name": req.category.name,
        "service_code": req.category.code,
        "description": req.description,
        "agency_responsible": f"{req.community.name}{req.grid.name}",
        "service_notice": f"{req.category.deadline_hours}小时内办理",
        "requested_datetime": w3c(req.filed_at),
        "updated_datetime": w3c(req.updated_at),
        "expected_datetime": w3c(req.due_at),
        "address": req.household.address,
        "address_id": req.household.code,
        "zipcode": None,
        "lat": None,     # houses are known by their code, not by coordinates
        "long": None,
        "media_url": None,  # photos are served only to those who may see the request
    }
