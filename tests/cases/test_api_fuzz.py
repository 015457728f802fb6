"""Schema-driven fuzzing of the citizen API (schemathesis): no 5xx, no answer outside its schema, no trace.

The gateway runs in-process with the real redactor, audit log and case store, and Rasa faked
(``tests/cases/conftest.py``). The short profile here runs in ``make test``; ``make fuzz`` runs more
examples (``KOMMUNSVAR_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from bot.services.rate_limit import RateLimits
from bot.settings import Settings

EXAMPLES = int(os.environ.get("KOMMUNSVAR_FUZZ_EXAMPLES", "25"))


def test_the_api_answers_every_generated_request_within_its_schema(case_env: Any) -> None:
    case_env.app.state.rate_limits = RateLimits(
        Settings(rate_limit_enabled=False)
    )  # fuzz the API, not the limit
    # From the app's own document: loading it over ASGI would run the app's lifespan, which replaces the
    # test's services with real ones.
    schema = schemathesis.openapi.from_dict(case_env.app.openapi())
    client = case_env.client()  # requests go through the same test client as the other API tests
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{o.method.upper()} {o.path}" for o in operations} >= {
        "POST /api/chat",
        "POST /api/cases",
        "POST /api/feedback",
    }
    for operation in operations:

        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        def check(case: Any) -> None:
            kwargs: dict[str, Any] = {"headers": dict(case.headers or {}), "params": case.query or None}
            if isinstance(case.body, dict | list | str | int | float | bool):
                kwargs["json"] = case.body
            response = client.request(case.method, case.formatted_path, **kwargs)
            where = (
                f"{case.method} {case.path} {case.body!r:.200}: {response.status_code} {response.text[:300]}"
            )
            assert response.status_code < 500, where
            assert "Traceback" not in response.text
            # A schema-valid request may still be refused: an unknown Svar-ID (404), a conversation id the
            # gateway did not sign (422), a message of spaces only (422). Every other check runs.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        check()
