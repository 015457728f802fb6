"""The tokenizer config.yml names (bot/rasa_nlu.py), run with Rasa's own Python."""

from __future__ import annotations

from typing import Any

import pytest

SCRIPT = r"""
import json
from bot.rasa_nlu import CaseFoldingWhitespaceTokenizer as T
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

tokenizer = T({**T.get_default_config()})
turn = Message(data={TEXT: "Jag VILL klaga på Kommunen"})
tokenizer.process([turn])
example = Message(data={TEXT: "Jag vill klaga", "intent": "complaint"})
tokenizer.process_training_data(TrainingData([example]))
print(json.dumps({
    "turn_tokens": [t.text for t in turn.get(TOKENS_NAMES[TEXT])],
    "turn_offsets": [[t.start, t.end] for t in turn.get(TOKENS_NAMES[TEXT])],
    "turn_text": turn.get(TEXT),
    "training_tokens": [t.text for t in example.get(TOKENS_NAMES[TEXT])],
}))
"""


@pytest.fixture(scope="module")
def tokenized(in_rasa_venv) -> dict[str, Any]:
    """The script's result: one start of Rasa's Python for the module's tests."""
    return in_rasa_venv(SCRIPT)


def test_a_turns_words_are_lower_case_and_its_text_is_kept(tokenized) -> None:
    out = tokenized
    assert out["turn_tokens"] == ["jag", "vill", "klaga", "på", "kommunen"]
    assert out["turn_offsets"][4] == [18, 26]  # entity values are cut from the original text by offset
    assert out["turn_text"] == "Jag VILL klaga på Kommunen"  # the tracker, slots and audit keep it


def test_training_examples_are_tokenized_as_the_plain_tokenizer_does(tokenized) -> None:
    assert tokenized["training_tokens"] == ["Jag", "vill", "klaga"]
