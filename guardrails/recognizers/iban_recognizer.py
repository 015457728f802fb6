"""IBAN account numbers (``IBAN_CODE``): Presidio's recognizer (country formats + mod-97) for Swedish text."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IbanRecognizer as PresidioIbanRecognizer
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

from guardrails.recognizers.base import LANGUAGE, found_by

# An IBAN-shaped run: country code, check digits, then groups. Presidio's own pattern is greedy and
# runs on into a capitalised word after the number ("SE45 5000 … 7466 PLEASE" is read as "… 7466 PLEA"
# + "SE"), and its fallback then never tries the cut after "7466". Each country's IBAN has one fixed
# length (ISO 13616), so a word typed after it is never part of it: the run is cut back group by group.
# The same runs typed in lower case (the country code, and in countries whose account part holds letters
# the bank code too: "nl28 abna 0578 ..."; blind numbers set 5, half A) are upper-cased first (ASCII, so
# every offset stays).
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{1,4}){2,9}")
_GROUP_BREAK = re.compile(r"[ -]")
# ISO 13616: an IBAN is at most 34 characters; the shortest country format has 15.
_SHORTEST, _LONGEST = 15, 34


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
        """Run Presidio's IBAN analysis with IBAN-shaped runs upper-cased (same offsets)."""
        text = _CANDIDATE.sub(lambda m: m.group().upper(), text)
        # Presidio annotates these parameters without Optional although its default is None.
        results: list[RecognizerResult] = super().analyze(
            text,
            entities,
            nlp_artifacts,  # type: ignore[arg-type]
            regex_flags,  # type: ignore[arg-type]
        )
        found = [(r.start, r.end) for r in results]
        for start, end in self._cut_back(text, found):
            results.append(found_by(self, self.ENTITY, start, end, self.MAX_SCORE))
        return results

    def _cut_back(self, text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of IBANs that hold once the run is cut at its last group breaks (longest first).

        A run that begins inside an IBAN Presidio already found is not checked again; one that runs into
        such an IBAN ("SE45 … 7466 ELLER SE12 …": two IBANs with a word between) ends where it begins.
        """
        spans: list[tuple[int, int]] = []
        for match in _CANDIDATE.finditer(text):
            begin, stop = match.start(), match.end()
            if any(start <= begin < end for start, end in found):
                continue
            stop = min([stop] + [start for start, _ in found if begin < start < stop])
            run = text[begin:stop].rstrip(" -")
            breaks = [begin + b.start() for b in _GROUP_BREAK.finditer(run) if b.start() > 4]
            cuts = [begin + len(run), *breaks]
            for cut in sorted(set(cuts), reverse=True):
                # Only the whole run, or the run without a word typed after it, may be an IBAN of the
                # wrong length: a cut that drops digits would make a prefix of a mistyped number pass.
                whole = not any(ch.isdigit() for ch in text[cut : begin + len(run)])
                if self.validate_result(text[begin:cut]) or (whole and checks_out(text[begin:cut])):
                    spans.append((begin, cut))
                    break
        return spans


def checks_out(candidate: str) -> bool:
    """Whether ``candidate`` is an IBAN by its check digits, whatever its country's length.

    The mod-97 check (ISO 7064) is what makes an IBAN: a number typed with a digit too many or too few
    fails it, so a run that passes it but not its country's fixed length is still an account number
    written as an IBAN (a number from another source, or copied with its groups wrong), and is
    redacted: the check, not the length, is the evidence. The country code must be one that has IBANs.
    """
    compact = _GROUP_BREAK.sub("", candidate).upper()
    if not (_SHORTEST <= len(compact) <= _LONGEST) or compact[:2] not in regex_per_country:
        return False
    if not (compact[2:4].isdigit() and compact[4:].isalnum() and compact.isascii()):
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1
