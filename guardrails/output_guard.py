"""Output guard: the bot's outgoing text must be approved content and carry no personal data.

Every answer comes from an approved response or knowledge article (ARCHITECTURE §6), so a bot message
is accepted when, after whitespace is normalised, it equals an approved text — or matches an approved
template whose ``{slot}`` parts (Rasa response variables) hold text without personal data. The message
is also re-scanned with the redactor: personal data that is not printed in the approved text itself
(the municipality's own phone numbers are) is a hit. Hits carry type and offsets, never values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from guardrails.redactor import Finding, Redactor

_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OutputHit:
    """Why a bot message may not be sent: ``not_approved_content`` or ``personal_data`` (with type)."""

    reason: str
    type: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, str | int | None]:
        """Return a JSON-ready dict (no values: safe for the audit trail)."""
        return {"reason": self.reason, "type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class OutputCheck:
    """The verdict on one bot message."""

    ok: bool
    hits: list[OutputHit] = field(default_factory=list)


class OutputGuard:
    """Checks bot messages against a fixed set of approved texts.

    Args:
        approved_texts: Every text the bot may say (responses and knowledge answers, all languages).
        redactor: The redactor used to re-scan messages.
    """

    def __init__(self, approved_texts: Iterable[str], redactor: Redactor) -> None:
        """Index the approved texts (exact texts in a set, ``{slot}`` templates as patterns)."""
        self._redactor = redactor
        self._exact: set[str] = set()
        self._templates: list[re.Pattern[str]] = []
        for text in approved_texts:
            normalised = _normalise(text)
            if _SLOT.search(normalised):
                self._templates.append(_template_regex(normalised))
            else:
                self._exact.add(normalised)

    def check(self, text: str) -> OutputCheck:
        """Return whether ``text`` may be sent, with the reasons if not."""
        normalised = _normalise(text)
        hits: list[OutputHit] = []
        approved = normalised in self._exact
        if approved:
            # A reviewed text, word for word: findings in it (the municipality's own numbers) are
            # skipped below anyway, so it is not scanned again on every turn.
            return OutputCheck(ok=True)
        slot_spans: list[tuple[int, int]] = []
        if not approved:
            for template in self._templates:
                match = template.fullmatch(normalised)
                if match:
                    approved = True
                    slot_spans = [match.span(i) for i in range(1, (match.lastindex or 0) + 1)]
                    break
        if not approved:
            hits.append(OutputHit("not_approved_content"))
        for finding in self._redactor.scan(normalised):
            if approved and not _inside_any(finding, slot_spans):
                continue  # printed in the approved text itself, e.g. the municipality's phone number
            hits.append(OutputHit("personal_data", finding.type, finding.start, finding.end))
        return OutputCheck(ok=not hits, hits=hits)


def check_output(text: str, approved_texts: Iterable[str], redactor: Redactor | None = None) -> OutputCheck:
    """Check one bot message against ``approved_texts`` (builds a guard each call; prefer OutputGuard)."""
    return OutputGuard(approved_texts, redactor or _default_redactor()).check(text)


@functools.cache
def _default_redactor() -> Redactor:
    return Redactor.create()


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _template_regex(template: str) -> re.Pattern[str]:
    parts = _SLOT.split(template)
    return re.compile("(.+?)".join(re.escape(part) for part in parts), re.DOTALL)


def _inside_any(finding: Finding, spans: list[tuple[int, int]]) -> bool:
    return any(start < finding.end and finding.start < end for start, end in spans)
