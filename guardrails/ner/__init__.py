"""Swedish named-entity recognition: training, evaluation and the person-name rules.

The trained pipeline lives in ``guardrails/models/sv_ner`` (built by ``python -m guardrails.ner.train``);
``guardrails.recognizers.se_person_recognizer.SePersonRecognizer`` uses it inside Presidio.
"""
