"""Shared FastAPI dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.rasa_client import RasaClient
from bot.services.chat import ChatService


def chat_service(request: Request) -> ChatService:
    """The chat service built in the app's lifespan."""
    service: ChatService = request.app.state.chat_service
    return service


def rasa_client(request: Request) -> RasaClient:
    """The Rasa client built in the app's lifespan."""
    client: RasaClient = request.app.state.rasa
    return client


Chat = Annotated[ChatService, Depends(chat_service)]
Rasa = Annotated[RasaClient, Depends(rasa_client)]
