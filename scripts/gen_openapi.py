#!/usr/bin/env python3
"""Writes Resources/openapi.json, the OpenAPI 3.1 description of /api/v1.

The document is the contract: every operation of the route table with its exact request body, every answer's
schema (every property typed, closed sets as enums, `required`, nullable as `["T", "null"]`, responses closed
with `additionalProperties: false`), and every error status the operation can return, with the shared `Error`.

Kept true by tests: the Swift test `openAPIDescribesEveryRoute` (every route has an operation and every operation
a route, no bare object schema, path parameters declared, enums equal to Domain's), the e2e test
`e2e/test_contract.py` (real answers of every role validated against this document) and schemathesis
(`e2e/test_openapi_fuzz.py`). Edit this script, run it, commit both.

Conventions of the answers (how the server writes them):
- identifiers are lower-case UUIDs (the `Id` pattern below); requests may use either case;
- a value the encoder leaves out when absent is an optional property (not in `required`); the catalogue's writer
  writes `null` instead, so there the property is required and nullable;
- amounts are integer kopecks, dates `YYYY-MM-DD`, instants ISO 8601 in UTC (`2026-09-01T10:00:00Z`)."""
import copy
import json
import os

# ---- vocabulary ---------------------------------------------------------------------------------------------

def ref(name): return {"$ref": f"#/components/schemas/{name}"}

LOWER_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ID = ref("Id")                                         # an identifier in an answer: lower-case
ID_IN = {"type": "string", "format": "uuid"}           # an identifier in a request: either case
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Dates typed by people in forms are accepted in the API too: ISO or ДД.ММ.ГГГГ.
DATE_IN = {"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4})$",
           "description": "ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"}
TIME = {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
KOPECKS = {"type": "integer", "minimum": 0, "description": "копейки"}
MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "месяц ГГГГ-ММ"}
# A month a client sends: the years 2000–2099 (any other is refused with 422).
MONTH_IN = {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$", "description": "месяц ГГГГ-ММ (2000–2099)"}


def enum(*values, desc=None):
    s = {"type": "string", "enum": list(values)}
    if desc: s["description"] = desc
    return s


def nullable(schema):
    s = copy.deepcopy(schema)
    if "$ref" in s:
        return {"oneOf": [s, {"type": "null"}]}
    t = s["type"]
    s["type"] = (t if isinstance(t, list) else [t]) + ["null"]
    if "enum" in s: s["enum"] = s["enum"] + [None]
    return s


def arr(items, **kw): return {"type": "array", "items": items, **kw}
def s(desc=None, **kw): return {"type": "string", **({"description": desc} if desc else {}), **kw}
def with_desc(schema, desc): return {**schema, "description": desc}


def obj(required, optional=None, closed=True, desc=None):
    """An object: `required` properties always present, `optional` ones present only when there is a value."""
    o = {"type": "object", "properties": {**required, **(optional or {})}}
    if required: o["required"] = list(required)
    if closed: o["additionalProperties"] = False
    if desc: o["description"] = desc
    return o


def body(required, optional=None, desc=None):
    """A request body: unknown properties are ignored by the server, so it is not closed. An optional field may be
    null (the same as absent)."""
    return obj(required, {k: nullable(v) for k, v in (optional or {}).items()}, closed=False, desc=desc)


# ---- closed sets (equal to Domain's enums: the Swift test compares them) ------------------------------------

ROLES = ["operator", "municipality", "provider", "parent", "monitor"]
REGIONS = ["42", "22"]
DIRECTIONS = ["tech", "science", "sport", "art", "tourism", "social"]
LEVELS = ["start", "basic", "advanced"]
FORMS = ["full-time", "mixed", "extramural"]
DISABILITIES = ["hearing", "vision", "speech", "musculoskeletal", "intellectual", "autism", "mental", "complex"]
PROVIDER_KINDS = ["educational", "training", "sole-with-staff", "sole-alone"]
OWNERSHIP = ["state", "municipal", "private"]
FUNDING = ["certificate", "free", "paid"]
PROGRAM_STATUS = ["draft", "certification", "certified", "refused", "archived"]
PROVIDER_STATUS = ["new", "active", "refused", "banned"]
CONTRACT_STATUS = ["applied", "offered", "active", "terminating", "terminated", "rejected", "withdrawn", "expired"]
CERTIFICATE_STATUS = ["pending", "active", "rejected", "closed"]
CERTIFICATE_KIND = ["accounting", "financing"]
PERIOD_STATUS = ["next", "current", "closed"]
WAITLIST_STATUS = ["waiting", "offered", "enrolled", "left", "dropped"]
AGREEMENT_STATUS = ["active", "terminated"]
GROUP_STATUS = ["open", "closed"]
PROLONGATION = ["notified", "declined", "done", "skipped"]
SEX = ["male", "female"]
INVOICE_STATUS = ["new", "in_work", "paid", "deleted"]
INVOICE_KIND = ["advance", "final"]
MONTH_STATUS = ["charged", "disputed", "corrected"]
MUNICIPALITY_KIND = ["district", "cityDistrict"]
DAY_PARTS = ["morning", "afternoon", "evening"]
ACTIVITY_KINDS = [
    "robotics", "programming", "modeling", "3d", "electronics", "aviamodeling", "drones",
    "ecology", "biology", "chemistry", "physics", "astronomy", "math",
    "football", "volleyball", "basketball", "swimming", "chess", "wrestling", "athletics", "skiing", "gymnastics", "hockey", "tennis",
    "choreography", "vocal", "painting", "theatre", "music", "crafts", "photo", "design",
    "hiking", "local-history", "orienteering", "museum",
    "languages", "journalism", "leadership", "preschool", "psychology", "finance", "patriotic",
]
FACETS = ["region", "municipality", "direction", "activityKind", "level", "funding", "day", "time", "free", "ovz"]

# ---- schemas of answers -------------------------------------------------------------------------------------

def coded(values=None):
    return obj({"code": enum(*values) if values else STR, "title": STR})


SCHEDULE = arr(obj({"day": {"type": "integer", "minimum": 1, "maximum": 7, "description": "1 — понедельник"}, "start": TIME, "end": TIME}))
MONTHS = arr(ref("MonthPart"))
JSON_SCHEMA = {"type": ["object", "boolean"], "description": "JSON Schema (2020-12)",
               "properties": {"type": {"type": ["string", "array"]}, "$ref": STR, "properties": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JSONSchema"}}}}

schemas = {
    "Id": {"type": "string", "format": "uuid", "pattern": LOWER_UUID, "description": "идентификатор: UUID строчными буквами"},
    "Error": obj({"error": s("машинный код ошибки"), "reason": s("объяснение на русском")},
                 {"fields": arr(obj({"field": STR, "message": STR}), description="поля запроса с ошибками")}),
    "Token": obj({"token": STR, "expiresAt": DATETIME, "role": enum(*ROLES)}),
    "Me": obj({"id": ID, "email": STR, "name": STR, "role": enum(*ROLES), "regionCode": enum(*REGIONS), "mayConfirmCertificates": BOOL},
              {"municipalityId": ID, "providerId": ID}),
    "Region": obj({"code": enum(*REGIONS), "name": STR, "timeZone": s("часовой пояс IANA")}),
    "Municipality": obj({"id": ID, "regionCode": enum(*REGIONS), "code": s(pattern="^[0-9]{2}$"), "name": STR, "kind": enum(*MUNICIPALITY_KIND),
                         "childrenIsEstimate": BOOL}, {"children5to17": with_desc(COUNT, "детей 5–17 лет (оценка, если childrenIsEstimate)")}),
    "Direction": coded(DIRECTIONS),
    "Classifiers": obj({"directions": arr(coded(DIRECTIONS)), "levels": arr(coded(LEVELS)), "forms": arr(coded(FORMS)),
                        "disabilities": arr(coded(DISABILITIES)), "providerKinds": arr(coded(PROVIDER_KINDS)),
                        "ownership": arr(coded(OWNERSHIP)), "roles": arr(coded(ROLES))}),
    "ActivityKind": obj({"code": enum(*ACTIVITY_KINDS), "title": STR, "direction": enum(*DIRECTIONS)}),
    "Child": obj({"id": ID, "surname": STR, "name": STR, "patronymic": s("пустая строка, если отчества нет"), "birthDate": DATE,
                  "sex": enum(*SEX), "municipalityId": ID}),
    "Balance": obj({"periodId": ID, "granted": KOPECKS, "available": KOPECKS, "reserved": KOPECKS, "spent": KOPECKS, "expired": KOPECKS}),
    "Certificate": obj({"id": ID, "childId": ID, "kind": enum(*CERTIFICATE_KIND, desc="accounting — учёта, financing — ПФ"),
                        "status": enum(*CERTIFICATE_STATUS), "frozen": BOOL, "closesOn": DATE},
                       {"number": s("номер: код региона, муниципалитета и порядковый номер", pattern="^[0-9]{10}$"),
                        "rejectionReason": STR, "balances": arr(ref("Balance"), description="остатки по периодам (только в GET /certificates/{id})")}),
    "Provider": obj({"id": ID, "fullName": STR, "shortName": STR, "kind": enum(*PROVIDER_KINDS), "ownership": enum(*OWNERSHIP),
                     "inn": s(pattern="^([0-9]{10}|[0-9]{12})$"), "ogrn": s(pattern="^([0-9]{13}|[0-9]{15})$"), "municipalityId": ID,
                     "status": enum(*PROVIDER_STATUS), "isIssuingPoint": BOOL}, {"kpp": s(pattern="^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")}),
    "Module": obj({"id": ID, "name": STR, "months": {"type": "integer", "minimum": 1, "maximum": 12}, "hours": {"type": "integer", "minimum": 1},
                   "minChildren": {"type": "integer", "minimum": 1}, "maxChildren": {"type": "integer", "minimum": 1}, "price": KOPECKS},
                  {"normative": with_desc(KOPECKS, "нормативная стоимость, после сертификации")}),
    "StudyGroup": obj({"id": ID, "moduleId": ID, "name": STR, "teacher": STR, "address": STR, "startsOn": DATE, "endsOn": DATE,
                       "capacity": {"type": "integer", "minimum": 1}, "taken": COUNT, "schedule": SCHEDULE, "status": enum(*GROUP_STATUS)},
                      {"latitude": {"type": "number"}, "longitude": {"type": "number"}, "enrollFrom": DATE, "enrollUntil": DATE}),
    "Program": obj({"id": ID, "providerId": ID, "name": STR, "annotation": STR, "direction": enum(*DIRECTIONS),
                    "activityKinds": arr(enum(*ACTIVITY_KINDS)), "level": enum(*LEVELS), "form": enum(*FORMS), "distance": BOOL,
                    "ageFromMonths": {"type": "integer", "minimum": 60, "maximum": 215}, "ageToMonths": {"type": "integer", "minimum": 60, "maximum": 215},
                    "disabilities": arr(enum(*DISABILITIES)), "funding": enum(*FUNDING), "status": enum(*PROGRAM_STATUS)},
                   {"statusReason": s("причина отказа в сертификации"),
                    "modules": arr(ref("Module"), description="в ответе об одной программе"),
                    "groups": arr(ref("StudyGroup"), description="в ответе об одной программе")}),
    "MonthPart": obj({"month": MONTH, "certificate": KOPECKS, "parent": KOPECKS}),
    "Quote": obj({"full": KOPECKS, "normative": KOPECKS, "certificate": KOPECKS, "parent": KOPECKS, "months": MONTHS}),
    "GroupQuote": obj({"groupId": ID, "childId": ID, "start": DATE, "balance": with_desc(INT, "доступно на сертификате, копейки"),
                       "months": MONTHS, "mayApply": BOOL, "groupFull": BOOL, "overlaps": arr(STR, description="пересечения с расписанием ребёнка")},
                      {"end": DATE, "full": KOPECKS, "normative": KOPECKS, "certificate": KOPECKS, "parent": KOPECKS,
                       "refusal": s("код причины, по которой записаться нельзя"), "reason": s("причина на русском")}),
    "Application": obj({"id": ID, "number": s(pattern="^Д-[0-9A-F]{8}$"), "status": enum(*CONTRACT_STATUS), "statusTitle": STR,
                        "childId": ID, "groupId": ID, "programId": ID, "moduleId": ID, "providerId": ID, "certificateId": ID,
                        "funding": enum(*FUNDING), "start": DATE, "end": DATE, "full": KOPECKS, "certificate": KOPECKS, "parent": KOPECKS,
                        "months": MONTHS, "fromWaitlist": BOOL, "createdAt": DATETIME},
                       {"answerDue": with_desc(DATETIME, "срок ответа поставщика или родителя"), "reason": STR,
                        "previousId": with_desc(ID, "договор прошлого периода, который продлевает этот"),
                        "prolongation": enum(*PROLONGATION, desc="продление на следующий период: родитель извещён, отказался, продлён, не продлён")}),
    "WaitlistEntry": obj({"id": ID, "groupId": ID, "childId": ID, "start": DATE, "status": enum(*WAITLIST_STATUS)},
                         {"position": {"type": "integer", "minimum": 1}, "applicationId": ID, "reason": STR}),
    "Agreement": obj({"id": ID, "number": s(pattern="^С-[0-9A-F]{8}$"), "municipalityId": ID, "providerId": ID, "status": enum(*AGREEMENT_STATUS), "concludedOn": DATE},
                     {"terminatedOn": DATE}),
    "Period": obj({"id": ID, "startsOn": DATE, "endsOn": DATE, "status": enum(*PERIOD_STATUS), "contractingOpen": BOOL}),
    "CertificateGroup": obj({"id": ID, "name": STR, "capCount": COUNT, "capSum": KOPECKS, "returnAfterDays": {"type": "integer", "minimum": 1, "maximum": 365},
                             "carryOver": BOOL, "prorate": BOOL}),
    "MunicipalProgram": obj({"periods": arr(ref("Period")), "groups": arr(ref("CertificateGroup"))}),
    "Rollover": obj({"certificates": COUNT, "posted": COUNT}),
    "PriceCap": obj({"percent": {"type": "integer", "minimum": 50, "maximum": 300}}),
    # The catalogue (written by hand: every key present, absent values as null).
    "Facet": obj({"value": STR, "label": STR, "count": COUNT}),
    "ProgramSummary": obj({"id": ID, "name": STR, "provider": s("краткое наименование поставщика"), "providerId": ID, "direction": enum(*DIRECTIONS),
                           "activityKinds": arr(enum(*ACTIVITY_KINDS)), "level": enum(*LEVELS),
                           "ageFrom": {"type": "integer", "description": "полных лет"}, "ageTo": INT, "ageFromMonths": INT, "ageToMonths": INT,
                           "municipality": s("регион и муниципалитет, например 42-33", pattern="^[0-9]{2}-[0-9]{2}$"), "municipalityName": STR,
                           "funding": enum(*FUNDING), "minPrice": KOPECKS, "freePlaces": COUNT, "ovz": BOOL,
                           "url": s("страница программы", pattern="^/catalog/programs/[0-9a-f-]{36}$")}),
    "SearchResult": obj({"total": COUNT, "page": {"type": "integer", "minimum": 1}, "per": {"type": "integer", "minimum": 1, "maximum": 100},
                         "items": arr(ref("ProgramSummary")),
                         "facets": obj({k: arr(ref("Facet")) for k in FACETS}, desc="значения фильтров с числом программ")}),
    "CatalogModule": obj({"id": ID, "name": STR, "months": INT, "hours": INT, "price": KOPECKS, "normative": nullable(KOPECKS)}),
    "CatalogGroup": obj({"id": ID, "moduleId": ID, "name": STR, "teacher": STR, "address": STR, "latitude": nullable({"type": "number"}),
                         "longitude": nullable({"type": "number"}), "startsOn": DATE, "endsOn": DATE, "capacity": INT, "freePlaces": COUNT,
                         "open": BOOL, "schedule": SCHEDULE}),
    "CatalogProgram": obj({"id": ID, "name": STR, "annotation": STR, "provider": obj({"id": ID, "name": STR}), "region": enum(*REGIONS),
                           "municipality": s(pattern="^[0-9]{2}-[0-9]{2}$"), "municipalityName": STR, "direction": enum(*DIRECTIONS),
                           "directionTitle": STR, "activityKinds": arr(enum(*ACTIVITY_KINDS)), "activityKindTitles": arr(STR), "level": enum(*LEVELS),
                           "form": enum(*FORMS), "ageFromMonths": INT, "ageToMonths": INT, "funding": enum(*FUNDING), "disabilities": arr(enum(*DISABILITIES)),
                           "minPrice": KOPECKS, "freePlaces": COUNT, "modules": arr(ref("CatalogModule")), "groups": arr(ref("CatalogGroup")),
                           "updatedAt": DATETIME, "deleted": {"type": "boolean", "const": False}}),
    "CatalogProvider": obj({"id": ID, "name": STR, "fullName": STR, "kind": enum(*PROVIDER_KINDS), "ownership": enum(*OWNERSHIP), "inn": STR,
                            "address": STR, "phone": nullable(STR), "email": nullable(STR), "website": nullable(STR),
                            "municipality": nullable(s(pattern="^[0-9]{2}-[0-9]{2}$")), "programs": arr(ref("ProgramSummary"))}),
    "JSONSchema": JSON_SCHEMA,
    "OpenAPIDocument": obj({
        "openapi": {"type": "string", "const": "3.1.0"},
        "info": obj({"title": STR, "version": STR, "description": STR}),
        "servers": arr(obj({"url": STR})),
        "paths": {"type": "object", "propertyNames": {"pattern": "^/api/v1/"}, "additionalProperties": {"type": "object",
                  "propertyNames": {"enum": ["get", "post", "delete"]},
                  "additionalProperties": {"type": "object", "required": ["operationId", "responses"], "properties": {
                      "summary": STR, "operationId": STR, "tags": arr(STR), "x-roles": arr(enum(*ROLES)),
                      "security": arr({"type": "object", "additionalProperties": arr(STR)}),
                      "parameters": arr(obj({"name": STR, "in": enum("path", "query", "header"), "required": BOOL, "schema": ref("JSONSchema")},
                                            {"description": STR})),
                      "requestBody": {"type": "object", "properties": {"required": BOOL, "content": {"type": "object", "additionalProperties": {
                          "type": "object", "properties": {"schema": ref("JSONSchema")}}}}},
                      "responses": {"type": "object", "propertyNames": {"pattern": "^[1-5][0-9]{2}$"}, "additionalProperties": {
                          "type": "object", "required": ["description"], "properties": {"description": STR, "content": {"type": "object",
                          "additionalProperties": {"type": "object", "properties": {"schema": ref("JSONSchema")}}}}}}}}}},
        "components": obj({"schemas": {"type": "object", "additionalProperties": ref("JSONSchema")},
                           "securitySchemes": {"type": "object", "additionalProperties": {"type": "object", "properties": {"type": STR, "scheme": STR}}}}),
    }, desc="этот документ"),
}

# ---- request bodies -----------------------------------------------------------------------------------------

def text(max_length, desc=None, **kw):
    return {"type": "string", "maxLength": max_length, **({"description": desc} if desc else {}), **kw}

PERSON_NAME = text(60, "буквы, дефис, пробел, апостроф", pattern="^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё' -]*$")
REASON = text(500, minLength=1)
schemas.update({
    "TokenRequest": body({"email": text(254), "password": text(128)}),
    "QuoteRequest": body({**{k: DATE for k in ("groupStart", "groupEnd")}, **{k: {"type": "integer", "minimum": 0, "maximum": 10000000000} for k in ("price", "normative")},
                          **{k: DATE for k in ("contractStart", "contractEnd")}, "balance": {"type": "integer", "minimum": 0, "maximum": 10000000000}},
                         desc="суммы — копейки, даты — ГГГГ-ММ-ДД; договор в пределах группы"),
    "ChildInput": body({"surname": PERSON_NAME, "name": PERSON_NAME, "birthDate": DATE_IN, "sex": enum(*SEX),
                        "snils": text(14, "11 цифр, можно с дефисами и пробелом: 123-456-789 64", pattern="^[0-9 -]+$"),
                        "birthCertificateSeries": text(9, "римские цифры, дефис, две заглавные русские буквы: I-ЛО", pattern="^[IVXLC]{1,6}-[А-ЯЁ]{2}$"),
                        "birthCertificateNumber": text(6, "6 цифр", pattern="^[0-9]{6}$")},
                       {"patronymic": PERSON_NAME}),
    "ProviderCard": body({"fullName": text(500), "shortName": text(200), "kind": enum(*PROVIDER_KINDS), "ownership": enum(*OWNERSHIP),
                          "inn": text(12, "10 цифр (организация) или 12 (ИП)"), "ogrn": text(15, "ОГРН 13 цифр или ОГРНИП 15"),
                          "legalAddress": text(500), "actualAddress": text(500)},
                         {"kpp": text(9, "обязателен для организации, у ИП нет"), "licenceNumber": text(60, "обязателен, кроме ИП без найма"),
                          "licenceDate": with_desc(DATE_IN, "дата лицензии, не позже сегодняшней"), "phone": text(30, pattern="^[0-9 +()-]*$"),
                          "email": text(254), "website": text(200, "https://…"), "bankName": text(200), "bankBIK": text(9, "9 цифр"),
                          "bankAccount": text(20, "20 цифр"), "bankCorrespondentAccount": text(20, "20 цифр")}),
    "ProviderRegistration": body({"card": ref("ProviderCard"), "municipalityId": ID_IN, "staffSurname": text(60), "staffName": text(60),
                                  "staffEmail": text(254), "staffPassword": text(128, "от 8 символов, буквы и цифры", minLength=8)}),
    "ProgramInput": body({"name": text(200), "annotation": text(5000), "direction": enum(*DIRECTIONS),
                          "activityKinds": arr(enum(*ACTIVITY_KINDS), minItems=1, description="коды видов деятельности этой направленности"),
                          "level": enum(*LEVELS), "form": enum(*FORMS),
                          "ageFromMonths": {"type": "integer", "minimum": 60, "maximum": 215, "description": "возраст «с», месяцы (5 лет — 17 лет 11 мес.)"},
                          "ageToMonths": {"type": "integer", "minimum": 60, "maximum": 215, "description": "возраст «по», месяцы, не меньше ageFromMonths"},
                          "funding": enum(*FUNDING)},
                         {"distance": BOOL, "disabilities": arr(enum(*DISABILITIES))}),
    "ModuleInput": body({"name": text(200), "months": {"type": "integer", "minimum": 1, "maximum": 12}, "hours": {"type": "integer", "minimum": 1, "maximum": 2000},
                         "minChildren": {"type": "integer", "minimum": 1, "maximum": 100}, "maxChildren": {"type": "integer", "minimum": 1, "maximum": 100}},
                        {"price": {"type": "integer", "minimum": 0, "maximum": 10000000000, "description": "копейки за модуль; больше нуля, кроме бесплатной программы"}}),
})
GROUP_FIELDS = ({"name": text(100), "teacher": text(150), "address": text(300), "startsOn": DATE_IN, "endsOn": DATE_IN,
                 "capacity": {"type": "integer", "minimum": 1, "maximum": 100, "description": "не больше максимальной наполняемости модуля"},
                 "schedule": arr(obj({"day": {"type": "integer", "minimum": 1, "maximum": 7}, "start": s(pattern="^[0-9]{1,2}:[0-9]{2}$"),
                                      "end": s(pattern="^[0-9]{1,2}:[0-9]{2}$")}, closed=False), minItems=1, maxItems=14)},
                {"latitude": {"type": "number", "minimum": 41, "maximum": 82}, "longitude": {"type": "number", "minimum": 19, "maximum": 180},
                 "enrollFrom": DATE_IN, "enrollUntil": DATE_IN, "status": enum(*GROUP_STATUS, desc="по умолчанию open")})
schemas["NewGroupInput"] = body({"moduleId": ID_IN, **GROUP_FIELDS[0]}, GROUP_FIELDS[1])
schemas["GroupInput"] = body(GROUP_FIELDS[0], {"moduleId": with_desc(ID_IN, "по умолчанию — прежний модуль"), **GROUP_FIELDS[1]})
schemas["CertificateGroupInput"] = body({"name": text(100), "capCount": {"type": "integer", "minimum": 0, "maximum": 10000000, "description": "лимит числа сертификатов ПФ"},
                                         "capSum": with_desc({"type": "integer", "minimum": 0}, "лимит суммы номиналов, копейки"),
                                         "returnAfterDays": {"type": "integer", "minimum": 1, "maximum": 365}},
                                        {"carryOver": BOOL, "prorate": BOOL})

# ---- operations ---------------------------------------------------------------------------------------------

ERROR_TEXT = {
    "400": "Неверный запрос: параметр, идентификатор, тело или ключ повтора; недопустимые символы",
    "401": "Нет входа или токен недействителен",
    "403": "Роль не допускает действие",
    "404": "Не найдено или вне области доступа",
    "409": "Состояние не допускает действие (или запрос с этим ключом повтора ещё выполняется)",
    "413": "Слишком большое тело запроса",
    "415": "Ожидается тело в формате JSON",
    "422": "Ошибки в полях (каждое названо в fields) или ключ повтора использован для другого запроса",
    "429": "Слишком много попыток входа (заголовок Retry-After)",
}
ALL = ROLES
BEARER = [{"bearer": []}]
IDEM = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
        "description": "Ключ повтора: запрос с тем же ключом возвращает первый ответ и ничего не делает второй раз"}
PATH_ID = {"name": "id", "in": "path", "required": True, "schema": ID_IN}
Q = lambda name, schema, desc, required=False: {"name": name, "in": "query", "required": required, "schema": schema, "description": desc}
PAGE = [Q("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Страница"), Q("per", {"type": "integer", "minimum": 1, "maximum": 100}, "Записей на странице")]

paths = {}


def add(method, path, op_id, summary, tag, ok, roles=None, params=None, req=None, errors=(), status="200", ctype="application/json"):
    """`roles`: None for a public operation, else the roles that may call it (`x-roles`; the others get 403). `req`: the request body
    (a schema) when the operation reads one as JSON. `errors`: the statuses particular to the operation; those every
    operation of its kind can return are added here."""
    responses = {status: {"description": "Нет содержимого" if ok is None else "OK"}}
    if ok is not None:
        responses[status]["content"] = {ctype: {"schema": ok}}
    codes = {"400", *errors}
    if roles is not None:
        codes.add("401")
        if set(roles) != set(ALL): codes.add("403")
    if method != "get":
        codes.add("413")
        if path != "/auth/token":
            codes |= {"409", "422"}  # the Idempotency-Key: in progress, reused for another request
    if req is not None and path != "/quote":
        codes.add("415")
    for c in sorted(codes):
        responses[c] = {"description": ERROR_TEXT[c], "content": {"application/json": {"schema": ref("Error")}}}
    o = {"operationId": op_id, "summary": summary, "tags": [tag]}
    if roles is not None:
        o["security"] = BEARER
        o["x-roles"] = list(roles)
    parameters = ([PATH_ID] if "{id}" in path else []) + (params or [])
    if method != "get" and path != "/auth/token":
        parameters.append(IDEM)
    if parameters: o["parameters"] = parameters
    if req is not None:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": req}}}
    o["responses"] = responses
    paths.setdefault("/api/v1" + path, {})[method] = o


def page(item): return obj({"total": COUNT, "page": {"type": "integer", "minimum": 1}, "per": {"type": "integer", "minimum": 1, "maximum": 100}, "items": arr(item)})

STAFF = ["operator", "municipality", "provider", "monitor"]

# the description, sign-in, reference data
add("get", "/openapi.json", "openapi", "Это описание API (OpenAPI 3.1)", "Справочники", ref("OpenAPIDocument"))
add("post", "/auth/token", "token", "Выдать токен по адресу и паролю (поля, которых нет, — 400)", "Вход", ref("Token"), req=ref("TokenRequest"),
    errors=("401", "429"))
add("delete", "/auth/token", "revokeToken", "Отозвать токен", "Вход", None, roles=ALL, status="204")
add("get", "/me", "me", "Текущий пользователь", "Вход", ref("Me"), roles=ALL)
add("get", "/reference/regions", "regions", "Регионы", "Справочники", arr(ref("Region")))
add("get", "/reference/municipalities", "municipalities", "Муниципалитеты", "Справочники", arr(ref("Municipality")),
    params=[Q("region", enum(*REGIONS), "Код региона")])
add("get", "/reference/directions", "directions", "Направленности", "Справочники", arr(ref("Direction")))
add("get", "/reference/classifiers", "classifiers", "Классификаторы: направленности, уровни, формы, ОВЗ, типы поставщиков, собственность, роли",
    "Справочники", ref("Classifiers"))
add("get", "/reference/activity-kinds", "activityKinds", "Виды деятельности (все или одной направленности)", "Справочники", arr(ref("ActivityKind")),
    params=[Q("direction", enum(*DIRECTIONS), "Только виды этой направленности")])
add("post", "/quote", "quote", "Расчёт стоимости договора (§6); тело читается как JSON при любом Content-Type", "Зачисление", ref("Quote"),
    req=ref("QuoteRequest"))

# the catalogue and open data
SEARCH_PARAMS = [
    Q("q", {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "Запрос в любой словоформе, допускается одна опечатка в длинных словах"),
    Q("region", enum(*REGIONS), "Код региона"),
    Q("municipality", {"type": "string", "pattern": "^[0-9]{2}-[0-9]{2}$"}, "Регион и муниципалитет, например 42-33 (несуществующий код ничего не находит)"),
    Q("direction", enum(*DIRECTIONS), "Направленность"),
    Q("activityKind", {"type": "string", "maxLength": 64, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "Вид деятельности (код из /reference/activity-kinds; неизвестный код ничего не находит)"),
    Q("age", {"type": "integer", "minimum": 5, "maximum": 17}, "Возраст ребёнка, полных лет"),
    Q("level", enum(*LEVELS), "Уровень"),
    Q("funding", enum(*FUNDING), "Оплата: по сертификату, бесплатно, платно"),
    Q("day", {"type": "integer", "minimum": 1, "maximum": 7}, "День недели занятий, 1 — понедельник"),
    Q("time", enum(*DAY_PARTS), "Время начала занятий"),
    Q("free", enum("1", "0", "true", "false", "on"), "1 (true, on) — только группы со свободными местами"),
    Q("ovz", {"type": "string", "maxLength": 64, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "any или код категории ОВЗ"),
    Q("provider", ID_IN, "Только программы поставщика"),
    Q("sort", enum("relevance", "rating", "price", "start"), "Сортировка"),
    Q("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "Страница"),
    Q("per", {"type": "integer", "minimum": 1, "maximum": 100}, "Программ на странице"),
]
add("get", "/catalog/search", "catalogSearch", "Поиск и фильтры каталога программ", "Каталог", ref("SearchResult"), params=SEARCH_PARAMS)
add("get", "/catalog/programs/{id}", "catalogProgram", "Программа каталога с модулями и группами", "Каталог", ref("CatalogProgram"), errors=("404",))
add("get", "/catalog/providers/{id}", "catalogProvider", "Поставщик и его опубликованные программы", "Каталог", ref("CatalogProvider"), errors=("404",))
add("get", "/catalog/export.csv", "exportCSV", "Открытые данные: программы и группы (CSV, UTF-8, RFC 4180)", "Открытые данные",
    {"type": "string"}, ctype="text/csv")
add("get", "/catalog/export.jsonl", "exportJSONL", "Открытые данные: одна программа в строке (JSON Lines; снятые с публикации — с deleted: true)",
    "Открытые данные", {"type": "string"}, ctype="application/x-ndjson")

# children and certificates
add("get", "/children", "children", "Дети в области доступа", "Сертификаты", page(ref("Child")), roles=ALL, params=PAGE)
add("post", "/children", "createChild", "Добавить ребёнка (родитель)", "Сертификаты", ref("Child"), roles=["parent"], req=ref("ChildInput"),
    status="201")
add("get", "/children/{id}", "child", "Ребёнок", "Сертификаты", ref("Child"), roles=ALL, errors=("404",))
add("post", "/children/{id}/certificate", "applyCertificate", "Заявление на сертификат (родитель; тело не читается)", "Сертификаты", ref("Certificate"),
    roles=["parent"], errors=("404",), status="201")
add("get", "/certificates", "certificates", "Сертификаты в области доступа", "Сертификаты", page(ref("Certificate")), roles=ALL,
    params=[Q("status", enum(*CERTIFICATE_STATUS), "Статус")] + PAGE)
add("get", "/certificates/{id}", "certificate", "Сертификат с остатками по периодам", "Сертификаты", ref("Certificate"), roles=ALL, errors=("404",))
add("post", "/certificates/{id}/confirm", "certificateConfirm", "Подтвердить личность и выдать номер (муниципалитет, пункт выдачи; тело не читается)",
    "Сертификаты", ref("Certificate"), roles=["municipality", "provider"], errors=("404",))
add("post", "/certificates/{id}/reject", "certificateReject", "Отклонить заявление (муниципалитет, пункт выдачи)", "Сертификаты", ref("Certificate"),
    roles=["municipality", "provider"], req=body({"reason": REASON}), errors=("404",))
add("post", "/certificates/{id}/financing", "certificateFinancing", "Перевести в сертификат ПФ (родитель; тело не читается)", "Сертификаты",
    ref("Certificate"), roles=["parent"], errors=("404",))

# the provider registry
add("post", "/providers", "registerProvider", "Регистрация поставщика с учётной записью сотрудника", "Реестр поставщиков", ref("Provider"),
    req=ref("ProviderRegistration"), status="201")
add("get", "/providers", "providers", "Поставщики в области доступа (до 1000)", "Реестр поставщиков", arr(ref("Provider")), roles=ALL,
    params=[Q("status", enum(*PROVIDER_STATUS), "Статус")])
add("get", "/providers/{id}", "provider", "Карточка поставщика", "Реестр поставщиков", ref("Provider"), roles=ALL, errors=("404",))
add("post", "/providers/{id}/moderate", "moderateProvider", "Модерация: approve, refuse, ban (причина — для refuse и ban)", "Реестр поставщиков",
    ref("Provider"), roles=["operator"], req=body({"decision": enum("approve", "refuse", "ban")}, {"reason": text(500)}), errors=("404",))
add("post", "/providers/{id}/issuing-point", "issuingPoint", "Назначить пунктом выдачи сертификатов или снять (муниципалитет)", "Реестр поставщиков",
    ref("Provider"), roles=["municipality"], req=body({"value": BOOL}), errors=("404",))

# the program registry
add("get", "/programs", "programs", "Программы в области доступа (до 1000, без модулей и групп)", "Реестр программ", arr(ref("Program")), roles=ALL,
    params=[Q("status", enum(*PROGRAM_STATUS), "Статус")])
add("post", "/programs", "createProgram", "Создать программу (черновик)", "Реестр программ", ref("Program"), roles=["provider"], req=ref("ProgramInput"),
    status="201")
add("get", "/programs/{id}", "program", "Программа с модулями и группами", "Реестр программ", ref("Program"), roles=ALL, errors=("404",))
add("post", "/programs/{id}", "updateProgram", "Изменить карточку программы", "Реестр программ", ref("Program"), roles=["provider"],
    req=ref("ProgramInput"), errors=("404",))
add("post", "/programs/{id}/modules", "addModule", "Добавить модуль", "Реестр программ", ref("Module"), roles=["provider"], req=ref("ModuleInput"),
    errors=("404",), status="201")
add("post", "/modules/{id}", "updateModule", "Изменить модуль", "Реестр программ", ref("Module"), roles=["provider"], req=ref("ModuleInput"), errors=("404",))
add("post", "/programs/{id}/groups", "addGroup", "Добавить группу", "Реестр программ", ref("StudyGroup"), roles=["provider"], req=ref("NewGroupInput"),
    errors=("404",), status="201")
add("post", "/groups/{id}", "updateGroup", "Изменить группу", "Реестр программ", ref("StudyGroup"), roles=["provider"], req=ref("GroupInput"), errors=("404",))
add("post", "/programs/{id}/submit", "submitProgram", "Отправить на сертификацию (тело не читается)", "Реестр программ", ref("Program"), roles=["provider"],
    errors=("404",))
add("post", "/programs/{id}/certify", "certifyProgram", "Сертифицировать: нормативная стоимость каждого модуля по порядку, копейки", "Реестр программ",
    ref("Program"), roles=["operator"], req=body({"normatives": arr({"type": "integer", "minimum": 1}, minItems=1, description="по одной на модуль, в порядке модулей")}),
    errors=("404",))
add("post", "/programs/{id}/refuse", "refuseProgram", "Отказать в сертификации", "Реестр программ", ref("Program"), roles=["operator"],
    req=body({"reason": REASON}), errors=("404",))
add("post", "/programs/{id}/archive", "archiveProgram", "Перенести в архив (тело не читается)", "Реестр программ", ref("Program"),
    roles=["provider", "operator"], errors=("404",))
add("post", "/operator/price-cap", "priceCap", "Предельная цена модуля, % нормативной стоимости, для региона оператора", "Реестр программ", ref("PriceCap"),
    roles=["operator"], req=body({"percent": {"type": "integer", "minimum": 50, "maximum": 300}}))

# the municipality's programme
add("get", "/municipality/program", "municipalProgram", "Программа ПФДО муниципалитета: периоды и группы сертификатов", "Программа ПФДО",
    ref("MunicipalProgram"), roles=["municipality"])
add("post", "/municipality/periods", "createPeriod", "Создать период", "Программа ПФДО", ref("Period"), roles=["municipality"],
    req=body({"startsOn": DATE_IN, "endsOn": DATE_IN}, {"contractingOpen": BOOL}), status="201")
add("post", "/municipality/periods/close", "closePeriod", "Закрыть текущий период после его окончания и закрытия последнего месяца; досрочно — только с телом {\"beforeEnd\": true} (записывается в журнал); иначе 409 с суммой, которая будет списана", "Программа ПФДО", ref("Rollover"), roles=["municipality"])
add("post", "/municipality/periods/open", "openPeriod", "Открыть следующий период (не раньше чем за 14 дней до начала; раньше — только с телом {\"beforeEnd\": true})", "Программа ПФДО", ref("Rollover"), roles=["municipality"])
add("post", "/municipality/groups", "createCertificateGroup", "Создать группу сертификатов", "Программа ПФДО", ref("CertificateGroup"),
    roles=["municipality"], req=ref("CertificateGroupInput"), status="201")
add("post", "/municipality/groups/{id}", "updateCertificateGroup", "Изменить группу сертификатов", "Программа ПФДО", ref("CertificateGroup"),
    roles=["municipality"], req=ref("CertificateGroupInput"), errors=("404",))
add("post", "/municipality/groups/{id}/nominal", "setNominal", "Номинал группы на период, копейки", "Программа ПФДО", None, roles=["municipality"],
    req=body({"periodId": ID_IN, "nominal": {"type": "integer", "minimum": 0}}), errors=("404",), status="204")
add("post", "/municipality/certificates/{id}/freeze", "freezeCertificate", "Заморозить или разморозить сертификат", "Программа ПФДО", ref("Certificate"),
    roles=["municipality"], req=body({"frozen": BOOL}), errors=("404",))

# enrollment (§6, §7)
START = with_desc(DATE, "дата начала договора, ГГГГ-ММ-ДД (по умолчанию — начало группы или сегодня)")
add("get", "/groups/{id}/quote", "groupQuote", "Расчёт по группе для ребёнка: что платит сертификат и что родитель, по месяцам", "Зачисление",
    ref("GroupQuote"), roles=ALL, params=[Q("child", ID_IN, "Ребёнок", required=True), Q("start", DATE, "Дата начала договора")], errors=("404", "422"))
add("get", "/applications", "applications", "Заявки и договоры в области доступа (до 1000, новые сначала)", "Зачисление", arr(ref("Application")),
    roles=ALL, params=[Q("status", enum(*CONTRACT_STATUS), "Статус"), Q("group", ID_IN, "Группа")])
add("post", "/applications", "apply", "Подать заявку: место и резерв средств сертификата берутся сразу", "Зачисление", ref("Application"),
    roles=["parent"], req=body({"group": ID_IN, "child": ID_IN}, {"start": START}), errors=("404",), status="201")
add("get", "/applications/{id}", "application", "Заявка или договор", "Зачисление", ref("Application"), roles=ALL, errors=("404",))
for a, who, summary in [("offer", ["provider"], "Поставщик принимает заявку: оферта родителю"),
                        ("withdraw", ["parent"], "Родитель отзывает заявку или отказывается от оферты"),
                        ("accept", ["parent"], "Родитель принимает оферту: договор действует"),
                        ("notice", ["parent", "provider"], "Расторжение: договор заканчивается в последний день месяца")]:
    add("post", f"/applications/{{id}}/{a}", "application" + a.title(), summary + " (тело не читается)", "Зачисление", ref("Application"),
        roles=who, errors=("404",))
add("post", "/applications/{id}/reject", "applicationReject", "Поставщик отклоняет заявку с причиной", "Зачисление", ref("Application"),
    roles=["provider"], req=body({"reason": text(500, "от 3 до 500 символов")}), errors=("404",))
add("post", "/applications/{id}/prolongation", "applicationProlongation",
    "Родитель отказывается от продления договора на следующий период (prolong: false) или отменяет отказ (true)", "Зачисление", ref("Application"),
    roles=["parent"], req=body({"prolong": BOOL}), errors=("404",))
add("get", "/groups/{id}/waitlist", "waitlist", "Очередь в группу (родитель видит свои записи)", "Зачисление", arr(ref("WaitlistEntry")), roles=ALL)
add("post", "/groups/{id}/waitlist", "joinWaitlist", "Встать в очередь в заполненную группу", "Зачисление", ref("WaitlistEntry"), roles=["parent"],
    req=body({"child": ID_IN}, {"start": START}), errors=("404",), status="201")
add("post", "/waitlist/{id}/leave", "leaveWaitlist", "Покинуть очередь (тело не читается)", "Зачисление", ref("WaitlistEntry"), roles=["parent"],
    errors=("404",))

# agreements
add("get", "/agreements", "agreements", "Соглашения муниципалитетов с поставщиками в области доступа", "Соглашения", arr(ref("Agreement")),
    roles=STAFF, params=[Q("provider", ID_IN, "Поставщик (не UUID — 422)")], errors=("422",))
add("post", "/agreements", "concludeAgreement", "Муниципалитет заключает соглашение с поставщиком своего региона", "Соглашения", ref("Agreement"),
    roles=["municipality"], req=body({"provider": ID_IN}), errors=("404",), status="201")
add("post", "/agreements/{id}/terminate", "terminateAgreement",
    "Муниципалитет расторгает соглашение: договоры действуют, новые заявки по сертификату не принимаются (тело не читается)", "Соглашения",
    ref("Agreement"), roles=["municipality"], errors=("404",))

# paying providers
HUNDREDTHS = {"type": "integer", "minimum": 0, "maximum": 10000, "description": "полнота в сотых долях процента: 8750 — 87,5 %"}
schemas["InvoiceLine"] = obj({"contractId": ID, "month": MONTH, "contractNumber": STR, "certificateNumber": STR, "childInitials": STR, "group": STR,
                              "part": KOPECKS, "completeness": HUNDREDTHS, "amount": KOPECKS, "advance": KOPECKS,
                              "due": {"type": "integer", "description": "копейки: начислено − аванс"}})
schemas["Invoice"] = obj({"id": ID, "number": STR, "municipalityId": ID, "providerId": ID, "provider": STR, "month": MONTH,
                          "kind": enum(*INVOICE_KIND), "status": enum(*INVOICE_STATUS), "finals": KOPECKS, "advances": KOPECKS,
                          "carried": {"type": "integer", "maximum": 0, "description": "копейки: отрицательный остаток прошлого итогового счёта"},
                          "due": {"type": "integer", "description": "копейки: начислено − аванс + перенесённое (может быть отрицательным)"},
                          "payable": KOPECKS, "dueOn": DATE},
                         {"paymentOrder": STR, "paidOn": DATE, "deletedReason": STR, "lines": arr(ref("InvoiceLine"))})
schemas["CompletenessChild"] = obj({"contractId": ID, "childInitials": STR, "certificateNumber": STR, "certificatePart": KOPECKS, "parentPart": KOPECKS},
                                   {"status": enum(*MONTH_STATUS), "completeness": HUNDREDTHS, "final": KOPECKS})
schemas["CompletenessGroup"] = obj({"groupId": ID, "name": STR, "program": STR, "certificateTotal": KOPECKS, "parentTotal": KOPECKS,
                                    "children": arr(ref("CompletenessChild"))}, {"completeness": HUNDREDTHS, "reason": STR})
schemas["Completeness"] = obj({"month": MONTH, "reportFrom": DATE, "reportUntil": DATE, "closed": BOOL, "groups": arr(ref("CompletenessGroup"))})
schemas["CompletenessReported"] = obj({"groupId": ID, "month": MONTH, "completeness": HUNDREDTHS})
schemas["MonthClosePreview"] = obj({"month": MONTH, "closed": BOOL, "closeFrom": DATE, "contractMonths": COUNT, "charge": KOPECKS, "correction": KOPECKS,
                                    "disputed": COUNT, "providers": COUNT})
schemas["MonthCloseResult"] = obj({"month": MONTH, "alreadyDone": BOOL, "contractMonths": COUNT, "charged": KOPECKS, "corrected": KOPECKS, "invoices": COUNT})
MONTH_Q = Q("month", MONTH_IN, "Месяц ГГГГ-ММ (по умолчанию — прошлый; не месяц — 422)")
add("get", "/provider/completeness", "completeness", "Группы поставщика за месяц: дети, суммы месяца, сообщённая полнота", "Оплата",
    ref("Completeness"), roles=["provider"], params=[MONTH_Q], errors=("422",))
add("post", "/provider/completeness", "reportCompleteness", "Сообщить полноту оказания услуги по группе за месяц (с 1-го по 5-й рабочий день следующего месяца)",
    "Оплата", ref("CompletenessReported"), roles=["provider"],
    req=body({"group": ID_IN, "month": MONTH_IN, "completeness": HUNDREDTHS}, {"reason": s("причина, если меньше 100 %")}), errors=("404",))
add("post", "/provider/advance", "requestAdvance", "Запросить аванс за месяц: 80 % части сертификата по действующим договорам (со 2-го рабочего дня месяца)",
    "Оплата", arr(ref("Invoice")), roles=["provider"], req=body({"month": MONTH_IN}), status="201")
add("get", "/invoices", "invoices", "Счета в области доступа", "Оплата", arr(ref("Invoice")), roles=STAFF,
    params=[Q("month", MONTH_IN, "Месяц ГГГГ-ММ"), Q("status", enum(*INVOICE_STATUS), "Статус")], errors=("422",))
add("get", "/invoices/{id}", "invoice", "Счёт со строками", "Оплата", ref("Invoice"), roles=STAFF, errors=("404",))
add("post", "/invoices/{id}/take", "takeInvoice", "Взять счёт в работу (тело не читается)", "Оплата", ref("Invoice"), roles=["municipality"], errors=("404",))
add("post", "/invoices/{id}/pay", "payInvoice", "Отметить оплату: номер и дата платёжного поручения", "Оплата", ref("Invoice"), roles=["municipality"],
    req=body({"order": text(40), "paidOn": DATE_IN}), errors=("404",))
add("post", "/invoices/{id}/delete", "deleteInvoice", "Удалить счёт с причиной (строки итогового счёта войдут в следующий)", "Оплата", ref("Invoice"),
    roles=["municipality"], req=body({"reason": text(500)}), errors=("404",))
add("get", "/municipality/month-close", "monthClosePreview", "Что сделает закрытие месяца, в рублях", "Оплата", ref("MonthClosePreview"),
    roles=["municipality"], params=[MONTH_Q], errors=("422",))
add("post", "/municipality/month-close", "closeMonth", "Закрыть месяц: списания с учётом полноты, итоговые счета (повторный запуск ничего не меняет)",
    "Оплата", ref("MonthCloseResult"), roles=["municipality"], req=body({"month": MONTH_IN}))

DISPUTE_STATUS = ["open", "upheld", "rejected"]
schemas["Dispute"] = obj({"id": ID, "contractId": ID, "month": MONTH, "text": STR, "status": enum(*DISPUTE_STATUS), "createdAt": DATETIME},
                         {"completeness": HUNDREDTHS, "decision": STR, "decidedAt": DATETIME})
add("post", "/applications/{id}/disputes", "openDispute", "Родитель оспаривает месяц договора (в течение 10 дней после его окончания)", "Оплата",
    ref("Dispute"), roles=["parent"], req=body({"month": MONTH_IN, "text": text(500)}), errors=("404",), status="201")
add("get", "/disputes", "disputes", "Споры в области доступа", "Оплата", arr(ref("Dispute")), roles=ALL)
add("post", "/disputes/{id}/decide", "decideDispute", "Муниципалитет решает спор: uphold (снизить полноту) или reject", "Оплата", ref("Dispute"),
    roles=["municipality"], req=body({"decision": enum("uphold", "reject"), "text": text(500)}, {"completeness": HUNDREDTHS}), errors=("404",))

schemas["TransferPlan"] = obj({"contractId": ID, "released": KOPECKS, "start": DATE, "mayTransfer": BOOL},
                              {"oldEndsOn": DATE, "end": DATE, "full": KOPECKS, "certificate": KOPECKS, "parent": KOPECKS, "months": MONTHS,
                               "refusal": STR, "reason": STR})
schemas["Transferred"] = obj({"id": ID, "previousContractId": ID})
add("post", "/applications/{id}/transfer", "transfer",
    "Перевод в другую группу. Без confirm: расчёт (что закончится, что вернётся на сертификат, новый договор по месяцам), ничего не меняет — 200 TransferPlan. "
    "С confirm: true — договор заканчивается в конце месяца, заявка в новую группу с 1-го числа следующего — 201 Transferred",
    "Зачисление", {"oneOf": [ref("TransferPlan"), ref("Transferred")]}, roles=["parent"], req=body({"group": ID_IN}, {"confirm": BOOL}), errors=("404",))

doc = {
    "openapi": "3.1.0",
    "info": {"title": "Навигатор дополнительного образования — API", "version": "1.0.0",
             "description": "Суммы — целые копейки; даты — ISO 8601 (ГГГГ-ММ-ДД), местные даты региона; моменты — ISO 8601 в UTC; "
                            "идентификаторы — UUID строчными буквами. Ошибки: {\"error\": код, \"reason\": текст на русском, \"fields\": [...]}. "
                            "Токен: POST /api/v1/auth/token, затем заголовок Authorization: Bearer <токен>. "
                            "x-roles операции — роли, которые проходят её проверку роли (остальные получают 403)."},
    "servers": [{"url": "/"}],
    "paths": paths,
    "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}
root = os.path.join(os.path.dirname(__file__), "..")
with open(os.path.join(root, "Resources", "openapi.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(paths)} paths, {sum(len(v) for v in paths.values())} operations")
