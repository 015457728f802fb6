"""The set of recognizers the redactor runs, and which of them may see digit-collapsed text."""

from __future__ import annotations

import importlib
import logging

from presidio_analyzer import EntityRecognizer

from guardrails.recognizers.credit_card_recognizer import CreditCardRecognizer
from guardrails.recognizers.email_recognizer import EmailRecognizer
from guardrails.recognizers.iban_recognizer import IbanRecognizer
from guardrails.recognizers.ip_recognizer import IpRecognizer
from guardrails.recognizers.se_address_recognizer import SeAddressRecognizer
from guardrails.recognizers.se_bank_account_recognizer import SeBankAccountRecognizer
from guardrails.recognizers.se_bankgiro_recognizer import SeBankgiroRecognizer
from guardrails.recognizers.se_license_plate_recognizer import SeLicensePlateRecognizer
from guardrails.recognizers.se_personnummer_recognizer import SePersonnummerRecognizer
from guardrails.recognizers.se_phone_recognizer import SePhoneRecognizer
from guardrails.settings import GuardrailSettings

logger = logging.getLogger(__name__)

# Entity types whose recognizers also run on the view where digits split by single spaces or dots are
# joined ("1 9 9 0 0 1 0 1-1 2 3 4"). Only types with a checksum or a numbering-plan check qualify.
COLLAPSIBLE_TYPES = ("SE_PERSONNUMMER", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE")

# Module and class of the PERSON recognizer (the trained Swedish NER component).
PERSON_RECOGNIZER = ("guardrails.recognizers.se_person_recognizer", "SePersonRecognizer")


def build_recognizers(settings: GuardrailSettings) -> list[EntityRecognizer]:
    """Instantiate every recognizer (pattern recognizers load their resources here)."""
    recognizers: list[EntityRecognizer] = [
        SePersonnummerRecognizer(),
        EmailRecognizer(),
        SePhoneRecognizer(),
        IbanRecognizer(),
        CreditCardRecognizer(),
        IpRecognizer(),
        SeBankAccountRecognizer(),
        SeBankgiroRecognizer(),
        SeLicensePlateRecognizer(),
        SeAddressRecognizer(),
    ]
    if settings.enable_person_ner:
        person = _person_recognizer(settings.score_threshold)
        if person is not None:
            recognizers.append(person)
    return recognizers


def _person_recognizer(score_threshold: float) -> EntityRecognizer | None:
    """Return the NER-based PERSON recognizer, or None when it or its trained model is not there.

    ``score_threshold`` is the redactor's: a found name anchors a list only when it would be redacted.
    """
    module_name, class_name = PERSON_RECOGNIZER
    try:
        module = importlib.import_module(module_name)
        recognizer: EntityRecognizer = getattr(module, class_name)(score_threshold=score_threshold)
    except Exception as exc:  # missing module, missing model, half-built model: run without it
        logger.warning("guardrails.person_recognizer_unavailable", extra={"reason": type(exc).__name__})
        return None
    return recognizer
