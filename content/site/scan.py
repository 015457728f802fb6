"""Personal data on a published page: the check that keeps such a page out of answers.

Municipal pages name public things (the town hall's address, the contact centre's number, a facility's
street) and may, by mistake, hold a private person's details (a decision pasted with a name and a phone
number). The redactor finds both; its public-value list drops the municipality's own contacts, and
addresses are left out here because a page's addresses are its facilities'.

Names need one more step. On chat messages the NER model is tuned for recall, and on formal page text
it takes capitalised service names for people ("Miljöenheten", "Hemtjänst Hjälp"). A page is flagged for
a name only when the span holds a word the name lexicon knows as a clear name (not also an ordinary
word), and is not one of the site's public terms (``public_terms.txt`` beside the pages: one phrase per
line, e.g. "Hesa Fredrik", the public warning signal). Every other finding flags the page.
This is the one place ``content`` uses ``guardrails`` (allowed in the import contracts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

PUBLIC_ON_PAGES = frozenset({"LOCATION"})
PUBLIC_TERMS_FILE = "public_terms.txt"

Scanner = Callable[[str], Counter[str]]


def load_public_terms(folder: Path) -> list[str]:
    """The phrases in ``folder/public_terms.txt`` (none when the file is missing); ``#`` starts a comment."""
    path = folder / PUBLIC_TERMS_FILE
    if not path.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def redactor_scanner(public_terms: Iterable[str] = ()) -> Scanner:
    """A scanner built on the guardrails' redactor, loaded at the first page that needs a check.

    Presidio and the Swedish NER model take seconds; a re-import with no changed page needs neither.
    """
    loaded: list[Any] = []
    public = {" ".join(t.casefold().split()) for t in public_terms}

    def scan(text: str) -> Counter[str]:
        if not loaded:
            from guardrails.ner.lexicon import NameLexicon
            from guardrails.ner.pipeline import DEFAULT_MODEL_DIR
            from guardrails.redactor import Redactor

            loaded.extend([Redactor.create(), NameLexicon.load(DEFAULT_MODEL_DIR)])
        redactor, lexicon = loaded
        return private_findings(text, redactor.scan(text), lexicon.is_clear_name, public)

    return scan


def private_findings(
    text: str,
    findings: Iterable[Any],
    is_clear_name: Callable[[str], bool],
    public: Collection[str] = frozenset(),
) -> Counter[str]:
    """The redactor's findings in published ``text`` that are personal data, counted by type.

    Addresses (``PUBLIC_ON_PAGES``) and the site's public terms are not; a name counts only when it holds
    a word ``is_clear_name`` knows as a name and not also as an ordinary word. The import check and the
    gateway's check of a website excerpt use this one rule, so an excerpt of a page the import accepted
    is not refused at the last step for a service word the NER model takes for a name.
    """
    found: Counter[str] = Counter()
    for finding in findings:
        value = text[finding.start : finding.end]
        if finding.type in PUBLIC_ON_PAGES or " ".join(value.casefold().split()) in public:
            continue
        if finding.type == "PERSON" and not any(is_clear_name(w.strip(".,:;")) for w in value.split()):
            continue
        found[finding.type] += 1
    return found
