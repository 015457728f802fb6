"""Starts the rasa-sdk action server with our actions and redacted JSON logging.

Run as ``python -m actions.server`` (the runner does). rasa-sdk has no host option; the runner sets
``SANIC_HOST=127.0.0.1`` so that it listens on loopback only.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from actions.settings import ActionSettings
from guardrails.log_setup import configure_logging

MAX_SAFETY_CHARS = 10_000


def main() -> None:
    """Configure logging, load the actions package and serve."""
    from rasa_sdk.endpoint import create_app
    from rasa_sdk.executor import ActionExecutor

    from guardrails.logging_filter import RedactingFilter
    from guardrails.redactor import Redactor

    settings = ActionSettings()
    configure_logging("action_server", settings.log_dir, RedactingFilter(Redactor.create()))
    executor = ActionExecutor()
    executor.register_package("actions")
    # Load content and policy now, so a broken file stops the start instead of a citizen's turn.
    from actions.common import (
        answer_engine,
        answer_policy,
        knowledge_base,
        safety_classifier,
        semantic_index,
        site_answerer,
    )

    knowledge_base()
    answer_policy()
    semantic_index()  # load the embedding model and article vectors now, not on a citizen's turn
    safety_classifier()  # embeds the emergency descriptions once
    answer_engine()  # the lexical index and the answers' vectors, before the first question
    site = site_answerer()
    if site is not None:
        site.index()  # the imported website's passage vectors (cached under var/semantic/)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    app = create_app(executor, cors_origins="")
    app.add_route(safety_route, "/safety", methods=["POST"])
    # One process: the redacting log handlers configured above stay in force (Sanic's worker
    # processes would start with a fresh logging configuration).
    app.run(host=host, port=settings.action_port, single_process=True, access_log=False, motd=False)


async def safety_route(request: Any) -> Any:
    """``POST /safety {"text": <redacted text>}`` → the gateway's safety verdict (``content.safety``)."""
    from sanic.response import json as json_response

    from actions.common import classify_safety

    body = request.json if isinstance(request.json, dict) else {}
    text = str(body.get("text") or "")[:MAX_SAFETY_CHARS]
    verdict = await asyncio.to_thread(classify_safety, text)
    return json_response(verdict.to_dict())


if __name__ == "__main__":
    main()
