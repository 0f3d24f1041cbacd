"""The API as a contract: schemathesis generates requests for every operation of the OpenAPI schema and
sends them to the WSGI application, as a unit user and as an administrator.

Every answer must be documented (status code and content type) and match its documented schema, and no
answer may be a server error. The number of examples per operation is small (EXAMPLES) so the whole run
stays within a few minutes on one core; set TIAODU_SCHEMATHESIS_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
import traceback

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tiaodu.wsgi import application

EXAMPLES = int(os.environ.get("TIAODU_SCHEMATHESIS_EXAMPLES", "6"))
# Server errors, undocumented status codes and content types, answers that break their schema, and invalid
# requests (as the schema defines them: an empty date, a word for a number) that are not refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests go to the WSGI application directly (not Django's test client): keep it from closing the
    test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(schema, headers, mode) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:  # nothing in the operation can be made invalid (negative mode): nothing to send
            assert mode == GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures are collected
            failures.append(
                f"{mode.value} {operation.label}: {''.join(traceback.format_exception_only(exc)).strip()}"
            )
    return failures


@pytest.mark.parametrize("who", ["hq", "admin"])
def test_it_answers_every_operation_as_documented_and_never_with_a_server_error(
    district, wsgi_in_test_transaction, who
):
    token = Token.objects.create(user=district.users[who])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_in_test_transaction, headers=headers
    )
    operations = list(schema.get_all_operations())
    assert len(operations) > 60
    failures = _run(schema, headers, GenerationMode.POSITIVE) + _run(schema, headers, GenerationMode.NEGATIVE)
    assert failures == [], f"{len(failures)} of {len(operations)} operations failed:\n" + "\n\n".join(
        failures
    )
