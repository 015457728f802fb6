"""Starts the rasa-sdk action server with our actions and redacted JSON logging.

Run as ``python -m bot.action_server``. rasa-sdk has no host option; the runner sets
``SANIC_HOST=127.0.0.1`` so that it listens on loopback only.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.logging_setup import configure_logging
from bot.settings import get_settings


def main() -> None:
    """Configure logging, load the actions package and serve."""
    from rasa_sdk.endpoint import create_app
    from rasa_sdk.executor import ActionExecutor

    from guardrails.logging_filter import RedactingFilter
    from guardrails.redactor import Redactor

    settings = get_settings()
    configure_logging("action_server", Path(settings.log_dir), RedactingFilter(Redactor.create()))
    executor = ActionExecutor()
    executor.register_package("actions")
    # Load content and policy now, so a broken file stops the start instead of a citizen's turn.
    from actions.common import answer_policy, knowledge_base, semantic_index

    knowledge_base()
    answer_policy()
    semantic_index()  # load the embedding model and article vectors now, not on a citizen's turn
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    app = create_app(executor, cors_origins="")
    # One process: the redacting log handlers configured above stay in force (Sanic's worker
    # processes would start with a fresh logging configuration).
    app.run(host=host, port=settings.action_port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
