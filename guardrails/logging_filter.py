"""A ``logging.Filter`` that redacts personal data from every record before a handler writes it.

Attach it to the *handlers* of the gateway and the action server (a filter on a logger does not see
records propagated from child loggers). The message is rendered (``record.getMessage()``), redacted and
stored back with ``args`` cleared; a formatted exception and stack are redacted too, as are the values
passed in ``extra=``: strings, and dicts, lists, tuples and sets at any depth (string keys included;
other objects by the text they would be written as). Nesting and size are bounded: what lies deeper or
beyond the budget is replaced by a marker, never written unredacted. If redaction fails, the record's
text is replaced, never passed through.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

from guardrails.redactor import RedactionResult

FAILED_MESSAGE = "[log message withheld: redaction failed]"
TOO_DEEP = "[log value withheld: nested too deep]"
TOO_LARGE = "[log value withheld: too large]"
MAX_DEPTH = 6  # containers inside containers, per extra
MAX_ITEMS = 1000  # strings, keys and containers redacted per record
MAX_CHARS = 100_000  # characters redacted per record, over all extras
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
        generated_ids: The exact form of ids the service generates itself (the audit id). A string that
            is wholly such an id holds no personal data and is written as it is: each id is new on every
            turn, so the cache of clean strings never saves its redaction, which cost a Presidio run per
            logged turn. Anything more than the id alone is redacted as usual.
    """

    def __init__(
        self, redactor: _Redacts, name: str = "", generated_ids: re.Pattern[str] | None = None
    ) -> None:
        """Keep the redactor; records emitted while redacting (by Presidio itself) are dropped."""
        super().__init__(name)
        self._redactor = redactor
        self._generated_ids = generated_ids
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
            budget = _Budget()
            for key, value in list(vars(record).items()):
                if key not in _STANDARD_ATTRIBUTES:
                    setattr(record, key, self._clean_value(value, 0, budget))
            setattr(record, _DONE, True)
        finally:
            self._busy.active = False
        return True

    def _clean_value(self, value: Any, depth: int, budget: _Budget) -> Any:
        """A copy of ``value`` with every string redacted; containers copied, bounded by ``budget``."""
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self._clean(value) if budget.take(len(value)) else TOO_LARGE
        if isinstance(value, Mapping | list | tuple | set | frozenset):
            if depth >= MAX_DEPTH:
                return TOO_DEEP
            if not budget.take(0):
                return TOO_LARGE
            if isinstance(value, Mapping):
                return self._clean_mapping(value, depth, budget)
            items: list[Any] = []
            for item in value:
                if budget.spent:
                    items.append(TOO_LARGE)
                    break
                items.append(self._clean_value(item, depth + 1, budget))
            return tuple(items) if isinstance(value, tuple) else items
        try:  # any other object is written as its text (``default=str``): redact that text
            text = str(value)
        except Exception:
            return FAILED_MESSAGE
        return self._clean(text) if budget.take(len(text)) else TOO_LARGE

    def _clean_mapping(self, value: Mapping[Any, Any], depth: int, budget: _Budget) -> dict[Any, Any]:
        cleaned: dict[Any, Any] = {}
        for key, item in value.items():
            if budget.spent:
                cleaned[TOO_LARGE] = TOO_LARGE
                break
            new_key: Any = key
            if not (key is None or isinstance(key, bool | int | float)):
                new_key = self._clean_value(key if isinstance(key, str) else str(key), depth, budget)
            if new_key in cleaned:  # two values redacted to one placeholder: keep both
                new_key = f"{new_key} ({len(cleaned) + 1})"
            cleaned[new_key] = self._clean_value(item, depth + 1, budget)
        return cleaned

    def _clean(self, text: str) -> str:
        if text in self._known_clean or (self._generated_ids and self._generated_ids.fullmatch(text)):
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


class _Budget:
    """How much more of one record's extras may be redacted (bounds the cost of a huge extra)."""

    __slots__ = ("chars", "items")

    def __init__(self) -> None:
        self.items = MAX_ITEMS
        self.chars = MAX_CHARS

    @property
    def spent(self) -> bool:
        return self.items <= 0 or self.chars < 0

    def take(self, chars: int) -> bool:
        """Account for one more string or container; False when the budget does not allow it."""
        if self.spent:
            return False
        self.items -= 1
        self.chars -= chars
        return self.chars >= 0


def _render(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # bad format arguments: keep the template only
        return str(record.msg)
