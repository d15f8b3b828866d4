"""Every URL of the URL map, called with every method: a 405 names in Allow exactly the methods that do not answer
405 there (HTTP requires the header; clients retry with what it lists), and OPTIONS lists the same."""
import re

import pytest

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CONVERTER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>")


def sample_path(rule: str) -> str:
    """The rule with each variable part filled: the first choice of an <any(...)>, else "1"."""
    return CONVERTER.sub(lambda m: m.group(2).split(",")[0].strip(" '\"") if m.group(1) == "any" else "1", rule)


@pytest.fixture
def paths(app):
    return sorted({sample_path(rule.rule) for rule in app.url_map.iter_rules()})


def test_every_405_says_which_methods_the_url_takes(client, paths):
    checked = 0
    for path in paths:
        answers = {method: client.open(path, method=method) for method in METHODS}
        taken = {method for method, response in answers.items() if response.status_code != 405}
        refused = [method for method, response in answers.items() if response.status_code == 405]
        if not refused:
            continue
        expected = taken | {"OPTIONS"} | ({"HEAD"} if "GET" in taken else set())
        for method in refused:
            allow = answers[method].headers.get("Allow")
            assert allow and set(allow.split(", ")) == expected, f"{method} {path}: Allow {allow!r}, takes {expected}"
        options = client.options(path)
        assert set(options.headers.get("Allow", "").split(", ")) == expected, f"OPTIONS {path}: {options.headers}"
        checked += 1
    assert checked > 50   # the walk reached the app's routes, not a handful
