"""IBAN account numbers (``IBAN_CODE``): Presidio's recognizer (country formats + mod-97) for Swedish text."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IbanRecognizer as PresidioIbanRecognizer

from guardrails.recognizers.base import LANGUAGE

# A country code typed in lower case ("se45 5000 ..."): only these two letters are upper-cased, which
# keeps every offset and leaves the words around the IBAN alone.
_LOWER_COUNTRY = re.compile(r"(?<![A-Za-z])([a-z]{2})(?=\d{2} ?[0-9A-Za-z]{4})")


class IbanRecognizer(PresidioIbanRecognizer):
    """Find IBANs (``SE45 5000 0000 0583 9825 7466``, also typed in lower case) whose mod-97 check holds."""

    ENTITY = "IBAN_CODE"
    CONTEXT = ["iban", "konto", "kontonummer", "bankkonto", "account"]

    def __init__(self) -> None:
        """Build Presidio's IBAN recognizer with Swedish context words (language ``sv``)."""
        super().__init__(
            context=list(self.CONTEXT), supported_language=LANGUAGE, supported_entity=self.ENTITY
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Run Presidio's IBAN analysis with lower-case country codes upper-cased (same offsets)."""
        text = _LOWER_COUNTRY.sub(lambda m: m.group(1).upper(), text)
        # Presidio annotates these parameters without Optional although its default is None.
        return super().analyze(text, entities, nlp_artifacts, regex_flags)  # type: ignore[arg-type]
