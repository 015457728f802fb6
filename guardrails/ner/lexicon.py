"""The name lexicon: first and last names, and the names that are also ordinary words.

Names come from Faker's ``sv_SE`` person provider (MIT licence; its data: first names from the Institute
for Language and Folklore (Isof) top-500 statistics, last names from the Swedish Tax Agency's top-500
list). Faker is a development dependency, so the training script writes the lexicon next to the trained
pipeline (``names.json``) and the runtime only reads that file.

Names that are also ordinary words come in two groups:

* ``ordinary_words`` — nouns and adjectives (``björn``, ``rosa``, ``sten``, ``ek``): a name only with a cue
  or when capitalised inside a sentence;
* ``function_words`` — very frequent words, months and verbs (``hans``, ``inga``, ``per``, ``maj``,
  ``ville``): a name only after a strong cue or when capitalised next to a cue.

Names of people in Sweden go well beyond the Swedish top 500: ``other_names`` adds the first and last
names of Faker's person providers for the languages of Sweden's largest groups born abroad and its
neighbours (Finnish, Polish, Turkish, Bosnian/Croatian/Serbian, Arabic and Somali names as written in
Latin script, German, Danish, Norwegian, Icelandic, Thai, Vietnamese, Nigerian, Kenyan, Chilean,
Colombian, Spanish, Italian, French, Dutch, English ...). They count as names next to a cue or when the
model finds them, never on their own, and a name that is also an ordinary Swedish or English word (seen
in lower case in the corpus, a stop word, a common English word) is left out. Since the lists are read
without accents, so is a name whose accent-free form is such a word ("Brá" would be "bra"), a word of the
Swedish Hunspell dictionary (``hunspell-sv``, read when the lexicon is built: the news corpus is small)
or a stop word of the Romance languages, Dutch, Icelandic or Vietnamese ("Una", "Día").
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guardrails.ner.errors import ModelMissingError

LEXICON_FILE = "names.json"

# Names (lower-case) that are ordinary Swedish or English nouns/adjectives.
ORDINARY_WORD_NAMES: frozenset[str] = frozenset(
    """
    björn rosa rose sten linnea linnéa viola iris liv stig lilja lily stella luna nova malva tindra tuva
    svea viking urban saga tilde vide ester green lina karl knut rut milan florence
    alm asp berg björk blixt ek blom borg brink bäck falk fors frid frisk gren grahn hall hammar hjort holm
    hult hägg kling kvist lind linde ljung lund lönn löf malm modig nord palm pihl rask roos skog skoog
    sköld stark steen storm strand strid ström svahn svärd wall wester
    """.split()
)

# Names (lower-case) that are frequent function words, verbs, months or weekday abbreviations, and English
# contractions typed without their apostrophe ("theres" for "there's"; of all of them only it is a name).
FUNCTION_WORD_NAMES: frozenset[str] = frozenset(
    """
    hans inga inge mina ville klara per dag dan bo del tom my max maj juni august lova love rita said
    may mark bill else frank fred bror tage kaj kai uno junior lucia tina linda ana ben gun jack ted
    jean sam edit rune tor li thi lo jan tim dick sanna inger
    theres
    """.split()
)


# Letters that a name keeps when it is compared without its accents: the Swedish å, ä and ö are letters of
# their own. Others that Unicode does not decompose get their usual Latin spelling.
_KEEP_LETTERS = frozenset("åäö")
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "ö", "æ": "ä", "đ": "d", "ß": "ss", "þ": "th"})


def fold_name(word: str) -> str:
    """``word`` in lower case without accents other than å, ä and ö: "Petrović" -> "petrovic".

    People write their names with and without the accents of the language they come from ("Matías",
    "matias", "Çağla", "cagla"), so the lists are compared in this form too.
    """
    low = word.lower()
    if _ALREADY_FOLDED.fullmatch(low):  # nearly every word: nothing to fold (a third of a long message's
        return low  # redaction time went to folding them one letter at a time)
    return _fold_accents(low)


_ALREADY_FOLDED = re.compile(r"[a-zåäö0-9\-' .]*")
_MEMO_SIZE = 65536  # remembered answers per memo between two calls of forget (a bound on memory)


def remember(memo: dict[Any, bool], key: Any, answer: bool) -> bool:
    """Keep ``answer`` under ``key`` in ``memo`` (emptied first when full) and return it."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = answer
    return answer


@functools.lru_cache(maxsize=16384)
def _fold_accents(low: str) -> str:
    out = []
    for ch in low.translate(_PLAIN_LETTERS):
        if ch in _KEEP_LETTERS:
            out.append(ch)
        else:
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(out)


def _folded(names: frozenset[str], words: frozenset[str]) -> frozenset[str]:
    """The accent-free forms of ``names`` that are not already names, nor one of ``words``."""
    return frozenset(f for n in names if (f := fold_name(n)) != n and f not in names and f not in words)


@dataclass(frozen=True)
class NameLexicon:
    """Lower-cased name sets used by the person rules."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    ordinary_words: frozenset[str]
    function_words: frozenset[str]
    other_names: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        words = self.ordinary_words | self.function_words
        object.__setattr__(self, "_first_folded", _folded(self.first_names, words))
        object.__setattr__(self, "_last_folded", _folded(self.last_names, words))
        object.__setattr__(self, "_other_folded", _folded(self.other_names, words))
        # The rules ask about the same words many times over (a long message: tens of thousands of
        # lookups); the answers are remembered, within a bound, since the lists never change. The
        # person finder calls ``forget`` after each message, so no citizen's word stays in memory.
        object.__setattr__(self, "_memo", {})

    def forget(self) -> None:
        """Drop the remembered answers (the words they were about came from a citizen's message)."""
        self._memo.clear()  # type: ignore[attr-defined]
        _fold_accents.cache_clear()  # accented words: "matías", "çağla"

    def _in(self, word: str, names: frozenset[str], folded: str) -> bool:
        """Whether lower-case ``word`` is one of ``names``, also with or without its accents."""
        if word in names:
            return True
        memo: dict[tuple[str, str], bool] = self._memo  # type: ignore[attr-defined]
        key = (word, folded)
        known = memo.get(key)
        if known is None:
            plain = fold_name(word)
            known = remember(memo, key, plain in getattr(self, folded) or (plain != word and plain in names))
        return known

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (any case) is a known name, or a hyphenated pair of them.

        Accents other than å, ä and ö do not count: "matías" and "petrovic" are known as "matias" and
        "petrović".
        """
        memo: dict[tuple[str, str], bool] = self._memo  # type: ignore[attr-defined]
        known = memo.get((word, ""))
        if known is None:
            low = word.lower()
            parts = low.split("-")
            known = remember(
                memo,
                (word, ""),
                self._first(low)
                or self._last(low)
                or self._other(low)
                or (
                    len(parts) > 1
                    and (
                        all(self._first(p) or self._other(p) for p in parts)
                        or all(self._last(p) or self._other(p) for p in parts)
                    )
                ),
            )
        return known

    def is_other_name(self, word: str) -> bool:
        """Whether ``word`` is known only from the other-language name lists."""
        low = word.lower()
        return self._other(low) and not self._first(low) and not self._last(low)

    def is_first_name(self, word: str) -> bool:
        """Whether ``word`` is a known first name (or a hyphenated pair: "kjell-åke")."""
        parts = word.lower().split("-")
        return all(self._first(p) for p in parts)

    def _first(self, low: str) -> bool:
        return self._in(low, self.first_names, "_first_folded")

    def _last(self, low: str) -> bool:
        return self._in(low, self.last_names, "_last_folded")

    def _other(self, low: str) -> bool:
        return self._in(low, self.other_names, "_other_folded")

    def is_ambiguous(self, word: str) -> bool:
        """Whether ``word`` is a name that is also an ordinary or function word."""
        low = word.lower()
        return low in self.ordinary_words or low in self.function_words

    def is_clear_name(self, word: str) -> bool:
        """Whether ``word`` is a known name that is not also an ordinary word."""
        return self.is_name(word) and not self.is_ambiguous(word)

    def to_json(self) -> dict[str, list[str]]:
        """Return a JSON-serialisable dict with sorted lists."""
        return {
            "first_names": sorted(self.first_names),
            "last_names": sorted(self.last_names),
            "ordinary_words": sorted(self.ordinary_words),
            "function_words": sorted(self.function_words),
            "other_names": sorted(self.other_names),
        }

    def save(self, directory: Path, source: str) -> Path:
        """Write the lexicon as ``names.json`` into ``directory`` and return the file path."""
        path = directory / LEXICON_FILE
        payload = {"source": source, **self.to_json()}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> NameLexicon:
        """Read ``names.json`` from ``directory``.

        Raises:
            ModelMissingError: If the file is missing or unreadable.
        """
        path = directory / LEXICON_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelMissingError(f"name lexicon missing or unreadable: {path}") from exc
        return cls(
            first_names=frozenset(data["first_names"]),
            last_names=frozenset(data["last_names"]),
            ordinary_words=frozenset(data["ordinary_words"]),
            function_words=frozenset(data["function_words"]),
            other_names=frozenset(data.get("other_names", ())),
        )


def faker_names() -> tuple[list[str], list[str]]:
    """Return Faker ``sv_SE`` first names (male and female) and last names, in Faker's spelling.

    Raises:
        ModelMissingError: If Faker (a development dependency) is not installed.
    """
    try:
        from faker.providers.person.sv_SE import Provider
    except ImportError as exc:  # pragma: no cover - faker ships in the dev extras
        raise ModelMissingError("faker is needed to build the name lexicon: pip install -e '.[dev]'") from exc
    first = sorted(set(Provider.first_names_male) | set(Provider.first_names_female))
    return first, sorted(set(Provider.last_names))


# Faker person providers whose names (in Latin script) are common among people living in Sweden: the
# neighbours and the countries of birth of the largest groups born abroad (Statistics Sweden's table of
# the foreign-born population by country of birth: Finland, Poland, the former Yugoslavia, Turkey,
# Thailand, India, Germany, Chile, Romania, Vietnam, Iceland and the Nordic countries, Nigeria, Kenya,
# Colombia, Brazil, Spain, Italy, France, the Netherlands …), as far as Faker has a provider that writes
# their names in Latin letters. Syria, Iraq, Iran, Somalia, Afghanistan and Eritrea have none; their
# names come through the Arabic, Pakistani and Swahili providers and the model.
OTHER_NAME_LOCALES = (
    "fi_FI", "no_NO", "da_DK", "is_IS", "et_EE", "pl_PL", "lt_LT", "lv_LV", "de_DE", "hr_HR", "sl_SI",
    "hu_HU", "ro_RO", "tr_TR", "az_AZ", "uz_UZ", "fr_DZ", "en_PK", "en_IN", "en_TH", "vi_VN", "sw",
    "en_KE", "en_NG", "yo_NG", "ig_NG", "ha_NG", "es_CL", "es_CO", "es_ES", "pt_BR", "it_IT", "fr_FR",
    "nl_NL", "en_US", "en_GB",
)  # fmt: skip
# English last names are very often ordinary words (Brown, Cook, Wood): the last names of these are taken
# only when the English dictionary has no such word in lower case (Harris, Evans, Johnson are taken).
# (The Kenyan and Nigerian providers' last names are Kenyan and Nigerian ones: Otieno, Okonkwo.)
ENGLISH_LAST_NAMES = frozenset({"en_US", "en_GB", "en_IN", "en_PK"})
_LATIN_NAME = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]{2,})?")


# Languages whose names are often also frequent words ("Una", "Día", "Paz", "Fe"): a name that is one of
# their stop words (spaCy's lists) is left out, whichever locale it comes from.
_STOP_WORD_LANGUAGES = frozenset({"es", "pt", "it", "fr", "nl", "is", "vi"})


def foreign_stop_words() -> frozenset[str]:
    """Stop words (spaCy's) of :data:`_STOP_WORD_LANGUAGES` and English negations without the apostrophe.

    Accent-free, since the lists are read so. Messages come in many languages, so an Icelandic "Una" is
    left out for being a Spanish word, and a Dutch "Cant" for being "can't" typed on a phone.
    """
    import importlib

    # English negations as typed on a phone ("cant find him"); spaCy lists only the clitic "n't"
    words = {
        w + "t" for w in ("can", "don", "won", "isn", "aren", "wasn", "weren", "didn", "doesn", "couldn")
    }
    for language in sorted(_STOP_WORD_LANGUAGES):
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
        words.update(module.STOP_WORDS)
    return frozenset(fold_name(w) for w in words)


def other_language_names() -> set[str]:
    """First and last names (lower case, Latin script) of :data:`OTHER_NAME_LOCALES`."""
    import importlib

    names: set[str] = set()
    english_words = dictionary_words(ENGLISH_DICTIONARY)
    stop_words = foreign_stop_words()
    for locale in OTHER_NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):  # pragma: no cover - depends on the Faker version
            continue
        for attribute in ("first_names_male", "first_names_female", "first_names", "last_names"):
            values = getattr(provider, attribute, None)
            if not isinstance(values, (list, tuple, dict)):  # absent, or a property built per instance
                continue
            english_word = attribute == "last_names" and locale in ENGLISH_LAST_NAMES
            for name in values:
                if not _LATIN_NAME.fullmatch(name) or any(ord(c) >= 0x250 for c in name):
                    continue
                folded = fold_name(name)
                if folded not in stop_words and not (english_word and folded in english_words):
                    names.add(name.lower())
    return names


# The Swedish and English Hunspell dictionaries (Debian's hunspell-sv, "Den stora svenska ordlistan",
# LGPL-3.0, and hunspell-en-us, SCOWL, BSD-style), read when the lexicon is built; ``make train-ner``
# installs them.
SWEDISH_DICTIONARY = Path("/usr/share/hunspell/sv_SE.dic")
ENGLISH_DICTIONARY = Path("/usr/share/hunspell/en_US.dic")


def dictionary_words(path: Path) -> set[str]:
    """A Hunspell dictionary's words written in lower case (its capitalised entries are names), accent-free.

    Raises:
        ModelMissingError: If the dictionary is not installed.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the first line is the entry count
    except OSError as exc:
        raise ModelMissingError(
            f"dictionary missing at {path}: apt-get install hunspell-sv hunspell-en-us (make train-ner does)"
        ) from exc
    words = (line.split("/", 1)[0].strip() for line in lines)
    return {fold_name(word) for word in words if word.islower()}


def common_words(text_dirs: Iterable[Path] = ()) -> set[str]:
    """Ordinary words that must not count as names.

    Swedish and English stop words, Faker's common English words, and the words written in lower case
    in the project's own texts under ``text_dirs`` (NLU examples, knowledge articles: municipal Swedish).
    """
    from faker.providers.lorem.en_US import Provider as EnglishWords
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
    from spacy.lang.sv.stop_words import STOP_WORDS as SWEDISH_STOP_WORDS

    words = {w.lower() for w in (*EnglishWords.word_list, *ENGLISH_STOP_WORDS, *SWEDISH_STOP_WORDS)}
    for directory in text_dirs:
        for path in sorted(directory.rglob("*.yml")):
            text = path.read_text(encoding="utf-8", errors="replace")
            words.update(w for w in re.findall(r"[^\W\d_]+", text) if w.islower())
    return words


def build_lexicon(lowercase_corpus_words: Iterable[str] = (), text_dirs: Iterable[Path] = ()) -> NameLexicon:
    """Build the lexicon from Faker's names and the curated ordinary-word lists.

    Args:
        lowercase_corpus_words: Words seen in lower case outside entities in the training corpus; names
            among them are added to ``ordinary_words`` (unless already function words), and names of
            the other-language lists among them are left out.
        text_dirs: Folders of the project's own texts whose lower-case words are not names either.
    """
    first, last = faker_names()
    first_low = frozenset(n.lower() for n in first)
    last_low = frozenset(n.lower() for n in last)
    names = first_low | last_low
    corpus_words = set(lowercase_corpus_words)
    seen_as_word = {w for w in corpus_words if w in names}
    function = FUNCTION_WORD_NAMES & names
    ordinary = ((ORDINARY_WORD_NAMES & names) | seen_as_word) - function
    words = corpus_words | common_words(text_dirs) | ORDINARY_WORD_NAMES | FUNCTION_WORD_NAMES
    # The lists are read without accents ("brá" matches "bra", "skær" "skär"), so a name whose accent-free
    # form is a word is left out too; so is a name that the Swedish dictionary has as a word ("sol",
    # "matta", "kok": the news corpus is too small to hold every ordinary word).
    folded_words = {fold_name(w) for w in words} | dictionary_words(SWEDISH_DICTIONARY)
    other = frozenset(n for n in other_language_names() - names if fold_name(n) not in folded_words)
    return NameLexicon(first_low, last_low, frozenset(ordinary), frozenset(function), other)
