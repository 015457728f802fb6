"""Swedish person names for Presidio: a small trained spaCy NER pipeline plus cue and name-list rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from guardrails.ner.pipeline import DEFAULT_MODEL_DIR
from guardrails.settings import DEFAULT_SCORE_THRESHOLD

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

    from guardrails.ner.person import PersonFinder


class SePersonRecognizer(EntityRecognizer):
    """Recognise ``PERSON`` in Swedish (and English) chat messages.

    The recognizer runs its own pipeline (``guardrails/models/sv_ner``, built by
    ``python -m guardrails.ner.train``) on the text and ignores Presidio's NLP artifacts, so it works with
    any NLP engine. Only PER is reported; ORG/LOC/MISC from the model are not personal data.
    """

    NAME = "SePersonRecognizer"
    ENTITIES = ["PERSON"]
    COUNTRY_CODE = "se"
    MODEL_DIR: Path = DEFAULT_MODEL_DIR

    def __init__(
        self, model_dir: Path | None = None, score_threshold: float = DEFAULT_SCORE_THRESHOLD
    ) -> None:
        """Create the recognizer; Presidio's base class calls ``load()``, which loads the pipeline.

        ``score_threshold`` is the redactor's (``GuardrailSettings.score_threshold``): the person finder
        lets a found name anchor a list of names only when the name itself reaches it.
        """
        self._model_dir = model_dir or self.MODEL_DIR
        self._score_threshold = score_threshold
        self._finder: PersonFinder | None = None
        super().__init__(
            supported_entities=list(self.ENTITIES),
            name=self.NAME,
            supported_language="sv",
            version="0.1.0",
        )

    def load(self) -> None:
        """Load the spaCy pipeline and the name lexicon from the committed model directory.

        The words of the project's NLU examples and knowledge articles are tokenised once here, so that
        the tokenizer does not rebuild them for every message (they are the bot's text, not user text).

        Raises:
            guardrails.ner.errors.ModelMissingError: If the model directory or its lexicon is missing.
        """
        from guardrails.ner.errors import ModelMissingError
        from guardrails.ner.municipal import DEFAULT_KNOWLEDGE_DIR, DEFAULT_NLU_DIR
        from guardrails.ner.person import PersonFinder
        from guardrails.ner.tokens import project_lines

        if not (self._model_dir / "meta.json").is_file():
            raise ModelMissingError(
                f"Swedish NER pipeline not found at {self._model_dir}: run python -m guardrails.ner.train"
            )
        # The safety rules' words too: a danger verb after a relative ("mitt barn forsvann") must stay a
        # word, or redaction would hide the emergency from the safety check that reads the redacted text.
        # Not the examples copied from read evaluation sets: citizens' names in them would become words.
        # Nor the examples in other languages: their words are not Swedish or English words, and as words
        # of ours they hid names in Swedish messages (a name leaked in each of three blind chat sets).
        safety = sorted(
            path
            for path in DEFAULT_KNOWLEDGE_DIR.parent.glob("safety*.yml")
            if not path.stem.endswith(("_read_sets", "_languages"))
        )
        warm = project_lines((DEFAULT_NLU_DIR, DEFAULT_KNOWLEDGE_DIR, *safety))
        self._finder = PersonFinder.load(self._model_dir, warm_texts=warm, list_anchor=self._score_threshold)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return PERSON results for ``text``; ``nlp_artifacts`` is not used."""
        if entities and "PERSON" not in entities:
            return []
        if self._finder is None:
            self.load()
        assert self._finder is not None
        results = []
        for span in self._finder.find(text):
            explanation = AnalysisExplanation(
                recognizer=self.NAME,
                original_score=span.score,
                textual_explanation=f"Swedish person rules: {span.reason}",
            )
            results.append(
                RecognizerResult(
                    entity_type="PERSON",
                    start=span.start,
                    end=span.end,
                    score=span.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
