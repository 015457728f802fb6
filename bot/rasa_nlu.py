"""Rasa NLU reads a message the same whatever its letter case.

Runs inside Rasa (the Rasa venv, Python 3.10), loaded by name from ``config.yml``; the gateway never
imports it.

Why: Rasa's default ``LexicalSyntacticFeaturizer`` gives DIET the case shape of every word (lower, title,
upper). Most held-out messages are typed in lower case, but a phone keyboard capitalises the first
letter, and with a capital first letter the intent changed for 28 % of the held-out messages (100 of
358): intent accuracy 87.2 % as typed, 63.7 % with the first letter capitalised, 62.6 % in capitals;
"Jag vill klaga på kommunen" was read as a service question, "jag vill klaga på kommunen" as a
complaint. Lower-casing every message before the featurizers gave 87.4 % (the same as typed).

So this tokenizer splits like Rasa's ``WhitespaceTokenizer`` and, when a message is processed (a
citizen's turn), lower-cases its text tokens. The text itself is not changed: the tracker, the slots (a
complaint's wording) and the audit record keep what the citizen wrote, and entity values are cut from
that text by their offsets. Training data is tokenized as before (``process_training_data``), so the
trained weights stay those of the plain tokenizer.
"""

from __future__ import annotations

from typing import List  # noqa: UP035 - Rasa's graph validation compares annotations with typing.List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class CaseFoldingWhitespaceTokenizer(WhitespaceTokenizer):  # type: ignore[misc]
    """``WhitespaceTokenizer`` whose tokens of a processed message are lower case."""

    def process(self, messages: List[Message]) -> List[Message]:  # noqa: UP006
        """Tokenize as the plain tokenizer does, then fold the case of the text's tokens."""
        processed: List[Message] = super().process(messages)  # noqa: UP006
        for message in processed:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                token.text = token.text.lower()
        return processed
