"""The safety check: emergency and assessment cues, typo tolerance, the description rule's margin."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.paths import DEFAULT_DATA_DIR as DATA
from content.safety import Cue, SafetyClassifier, SafetyRules, SafetyVerdict, WordPattern, fold_tokens


@pytest.fixture(scope="module")
def rules() -> SafetyRules:
    return SafetyRules.load(DATA)


@pytest.fixture(scope="module")
def cues_only(rules: SafetyRules) -> SafetyClassifier:
    return SafetyClassifier(rules)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Det brinner i trapphuset!", "fire"),
        ("det brinner i koket", "fire"),
        ("HJÄLP DET BRINNER", "fire"),
        ("Our kitchen is on fire", "fire"),
        ("jag orkar inte mer, tänker ta livet av mig", "suicide_self_harm"),
        ("Jag vill inte leva längre", "suicide_self_harm"),
        ("i want to kill myself", "suicide_self_harm"),
        ("Mitt barn blir slaget hemma av sin pappa", "child_at_risk"),
        ("grannens barn far illa", "child_at_risk"),
        ("Min man slår mig, vad ska jag göra?", "violence_threat"),
        ("min man hotar att doda mig", "violence_threat"),
        ("my husband hits me", "violence_threat"),
        ("Min pappa har ramlat och blöder", "medical"),
        ("min mamma andas inte", "medical"),
        ("det luktar gas i trapphuset", "gas"),
        ("källaren står under vatten och vattnet stiger", "flooding"),
        ("min dementa mamma har försvunnit", "missing_person"),
    ],
)
def test_emergencies_are_recognised_by_their_cues(cues_only, text, category):
    verdict = cues_only.classify(text)
    assert verdict.urgent is not None, text
    assert verdict.urgent.category == category
    assert verdict.urgent.rule == "cue"
    assert verdict.assessment is None  # an emergency wins over everything


@pytest.mark.parametrize(
    "text",
    [
        "När är det eldningsförbud?",
        "Hur bokar jag sotning?",
        "Vem kontrollerar brandskyddet i skolan?",
        "Hur ansöker jag om hemtjänst?",
        "Vad kostar det att hämta grovsopor?",
        "Sopkärlet far iväg i blåsten",
        "hot dog-kiosk tillstånd",
        "Var slänger jag gamla knivar?",
        "Hur lång är handläggningstiden för bygglov?",
        "When is the library open?",
    ],
)
def test_ordinary_questions_are_not_emergencies(cues_only, text):
    assert cues_only.classify(text).urgent is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kan jag få hemtjänst?", True),
        ("Har jag rätt till försörjningsstöd?", True),
        ("har jag ratt till forsorjningsstod", True),
        ("Kommer min mamma få plats på äldreboende?", True),
        ("Beviljas jag färdtjänst om jag har dålig syn?", True),
        ("Blir mitt bygglov godkänt om jag bygger en altan?", True),
        ("Hur mycket får jag i försörjningsstöd?", True),
        ("Kvalificerar jag för bostadsanpassning?", True),
        ("Can I get financial assistance if I am unemployed?", True),
        ("Am I entitled to income support?", True),
        ("Will I be granted home care?", True),
        ("Vad är försörjningsstöd?", False),
        ("Hur ansöker jag om hemtjänst?", False),
        ("Får jag elda i trädgården?", False),
        ("Får jag parkera utanför min bostad?", False),
        ("Kan jag få veta när biblioteket öppnar?", False),
        ("jag har rätt att klaga", False),
    ],
)
def test_assessment_requests_are_recognised(cues_only, text, expected):
    verdict = cues_only.classify(text)
    assert (verdict.assessment is not None) is expected, text


def test_findings_name_the_rule_never_the_citizens_words(cues_only):
    verdict = cues_only.classify("Min man Kalle slår mig")
    assert verdict.urgent is not None
    assert "kalle" not in str(verdict.to_dict()).lower()
    assert SafetyVerdict.from_dict(verdict.to_dict()) == verdict


def test_cue_gaps_allow_at_most_three_words():
    cue = Cue.parse("slar ... mig")
    assert cue.find(fold_tokens("han slår och sparkar ofta mig")) is not None
    assert cue.find(fold_tokens("han slår på tv:n varje kväll och ringer mig")) is None


def test_alternatives_and_prefixes():
    pattern = WordPattern.parse("(barn*|son)")
    assert pattern.matches("barnen") and pattern.matches("son") and not pattern.matches("sonen")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["brinner", "misshandlar", "sjalvmord", "medvetslos", "forsvunnit"]), st.data())
def test_one_letter_typo_in_a_long_cue_word_still_matches(word, data):
    position = data.draw(st.integers(min_value=1, max_value=len(word) - 2))
    letter = data.draw(st.sampled_from("abcdefghijklmnoprstuvy"))
    typo = word[:position] + letter + word[position + 1 :]
    pattern = WordPattern.parse(word + ("*" if word == "misshandlar" else ""))
    assert pattern.matches(typo)
    dropped = word[:position] + word[position + 1 :]
    assert pattern.matches(dropped)


class _TableEncoder:
    """A test double: fixed unit vectors per text (the real encoder runs in the e2e and eval runs)."""

    def __init__(self, table: dict[str, np.ndarray], default: np.ndarray) -> None:
        self.table, self.default = table, default

    def embed_queries(self, texts):
        return np.stack([self.table.get(t, self.default) for t in texts])


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_description_rule_needs_similarity_and_a_margin_over_ordinary_questions(rules):
    described = {text for _, text in rules.descriptions()}
    emergency = _unit(1, 0, 0)
    encoder = _TableEncoder(dict.fromkeys(described, emergency), _unit(0, 0, 1))
    ordinary = np.stack([_unit(0, 1, 0)])
    classifier = SafetyClassifier(rules, encoder, ordinary)
    assert classifier.semantic
    close = _unit(1, 0.1, 0)  # near an emergency description, far from every ordinary question
    verdict = classifier.classify("något ovanligt hände hemma", lambda _text: close)
    assert verdict.urgent is not None and verdict.urgent.rule == "description"
    assert verdict.urgent.margin is not None and verdict.urgent.margin > rules.min_margin
    between = _unit(1, 1, 0)  # as near to an ordinary question as to the description: no margin
    assert classifier.classify("något ovanligt hände hemma", lambda _text: between).urgent is None
