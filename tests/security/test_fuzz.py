"""Schemathesis fuzzes every operation of /api/openapi.json as each role the matrix lets use it: no answer is a
500, every answer is one the spec documents (status, headers, body), and invalid input is refused with a 4xx
whose JSON message says what was wrong. Bounded and derandomized, so CI sees the same cases every run."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from app import create_app
from app.web.extensions import db
from config import TestConfig
from tests.security.matrix_table import TABLE
from tests.security.routes import placeholders, route_keys
from tests.security.stage import ANONYMOUS, saved_data

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))   # per operation and role; raise it for a deeper local run


def errors_name_the_problem(ctx, response, case):
    """A 4xx is JSON with a message (a field's problem names the field, which the tests of each feature check)."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and body.get("message"), f"{response.status_code} without a message: {body}"


CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance, checks.negative_data_rejection,
          errors_name_the_problem]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))


def _load(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Authentication is the matrix's business: here every call carries the role's own token.
    schema.config.generation.update(with_security_parameters=False)
    return schema


def operations():
    """(operation label, matrix key, role) for each role that may use each documented operation."""
    app = create_app(TestConfig)
    keys = route_keys(app)
    for result in _load(app).get_all_operations():
        label = result.ok().label
        entry = TABLE.get(keys[label])   # None: test_every_route_has_an_entry says to add it
        for role in () if entry is None else sorted(entry.roles) if entry.public is None else [ANONYMOUS]:
            yield pytest.param(label, keys[label], role, id=f"{label}-{role}")


@pytest.fixture(scope="module")
def api_schema(stage):
    return _load(stage.app)


@pytest.mark.parametrize("label, key, role", list(operations()))
def test_fuzz(stage, api_schema, label, key, role):
    stage.ready()
    operation = api_schema.find_operation_by_label(label)
    own = stage.places[role][0]
    # Valid cases reach the role's own objects; invalid ones may mangle anything, ids included.
    ids = dict(zip(placeholders(operation.path), (own[name] for name in placeholders(TABLE[key].path))))
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @FUZZ
    @given(case=strategy)
    def fuzz(case):
        changes = case.method.upper() != "GET"
        stage.dirty = stage.dirty or changes
        before = saved_data() if changes else None
        try:
            response = case.call_and_validate(headers=stage.headers[role], checks=CHECKS)
        finally:
            db.session.rollback()   # as the end of a real request does: a failed call must not poison the next
        if changes and 400 <= response.status_code < 500:
            assert saved_data() == before, f"{label} answered {response.status_code} but changed saved data"

    fuzz()
