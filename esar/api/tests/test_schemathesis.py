"""Schemathesis drives every operation of /api/v1/ from its own OpenAPI document.

For each operation it generates valid and edge-case requests (odd strings, huge numbers, missing
fields) and checks what a client program relies on: no server error, and the status code, content
type and body that the document declares.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from config.wsgi import application
from esar.accounts.tokens import issue_token

# Reading the document needs no database: it is generated from the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The document says that no text may contain NUL, and every such value is refused in one place
# (422, test_nul.py in esar/core/tests); the generated "valid" requests respect that promise.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the connection that holds the test's
    transaction (Django closes connections at the end of each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    # The same examples on every run, so that CI is reproducible; raise max_examples or drop
    # this locally to explore further.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, world, keep_test_connection):
    # A fresh token per example: one example may revoke its token (DELETE /auth/token).
    token = issue_token(user=world.cm_supervisor).token
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # Unknown query parameters are ignored by design, as most HTTP APIs do (a client may add a
        # cache-buster); invalid values of the documented parameters answer 422 (test_errors.py).
        excluded_checks=[negative_data_rejection],
    )
