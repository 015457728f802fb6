"""Decides whether a citizen writes in Swedish or English (the two languages the bot answers in)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zåäöéü]+")
_ENGLISH = frozenset(
    "the is are was what when where how who why can could do does my i you your to of for in on with "
    "and or not want need please hello hi thanks thank bin garbage library card school permit apply "
    "parking water bill broken street light complaint appeal decision hours open opening person talk "
    "help care elderly child children preschool waste collected collection much cost get".split()
)
_SWEDISH = frozenset(
    "och är jag vill hur när var vad kan min mitt mina det att som på för med inte har ska till om en "
    "ett hej tack sopor soptunna bygglov förskola skola parkering vatten gatlampa klaga överklaga "
    "beslut öppettider prata människa hjälp hemtjänst äldreboende bibliotek lånekort hämtas kostar".split()
)


def detect_language(text: str, requested: str | None = None) -> str:
    """``requested`` when given, else ``en`` if the words are clearly English, else ``sv``."""
    if requested in ("sv", "en"):
        return requested
    lowered = text.lower()
    if any(ch in lowered for ch in "åäö"):
        return "sv"
    words = _WORD.findall(lowered)
    english = sum(w in _ENGLISH for w in words)
    swedish = sum(w in _SWEDISH for w in words)
    return "en" if english > swedish else "sv"
