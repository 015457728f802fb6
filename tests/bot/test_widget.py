"""The embeddable widget's server side: the loader, the panel, the demo page, who may embed them (CSP
frame-ancestors and CORS from ``KOMMUNSVAR_EMBED_ORIGINS``) and the citizen's own deletion route's
input checks. The deletion itself runs on the real stack (tests/e2e/test_widget_browser.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from bot.main import create_app
from bot.settings import Settings

SITE = "https://www.exempelstad.se"


@pytest.fixture()
def embedded(tmp_path) -> TestClient:
    settings = Settings(var_dir=tmp_path, internal_port=0, embed_origins=f"{SITE}, https://exempelstad.se/")
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_the_loader_may_be_loaded_by_any_page_and_points_at_the_panel(embedded: TestClient) -> None:
    response = embedded.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    body = response.text
    assert "attachShadow" in body and "/widget?embedded=1" in body and "aria-expanded" in body


def test_the_panel_may_be_framed_by_the_configured_sites_and_no_other_page_may(embedded: TestClient) -> None:
    panel = embedded.get("/widget")
    assert panel.status_code == 200 and 'role="log"' in panel.text
    csp = panel.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {SITE} https://exempelstad.se;" in csp
    assert "x-frame-options" not in panel.headers
    for closed in ("/demo", "/widget.js", "/no-such-page"):
        headers = embedded.get(closed).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], closed
        assert headers["x-frame-options"] == "DENY", closed


def test_the_demo_page_carries_the_one_line_embed(embedded: TestClient) -> None:
    page = embedded.get("/demo").text
    assert '<script src="/widget.js" data-kommunsvar' in page
    assert "script-src 'self'" in embedded.get("/demo").headers["content-security-policy"]


def test_cors_answers_the_embedding_sites_only(embedded: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = embedded.options("/api/chat", headers={"Origin": SITE, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    assert "access-control-allow-credentials" not in allowed.headers  # the citizen API takes no cookies
    other = embedded.options("/api/chat", headers={"Origin": "https://evil.example", **preflight})
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


def test_without_embed_origins_there_is_no_cors(tmp_path) -> None:
    client = TestClient(create_app(Settings(var_dir=tmp_path, internal_port=0)))
    response = client.get("/widget", headers={"Origin": SITE})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    "origins",
    ["www.exempelstad.se", "https://www.exempelstad.se/chatt", "javascript:alert(1)", "https://a.se;b", "*"],
)
def test_an_embed_origin_that_is_not_an_origin_is_refused_at_start(tmp_path, origins: str) -> None:
    with pytest.raises(ValidationError, match="KOMMUNSVAR_EMBED_ORIGINS"):
        Settings(var_dir=tmp_path, embed_origins=origins)


class NeverCalled:
    """Stands in for the privacy service where the request must be refused before it is used."""

    def forget(self, *args: object) -> None:
        raise AssertionError("a refused deletion request reached the privacy service")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"conversation_id": "a" * 40}, 422, "invalid_conversation_id"),  # right shape, not signed here
        ({"conversation_id": "../../etc"}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
        ({"conversation_id": "a" * 40, "reference": "x"}, 422, "invalid_request"),
    ],
)
def test_deleting_a_conversation_needs_an_id_the_gateway_issued(
    make_client, body: dict[str, object], status: int, code: str
) -> None:
    client, _ = make_client()
    client.app.state.privacy = NeverCalled()  # refused before anything is deleted
    response = client.post("/api/conversation/delete", json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
