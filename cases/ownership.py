"""Who may act on an answer: the one who got it (contests, feedback).

The chat reply gives a token beside each answer (an HMAC of its Svar-ID). A contest or a vote must carry
it; a missing or wrong token, or an answer of another conversation, is answered exactly like an unknown
Svar-ID, so the id alone neither lets anyone act on an answer nor tells whether it exists.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from audit.ids import normalise_audit_id
from cases.errors import AnswerNotFound, MalformedAuditId


def owned_record(
    audit_id: str,
    token: str | None,
    conversation_id: str | None,
    *,
    expected_token: Callable[[str], str] | None,
    pseudonym: Callable[[str], str] | None,
    audit_record: Callable[[str], dict[str, Any]],
) -> tuple[str, dict[str, Any]]:
    """(canonical Svar-ID, its audit record) when the caller owns the answer.

    Raises:
        MalformedAuditId: ``audit_id`` cannot be a Svar-ID.
        AnswerNotFound: no such answer, a wrong token, or an answer of another conversation.
    """
    canonical = normalise_audit_id(audit_id)
    if canonical is None:
        raise MalformedAuditId("malformed audit id")
    if expected_token is not None and not hmac.compare_digest(
        expected_token(canonical).encode(),
        (token or "").encode(),  # bytes: any text is safe to compare
    ):
        raise AnswerNotFound("no answer with this id and token")
    record = audit_record(canonical)
    if conversation_id and pseudonym and pseudonym(conversation_id) != record.get("conversation"):
        raise AnswerNotFound("answer of another conversation")  # do not reveal that it exists
    return canonical, record
