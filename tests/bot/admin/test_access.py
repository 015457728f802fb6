"""Who may use which route: redirect or 401 without a session, 403 for the wrong role, CSRF on POST."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from bot.api.deps import CurrentAdmin, CurrentAuditor, CurrentStaff, CurrentUser
from tests.bot.admin.conftest import AdminEnv, csrf_token


@pytest.fixture()
def probe(admin_env: AdminEnv) -> AdminEnv:
    """Add routes guarded by each alias, as the staff queue will use them."""
    router = APIRouter()

    @router.get("/probe/user")
    async def any_user(user: CurrentUser) -> JSONResponse:
        return JSONResponse({"user": user.username, "role": user.role})

    @router.get("/probe/admin")
    async def admin_only(user: CurrentAdmin) -> JSONResponse:
        return JSONResponse({"user": user.username})

    @router.get("/probe/auditor")
    async def auditor(user: CurrentAuditor) -> JSONResponse:
        return JSONResponse({"user": user.username})

    @router.get("/probe/staff")
    async def staff(user: CurrentStaff) -> JSONResponse:
        return JSONResponse({"user": user.username})

    @router.post("/probe/staff")
    async def staff_post(user: CurrentStaff) -> JSONResponse:
        return JSONResponse({"done": True})

    @router.post("/api/probe/staff")
    async def staff_api(user: CurrentStaff) -> JSONResponse:
        return JSONResponse({"done": True})

    admin_env.app.include_router(router)
    return admin_env


ADMIN_PAGES = ["/admin", "/admin/audit", "/admin/integrity", "/admin/audit/export.csv", "/admin/access"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_html_without_session_redirects_to_login(admin_env: AdminEnv, path: str) -> None:
    response = admin_env.client().get(path + "?topic=parking", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=%2Fadmin")
    assert "topic%3Dparking" in response.headers["location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_json_without_session_is_401(admin_env: AdminEnv, path: str) -> None:
    response = admin_env.client().get(path, headers={"accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_api_path_without_session_is_401(probe: AdminEnv) -> None:
    assert probe.client().post("/api/probe/staff").status_code == 401


def test_forged_session_cookie_is_no_session(admin_env: AdminEnv) -> None:
    client = admin_env.client()
    client.cookies.set("ks_session", "forged-token")
    assert client.get("/admin", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/admin", "/admin/audit", "/admin/integrity", "/admin/audit/export.jsonl"])
def test_staff_may_not_see_audit_pages(logged_in: Callable[[str], TestClient], path: str) -> None:
    response = logged_in("staff").get(path, follow_redirects=False)
    assert response.status_code == 403
    assert "Du har inte behörighet till den här sidan" in response.text
    assert '<html lang="sv">' in response.text


def test_wrong_role_on_json_is_403_json(probe: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    response = logged_in("auditor").get("/probe/staff", headers={"accept": "application/json"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"user", "admin", "auditor", "staff"}),
        ("auditor", {"user", "auditor"}),
        ("staff", {"user", "staff"}),
    ],
)
def test_role_aliases(
    probe: AdminEnv, logged_in: Callable[[str], TestClient], role: str, allowed: set[str]
) -> None:
    client = logged_in(role)
    for name in ("user", "admin", "auditor", "staff"):
        status = client.get(f"/probe/{name}").status_code
        assert status == (200 if name in allowed else 403), (role, name, status)


def test_post_needs_the_session_csrf_token(probe: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("staff")
    token = csrf_token(client.get("/admin").text)
    assert client.post("/probe/staff", data={"x": "1"}).status_code == 403
    assert client.post("/probe/staff", data={"csrf_token": "wrong"}).status_code == 403
    assert client.post("/probe/staff", data={"csrf_token": token}).status_code == 200
    assert client.post("/api/probe/staff", json={}).status_code == 403
    assert client.post("/api/probe/staff", json={}, headers={"X-CSRF-Token": token}).status_code == 200


def test_csrf_token_of_another_session_is_refused(
    probe: AdminEnv, logged_in: Callable[[str], TestClient]
) -> None:
    mine, other = logged_in("staff"), logged_in("admin")
    token = csrf_token(other.get("/admin").text)
    assert mine.post("/probe/staff", data={"csrf_token": token}).status_code == 403


def test_pages_send_security_headers(logged_in: Callable[[str], TestClient]) -> None:
    response = logged_in("admin").get("/admin")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
