"""Input normaliser of the gateway, and the detection views of hostile forms.

:func:`normalise_input` is what a citizen message looks like before anything else sees it (the gateway
stores and redacts that text). :func:`hostile_views` then gives the redactor extra views of it in which
a disguised value reads plainly; each view keeps offsets into the original text
(``guardrails.detection_text``), so redaction removes every original character of the value:

* visual order: text inside a right-to-left override (U+202E) is displayed reversed, so a number stored
  backwards looks right on screen; the view reverses it back;
* decoded: percent-encoding (``anna%40example.se``), HTML character references (``&#64;``) and written-out
  at-signs and dots (``anna(at)example(dot)se``, ``anna snabel-a example.se``);
* spelled digits: numbers in words (``guardrails.number_words``);
* collapsed digits: separators inside numbers removed (``collapse_digit_separators``);
* label and value: a space after the colon of a form pasted without spaces (``Namn:Sofia Lund``);
* unglued: a number typed straight after a word (``tel0701234567``, ``kontonr8327-9 …``,
  ``ring+46701234567``) gets a space before it, so the recognizers' word boundaries hold;
* loose spacing: two or more spaces or a tab between the digit groups of a number
  (``4761  7390  0010  0127``, pasted or typed twice), and spaces around a hyphen between digits
  (``850312 - 2384``, ``070 - 312 45 88``), read as the one space or bare hyphen they stand for.

:func:`split_personnummer_spans` finds a personnummer given as a birth date plus "de fyra sista är …".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from guardrails.detection_text import DetectionText, collapse_digit_separators, prepare
from guardrails.number_words import spelled_digits_views
from guardrails.recognizers.se_personnummer_recognizer import is_valid_personnummer

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


@dataclass(frozen=True)
class HostileView:
    """A view in which a disguised form reads plainly, and whether only checksum types may read it."""

    name: str
    view: DetectionText
    checksum_only: bool
    # Only these types read the view (None: as ``checksum_only`` says).
    types: tuple[str, ...] | None = None


# The types a number typed onto a word can be: what the unglued view is read for.
NUMBER_TYPES = (
    "SE_PERSONNUMMER",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "SE_BANK_ACCOUNT",
    "SE_BANKGIRO",
)


def hostile_views(text: str, base: DetectionText) -> list[HostileView]:
    """Return the extra views of ``text`` (``base`` is its :func:`prepare` view); usually none."""
    views: list[HostileView] = []
    if _RLO in text:
        visual = visual_order_view(text)
        if visual is not None:
            views.append(HostileView("visual_order", visual.excerpt(visual.changed), checksum_only=False))
    decoded = decoded_view(base)
    if decoded is not None:
        views.append(HostileView("decoded", decoded.excerpt(decoded.changed), checksum_only=False))
    digit_views = spelled_digits_views(base)
    for spelled in digit_views:
        views.append(HostileView("spelled_digits", spelled.excerpt(spelled.changed), checksum_only=True))
    labelled = label_view(base)
    if labelled is not None:  # every type: the value after the label may be a name
        views.append(HostileView("label_value", labelled.excerpt(labelled.changed), checksum_only=False))
    unglued = unglued_view(base)
    if unglued is not None:
        views.append(
            HostileView("unglued", unglued.excerpt(unglued.changed), checksum_only=False, types=NUMBER_TYPES)
        )
    tightened = tightened_view(base)
    if tightened is not None:
        views.append(
            HostileView("loose_spacing", tightened.excerpt(tightened.changed), False, types=NUMBER_TYPES)
        )
    for digits in digit_views or [base]:
        collapsed = collapse_digit_separators(digits)
        if collapsed is not None:
            excerpt = collapsed.excerpt(collapsed.changed)
            views.append(HostileView("collapsed_digits", excerpt, checksum_only=True))
    return views


# --- right-to-left override ----------------------------------------------------------------------

_RLO = "\u202e"
_EMBEDDING_OPENERS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
_PDF, _PDI = "\u202c", "\u2069"
_PARAGRAPH_END = frozenset("\n\u2029")
_MAX_DEPTH = 125  # the Unicode bidi algorithm's deepest explicit level


def visual_order_view(text: str) -> DetectionText | None:
    """Return the view of ``text`` in display order: what is inside U+202E … U+202C reads reversed.

    Only overrides reverse left-to-right characters (embeddings and isolates do not), so only U+202E is
    applied. Nesting follows the Unicode bidi algorithm's explicit levels; a paragraph end closes all.
    """
    order = _display_order(text)
    if order is None:
        return None
    reordered = "".join(text[i] for i in order)
    inner = prepare(reordered)
    starts, ends = inner.spans()
    original_starts = tuple(min(order[k] for k in range(s, e)) for s, e in zip(starts, ends, strict=True))
    original_ends = tuple(max(order[k] for k in range(s, e)) + 1 for s, e in zip(starts, ends, strict=True))
    moved = [i for i, k in enumerate(original_starts) if k != (original_starts[i - 1] + 1 if i else k)]
    changed = tuple((i, i + 1) for i in moved)
    return DetectionText(inner.text, original_starts, original_ends, len(text), False, changed)


@dataclass
class _Level:
    """An explicit embedding, override or isolate and what it holds (indices and nested levels)."""

    opener: str
    items: list[int | _Level]


def _display_order(text: str) -> list[int] | None:
    """Original indices in display order (bidi controls left out), or None when nothing is reversed."""
    root = _Level("", [])
    stack = [root]
    reversed_any = False
    for i, ch in enumerate(text):
        if ch in _EMBEDDING_OPENERS or ch in _ISOLATE_OPENERS:
            if len(stack) > _MAX_DEPTH:
                continue  # as in the bidi algorithm, openers beyond the deepest level do nothing
            level = _Level(ch, [])
            stack[-1].items.append(level)
            stack.append(level)
            reversed_any |= ch == _RLO
        elif ch == _PDF:
            if len(stack) > 1 and stack[-1].opener in _EMBEDDING_OPENERS:
                stack.pop()
        elif ch == _PDI:
            while len(stack) > 1 and stack[-1].opener not in _ISOLATE_OPENERS:
                stack.pop()
            if len(stack) > 1:
                stack.pop()
        elif ch in _PARAGRAPH_END:
            del stack[1:]
            root.items.append(i)
        else:
            stack[-1].items.append(i)
    if not reversed_any:
        return None
    out: list[int] = []
    _flatten(root, out)
    return out


def _flatten(level: _Level, out: list[int]) -> None:
    """Append the display order of ``level``: an override reverses what it holds, as a whole."""
    for item in reversed(level.items) if level.opener == _RLO else level.items:
        if isinstance(item, int):
            out.append(item)
        else:
            _flatten(item, out)


# --- encodings -------------------------------------------------------------------------------------

_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_HTML_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,12});")
_AT_WORD = re.compile(
    r"\s*[(\[{<]\s*(?:at|snabel-?a)\s*[)\]}>]\s*|\s+snabel-?a\s+|(?<=\w) at (?=[\w.-]+ dot \w)", re.I
)
_DOT_WORD = re.compile(
    r"\s*[(\[{<]\s*(?:dot|punkt)\s*[)\]}>]\s*|(?<=\w) dot (?=\w)|(?<=\w) punkt (?=\w)", re.I
)
_DECODE_TRIGGER = re.compile(r"%[0-9A-Fa-f]{2}|&#|&[A-Za-z]{2,12};|snabel|\b(?:at|dot|punkt)\b", re.I)


# A word of two or more letters typed straight onto a number of at least seven digits (what a phone,
# personnummer, account or card number has): "tel0701234567", "KONTONR8327-9 914 …", "ring+4670…".
# A single letter before digits is a code, not a word ("v27", "A1"); an IBAN's country code
# ("se45 5000 0000 …": two letters, then 14 or more digits) is read by the IBAN recognizer as it is.
_GLUED_NUMBER = re.compile(
    r"(?<=[^\W\d_]{2})(?=\+?\d(?:[ \-/.]?\d){6})(?!(?<=(?<![^\W\d_])[^\W\d_]{2})\d{2}(?: ?[0-9]{4}){3})"
)


# A form pasted without spaces: "Namn:Sofia Lund,Pnr:870916-4423": a label, a colon, then the value.
_GLUED_LABEL = re.compile(r"(?<=[^\W\d_]{2}):(?=[^\W\d_])")


def label_view(view: DetectionText) -> DetectionText | None:
    """Return ``view`` with a space after a colon typed straight between a label and its value."""
    edits = [(match.end(), match.end(), " ") for match in _GLUED_LABEL.finditer(view.text)]
    return view.edit(edits) if edits else None


# Loose spacing inside a number. Typographically, a run of spaces or a tab between two digit groups is
# one space, and a hyphen with spaces around it between digits is the hyphen of the number; a phone
# number, personnummer, account or card number written that way is the same number.
_LOOSE_GAP = re.compile(r"(?<=\d)(?: {2,}|[ \t]*\t[ \t]*)(?=\d)")
_SPACED_HYPHEN = re.compile(r"(?<=\d)(?:[ \t]+-[ \t]*|-[ \t]+)(?=\d)")


def tightened_view(view: DetectionText) -> DetectionText | None:
    """Return ``view`` with loose spacing inside numbers tightened, or None if there is none."""
    text = view.text
    if "  " not in text and "\t" not in text and " -" not in text and "- " not in text:
        return None
    edits = [(m.start(), m.end(), " ") for m in _LOOSE_GAP.finditer(text)]
    edits += [(m.start(), m.end(), "-") for m in _SPACED_HYPHEN.finditer(text)]
    return view.edit(edits) if edits else None


def unglued_view(view: DetectionText) -> DetectionText | None:
    """Return ``view`` with a space between a word and a number typed onto it, or None if none is."""
    edits = [(match.start(), match.start(), " ") for match in _GLUED_NUMBER.finditer(view.text)]
    return view.edit(edits) if edits else None


def decoded_view(view: DetectionText) -> DetectionText | None:
    """Return ``view`` with URL and HTML encodings decoded and written-out "@" and "." restored."""
    text = view.text
    if not _DECODE_TRIGGER.search(text):
        return None
    edits: list[tuple[int, int, str]] = []
    for match in _PERCENT_RUN.finditer(text):
        edits.extend(_percent_edits(match))
    for match in _HTML_REFERENCE.finditer(text):
        decoded = html.unescape(match.group())
        if decoded != match.group() and len(decoded) == 1:
            edits.append((match.start(), match.end(), decoded))
    for regex, replacement in ((_AT_WORD, "@"), (_DOT_WORD, ".")):
        for match in regex.finditer(text):
            edits.append((match.start(), match.end(), replacement))
    edits = _without_overlaps(edits)
    return view.edit(edits) if edits else None


def _percent_edits(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """One edit per decoded character, covering the ``%XX`` triplets of its UTF-8 bytes."""
    raw = bytes.fromhex(match.group().replace("%", ""))
    try:
        decoded = raw.decode("utf-8")
        widths = [len(ch.encode("utf-8")) for ch in decoded]
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
        widths = [1] * len(decoded)
    edits, position = [], match.start()
    for ch, width in zip(decoded, widths, strict=True):
        folded = unicodedata.normalize("NFKC", ch) if ch.isprintable() else " "
        edits.append((position, position + 3 * width, folded))
        position += 3 * width
    return edits


def _without_overlaps(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in sorted(edits):
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


# --- a personnummer given as a date and its last four ------------------------------------------------

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2, "mars": 3, "mar": 3,
    "march": 3, "april": 4, "apr": 4, "maj": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7,
    "jul": 7, "july": 7, "augusti": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH = "(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])(?::?e|:a|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:18|19|20)\d{2}|'?\d{2})"
_DATES = [
    # 19850312, 850312, 1985-03-12, 85 03 12; day + 60 for a samordningsnummer
    re.compile(
        r"(?<![\d-])(?P<year>(?:18|19|20)?\d{2})(?P<sep>[-./ ]?)(?P<month>0[1-9]|1[0-2])(?P=sep)"
        r"(?P<day>0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])(?![\d])"
    ),
    # 12.03.1985, 12/3/85, 12-03-1985
    re.compile(r"(?<![\d-])" + _DAY + r"[./-](?P<month>0?[1-9]|1[0-2])[./-]" + _YEAR + r"(?!\d)"),
    # 12 mars 1985, 1:a maj 1990, 12th of March 1985
    re.compile(r"(?i)(?<!\d)" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)"),
    # March 12, 1985
    re.compile(r"(?i)(?<![^\W\d_])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)"),
]
# "de fyra sista är 1234", "sista fyra: 1234", "last four digits 1234", "kontrollsiffror 1234"
_LAST_FOUR = re.compile(
    r"(?i)(?<![^\W\d_])(?:sista|last|final|slut|kontroll)[^\W\d_]*(?:[\s,:=–-]+(?:[^\W\d_]+|4)){0,4}?"
    r"[\s,:=–-]+(?P<serial>\d{4}|[TRSUWXJKLMN]\d{3})(?![\d])"
)
_WINDOW = 160


def split_personnummer_spans(view: DetectionText) -> list[tuple[int, int]]:
    """Return original spans from a birth date to its "last four" where together they are valid."""
    text = view.text
    spans = []
    for cue in _LAST_FOUR.finditer(text):
        serial = cue.group("serial").upper()
        lo, hi = max(0, cue.start() - _WINDOW), min(len(text), cue.end() + _WINDOW)
        dates = [m for regex in _DATES for m in regex.finditer(text, lo, hi) if not _inside(m, cue)]
        dates.sort(key=lambda m: min(abs(m.end() - cue.start()), abs(m.start() - cue.end())))
        for date in dates:
            birth = _birth_date(date)
            if birth and is_valid_personnummer(f"{birth}-{serial}"):
                start = min(date.start(), cue.start("serial"))
                end = max(date.end(), cue.end("serial"))
                spans.append(view.to_original(start, end))
                break
    return spans


def _inside(date: re.Match[str], cue: re.Match[str]) -> bool:
    return date.start() < cue.end() and cue.start("serial") < date.end()


def _birth_date(match: re.Match[str]) -> str | None:
    """``YYYYMMDD`` or ``YYMMDD`` of a date match (None when the year or month cannot be read)."""
    groups = match.groupdict()
    year = groups["year"].lstrip("'")
    month = groups.get("month") or _MONTHS.get((groups.get("month_name") or "").lower())
    if not month:
        return None
    return f"{year}{int(month):02d}{int(groups['day']):02d}"
