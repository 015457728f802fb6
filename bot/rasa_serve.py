"""Rasa's own command line, run in the Rasa venv (Python 3.10), with one measured fix.

``python -m bot.rasa_serve run …`` takes exactly the arguments of ``rasa run …``.

The fix: Rasa 3.6 checks every reply of the action server with ``jsonschema.validate(reply, spec)``,
which first validates the *schema itself* against the JSON Schema meta-schema, on every call. Profiled
under load (py-spy, docs/performance.md) that meta-check was a third of the Rasa process's CPU. Here the
schema is checked once at start and a validator built from it checks every reply: the same schema,
the same best-matching error and message, without repeating the meta-check. Nothing else of Rasa changes;
our input channel and tracker store (``bot/rasa_channel.py``) are loaded through Rasa's own settings.

This module imports only the standard library, jsonschema and Rasa, which the Rasa venv has.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def install_cached_reply_validator() -> None:
    """Replace ``RemoteAction._validate_action_result`` with one that reuses a validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)
    validator = validator_class(spec)

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        if isinstance(error, ValidationError):
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
        raise error

    RemoteAction._validate_action_result = validate_action_result


def main(argv: list[str] | None = None) -> None:
    """Install the fix, then hand over to Rasa's command line with the same arguments."""
    install_cached_reply_validator()
    # Our channel and tracker store (bot/endpoints*.yml, bot/credentials.yml), imported here so that a
    # broken import stops Rasa at start: for an unknown store type Rasa would quietly keep conversations
    # in memory only.
    importlib.import_module("bot.rasa_channel")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
