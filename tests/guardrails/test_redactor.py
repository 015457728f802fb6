"""The redactor: placeholders, offsets into the original text, public values, normalised disguises."""

from __future__ import annotations

import pytest

from guardrails.redactor import Finding, RedactionResult, Redactor, resolve_overlaps


def test_redacts_with_typed_numbered_placeholders_and_offsets_into_the_original(redactor: Redactor) -> None:
    text = "Hej! Ring 070-123 45 67 eller mejla anna.svensson@example.se. Pnr 19900101-1239."
    result = redactor.redact(text, conversation_id="conv-offsets")
    assert result.text == "Hej! Ring <PHONE_1> eller mejla <EMAIL_1>. Pnr <PERSONNUMMER_1>."
    assert [(text[f.start : f.end], f.type) for f in result.findings] == [
        ("070-123 45 67", "PHONE_NUMBER"),
        ("anna.svensson@example.se", "EMAIL_ADDRESS"),
        ("19900101-1239", "SE_PERSONNUMMER"),
    ]
    assert result.counts() == {"PHONE_NUMBER": 1, "EMAIL_ADDRESS": 1, "SE_PERSONNUMMER": 1}
    assert all(f.score >= 0.5 for f in result.findings)


def test_same_value_same_placeholder_across_turns_and_vault_reveal(redactor: Redactor) -> None:
    first = redactor.redact("Mitt nummer är 070-123 45 67", conversation_id="conv-turns")
    second = redactor.redact("Jag sa 0701234567, och 08-123 456 78", conversation_id="conv-turns")
    assert first.text == "Mitt nummer är <PHONE_1>"
    assert second.text == "Jag sa <PHONE_1>, och <PHONE_2>"
    assert redactor.vault.reveal("conv-turns", "<PHONE_2>", "case_contact") == "08-123 456 78"
    assert [u.purpose for u in redactor.vault.uses("conv-turns")] == ["case_contact"]


def test_without_conversation_numbers_locally_and_keeps_nothing(redactor: Redactor) -> None:
    result = redactor.redact("a@example.se b@example.se a@example.se")
    assert result.text == "<EMAIL_1> <EMAIL_2> <EMAIL_1>"


def test_clean_text_is_returned_unchanged(redactor: Redactor) -> None:
    text = "När hämtas soporna på Storgatan? Dnr 2024-123, buss 4 kl 14.30, 1 500 kr."
    assert redactor.redact(text, "conv-clean") == RedactionResult(text, [])
    assert redactor.scan("") == []


def test_municipality_public_numbers_are_not_personal_data(redactor: Redactor) -> None:
    text = "Exempelstad: jag ringde växeln 0123-45 00 00, mejlade avfall@exempelstad.se, org.nr 212000-0142."
    assert redactor.scan(text) == []


@pytest.mark.parametrize(
    ("text", "disguised"),
    [
        ("pnr １９９００１０１－１２３９", "１９９００１０１－１２３９"),
        ("pnr 1990\u200b0101\u200d-1239", "1990\u200b0101\u200d-1239"),
        ("pnr \u202e19900101-1239\u202c", "19900101-1239"),
        ("ring ٠٧٠-١٢٣ ٤٥ ٦٧", "٠٧٠-١٢٣ ٤٥ ٦٧"),
        ("pnr 1 9 9 0 0 1 0 1 - 1 2 3 9 tack", "1 9 9 0 0 1 0 1 - 1 2 3 9"),
        ("pnr 19.90.01.01-12.39", "19.90.01.01-12.39"),
        ("ring 070\u00a0123\u00a045\u00a067", "070\u00a0123\u00a045\u00a067"),
        ("pnr 19900101\u20131239", "19900101\u20131239"),
    ],
)
def test_disguised_values_are_found_and_redacted_in_the_original(
    redactor: Redactor, text: str, disguised: str
) -> None:
    result = redactor.redact(text)
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert text[finding.start : finding.end] == disguised
    assert disguised not in result.text


def test_personal_data_at_the_end_of_a_maximum_length_message_is_found(redactor: Redactor) -> None:
    text = ("Jag undrar över sophämtningen. " * 400)[:9_980] + " 070-123 45 67"
    result = redactor.redact(text)
    assert result.text.endswith("<PHONE_1>")


def test_overlaps_keep_the_higher_score_then_the_type_priority() -> None:
    findings = [
        Finding(0, 13, "PHONE_NUMBER", 1.0),
        Finding(0, 13, "SE_PERSONNUMMER", 1.0),
        Finding(20, 30, "PERSON", 0.6),
        Finding(25, 35, "LOCATION", 0.9),
    ]
    assert resolve_overlaps(findings) == [findings[1], findings[3]]


def test_a_finding_inside_a_longer_one_gives_way() -> None:
    account = Finding(0, 15, "SE_BANK_ACCOUNT", 1.0)
    personnummer = Finding(5, 15, "SE_PERSONNUMMER", 1.0)
    street = Finding(20, 31, "LOCATION", 0.7)
    name = Finding(20, 25, "PERSON", 0.9)
    assert resolve_overlaps([personnummer, account, name, street]) == [account, street]


def test_finding_json_shape() -> None:
    assert Finding(1, 5, "PERSON", 0.85).to_dict() == {"start": 1, "end": 5, "type": "PERSON", "score": 0.85}


def test_overlapping_findings_of_one_type_become_one_over_both() -> None:
    from_base = Finding(5, 18, "PHONE_NUMBER", 1.0)
    from_collapsed = Finding(10, 25, "PHONE_NUMBER", 1.0)
    assert resolve_overlaps([from_collapsed, from_base]) == [Finding(5, 25, "PHONE_NUMBER", 1.0)]


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("ring mig på noll sju noll ett två tre fyra fem sex sju tack", "ring mig på <PHONE_1> tack"),
        ("call me on oh seven oh double one two three four five six", "call me on <PHONE_1>"),
        ("född 19900101, de fyra sista är 1239.", "född <PERSONNUMMER_1>."),
        ("mejla anna%40example.se", "mejla <EMAIL_1>"),
        ("pnr \u202e9321-10100991\u202c", "pnr \u202e<PERSONNUMMER_1>\u202c"),
        ("kort 4111 1111\n1111 1111 tack", "kort <CARD_1> tack"),
        # a number typed straight onto the word before it
        ("pnr940330-5510 tel0762119034", "pnr<PERSONNUMMER_1> tel<PHONE_1>"),
        ("TEL0709432211 RING EFTER LUNCH", "TEL<PHONE_1> RING EFTER LUNCH"),
        ("ring+46701234567", "ring<PHONE_1>"),
        ("kontonr8327-9 914 123 456-7", "kontonr<BANK_ACCOUNT_1>"),
        ("kort4111111111111111", "kort<CARD_1>"),
        # a form pasted without spaces
        ("Namn:Sofia Lund,Pnr:870916-4423", "Namn:<PERSON_1>,Pnr:<PERSONNUMMER_1>"),
        ("ärende BN20260877, v27", "ärende BN20260877, v27"),
        # loose spacing inside a number: a run of spaces or a tab, spaces around the hyphen
        ("Visa card: 4761  7390  0010  0127", "Visa card: <CARD_1>"),
        ("kort 4111\t1111\t1111\t1111", "kort <CARD_1>"),
        ("ring 070  312  45  88 efter tre", "ring <PHONE_1> efter tre"),
        ("pnr 19670415  -  2385", "pnr <PERSONNUMMER_1>"),
        ("konto 8327-9  914 203 771-3", "konto <BANK_ACCOUNT_1>"),
        ("IBAN SE45  5000  0000  0583  9825  7466", "IBAN <IBAN_1>"),
        ("kort 4111 - 1111 - 1111 - 1111", "kort <CARD_1>"),
        # … but two numbers apart stay two numbers, and a look-alike stays a look-alike
        ("faktura 12345  belopp 500 kr, kl 8 - 17", "faktura 12345  belopp 500 kr, kl 8 - 17"),
    ],
)
def test_hostile_forms_are_replaced_whole(redactor: Redactor, text: str, redacted: str) -> None:
    assert redactor.redact(text).text == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        # "my name is …" in the languages most spoken in Sweden after Swedish and English, in their scripts
        ("Меня зовут Иван Петров, мой телефон 070-123 45 67", "Меня зовут <PERSON_1>, мой телефон <PHONE_1>"),
        ("мене звати олена коваленко", "мене звати <PERSON_1>"),
        ("اسمي أحمد حسن ورقمي 0701234567", "اسمي <PERSON_1> ورقمي <PHONE_1>"),
        ("نام من مریم احمدی است", "نام من <PERSON_1> است"),
        ("ስመይ ሳባ ተስፋይ እዩ", "ስመይ <PERSON_1> እዩ"),
        ("me llamo maría garcía y vivo en Storgatan 5", "me llamo <PERSON_1> y vivo en <ADDRESS_1>"),
        ("nazywam się katarzyna nowak", "nazywam się <PERSON_1>"),
        ("magacaygu waa cabdi maxamed", "magacaygu waa <PERSON_1>"),
        ("с уважением, Ольга", "с уважением, <PERSON_1>"),
        # a relative, a neighbour or a title right before a name
        ("Моя соседка Вера Павловна жалуется на шум", "Моя соседка <PERSON_1> жалуется на шум"),
        ("سلام، پسرم آرش از ژانویه می‌رود", "سلام، پسرم <PERSON_1> از ژانویه می‌رود"),
        ("أريد مكانا لابني يوسف", "أريد مكانا لابني <PERSON_1>"),
        ("اسمي محمد بن عبدالله", "اسمي <PERSON_1>"),
        ("Mi vecino Pedro deja la basura", "Mi vecino <PERSON_1> deja la basura"),
        ("kurê min Ahmed nexweş e", "kurê min <PERSON_1> nexweş e"),
    ],
)
def test_names_introduced_in_other_languages_are_replaced(
    redactor: Redactor, text: str, redacted: str
) -> None:
    assert redactor.redact(text).text == redacted


def test_a_two_thousand_character_message_is_redacted_whole_and_fast(redactor: Redactor) -> None:
    import time

    sentence = "Hej, jag heter Anna Berg och min granne Ove ringer 070-123 45 67 om sopor. "
    text = (sentence * 30)[:2000]
    started = time.thread_time()
    result = redactor.redact(text)
    elapsed = time.thread_time() - started
    assert "070" not in result.text and "Ove" not in result.text
    assert elapsed < 0.5  # generous: the figure that counts is in scripts/eval_pii.py


def test_every_button_payload_of_the_content_survives_redaction(redactor: Redactor) -> None:
    """A "Menar du …?" button sends '/intent{"article_id": "…"}' back as the citizen's message.

    An article id made of words ("water-quality") once lost itself to a PERSON placeholder in this
    caseless text, and the chosen article became "no answer". Found by the reply-coverage e2e test.
    """
    import json
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    ids = [yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in root.glob("data/knowledge/*/*.yml")]
    assert len(ids) > 300
    payloads = ["/service_question" + json.dumps({"article_id": article_id}) for article_id in ids]
    changed = [p for p in payloads if redactor.redact(p).text != p]
    assert not changed


def test_a_read_message_leaves_none_of_its_values_in_the_recognizers_caches(redactor: Redactor) -> None:
    """The caches save work within one message; a citizen's number or name must not outlive it."""
    from guardrails.ner.lexicon import _fold_accents
    from guardrails.number_words import word_digits
    from guardrails.recognizers.se_phone_recognizer import is_valid_phone

    result = redactor.redact("Ring Matías på 070-123 45 67 eller sju noll två, tack", conversation_id=None)
    assert "070-123 45 67" not in result.text and "Matías" not in result.text
    assert is_valid_phone.cache_info().currsize == 0
    assert word_digits.cache_info().currsize == 0
    assert _fold_accents.cache_info().currsize == 0
