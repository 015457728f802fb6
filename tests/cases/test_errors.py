"""Case errors have their own root, and the HTTP layer answers each as it did before the move."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from audit.errors import AuditError
from bot.api.errors import case_response
from cases import errors
from cases.errors import (
    AnswerNotFound,
    CaseError,
    CaseMessageEmpty,
    CaseMessageTooLong,
    CaseNotFound,
    CaseStepNotAllowed,
    CaseStoreDown,
    CaseStoreError,
    CaseStoreUnavailable,
    CaseUnknown,
    ContactKeyError,
    IdempotencyConflict,
    InvalidContact,
    InvalidIdempotencyKey,
    InvalidTransition,
    MalformedAuditId,
    VaultValueUnavailable,
)
from tests.cases.conftest import with_token

ERROR_CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, Exception)]


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_case_error_has_the_case_root_and_is_no_audit_error(cls: type[Exception]) -> None:
    assert issubclass(cls, CaseError)
    assert not issubclass(cls, AuditError)
    assert cls.__doc__ and cls.__name__ in (errors.__doc__ or "")  # drawn in the module docstring


def test_except_audit_error_around_a_log_call_lets_case_errors_through() -> None:
    def log_then_store() -> None:
        try:
            raise CaseStoreUnavailable("case store failed to create a case")
        except AuditError:  # what callers write around an audit-log call
            pytest.fail("a case error was swallowed as an audit error")

    with pytest.raises(CaseStoreUnavailable):
        log_then_store()


RESPONSES: list[tuple[CaseError, int, str, str]] = [
    (CaseMessageEmpty("empty"), 422, "empty_message", "Skriv vad som är fel innan du skickar."),
    (CaseMessageTooLong(2000), 413, "message_too_long", "Meddelandet är för långt. Skriv högst 2000 tecken."),
    (
        MalformedAuditId("x"),
        422,
        "invalid_audit_id",
        "Svar-ID:t har fel form. Det ser ut ungefär så här: KS-7K3M9Q2X4B.",
    ),
    (InvalidIdempotencyKey("x"), 422, "invalid_request", "Fel i förfrågan: idempotency_key"),
    (
        InvalidContact("contact.email", "email_invalid"),
        422,
        "invalid_contact",
        "Fel i fältet contact.email: e-postadressen ser inte giltig ut. Skriv den som namn@exempel.se.",
    ),
    (
        InvalidContact("contact.email", "email_missing"),
        422,
        "invalid_contact",
        "Fel i fältet contact.email: skriv en e-postadress som namn@exempel.se.",
    ),
    (
        InvalidContact("contact.phone", "phone_invalid"),
        422,
        "invalid_contact",
        "Fel i fältet contact.phone: telefonnumret ser inte giltigt ut. Skriv det som 070-123 45 67.",
    ),
    (
        InvalidContact("contact", "phone_missing"),
        422,
        "invalid_contact",
        "Fel i fältet contact: skriv ett telefonnummer som 070-123 45 67.",
    ),
    (
        VaultValueUnavailable("x"),
        422,
        "value_unavailable",
        "Kontaktuppgiften finns inte längre kvar. Skriv den igen.",
    ),
    (
        AnswerNotFound("x"),
        404,
        "answer_not_found",
        "Det finns inget svar med det Svar-ID:t. Kontrollera att du har skrivit av det rätt.",
    ),
    (CaseUnknown("x"), 404, "case_not_found", "Ärendet finns inte."),
    (
        CaseStepNotAllowed("x"),
        409,
        "step_not_allowed",
        "Det går inte att göra så med ärendet i dess nuvarande status.",
    ),
    (
        IdempotencyConflict("x"),
        409,
        "idempotency_conflict",
        "Den här begäran har redan skickats för ett annat svar. Ladda om sidan och försök igen.",
    ),
    (
        CaseStoreDown("cases"),
        503,
        "service_unavailable",
        "Det går inte att registrera ärenden just nu. Försök igen om en stund, eller ring kontaktcenter.",
    ),
]


@pytest.mark.parametrize(("exc", "status", "code", "message"), RESPONSES, ids=lambda v: str(v)[:30])
def test_workflow_errors_keep_their_responses(exc: CaseError, status: int, code: str, message: str) -> None:
    assert case_response(exc) == (status, code, message)


@pytest.mark.parametrize(
    "exc",
    [
        CaseNotFound("no outbox message 9"),
        InvalidTransition("reply", "resolved"),
        CaseStoreUnavailable("down"),
        ContactKeyError("bad key"),
        CaseStoreError("x"),
        CaseError("x"),
    ],
)
def test_store_errors_stay_unexpected(exc: CaseError) -> None:
    assert case_response(exc) is None  # the workflow translates them; one that escapes is a 500


def test_a_store_error_that_escapes_is_a_500(case_env: Any, staff_client: Any) -> None:
    client = staff_client("staff")
    page = client.get("/staff/outbox")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/staff/outbox/999", data={"csrf_token": token, "step": "sent"})
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "Något gick fel. Försök igen om en stund."}
    }


def test_a_failing_case_store_is_503_even_when_the_audit_log_works(case_env: Any) -> None:
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    case_env.store.close()
    case_env.store.engine = _broken_engine()
    response = client.post(
        "/api/cases", json=with_token({"audit_id": answer["audit_id"], "message": "Fel svar."})
    )
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "service_unavailable"


def _broken_engine() -> Any:
    from sqlalchemy import create_engine

    return create_engine("sqlite:////nonexistent-folder/cases.db")
