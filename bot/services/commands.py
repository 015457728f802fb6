"""Which citizen messages Rasa may read as a command (``/intent{...}``), and what the rest become.

Rasa reads any message that starts with ``/`` as an intent with confidence 1.0, skipping the NLU. Our
buttons use that (``actions/common.py``): "Prata med en människa" sends ``/human_handoff``, "Menar du
…?" sends ``/<intent>{"article_id": "<id>"}``, "Lämna ett klagomål här" sends
``/complaint{"case_request": "complaint"}``. A citizen could also type ``/urgent_help{...}`` (the
emergency notice without an emergency, recorded as if the safety check had found one), ``/restart``
or any other intent. So only the shapes our buttons send pass as commands; any other text loses its
leading slashes and is read by the NLU like every other message (the audit records that text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

HANDOFF = "/human_handoff"
COMPLAINT = '/complaint{"case_request": "complaint"}'
_ARTICLE_CHOICE = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})$", re.DOTALL)
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_LEADING = re.compile(r"^[\s/]+")


class CommandGuard:
    """Lets our buttons' payloads through as commands; neutralises every other leading ``/``."""

    def __init__(self, choice_intents: Iterable[str]) -> None:
        self._choice_intents = frozenset(choice_intents)

    def is_button(self, text: str) -> bool:
        """Whether ``text`` is exactly what one of our buttons sends."""
        if text in (HANDOFF, COMPLAINT):
            return True
        match = _ARTICLE_CHOICE.match(text)
        if match is None or match["intent"] not in self._choice_intents:
            return False
        try:
            entities = json.loads(match["entities"])
        except ValueError:
            return False
        return (
            isinstance(entities, dict)
            and list(entities) == ["article_id"]
            and isinstance(entities["article_id"], str)
            and _ARTICLE_ID.match(entities["article_id"]) is not None
        )

    def citizen_text(self, text: str) -> str:
        """``text`` as Rasa should read it: a button's command, or plain text without leading slashes."""
        stripped = text.strip()
        if not stripped.startswith("/") or self.is_button(stripped):
            return text
        return _LEADING.sub("", stripped)
