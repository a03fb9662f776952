"""API tests over HTTP against the running demo server."""
import uuid

import requests

from conftest import BASE, api_token

STAFF = [
    ("operator@kuzbass.example", "operator", "42"),
    ("operator@altai.example", "operator", "22"),
    ("osinniki@kuzbass.example", "municipality", "42"),
    ("ddt@osinniki.example", "provider", "42"),
    ("parent@osinniki.example", "parent", "42"),
    ("monitor@kuzbass.example", "monitor", "42"),
]


def get(path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(BASE + path, headers=headers, timeout=10)


def test_health_ready_metrics():
    assert get("/healthz").json() == {"status": "ok"}
    assert get("/readyz").json()["database"] == "sqlite"
    m = get("/metrics")
    assert m.status_code == 200 and "http_requests_total" in m.text


def test_each_role_gets_a_token():
    for email, role, region in STAFF:
        me = get("/api/v1/me", api_token(email)).json()
        assert me["role"] == role and me["regionCode"] == region, me


def test_wrong_password_and_bad_json():
    r = requests.post(BASE + "/api/v1/auth/token", json={"email": f"nobody-{uuid.uuid4().hex[:8]}@osinniki.example", "password": "x"}, timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_credentials"
    r = requests.post(BASE + "/api/v1/auth/token", data='{"email":', headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    r = get("/api/v1/me")
    assert r.status_code == 401 and set(r.json()) >= {"error", "reason"}


def test_cross_scope_access_is_refused():
    parent = api_token("parent@osinniki.example")
    other = api_token("parent@barnaul.example")
    mine = get("/api/v1/children", parent).json()["items"]
    assert len(mine) == 3
    theirs = get("/api/v1/children", other).json()["items"]
    assert len(theirs) == 1
    assert get(f"/api/v1/children/{theirs[0]['id']}", parent).status_code == 404
    assert get(f"/api/v1/children/{mine[0]['id']}", parent).status_code == 200
    # An operator of another region does not see the child either.
    altai = api_token("operator@altai.example")
    assert get(f"/api/v1/children/{mine[0]['id']}", altai).status_code == 404
    # A provider sees no children.
    assert get("/api/v1/children", api_token("ddt@osinniki.example")).json()["total"] == 0


def test_pages_refuse_cross_role_access_without_data():
    s = requests.Session()
    page = s.get(BASE + "/login", timeout=10).text
    csrf = page.split('name="_csrf" value="')[1].split('"')[0]
    r = s.post(BASE + "/login", data={"_csrf": csrf, "email": "ddt@osinniki.example", "password": "demo12345"},
               allow_redirects=False, timeout=10)
    assert r.status_code == 303
    for path in ["/family", "/operator", "/municipality", "/monitor"]:
        r = s.get(BASE + path, timeout=10)
        assert r.status_code == 403, path
        assert "Доступ запрещён" in r.text
