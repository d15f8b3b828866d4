"""GeoReport v2's two formats: XML (the spec's required one, written with ElementTree) and JSON."""
import re
import xml.etree.ElementTree as ET

from flask import Response, jsonify, request

FORMATS = {"xml": "text/xml", "json": "application/json"}
# The element of each item of a list, named as the spec names it (<services><service>…</service></services>).
ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
        "errors": "error", "endpoints": "endpoint", "formats": "format"}
# Characters XML 1.0 cannot carry at all (control characters, for instance, which a description may hold).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def requested_format() -> str:
    """The format the path asks for; an answer to a path in neither (an error) is JSON."""
    return "xml" if request.path.endswith(".xml") else "json"


def _element(name: str, value) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, list):
        element.extend(_element(ITEM[name], item) for item in value)
    elif isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:   # None is an empty element, as in the spec's examples
        element.text = NOT_XML.sub("\ufffd", str(value))
    return element


def answer(root: str, value, status: int = 200, headers: dict | None = None) -> Response:
    """`value` (a list or an object) in the requested format: in XML under its root element, in JSON as it is."""
    if requested_format() == "xml":
        body = ET.tostring(_element(root, value), encoding="utf-8", xml_declaration=True)
        response = Response(body, mimetype=FORMATS["xml"])
    else:
        response = jsonify(value)
    response.status_code = status
    response.headers.extend(headers or {})
    return response


def errors(code: int, description: str, headers: dict | None = None) -> Response:
    """GeoReport's error list: <errors><error><code/><description/></error></errors>, or [{code, description}]."""
    return answer("errors", [{"code": code, "description": description}], code, headers)
