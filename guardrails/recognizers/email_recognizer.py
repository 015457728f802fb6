"""E-mail addresses (``EMAIL_ADDRESS``), offline.

Presidio's ``EmailRecognizer`` validates the domain with ``tldextract.extract``, whose default
extractor fetches the Public Suffix List from the network on first use (and caches it under the
user's home). We keep Presidio's pattern and use an extractor that reads only the snapshot bundled
with ``tldextract``: no network, no cache file.
"""

from __future__ import annotations

import functools

import tldextract
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer as PresidioEmailRecognizer

from guardrails.recognizers.base import LANGUAGE


@functools.cache
def offline_tld_extractor() -> tldextract.TLDExtract:
    """Return a ``TLDExtract`` that uses only the bundled suffix-list snapshot."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class EmailRecognizer(PresidioEmailRecognizer):
    """Find e-mail addresses whose domain ends in a known public suffix."""

    ENTITY = "EMAIL_ADDRESS"
    CONTEXT = ["e-post", "epost", "mejl", "mail", "email", "e-mail", "adress"]

    def __init__(self) -> None:
        """Build the recognizer with Presidio's pattern and Swedish context words (language ``sv``)."""
        super().__init__(
            context=list(self.CONTEXT), supported_language=LANGUAGE, supported_entity=self.ENTITY
        )

    def load(self) -> None:
        """Load the bundled suffix list now rather than on the first message."""
        offline_tld_extractor()("example.se")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's analysis; a local part never reaches back over a "/".

        RFC 5322 allows "/" in a local part, but in a chat message it separates fields
        ("lisa hed/0706-77 41 28/lisahed@gmail.com"): taken into the address, the phone number's last
        group would be redacted as e-mail and the rest of the number left behind.
        """
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            slash = text.rfind("/", result.start, text.find("@", result.start, result.end))
            if slash >= 0:
                result.start = slash + 1
        return [r for r in results if r.start < r.end and text[r.start] != "@"]

    def validate_result(self, pattern_text: str) -> bool:
        """Return whether the domain has a public suffix (``anna@foo.se`` yes, ``a@b.invalidtld`` no)."""
        return offline_tld_extractor()(pattern_text.rsplit("@", 1)[-1]).fqdn != ""
