"""EMAIL_ADDRESS: addresses with a public suffix, validated offline."""

from __future__ import annotations

import socket

import pytest
from recognizer_helpers import found

from guardrails.recognizers.email_recognizer import EmailRecognizer, offline_tld_extractor


@pytest.fixture(scope="module")
def recognizer() -> EmailRecognizer:
    return EmailRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mejla anna.svensson@exempel.se", ["anna.svensson@exempel.se"]),
        ("Kalle_Anka+kommun@gmail.com.", ["Kalle_Anka+kommun@gmail.com"]),
        ("ÅSA@FÖRETAG.SE", ["ÅSA@FÖRETAG.SE"]),
        ("a@b.co.uk och c@d.nu", ["a@b.co.uk", "c@d.nu"]),
        # a "/" separates fields in a chat message, it does not start the address
        ("lisa hed/0706-77 41 28/lisahed@gmail.com/bergsgatan 2", ["lisahed@gmail.com"]),
        ("x@foo.invalidtld", []),
        ("anna at exempel.se", []),
        ("@exempelstad", []),
        ("Storgatan 12", []),
    ],
)
def test_table(recognizer: EmailRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


def test_suffix_list_is_the_bundled_snapshot_never_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    offline_tld_extractor.cache_clear()
    try:
        assert found(EmailRecognizer(), "mejla anna@exempel.se") == ["anna@exempel.se"]
        assert offline_tld_extractor().suffix_list_urls == ()
    finally:
        offline_tld_extractor.cache_clear()
