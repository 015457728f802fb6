"""Input normaliser for the gateway: what a citizen message looks like before anything else sees it."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters except tab and newline; carriage returns go too (\r\n -> \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def normalise_input(text: str) -> str:
    """Return ``text`` in NFC with control characters (except ``\\n`` and ``\\t``) removed.

    Lone surrogates (possible in JSON ``\\ud800`` escapes) become U+FFFD so that the text can always be
    encoded as UTF-8 further down the path.
    """
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)
