"""A ``logging.Filter`` that redacts personal data from every record before a handler writes it.

Attach it to the *handlers* of the gateway and the action server (a filter on a logger does not see
records propagated from child loggers). The message is rendered (``record.getMessage()``), redacted and
stored back with ``args`` cleared; a formatted exception and stack are redacted too, as are string
values passed in ``extra=``. If redaction fails, the record's text is replaced, never passed through.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Protocol

from guardrails.redactor import RedactionResult

FAILED_MESSAGE = "[log message withheld: redaction failed]"
_DONE = "_kommunsvar_redacted"  # set on a record once redacted, so a second handler does not redo it
_CLEAN_CACHE_SIZE = 4096
_CLEAN_CACHE_MAX_CHARS = 256
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


class _Redacts(Protocol):
    def redact(self, text: str, conversation_id: str | None = None) -> RedactionResult: ...


class RedactingFilter(logging.Filter):
    """Redact personal data in log records (message, arguments, exception text, string extras).

    Args:
        redactor: A :class:`guardrails.redactor.Redactor` (anything with its ``redact`` method).
        name: Passed to :class:`logging.Filter`.
    """

    def __init__(self, redactor: _Redacts, name: str = "") -> None:
        """Keep the redactor; records emitted while redacting (by Presidio itself) are dropped."""
        super().__init__(name)
        self._redactor = redactor
        self._busy = threading.local()
        # Short strings in which the redactor found nothing (event names, topics, ids): they recur on
        # every turn, so they are remembered. Only text without findings is kept, never a value.
        self._known_clean: OrderedDict[str, None] = OrderedDict()
        self._cache_lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; return False only for records logged during redaction."""
        if getattr(self._busy, "active", False):
            return False
        if getattr(record, _DONE, False):
            return True
        self._busy.active = True
        try:
            record.msg = self._clean(_render(record))
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = self._clean(record.exc_text)
            # The exception object itself may carry values; the formatted text above replaces it.
            record.exc_info = None
            if record.stack_info:
                record.stack_info = self._clean(record.stack_info)
            for key, value in list(vars(record).items()):
                if key not in _STANDARD_ATTRIBUTES and isinstance(value, str):
                    setattr(record, key, self._clean(value))
            setattr(record, _DONE, True)
        finally:
            self._busy.active = False
        return True

    def _clean(self, text: str) -> str:
        if text in self._known_clean:
            return text
        try:
            redacted = self._redactor.redact(text).text
        except Exception:  # a log line must never leak because the redactor failed
            return FAILED_MESSAGE
        if redacted == text and len(text) <= _CLEAN_CACHE_MAX_CHARS:
            with self._cache_lock:
                self._known_clean[text] = None
                while len(self._known_clean) > _CLEAN_CACHE_SIZE:
                    self._known_clean.popitem(last=False)
        return redacted


def _render(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # bad format arguments: keep the template only
        return str(record.msg)
