"""The citizen API fuzzed from its OpenAPI document against the running stack (real Rasa and actions).

A short profile (``KOMMUNSVAR_FUZZ_STACK_EXAMPLES``, default 15 per operation): every generated request
gets an answer below 500, without a stack trace, and within the answer's declared schema.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("KOMMUNSVAR_FUZZ_STACK_EXAMPLES", "15"))


def test_the_running_gateway_answers_generated_requests_within_its_schema(gateway: httpx.Client) -> None:
    schema = schemathesis.openapi.from_dict(gateway.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{o.method.upper()} {o.path}" for o in operations} >= {"POST /api/chat", "POST /api/cases"}
    for operation in operations:

        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        def check(case: Any) -> None:
            kwargs: dict[str, Any] = {"headers": dict(case.headers or {}), "params": case.query or None}
            if isinstance(case.body, dict | list | str | int | float | bool):
                kwargs["json"] = case.body
            response = gateway.request(case.method, case.formatted_path, **kwargs)
            where = (
                f"{case.method} {case.path} {case.body!r:.200}: {response.status_code} {response.text[:300]}"
            )
            assert response.status_code < 500, where
            assert "Traceback" not in response.text
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        check()
