"""Swedish bank account numbers (``SE_BANK_ACCOUNT``): clearing number + account number.

The check follows Bankgirot's "Bankernas kontonummeruppbyggnad": the clearing number tells the bank and
which check applies —

* ``type1_c1``: mod 11 over the clearing number's last 3 digits + the 7-digit account;
* ``type1_c2``: mod 11 over all 4 clearing digits + the 7-digit account;
* ``mod10``: Luhn over the account number (Nordea personkonto = a personnummer, Swedbank 8xxx,
  Plusgirot, several savings banks);
* ``mod11_9``: mod 11 over Handelsbanken's 9-digit account.

Swedbank's 8xxx clearing numbers carry a fifth (Luhn) digit: ``8327-9, 914 682 447-3``. A number whose
clearing number belongs to no bank, or that fails its bank's check, is not flagged. Without a separator
between clearing and account number the match needs a context word (``konto``, ``clearing``...).
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from guardrails.recognizers.base import ContextPatternRecognizer, luhn_valid, only_digits

_T1C1, _T1C2, _MOD10, _MOD11_9 = "type1_c1", "type1_c2", "mod10", "mod11_9"


class SeBankAccountRecognizer(ContextPatternRecognizer):
    """Find clearing + account numbers that pass their bank's check."""

    ENTITY = "SE_BANK_ACCOUNT"
    PATTERNS = [
        # Clearing (4 digits, or 8xxx-x), a separator, then the account number in digit groups.
        Pattern(
            "clearing_separated",
            r"(?<![\d\-])[1-9]\d{3}(?:-\d)?(?:, ?| ?- ?| )\d{1,4}(?:[ \-]?\d{1,4}){1,4}(?![\d\-])",
            0.5,
        ),
        # Clearing and account written together: only with context.
        Pattern("clearing_joined", r"(?<![\d\-])[1-9]\d{10,14}(?![\d\-])", 0.1),
    ]
    CONTEXT = [
        "konto",
        "kontonummer",
        "kontonr",
        "clearing",
        "clearingnummer",
        "bankkonto",
        "account",
        "bank",
    ]
    # (first clearing, last clearing, checks that may apply)
    CLEARING_RANGES: tuple[tuple[int, int, tuple[str, ...]], ...] = (
        (1100, 1199, (_T1C1,)),
        (1200, 1399, (_T1C1,)),
        (1400, 2099, (_T1C1,)),
        (2300, 2399, (_T1C2,)),
        (2400, 2499, (_T1C1,)),
        (3000, 3299, (_T1C1,)),
        (3300, 3300, (_MOD10,)),
        (3301, 3399, (_T1C1,)),
        (3400, 3409, (_T1C1,)),
        (3410, 3781, (_T1C1,)),
        (3782, 3782, (_MOD10,)),
        (3783, 3999, (_T1C1,)),
        (4000, 4999, (_T1C2,)),
        (5000, 5999, (_T1C1,)),
        (6000, 6999, (_MOD11_9,)),
        (7000, 7999, (_T1C1,)),
        (8000, 8999, (_MOD10,)),
        (9020, 9029, (_T1C2,)),
        (9040, 9049, (_T1C2,)),
        (9060, 9069, (_T1C1,)),
        (9100, 9109, (_T1C2,)),
        (9120, 9124, (_T1C1,)),
        (9130, 9149, (_T1C1,)),
        (9150, 9169, (_T1C2,)),
        (9170, 9179, (_T1C1,)),
        (9180, 9189, (_MOD10,)),
        (9190, 9199, (_T1C2,)),
        (9230, 9239, (_T1C1,)),
        (9250, 9259, (_T1C1,)),
        (9260, 9269, (_T1C2,)),
        (9270, 9279, (_T1C1,)),
        (9280, 9289, (_T1C1,)),
        (9300, 9349, (_MOD10,)),
        (9390, 9399, (_T1C2,)),
        (9400, 9449, (_T1C1,)),
        (9460, 9469, (_T1C1,)),
        (9470, 9479, (_T1C2,)),
        (9500, 9549, (_MOD10,)),
        (9550, 9569, (_T1C2,)),
        (9570, 9579, (_MOD10,)),
        (9580, 9589, (_T1C1,)),
        (9590, 9599, (_T1C2,)),
        (9630, 9639, (_T1C1,)),
        (9640, 9649, (_T1C2,)),
        (9660, 9669, (_T1C2,)),
        (9670, 9679, (_T1C2,)),
        (9680, 9689, (_T1C1,)),
        (9700, 9709, (_T1C2,)),
        (9750, 9759, (_T1C2,)),
        (9780, 9789, (_T1C2,)),
        (9960, 9969, (_MOD10,)),
    )
    _SWEDBANK_CLEARING = re.compile(r"^(8\d{3})-?(\d)\b")

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject numbers no bank would issue; accept valid separated ones outright.

        A valid number written without any separator keeps its low pattern score (None): only a
        context word lifts it over the threshold.
        """
        text = pattern_text.strip()
        if not any(self._passes(clearing, account) for clearing, account in self._readings(text)):
            return False
        return True if not text.isdigit() else None

    def _readings(self, text: str) -> list[tuple[str, str]]:
        digits = only_digits(text)
        readings = [(digits[:4], digits[4:])]
        swedbank = self._SWEDBANK_CLEARING.match(text)
        if swedbank and luhn_valid(swedbank.group(1) + swedbank.group(2)):
            readings.append((digits[:5], digits[5:]))
        elif digits.startswith("8") and len(digits) >= 6 and luhn_valid(digits[:5]):
            readings.append((digits[:5], digits[5:]))
        return readings

    def _passes(self, clearing: str, account: str) -> bool:
        checks = self._checks_for(int(clearing[:4]))
        if not checks or not account:
            return False
        return any(_check(name, clearing[:4], account) for name in checks)

    def _checks_for(self, clearing: int) -> tuple[str, ...]:
        for first, last, checks in self.CLEARING_RANGES:
            if first <= clearing <= last:
                return checks
        return ()


def _check(name: str, clearing: str, account: str) -> bool:
    if name == _T1C1:
        return len(account) == 7 and _mod11(clearing[1:] + account)
    if name == _T1C2:
        return len(account) == 7 and _mod11(clearing + account)
    if name == _MOD11_9:
        return len(account) == 9 and _mod11(account)
    if name == _MOD10:
        return 6 <= len(account) <= 10 and luhn_valid(account)
    return False


def _mod11(digits: str) -> bool:
    """Mod 11 with weights 1, 2, ..., 10 from the right (repeating), as banks use it."""
    total = sum(int(d) * (index % 10 + 1) for index, d in enumerate(reversed(digits)))
    return total % 11 == 0
