"""Privacy guardrails of Kommunsvar: Swedish personal-data detection, redaction, vault, output guard.

Public API (see ``guardrails.redactor``)::

    from guardrails.redactor import Redactor, RedactionResult, Finding
    from guardrails.logging_filter import RedactingFilter
"""

from guardrails._lean_imports import import_presidio_lean

# Presidio must be imported before any submodule touches it, so that it does not load torch (see module).
import_presidio_lean()
