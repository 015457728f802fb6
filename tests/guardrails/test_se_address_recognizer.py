"""LOCATION: street addresses with a number and postcodes; street or town names alone are not flagged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recognizer_helpers import found

from guardrails.recognizers.se_address_recognizer import SeAddressRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SeAddressRecognizer:
    return SeAddressRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jag bor på Storgatan 12B", ["Storgatan 12B"]),
        ("aspvägen 136A, lgh 1102 i stan", ["aspvägen 136A, lgh 1102"]),
        # any place name with a house number and a four-digit flat number is a home address
        ("Ola Berg, Solrosen 4 lgh 1103", ["Solrosen 4 lgh 1103"]),
        ("BOR PÅ MÅNSKENET 7B, LGH 1002 SEDAN MAJ", ["MÅNSKENET 7B, LGH 1002"]),
        ("vi har lgh 1203 på Kvarnen", []),
        ("Norra Kyrkogatan 3 B, 123 45 Exempelstad", ["Norra Kyrkogatan 3 B, 123 45 Exempelstad"]),
        ("Drottning Kristinas väg 4", ["Drottning Kristinas väg 4"]),
        ("lampan vid Björkallén 7 är trasig", ["Björkallén 7"]),
        # typed without å, ä and ö
        ("gatlampan pa plogvagen 6 ar trasig", ["plogvagen 6"]),
        ("boende pa ostra langgatan 21, ar i behov", ["ostra langgatan 21"]),
        ("Stänger simhallen 14 maj?", []),
        ("123 45 Exempelstad", ["123 45 Exempelstad"]),
        # a postcode alone is personal only in a personal statement or near a street address
        ("jag bor i SE-123 45", ["SE-123 45"]),
        ("jag bor i Majorna, postnummer 123 45", ["123 45"]),
        ("min adress har postnummer: 12345", ["12345"]),
        ("Jag bor på Storgatan 12B, postnummer 123 45", ["Storgatan 12B", "123 45"]),
        ("SE-123 45", []),
        ("postnummer 123 45", []),
        ("Postnummer: 12345", []),
        ("postnumret 41263 hör det till er?", []),
        ("vilken kommun har postnummer 412 63?", []),
        # a postcode after a street address belongs to the address, with or without a town
        ("Storgatan 1B, 12345", ["Storgatan 1B, 12345"]),
        ("Storgatan 1B, 123 45", ["Storgatan 1B, 123 45"]),
        ("Storgatan 1B, 123 45 Exempelstad", ["Storgatan 1B, 123 45 Exempelstad"]),
        ("storgatan 1b, 123 45 exempelstad", ["storgatan 1b, 123 45 exempelstad"]),
        ("Storgatan 1, 123 45 och sen", ["Storgatan 1, 123 45"]),
        # a town of two letters where the sentence ends ("Ed", "Ås"), in any case
        ("adress tallvägen 4, 668 30 ed. avstånd 6 km", ["tallvägen 4, 668 30 ed"]),
        ("TALLVÄGEN 4, 668 30 ED.", ["TALLVÄGEN 4, 668 30 ED"]),
        ("Storgatan 1, 123 45 om det går", ["Storgatan 1, 123 45"]),
        ("vi har flyttat till drottning kristinas väg 4", ["drottning kristinas väg 4"]),
        ("BOR PÅ OLOF PALMES GATA 12", ["OLOF PALMES GATA 12"]),
        ("jag är på väg 2 timmar", []),
        ("det kostar 350 00 öre", []),
        ("DET KOSTAR 350 00 ÖRE", []),
        ("Min adress är Parkgatan 5A, SE-123 46", ["Parkgatan 5A, SE-123 46"]),
        ("Aspvägen 136A, lgh 1102, 123 45 EXEMPELSTAD", ["Aspvägen 136A, lgh 1102, 123 45 EXEMPELSTAD"]),
        # a postcode next to a town name
        ("12345 Exempelstad", ["12345 Exempelstad"]),
        ("Exempelstad 123 45", ["Exempelstad 123 45"]),
        ("skicka till Upplands Väsby, 194 30", ["Upplands Väsby, 194 30"]),
        # not personal data: names alone, numbers that only look alike
        ("Storgatan", []),
        ("på vägen 2 gånger", []),
        ("Gatan 5", []),
        ("kostar 350 00", []),
        ("123 45", []),
        ("ring 0470-123 45", []),
        ("Exempelstad kommun", []),
        ("Ordernummer 12345", []),
        ("Postnummer 123 45", []),
        ("Hämtningen missades på Kvarngränd 6 i tisdags", ["Kvarngränd 6"]),
        ("Storgatan 12 och 12345 saker", ["Storgatan 12"]),
        ("012 34 Exempelstad", []),
        # a street named without a street word: a side or size word, a name, a house number
        ("slamtömningen på östra ängarna 4 blev inte gjord", ["östra ängarna 4"]),
        ("Vi bor på Lilla Torpet 12B, 123 45 Exempelstad", ["Lilla Torpet 12B, 123 45 Exempelstad"]),
        ("NEDRE BRUKET 3", ["NEDRE BRUKET 3"]),
        ("vi har varit på gamla stan 2 gånger", []),
        ("stora delar 2 och 3 av planen", []),
        ("lilla barnet 3 år behöver plats", []),
        ("norra delen 2026", []),
        # a contact card's address line, whatever the street is called
        (
            "BEGIN:VCARD\nADR;HOME:;;Via Roma 12;Torino;;10121;Italia\nEND:VCARD",
            ["Via Roma 12;Torino;;10121;Italia"],
        ),
        ("Vi har ADR-utbildning: farligt gods", []),
        # half A of blind PII set 13 (where people live): a street shortened to "g.", a side word shortened
        ("han bor på storg. 5. måste vi", ["storg. 5"]),
        ("Storg. 31 lgh 1402 sedan 1 dec", ["Storg. 31 lgh 1402"]),
        ("hämta mig på v. långgatan 19 imorgon", ["v. långgatan 19"]),
        ("det tar ung. 5 dagar", []),
        ("Parkering. 5 bilar får stå där", []),
        # the floor belongs to the address
        ("Kvarngatan 6 2 tr, 123 52 Exempelstad", ["Kvarngatan 6 2 tr, 123 52 Exempelstad"]),
        ("hundskall från lillgatan 3 nb, jag bor mitt emot", ["lillgatan 3 nb"]),
        ("The lady at Kungsgatan 33, 3rd floor feeds pigeons", ["Kungsgatan 33, 3rd floor"]),
        # a village or a farm and its number
        ("Soptunnan vid Bäckby 214 har inte tömts", ["Bäckby 214"]),
        ("Slamtömning på Norrgården 3: brunnen ligger bakom ladan", ["Norrgården 3"]),
        ("mätaren på lövåsen 11 snurrar", ["lövåsen 11"]),
        ("fastigheten Bäckby 1:4 ska styckas", []),
        ("kvarteret Norrgården 3 har en ny detaljplan", []),
        ("Hammarby 2–1 igår", []),
        ("Hammarby 3 poäng efter Norrby", []),
        ("bussen till Norrby 12:30", []),
        ("vi har bott i Täby 2 år", []),
        ("min baby 3 månader", []),
        # the number first, as in English
        (
            "My address is Apartment 3, 15 Hamngatan, 123 32 Exempelstad.",
            ["Apartment 3, 15 Hamngatan, 123 32 Exempelstad"],
        ),
        ("the house at 4 Lingonvägen needs a new meter", ["4 Lingonvägen"]),
        # addresses abroad
        ("his old address in Poland, ul. Długa 15/3, 80-831 Gdańsk.", ["ul. Długa 15/3, 80-831 Gdańsk"]),
        ("Address there: Rua das Flores 28, Lisboa", ["Rua das Flores 28"]),
        ("My new address is in Norway: Storgata 10, 0155 Oslo.", ["Storgata 10, 0155 Oslo"]),
        ("Hauptstraße 5, 10115 Berlin", ["Hauptstraße 5, 10115 Berlin"]),
        ("Nørregade 12 i København", ["Nørregade 12"]),
        ("Storgatan 5, 2019 Jag flyttade", ["Storgatan 5"]),
        ("åk via appen 3 gånger", []),
    ],
)
def test_table(recognizer: SeAddressRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


STREETS = [
    "Storgatan",
    "Aspvägen",
    "Lingonstigen",
    "Björkallén",
    "Kvarngränd",
    "Norra Kyrkogatan",
    "storgatan",
]
TOWNS = ["Exempelstad", "Upplands Väsby", "Borås", "Malmö", ""]


@given(
    street=st.sampled_from(STREETS),
    number=st.integers(1, 199),
    letter=st.sampled_from(["", "A", "B", " B", "c"]),
    postcode=st.integers(10_000, 98_499),
    spaced=st.booleans(),
    comma=st.booleans(),
    town=st.sampled_from(TOWNS),
)
def test_every_address_with_a_postcode_is_one_finding(
    recognizer: SeAddressRecognizer,
    street: str,
    number: int,
    letter: str,
    postcode: int,
    spaced: bool,
    comma: bool,
    town: str,
) -> None:
    code = f"{postcode:05d}"
    code = f"{code[:3]} {code[3:]}" if spaced else code
    address = f"{street} {number}{letter}{',' if comma else ''} {code}" + (f" {town}" if town else "")
    assert found(recognizer, f"Jag bor på {address}.") == [address]


@given(
    postcode=st.integers(10_000, 98_499), town=st.sampled_from([t for t in TOWNS if t]), before=st.booleans()
)
def test_every_postcode_next_to_a_town_is_found(
    recognizer: SeAddressRecognizer, postcode: int, town: str, before: bool
) -> None:
    code = f"{postcode:05d}"
    written = f"{town} {code[:3]} {code[3:]}" if before else f"{code[:3]} {code[3:]} {town}"
    assert found(recognizer, f"Skicka det till {written}, tack") == [written]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A postal address whose first line has no street word: a village, a farm, a block's name.
        ("Vi bor i Lillbyn 7, 914 91 Nordmaling sedan i våras.", ["Lillbyn 7, 914 91 Nordmaling"]),
        ("skicka beslutet till ödegården 3, 785 61 djura tack", ["ödegården 3, 785 61 djura"]),
        ("MIN ADRESS ÄR HÖGLUNDA 14B, 830 02 MÖRSIL", ["HÖGLUNDA 14B, 830 02 MÖRSIL"]),
    ],
)
def test_any_place_and_house_number_before_a_postcode_and_town(
    recognizer: SeAddressRecognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected


def test_a_label_before_a_postcode_is_no_address_line(recognizer: SeAddressRecognizer) -> None:
    assert found(recognizer, "Ange Order 4471, 123 45 Exempelstad på fakturan") == ["123 45 Exempelstad"]


def test_a_post_office_box_with_its_postcode_and_town_is_one_address(recognizer: SeAddressRecognizer) -> None:
    """A private box is where the person's post goes (half A of blind PII set 13: "Box 88" stayed)."""
    text = "Skicka blanketten till Box 45, 123 45 Exempelstad"
    assert found(recognizer, text) == ["Box 45, 123 45 Exempelstad"]
    assert found(recognizer, "ska jag skicka handlingarna till Box 1222 eller lämna dem?") == []


@pytest.mark.parametrize(
    "text",
    [
        "Jag föll på cykelleden 4 maj och bröt armen",  # a day of the month, not a house number
        "SKÅLEN 12 DECEMBER ÄR STÄNGD",
    ],
)
def test_a_number_before_a_month_is_a_date(recognizer: SeAddressRecognizer, text: str) -> None:
    assert found(recognizer, text) == []
