"""OpenAPI descriptions of the routes that read their JSON body themselves (``bot.api.body.read_json``).

FastAPI cannot see a body the route reads by hand, so the request schema and the error answers are
declared here: the documentation (development only) and the schema-driven fuzz test both use them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
ERRORS = {
    "400": "Not UTF-8 or not JSON",
    "404": "No such answer (or not yours)",
    "413": "Too long",
    "415": "Not application/json",
    "422": "A field is missing or wrong",
    "429": "Too many requests; see Retry-After",
    "503": "A part of the service cannot answer",
}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route whose body is ``model`` as JSON."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": model.model_json_schema(ref_template="#/$defs/{model}")}
            },
        }
    }


def error_responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """The error answers of a route, all in the one error shape."""
    return {
        code: {"description": ERRORS[code], "content": {"application/json": {"schema": ERROR_SCHEMA}}}
        for code in codes
    }
