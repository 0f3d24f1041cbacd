"""The API as a contract: schemathesis generates requests for every operation of the OpenAPI schema and
sends them to the WSGI application, as a unit user and as an administrator.

Every answer must be documented (status code and content type) and match its documented schema, and no
answer may be a server error. The number of examples per operation is small (EXAMPLES) so the whole run
stays within a few minutes on one core; set TIAODU_SCHEMATHESIS_EXAMPLES for a longer run.

Drawing the cases is more than half of a run. The second user's run in a process sends the very cases the
first one drew for the same schema (derandomized, the draws would be the same again, but for the
constants hypothesis picks up from the modules imported in between), unless that operation failed.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import traceback

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable, UnsatisfiedAssumption
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
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


# (schema digest, mode, operation) -> the cases drawn, each copied before it was sent (a case hypothesis
# rejects while sending it is rejected again); UNSATISFIABLE when nothing in it can be made invalid.
_SENT: dict[tuple[str, str, str], list | str] = {}
UNSATISFIABLE = "unsatisfiable"


def _copy(case: Case) -> Case:
    """The case as drawn, for the same operation of another schema object (sending changes its state)."""
    new = object.__new__(type(case))
    for name in Case.__slots__:
        value = getattr(case, name)
        object.__setattr__(new, name, value if name == "operation" else copy.deepcopy(value))
    return new


def _send_again(operation, cases, headers) -> None:
    if cases == UNSATISFIABLE:
        raise Unsatisfiable(operation.label)
    for drawn in cases:
        case = _copy(drawn)
        object.__setattr__(case, "operation", operation)
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except UnsatisfiedAssumption:  # as under hypothesis: the case is rejected, not a failure
            continue


@contextlib.contextmanager
def _keeping(drawn: list):
    """Keep a copy of each case sent. (Not by mapping the strategy: a map changes hypothesis's draws.)"""
    send = Case.call_and_validate

    def keep_and_send(case, *args, **kwargs):
        drawn.append(_copy(case))
        return send(case, *args, **kwargs)

    Case.call_and_validate = keep_and_send
    try:
        yield
    finally:
        Case.call_and_validate = send


def _run(schema, headers, mode, digest: str | None = None) -> list[str]:
    """The failures of every operation; with the schema's digest, cases drawn for it are sent again."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (digest, mode.value, operation.label)
        drawn = []

        # Derandomized, hypothesis seeds the draws from the source of `check` and its decorators: they are
        # as they were, so the draws are too.
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
            if digest is not None and key in _SENT:
                _send_again(operation, _SENT[key], headers)
            else:
                with _keeping(drawn):
                    check()
                if digest is not None:
                    _SENT[key] = drawn
        except Unsatisfiable:  # nothing in the operation can be made invalid (negative mode): nothing to send
            assert mode == GenerationMode.NEGATIVE, operation.label
            if digest is not None:
                _SENT[key] = UNSATISFIABLE
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
    digest = hashlib.sha256(json.dumps(schema.raw_schema, sort_keys=True).encode()).hexdigest()
    failures = _run(schema, headers, GenerationMode.POSITIVE, digest) + _run(
        schema, headers, GenerationMode.NEGATIVE, digest
    )
    assert failures == [], f"{len(failures)} of {len(operations)} operations failed:\n" + "\n\n".join(
        failures
    )
