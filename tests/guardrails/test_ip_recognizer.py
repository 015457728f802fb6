"""IP_ADDRESS: IPv4 and IPv6."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recognizer_helpers import found

from guardrails.recognizers.ip_recognizer import IpRecognizer


@pytest.fixture(scope="module")
def recognizer() -> IpRecognizer:
    return IpRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min ip är 192.168.1.10", ["192.168.1.10"]),
        ("från 81.229.12.4.", ["81.229.12.4"]),
        ("2001:db8::1", ["2001:db8::1"]),
        ("fe80::1ff:fe23:4567:890a", ["fe80::1ff:fe23:4567:890a"]),
        ("999.1.1.1", []),
        ("kl 14:30", []),
        ("2024.03.15", []),
    ],
)
def test_table(recognizer: IpRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(address=st.ip_addresses(v=4))
def test_every_ipv4_address_is_found(recognizer: IpRecognizer, address: ipaddress.IPv4Address) -> None:
    assert found(recognizer, f"IP-adress {address} idag") == [str(address)]
