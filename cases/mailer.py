"""Sends replies to citizens by SMTP when it is configured; otherwise replies stay in the outbox."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from cases.settings import CasesSettings


class Mailer(Protocol):
    """Anything that can send one e-mail."""

    configured: bool

    def send(self, to: str, subject: str, body: str) -> None:
        """Send or raise (``OSError`` / ``smtplib.SMTPException``)."""


class OutboxOnly:
    """No SMTP configured: nothing is sent, the outbox keeps the message for staff."""

    configured = False

    def send(self, to: str, subject: str, body: str) -> None:
        """Never called for this mailer."""
        raise RuntimeError("SMTP is not configured")


class SmtpMailer:
    """Sends through an SMTP server with STARTTLS (unless switched off) and a timeout."""

    configured = True

    def __init__(self, settings: CasesSettings) -> None:
        """Keep the SMTP settings."""
        self._settings = settings

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one plain-text message."""
        s = self._settings
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(message)


def mailer_from_settings(settings: CasesSettings) -> Mailer:
    """SMTP when a host is set, otherwise the outbox only."""
    return SmtpMailer(settings) if settings.smtp_host else OutboxOnly()
