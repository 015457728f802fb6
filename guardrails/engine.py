"""Build Presidio's ``AnalyzerEngine`` for Swedish without any spaCy pipeline.

Our recognizers are all self-contained (patterns with checksums, and the PERSON recognizer that loads
its own NER model), so the analyzer gets Presidio's ``NoOpNlpEngine``: no model download, no tokenising
of every message twice. Presidio's lemma-based context enhancer cannot work without tokens, so it is
replaced by a pass-through; each recognizer checks its own context words (``recognizers/base.py``).
"""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine

LANGUAGE = "sv"


class PassThroughEnhancer(ContextAwareEnhancer):
    """Context enhancer that leaves scores alone (recognizers apply their own context)."""

    def __init__(self) -> None:
        """Create the enhancer; Presidio's window parameters are unused."""
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Return the results unchanged."""
        return raw_results


def build_analyzer(recognizers: list[EntityRecognizer], score_threshold: float) -> AnalyzerEngine:
    """Return an analyzer for language ``sv`` that runs exactly ``recognizers``."""
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    nlp_engine = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=score_threshold,
        context_aware_enhancer=PassThroughEnhancer(),
    )
