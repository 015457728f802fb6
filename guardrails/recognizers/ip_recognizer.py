"""IP addresses (``IP_ADDRESS``): Presidio's IPv4/IPv6 patterns, checked with ``ipaddress``."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import IpRecognizer as PresidioIpRecognizer

from guardrails.recognizers.base import LANGUAGE


class IpRecognizer(PresidioIpRecognizer):
    """Find IPv4 and IPv6 addresses."""

    ENTITY = "IP_ADDRESS"
    CONTEXT = ["ip", "ip-adress", "ipv4", "ipv6", "router", "dator"]

    def __init__(self) -> None:
        """Build Presidio's IP recognizer with Swedish context words (language ``sv``)."""
        super().__init__(
            context=list(self.CONTEXT), supported_language=LANGUAGE, supported_entity=self.ENTITY
        )
