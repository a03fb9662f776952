"""The API contract on real answers: every demo role (and anonymous) calls every GET operation of the served
/api/v1/openapi.json, and a representative set of POSTs is sent with valid and invalid bodies; every answer's status
must be documented for its operation and its body must match the documented schema of that status (jsonschema, the
`$ref`s resolved inside the served document, formats checked). No JSON answer may write an identifier in upper case."""
import datetime
import json
import re
import urllib.parse
import uuid

import pytest
import requests
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import BASE, PASSWORD, api_token

SPEC = requests.get(BASE + "/api/v1/openapi.json", timeout=10).json()
URN = "urn:navigator:openapi"
REGISTRY = Registry().with_resource(URN, Resource(contents=SPEC, specification=DRAFT202012))
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value):
    # RFC 3339 as the server writes it: a date, "T", a time and a zone.
    if isinstance(value, str):
        if "T" not in value or not (value.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", value)):
            raise ValueError(value)
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


UUID_ANY = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
IDENTITIES = {
    "anonymous": None,
    "parent": "parent@osinniki.example",
    "provider": "ddt@osinniki.example",
    "municipality": "osinniki@kuzbass.example",
    "operator": "operator@kuzbass.example",
    "monitor": "monitor@kuzbass.example",
}
# What each path parameter of a GET operation names (a new operation must be added here).
ID_KINDS = {
    "/children/{id}": "child", "/certificates/{id}": "certificate", "/providers/{id}": "provider", "/programs/{id}": "program",
    "/applications/{id}": "application", "/groups/{id}/waitlist": "group", "/groups/{id}/quote": "group",
    "/catalog/programs/{id}": "catalogProgram", "/catalog/providers/{id}": "catalogProvider",
    "/invoices/{id}": "invoice",
}
SESSION = requests.Session()
STATS = {"answers": 0, "identifiers": 0}


def pointer(*parts):
    return "/" + "/".join(urllib.parse.quote(str(p).replace("~", "~0").replace("/", "~1"), safe="~") for p in parts)


def validate(ptr, instance, what):
    validator = Draft202012Validator({"$ref": URN + "#" + ptr}, registry=REGISTRY, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(map(str, e.absolute_path))
        pytest.fail(f"{what}: {len(errors)} schema error(s); first at /{at}: {e.message[:400]}")


def no_upper_case_ids(text, what):
    found = UUID_ANY.findall(text)
    upper = [u for u in found if u != u.lower()]
    assert not upper, f"{what}: identifiers in upper case: {upper[:3]}"
    STATS["identifiers"] += len(found)


def resolve(schema):
    while True:
        if "$ref" in schema:
            schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif "oneOf" in schema:
            schema = next(s for s in schema["oneOf"] if s.get("type") != "null")
        else:
            return schema


def names_a_request_field(op, field):
    """A `fields` entry names a parameter or a property of the request body (`card.inn`, `normatives[0]`)."""
    if field in {p["name"] for p in op.get("parameters", [])}:
        return True
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    for part in field.split("."):
        m = re.fullmatch(r"([A-Za-z0-9]+)(\[[0-9]+\])?", part)
        if not m or schema is None:
            return False
        schema = resolve(schema).get("properties", {}).get(m.group(1))
        if schema is not None and m.group(2):
            schema = resolve(schema).get("items")
    return schema is not None


def check(method, template, r):
    """The answer `r` of the operation `method template` (template without /api/v1) is as documented."""
    path = "/api/v1" + template
    op = SPEC["paths"][path][method]
    status = str(r.status_code)
    what = f"{method.upper()} {r.request.url[len(BASE):]} → {status}"
    assert status in op["responses"], f"{what}: status not documented ({sorted(op['responses'])}): {r.text[:300]}"
    content = op["responses"][status].get("content")
    STATS["answers"] += 1
    if content is None:
        assert r.content == b"", f"{what}: a body where none is documented"
        return r
    ctype = r.headers.get("content-type", "").split(";")[0].strip()
    assert ctype in content, f"{what}: content type {ctype!r}, documented {sorted(content)}"
    no_upper_case_ids(r.text, what)
    if ctype == "application/json":
        validate(pointer("paths", path, method, "responses", status, "content", ctype, "schema"), r.json(), what)
        if status in ("400", "422"):
            for f in r.json().get("fields", []):
                assert names_a_request_field(op, f["field"]), f"{what}: the error names {f['field']!r}, not a field of the request"
    elif ctype == "application/x-ndjson":
        for line in r.text.splitlines()[:200]:
            item = json.loads(line)
            if not item.get("deleted"):
                validate(pointer("components", "schemas", "CatalogProgram"), item, what + " (a line)")
    return r


def call(method, template, token=None, path=None, json_body=None, data=None, headers=None, params=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    url = BASE + "/api/v1" + (path or template)
    r = SESSION.request(method.upper(), url, json=json_body, data=data, headers=h, params=params, timeout=60)
    return check(method, template, r)


def fill(template, value):
    return template.replace("{id}", value)


# ---- POSTs, valid and invalid ------------------------------------------------------------------------------

def financed_children(count):
    """(token, child id) of demo families of Кузбасс whose child holds an active, unfrozen ПФ certificate."""
    out = []
    for i in range(1, 400):
        r = SESSION.post(BASE + "/api/v1/auth/token", json={"email": f"family{i:07d}@demo.example", "password": PASSWORD}, timeout=30)
        if r.status_code != 200:
            continue
        token = r.json()["token"]
        certs = SESSION.get(BASE + "/api/v1/certificates", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()["items"]
        child = next((c["childId"] for c in certs if c["status"] == "active" and c["kind"] == "financing" and not c["frozen"]
                      and (c.get("number") or "").startswith("42")), None)
        if child:
            out.append((token, child))
            if len(out) == count:
                return out
    pytest.fail(f"only {len(out)} demo children with an active ПФ certificate")


def test_sign_in_quote_and_registry_posts_are_as_documented():
    # Sign-in: a token, a wrong password, a missing field, not JSON; revoking.
    r = call("post", "/auth/token", json_body={"email": "parent@osinniki.example", "password": PASSWORD})
    assert r.status_code == 200
    token = r.json()["token"]
    assert call("post", "/auth/token", json_body={"email": f"nobody-{uuid.uuid4().hex[:8]}@osinniki.example", "password": "x1"}).status_code == 401
    assert call("post", "/auth/token", json_body={"email": "parent@osinniki.example"}).status_code == 400
    assert call("post", "/auth/token", data="email=a", headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    assert call("delete", "/auth/token", token).status_code == 204
    assert call("get", "/me", token).status_code == 401

    # The cost calculation.
    quote = {"groupStart": "2026-09-01", "groupEnd": "2027-05-31", "price": 1800000, "normative": 1638000,
             "contractStart": "2026-10-01", "contractEnd": "2027-05-31", "balance": 1200000}
    assert call("post", "/quote", json_body=quote).status_code == 200
    assert call("post", "/quote", json_body={**quote, "balance": None}).status_code == 400
    assert call("post", "/quote", json_body={k: v for k, v in quote.items() if k != "price"}).status_code == 400

    provider, operator = api_token("syut@osinniki.example"), api_token("operator@kuzbass.example")
    parent, municipality = api_token("parent@osinniki.example"), api_token("osinniki@kuzbass.example")
    monitor = api_token("monitor@kuzbass.example")

    # The program registry: invalid, wrong role, not JSON, then the whole way to certification.
    program = {"name": f"Контракт API {uuid.uuid4().hex[:6]}", "annotation": "Программа для проверки описания API.", "direction": "tech",
               "activityKinds": ["robotics"], "level": "start", "form": "full-time", "distance": False,
               "ageFromMonths": 60, "ageToMonths": 215, "disabilities": [], "funding": "certificate"}
    assert call("post", "/programs", provider, json_body={}).status_code == 422
    assert call("post", "/programs", provider, json_body={**program, "name": 5}).status_code == 400
    assert call("post", "/programs", parent, json_body=program).status_code == 403
    assert call("post", "/programs", provider, data="name=x", headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    r = call("post", "/programs", provider, json_body=program)
    assert r.status_code == 201
    pid = r.json()["id"]
    module = {"name": "Первый год", "months": 9, "hours": 72, "minChildren": 1, "maxChildren": 10, "price": 1500000}
    assert call("post", "/programs/{id}/modules", provider, fill("/programs/{id}/modules", pid), {**module, "months": 40}).status_code == 422
    r = call("post", "/programs/{id}/modules", provider, fill("/programs/{id}/modules", pid), module)
    assert r.status_code == 201
    mid = r.json()["id"]
    assert call("post", "/modules/{id}", provider, fill("/modules/{id}", mid), module).status_code == 200
    group = {"moduleId": mid, "name": "Группа контракта", "teacher": "Иванова Мария Петровна", "address": "г. Осинники, ул. Ленина, 40",
             "startsOn": "2026-09-01", "endsOn": "2027-05-31", "capacity": 1, "status": "open",
             "schedule": [{"day": 3, "start": "16:00", "end": "17:30"}]}
    assert call("post", "/programs/{id}/groups", provider, fill("/programs/{id}/groups", pid), {}).status_code == 422
    r = call("post", "/programs/{id}/groups", provider, fill("/programs/{id}/groups", pid), group)
    assert r.status_code == 201
    gid = r.json()["id"]
    assert call("post", "/groups/{id}", provider, fill("/groups/{id}", gid), {**group, "capacity": 1}).status_code == 200
    assert call("post", "/programs/{id}/certify", operator, fill("/programs/{id}/certify", pid), {"normatives": [1638000]}).status_code == 409
    assert call("post", "/programs/{id}/submit", provider, fill("/programs/{id}/submit", pid)).status_code == 200
    assert call("post", "/programs/{id}/certify", provider, fill("/programs/{id}/certify", pid), {"normatives": [1638000]}).status_code == 403
    assert call("post", "/programs/{id}/certify", operator, fill("/programs/{id}/certify", pid), {"normatives": "много"}).status_code == 400
    assert call("post", "/programs/{id}/refuse", operator, fill("/programs/{id}/refuse", pid), {}).status_code == 422
    assert call("post", "/programs/{id}/certify", operator, fill("/programs/{id}/certify", pid), {"normatives": []}).status_code == 422
    r = call("post", "/programs/{id}/certify", operator, fill("/programs/{id}/certify", pid), {"normatives": [100000]})
    assert r.status_code == 422 and [f["field"] for f in r.json()["fields"]] == ["normatives[0]"], r.text
    assert call("post", "/programs/{id}/certify", operator, fill("/programs/{id}/certify", pid), {"normatives": [1638000]}).status_code == 200
    assert call("get", "/programs/{id}", provider, fill("/programs/{id}", pid)).json()["status"] == "certified"
    assert call("post", "/programs/{id}/archive", parent, fill("/programs/{id}/archive", str(uuid.uuid4()))).status_code == 403
    assert call("post", "/programs/{id}/archive", provider, fill("/programs/{id}/archive", str(uuid.uuid4()))).status_code == 404

    # Other registry and programme POSTs, refused as documented.
    ddt = call("get", "/me", api_token("ddt@osinniki.example")).json()["providerId"]
    assert call("post", "/providers/{id}/moderate", operator, fill("/providers/{id}/moderate", ddt), {"decision": "maybe"}).status_code == 400
    assert call("post", "/providers/{id}/moderate", parent, fill("/providers/{id}/moderate", ddt), {"decision": "ban"}).status_code == 403
    assert call("post", "/providers/{id}/issuing-point", municipality, fill("/providers/{id}/issuing-point", ddt), {}).status_code == 400
    assert call("post", "/providers", json_body={}).status_code == 422
    assert call("post", "/operator/price-cap", operator, json_body={"percent": 999}).status_code == 422
    assert call("post", "/operator/price-cap", municipality, json_body={"percent": 100}).status_code == 403
    assert call("post", "/municipality/periods", municipality, json_body={}).status_code == 422
    assert call("post", "/municipality/groups", municipality, json_body={"name": "x"}).status_code == 422
    nominal = fill("/municipality/groups/{id}/nominal", str(uuid.uuid4()))
    assert call("post", "/municipality/groups/{id}/nominal", municipality, nominal, {}).status_code == 422
    assert call("post", "/municipality/groups/{id}/nominal", municipality, nominal, {"periodId": str(uuid.uuid4()), "nominal": 100}).status_code == 404
    assert call("post", "/agreements", municipality, json_body={}).status_code == 422
    assert call("post", "/agreements", municipality, json_body={"provider": str(uuid.uuid4())}).status_code == 404
    assert call("post", "/agreements", parent, json_body={"provider": ddt}).status_code == 403
    assert call("post", "/children", parent, json_body={}).status_code == 422
    assert call("post", "/children", provider, json_body={}).status_code == 403

    # Certificates: confirmed by a wrong role, an active one confirmed again, a rejection without a reason.
    certs = call("get", "/certificates", parent).json()["items"]
    active = next(c for c in certs if c["status"] == "active")
    for who in (parent, monitor):
        assert call("post", "/certificates/{id}/confirm", who, fill("/certificates/{id}/confirm", active["id"])).status_code == 403
    assert call("post", "/certificates/{id}/confirm", municipality, fill("/certificates/{id}/confirm", active["id"])).status_code == 409
    assert call("post", "/certificates/{id}/reject", municipality, fill("/certificates/{id}/reject", active["id"]), {}).status_code == 422
    assert call("post", "/municipality/certificates/{id}/freeze", municipality, fill("/municipality/certificates/{id}/freeze", active["id"]), {}).status_code == 422
    assert call("post", "/certificates/{id}/financing", municipality, fill("/certificates/{id}/financing", active["id"])).status_code in (403, 404)

    # An application, its refusal, a waiting list, retries with an Idempotency-Key.
    (t1, c1), (t2, c2) = financed_children(2)
    assert call("get", "/groups/{id}/quote", t1, fill("/groups/{id}/quote", gid), params={"child": c1}).status_code == 200
    assert call("get", "/groups/{id}/quote", t1, fill("/groups/{id}/quote", gid)).status_code == 400
    assert call("post", "/applications", provider, json_body={"group": gid, "child": c1}).status_code == 403
    assert call("post", "/applications", t1, json_body={"group": gid}).status_code == 400
    assert call("post", "/applications", t1, json_body={"group": gid, "child": c1, "start": "завтра"}).status_code == 422
    key = uuid.uuid4().hex
    r = call("post", "/applications", t1, json_body={"group": gid, "child": c1}, headers={"Idempotency-Key": key})
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    again = call("post", "/applications", t1, json_body={"group": gid, "child": c1}, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.json()["id"] == app_id
    assert call("post", "/applications", t1, json_body={"group": gid, "child": c2}, headers={"Idempotency-Key": key}).status_code == 422
    assert call("post", "/applications", t1, json_body={"group": gid, "child": c1}).status_code == 409
    r = call("post", "/groups/{id}/waitlist", t2, fill("/groups/{id}/waitlist", gid), {"child": c2})
    assert r.status_code == 201, r.text
    entry = r.json()["id"]
    assert call("get", "/groups/{id}/waitlist", provider, fill("/groups/{id}/waitlist", gid)).json()[0]["id"] == entry
    assert call("post", "/waitlist/{id}/leave", t2, fill("/waitlist/{id}/leave", entry)).json()["status"] == "left"
    assert call("post", "/applications/{id}/reject", provider, fill("/applications/{id}/reject", app_id), {}).status_code == 400
    assert call("post", "/applications/{id}/reject", provider, fill("/applications/{id}/reject", app_id), {"reason": "x"}).status_code == 422
    assert call("post", "/applications/{id}/reject", t1, fill("/applications/{id}/reject", app_id), {"reason": "Нет мест"}).status_code == 403
    r = call("post", "/applications/{id}/reject", provider, fill("/applications/{id}/reject", app_id), {"reason": "Группа переформирована"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert call("post", "/applications/{id}/offer", provider, fill("/applications/{id}/offer", app_id)).status_code == 409
    assert call("post", "/applications/{id}/accept", t1, fill("/applications/{id}/accept", app_id)).status_code == 409
    assert call("post", "/applications/{id}/prolongation", t1, fill("/applications/{id}/prolongation", app_id), {}).status_code == 422


# ---- every GET operation, every role -----------------------------------------------------------------------

def collect(token):
    """Identifiers the token's role can see, by kind."""
    ids = {k: [] for k in set(ID_KINDS.values())}
    if token:
        ids["child"] = [c["id"] for c in SESSION.get(BASE + "/api/v1/children", headers={"Authorization": f"Bearer {token}"}, timeout=30).json().get("items", [])]
        auth = {"Authorization": f"Bearer {token}"}
        ids["certificate"] = [c["id"] for c in SESSION.get(BASE + "/api/v1/certificates", headers=auth, timeout=30).json().get("items", [])]
        ids["provider"] = [p["id"] for p in SESSION.get(BASE + "/api/v1/providers", headers=auth, timeout=30).json()]
        programs = SESSION.get(BASE + "/api/v1/programs", headers=auth, timeout=30).json()
        ids["program"] = [p["id"] for p in programs]
        ids["application"] = [a["id"] for a in SESSION.get(BASE + "/api/v1/applications", headers=auth, timeout=30).json()]
        invoices = SESSION.get(BASE + "/api/v1/invoices", headers=auth, timeout=30)
        ids["invoice"] = [i["id"] for i in invoices.json()] if invoices.status_code == 200 else []
        for p in programs[:5]:
            detail = SESSION.get(BASE + f"/api/v1/programs/{p['id']}", headers=auth, timeout=30).json()
            ids["group"] += [g["id"] for g in detail.get("groups") or []]
    found = SESSION.get(BASE + "/api/v1/catalog/search", params={"per": 20}, timeout=30).json()["items"]
    ids["catalogProgram"] = [p["id"] for p in found]
    ids["catalogProvider"] = sorted({p["providerId"] for p in found})
    if not ids["group"]:
        program = SESSION.get(BASE + f"/api/v1/catalog/programs/{found[0]['id']}", timeout=30).json()
        ids["group"] = [g["id"] for g in program["groups"]]
    return ids


def requests_for(template, op, own, everyone, token_children):
    """(path, params, invalid) to send for a GET operation: without and with its query parameters, an invalid value,
    and for an {id}: the role's own object, anybody's, an unknown one and a malformed one."""
    out = []
    params = [p for p in op.get("parameters", []) if p["in"] == "query"]
    required = {p["name"]: None for p in params if p.get("required")}
    if "{id}" in template:
        kind = ID_KINDS[template]
        candidates = (own.get(kind) or [])[:2] + (everyone.get(kind) or [])[:2] + [str(uuid.uuid4()), "not-a-uuid"]
        if template == "/groups/{id}/quote":
            children = token_children or everyone["child"][:1]
            for g in candidates:
                out.append((fill(template, g), {"child": children[0]} if children else {}, g == "not-a-uuid" or not children))
            out.append((fill(template, candidates[0]), {}, True))
            if children:
                out.append((fill(template, candidates[0]), {"child": children[0], "start": "2027-01-15"}, False))
                out.append((fill(template, candidates[0]), {"child": children[0], "start": "вчера"}, True))
            return out
        return [(fill(template, c), {}, c == "not-a-uuid") for c in dict.fromkeys(candidates)]
    assert not required, f"{template}: a required query parameter the walk does not know"
    out.append((template, {}, False))
    for p in params:
        schema = p["schema"]
        if "enum" in schema:
            out.append((template, {p["name"]: schema["enum"][0]}, False))
            out.append((template, {p["name"]: "nonsense"}, True))
        elif schema.get("type") == "integer":
            out.append((template, {p["name"]: schema.get("minimum", 1)}, False))
            out.append((template, {p["name"]: "x"}, True))
        elif schema.get("format") == "uuid":
            out.append((template, {p["name"]: (own.get("provider") or everyone["provider"] or [str(uuid.uuid4())])[0]}, False))
            out.append((template, {p["name"]: "not-a-uuid"}, True))
    return out


def test_every_role_reads_every_get_operation_as_documented():
    gets = {path[len("/api/v1"):]: item["get"] for path, item in SPEC["paths"].items() if "get" in item}
    assert set(t for t in gets if "{id}" in t) <= set(ID_KINDS), "a GET operation with an id the walk does not know"
    everyone = collect(api_token("operator@kuzbass.example"))
    before = dict(STATS)
    for role, email in IDENTITIES.items():
        token = api_token(email) if email else None
        own = collect(token) if token else collect(None)
        for template, op in gets.items():
            if template.startswith("/catalog/export"):
                if role != "anonymous":
                    continue
            for path, params, invalid in requests_for(template, op, own, everyone, own.get("child") if role == "parent" else None):
                r = call("get", template, token, path, params=params)
                roles = op.get("x-roles")
                if invalid and (roles is None or role in roles):
                    # A malformed parameter is refused whoever asks, also by a role that sees nothing.
                    assert r.status_code in (400, 422), f"{role} GET {path} {params}: {r.status_code}"
                if roles is None:
                    continue
                if token is None:
                    assert r.status_code == 401, f"{role} GET {path}: {r.status_code}"
                elif role not in roles:
                    assert r.status_code == 403, f"{role} GET {path}: {r.status_code}, documented only for {roles}"
                elif "{id}" not in template and not params:
                    assert r.status_code == 200, f"{role} GET {path}: {r.status_code}"
    answers = STATS["answers"] - before["answers"]
    print(f"\ncontract walk: {answers} answers validated, {STATS['identifiers'] - before['identifiers']} identifiers looked at")
    assert answers > 300
