"""schemathesis against the running app: every operation, generated input, a real token.

No answer may be a server error or break the published schema (status, media type, body).
"""

import contextvars

import pytest
from hypothesis import HealthCheck, given, settings

from caseflow.api import tokens
from tests import builders

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 15


@pytest.mark.parametrize("role", ["advisor", "partner", "coordinator"])
def test_every_operation_keeps_its_contract(app, db, role):
    user = builders.make_user(role)
    other = builders.make_user("advisor")
    dossier = builders.make_dossier(other)
    builders.add_intervention(dossier, other)
    builders.refer(dossier, other)
    _, secret = tokens.create(user, "schemathesis")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def keeps_contract(case):
            # A request of its own, as in production (not inside the test's app context).
            response = contextvars.Context().run(case.call, headers=headers)
            case.validate_response(response, checks=CHECKS)

        keeps_contract()
