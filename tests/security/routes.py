"""The routes the security tests cover, named as the URL map ('endpoint METHOD') and as OpenAPI does."""
import re

# Files, the API's own docs, load balancer probes.
SKIPPED = ("static", "console.static", "docs_static", "api-docs.", "health.")
PREFIXES = ("/api/", "/open311/", "/s/", "/c/", "/a/", "/wall/", "/console/")


def route_keys(app) -> dict[str, str]:
    """'METHOD /openapi/{path}' → 'endpoint METHOD' for every covered route of the app's URL map."""
    keys = {}
    for rule in app.url_map.iter_rules():
        if (rule.rule == "/" or rule.rule.startswith(PREFIXES)) and not rule.endpoint.startswith(SKIPPED):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            keys.update({f"{method} {path}": f"{rule.endpoint} {method}" for method in rule.methods - {"HEAD", "OPTIONS"}})
    return keys


def placeholders(path: str) -> list[str]:
    """The {names} of a path, in order, ignoring any query string."""
    return re.findall(r"{(\w+)}", path.split("?")[0])
