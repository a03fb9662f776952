#!/usr/bin/env python3
"""Writes Resources/openapi.json, the OpenAPI 3.1 description of /api/v1.

The Swift test `openAPIDescribesEveryRoute` fails when a route of the server is missing here (or a path here
has no route), and the e2e suite runs schemathesis against the served document, so keep them in step:
edit this script, run it, commit both."""
import json, os

ERR = {"$ref": "#/components/schemas/Error"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ERR}}}
def ok(schema, desc="OK", ctype="application/json"):
    return {"description": desc, "content": {ctype: {"schema": schema}}}
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
OBJ = {"type": "object"}
BEARER = [{"bearer": []}]

def op(summary, responses, tag, params=None, body=None, auth=False, op_id=None):
    o = {"summary": summary, "tags": [tag], "operationId": op_id, "responses": responses}
    if params: o["parameters"] = params
    if body:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if auth:
        o["security"] = BEARER
        o["responses"].setdefault("401", err("Нет входа или токен недействителен"))
    return o

def authed(summary, tag, op_id, schema=OBJ, params=None, body=None, created=False):
    r = {"201" if created else "200": ok(schema), "403": err("Роль не допускает действие"), "404": err("Не найдено или вне области доступа")}
    if body is not None:
        r["400"] = err("Неверный JSON или параметр"); r["415"] = err("Ожидается JSON"); r["422"] = err("Ошибки в полях"); r["409"] = err("Состояние не допускает действие")
    elif params:
        r["400"] = err("Неверный параметр")
    return op(summary, r, tag, params, body, True, op_id)

Q = lambda name, schema, desc: {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
SEARCH_PARAMS = [
    Q("q", {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "Запрос в любой словоформе, допускается одна опечатка в длинных словах"),
    Q("region", {"type": "string", "enum": ["42", "22"]}, "Код региона"),
    Q("municipality", {"type": "string", "pattern": "^[0-9]{2}-[0-9]{2}$"}, "Регион и муниципалитет, например 42-33 (несуществующий код ничего не находит)"),
    Q("direction", {"type": "string", "enum": ["tech", "science", "sport", "art", "tourism", "social"]}, "Направленность"),
    Q("activityKind", {"type": "string", "maxLength": 64, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "Вид деятельности (код из /reference/classifiers; неизвестный код ничего не находит)"),
    Q("age", {"type": "integer", "minimum": 5, "maximum": 17}, "Возраст ребёнка, полных лет"),
    Q("level", {"type": "string", "enum": ["start", "basic", "advanced"]}, "Уровень"),
    Q("funding", {"type": "string", "enum": ["certificate", "free", "paid"]}, "Оплата: по сертификату, бесплатно, платно"),
    Q("day", {"type": "integer", "minimum": 1, "maximum": 7}, "День недели занятий, 1 — понедельник"),
    Q("time", {"type": "string", "enum": ["morning", "afternoon", "evening"]}, "Время начала занятий"),
    Q("free", {"type": "string", "enum": ["1", "0", "true", "false", "on"]}, "1 (true, on) — только группы со свободными местами"),
    Q("ovz", {"type": "string", "maxLength": 64, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}, "any или код категории ОВЗ"),
    Q("provider", {"type": "string", "format": "uuid"}, "Только программы поставщика"),
    Q("sort", {"type": "string", "enum": ["relevance", "rating", "price", "start"]}, "Сортировка"),
    Q("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "Страница"),
    Q("per", {"type": "integer", "minimum": 1, "maximum": 100}, "Программ на странице"),
]

S = lambda *names: {n: {"type": "string"} for n in names}
schemas = {
    "Error": {"type": "object", "required": ["error", "reason"], "properties": {
        "error": {"type": "string"}, "reason": {"type": "string"},
        "fields": {"type": ["array", "null"], "items": {"type": "object", "required": ["field", "message"],
                   "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
    "ProgramSummary": {"type": "object", "required": ["id", "name", "provider", "direction", "ageFrom", "ageTo", "municipality", "funding", "minPrice", "freePlaces"],
        "properties": {**S("id", "name", "provider", "providerId", "direction", "level", "municipality", "municipalityName", "funding", "url"),
                       "activityKinds": {"type": "array", "items": {"type": "string"}},
                       "ageFrom": {"type": "integer", "description": "полных лет"}, "ageTo": {"type": "integer"},
                       "ageFromMonths": {"type": "integer"}, "ageToMonths": {"type": "integer"},
                       "minPrice": {"type": "integer", "description": "копейки"}, "freePlaces": {"type": "integer"}, "ovz": {"type": "boolean"}}},
    "Facet": {"type": "object", "required": ["value", "label", "count"], "properties": {**S("value", "label"), "count": {"type": "integer"}}},
    "SearchResult": {"type": "object", "required": ["total", "items", "facets"], "properties": {
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per": {"type": "integer"},
        "items": {"type": "array", "items": ref("ProgramSummary")},
        "facets": {"type": "object", "additionalProperties": {"type": "array", "items": ref("Facet")}}}},
    "CatalogProgram": {"type": "object", "required": ["id", "name", "provider", "modules", "groups", "updatedAt", "deleted"], "properties": {
        **S("id", "name", "annotation", "region", "municipality", "municipalityName", "direction", "directionTitle", "level", "form", "funding", "updatedAt"),
        "provider": {"type": "object", "properties": S("id", "name")},
        "activityKinds": {"type": "array", "items": {"type": "string"}}, "activityKindTitles": {"type": "array", "items": {"type": "string"}}, "disabilities": {"type": "array", "items": {"type": "string"}},
        "ageFromMonths": {"type": "integer"}, "ageToMonths": {"type": "integer"}, "minPrice": {"type": "integer"}, "freePlaces": {"type": "integer"},
        "deleted": {"type": "boolean"},
        "modules": {"type": "array", "items": {"type": "object", "properties": {**S("id", "name"), "months": {"type": "integer"}, "hours": {"type": "integer"},
                    "price": {"type": "integer"}, "normative": {"type": ["integer", "null"]}}}},
        "groups": {"type": "array", "items": {"type": "object", "properties": {
            **S("id", "moduleId", "name", "teacher", "address", "startsOn", "endsOn"), "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]}, "capacity": {"type": "integer"}, "freePlaces": {"type": "integer"}, "open": {"type": "boolean"},
            "schedule": {"type": "array", "items": {"type": "object", "properties": {"day": {"type": "integer"}, **S("start", "end")}}}}}}}},
    "CatalogProvider": {"type": "object", "required": ["id", "name", "programs"], "properties": {
        **S("id", "name", "fullName", "kind", "ownership", "inn", "address"), "phone": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]},
        "website": {"type": ["string", "null"]}, "municipality": {"type": ["string", "null"]},
        "programs": {"type": "array", "items": ref("ProgramSummary")}}},
    "ProgramInput": {"type": "object", "properties": {
        **S("name", "annotation", "direction", "level", "form", "funding"), "distance": {"type": "boolean"},
        "activityKinds": {"type": "array", "items": {"type": "string"}}, "disabilities": {"type": "array", "items": {"type": "string"}},
        "ageFromMonths": {"type": "integer"}, "ageToMonths": {"type": "integer"}}},
    "ModuleInput": {"type": "object", "properties": {"name": {"type": "string"}, "months": {"type": "integer"}, "hours": {"type": "integer"},
        "minChildren": {"type": "integer"}, "maxChildren": {"type": "integer"}, "price": {"type": "integer", "description": "копейки за модуль"}}},
    "GroupInput": {"type": "object", "properties": {
        "moduleId": {"type": "string", "format": "uuid"}, **S("name", "teacher", "address", "startsOn", "endsOn", "enrollFrom", "enrollUntil"),
        "status": {"type": "string", "enum": ["open", "closed"]}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
        "capacity": {"type": "integer"},
        "schedule": {"type": "array", "items": {"type": "object", "properties": {"day": {"type": "integer"}, **S("start", "end")}}}}},
    "Program": {"type": "object", "required": ["id", "providerId", "name", "status"], "properties": {
        **S("id", "providerId", "name", "annotation", "direction", "level", "form", "funding", "status"),
        "statusReason": {"type": ["string", "null"]}, "distance": {"type": "boolean"},
        "activityKinds": {"type": "array", "items": {"type": "string"}}, "disabilities": {"type": "array", "items": {"type": "string"}},
        "ageFromMonths": {"type": "integer"}, "ageToMonths": {"type": "integer"},
        "modules": {"type": ["array", "null"], "items": {"type": "object"}}, "groups": {"type": ["array", "null"], "items": {"type": "object"}}}},
    "Provider": {"type": "object", "required": ["id", "shortName", "status"], "properties": {
        **S("id", "fullName", "shortName", "kind", "ownership", "inn", "ogrn", "municipalityId", "status"), "kpp": {"type": ["string", "null"]},
        "isIssuingPoint": {"type": "boolean"}}},
    "Quote": {"type": "object", "required": ["full", "normative", "certificate", "parent", "months"], "properties": {
        "full": {"type": "integer"}, "normative": {"type": "integer"}, "certificate": {"type": "integer"}, "parent": {"type": "integer"},
        "months": {"type": "array", "items": {"type": "object", "required": ["month", "certificate", "parent"],
                   "properties": {"month": {"type": "string"}, "certificate": {"type": "integer"}, "parent": {"type": "integer"}}}}}},
}
MONTHS = {"type": "array", "items": {"type": "object", "required": ["month", "certificate", "parent"],
          "properties": {"month": {"type": "string"}, "certificate": {"type": "integer"}, "parent": {"type": "integer"}}}}
schemas["Application"] = {"type": "object", "required": ["id", "number", "status", "childId", "groupId", "start", "end", "full", "certificate", "parent", "months"],
    "properties": {**S("id", "number", "status", "statusTitle", "childId", "groupId", "programId", "moduleId", "providerId", "certificateId",
                       "funding", "start", "end", "createdAt"),
                   "answerDue": {"type": ["string", "null"], "description": "срок ответа поставщика или родителя"},
                   "reason": {"type": ["string", "null"]}, "fromWaitlist": {"type": "boolean"},
                   "previousId": {"type": ["string", "null"], "description": "договор прошлого периода, который продлевает этот"},
                   "prolongation": {"type": ["string", "null"], "enum": [None, "notified", "declined", "done", "skipped"],
                                    "description": "продление на следующий период: родитель извещён, отказался, продлён, не продлён"},
                   "full": {"type": "integer"}, "certificate": {"type": "integer"}, "parent": {"type": "integer"}, "months": MONTHS}}
schemas["GroupQuote"] = {"type": "object", "required": ["groupId", "childId", "start", "months", "mayApply", "groupFull"], "properties": {
    **S("groupId", "childId", "start"), "end": {"type": ["string", "null"]}, "balance": {"type": "integer"},
    **{k: {"type": ["integer", "null"]} for k in ("full", "normative", "certificate", "parent")}, "months": MONTHS,
    "mayApply": {"type": "boolean"}, "groupFull": {"type": "boolean"}, "refusal": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]},
    "overlaps": {"type": "array", "items": {"type": "string"}}}}
schemas["Agreement"] = {"type": "object", "required": ["id", "number", "municipalityId", "providerId", "status", "concludedOn"], "properties": {
    **S("id", "number", "municipalityId", "providerId", "concludedOn"), "status": {"type": "string", "enum": ["active", "terminated"]},
    "terminatedOn": {"type": ["string", "null"]}}}
schemas["WaitlistEntry"] = {"type": "object", "required": ["id", "groupId", "childId", "status"], "properties": {
    **S("id", "groupId", "childId", "start", "status"), "position": {"type": ["integer", "null"]},
    "applicationId": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]}}}

paths = {}
def add(path, method, o): paths.setdefault("/api/v1" + path, {})[method] = o

# public
add("/openapi.json", "get", op("Это описание API (OpenAPI 3.1)", {"200": ok(OBJ)}, "Справочники", op_id="openapi"))
add("/auth/token", "post", op("Выдать токен по адресу и паролю", {"200": ok(OBJ), "400": err("Нет полей"), "401": err("Неверные данные"),
    "415": err("Ожидается JSON"), "429": err("Слишком много попыток")}, "Вход",
    body={"type": "object", "required": ["email", "password"], "properties": S("email", "password")}, op_id="token"))
add("/auth/token", "delete", authed("Отозвать токен", "Вход", "revokeToken"))
add("/quote", "post", op("Расчёт стоимости договора (§6)", {"200": ok(ref("Quote")), "400": err("Неверное поле"), "415": err("Ожидается JSON")}, "Зачисление",
    body={"type": "object", "required": ["groupStart", "groupEnd", "price", "normative", "contractStart", "contractEnd", "balance"],
          "properties": {**{k: {"type": "string", "format": "date"} for k in ("groupStart", "groupEnd", "contractStart", "contractEnd")},
                         **{k: {"type": "integer", "minimum": 0, "maximum": 10000000000} for k in ("price", "normative", "balance")}}},
    op_id="quote"))
for p, s, i in [("/reference/regions", "Регионы", "regions"), ("/reference/municipalities", "Муниципалитеты", "municipalities"),
                ("/reference/directions", "Направленности", "directions"), ("/reference/classifiers", "Классификаторы", "classifiers"),
                ("/reference/activity-kinds", "Виды деятельности (все или одной направленности)", "activityKinds")]:
    add(p, "get", op(s, {"200": ok({"type": ["array", "object"]}), "400": err("Неверный параметр")}, "Справочники",
                     params=[Q("region", {"type": "string", "enum": ["42", "22"]}, "Код региона")] if i == "municipalities"
                     else [Q("direction", {"type": "string", "enum": ["tech", "science", "sport", "art", "tourism", "social"]}, "Направленность")]
                     if i == "activityKinds" else None, op_id=i))
add("/catalog/search", "get", op("Поиск и фильтры каталога программ", {"200": ok(ref("SearchResult")), "400": err("Неверный параметр")}, "Каталог",
    params=SEARCH_PARAMS, op_id="catalogSearch"))
add("/catalog/programs/{id}", "get", op("Программа каталога с модулями и группами", {"200": ok(ref("CatalogProgram")), "400": err("Неверный id"),
    "404": err("Нет в каталоге")}, "Каталог", params=[ID], op_id="catalogProgram"))
add("/catalog/providers/{id}", "get", op("Поставщик и его опубликованные программы", {"200": ok(ref("CatalogProvider")), "400": err("Неверный id"),
    "404": err("Нет в каталоге")}, "Каталог", params=[ID], op_id="catalogProvider"))
add("/catalog/export.csv", "get", op("Открытые данные: программы и группы (CSV, UTF-8, RFC 4180)", {"200": ok({"type": "string"}, ctype="text/csv")},
    "Открытые данные", op_id="exportCSV"))
add("/catalog/export.jsonl", "get", op("Открытые данные: одна программа в строке (JSON Lines)", {"200": ok({"type": "string"}, ctype="application/x-ndjson")},
    "Открытые данные", op_id="exportJSONL"))
add("/providers", "post", op("Регистрация поставщика с учётной записью сотрудника", {"201": ok(ref("Provider")), "400": err("Неверный JSON"),
    "415": err("Ожидается JSON"), "422": err("Ошибки в полях")}, "Реестр поставщиков",
    body={"type": "object", "properties": {"card": OBJ, "municipalityId": {"type": "string", "format": "uuid"},
          **S("staffSurname", "staffName", "staffEmail", "staffPassword")}}, op_id="registerProvider"))

# signed in
add("/me", "get", authed("Текущий пользователь", "Вход", "me"))
add("/children", "get", authed("Дети семьи", "Сертификаты", "children", {"type": "array"}))
add("/children", "post", authed("Добавить ребёнка", "Сертификаты", "createChild", body=OBJ, created=True))
add("/children/{id}", "get", authed("Ребёнок", "Сертификаты", "child", params=[ID]))
add("/children/{id}/certificate", "post", authed("Заявление на сертификат", "Сертификаты", "applyCertificate", params=[ID], body=OBJ, created=True))
add("/certificates", "get", authed("Сертификаты в области доступа", "Сертификаты", "certificates", {"type": "array"}, params=[Q("status", {"type": "string"}, "Статус")]))
add("/certificates/{id}", "get", authed("Сертификат с остатками", "Сертификаты", "certificate", params=[ID]))
for a, s in [("confirm", "Подтвердить личность и выдать номер"), ("reject", "Отклонить заявление"), ("financing", "Перевести в сертификат ПФ")]:
    add(f"/certificates/{{id}}/{a}", "post", authed(s, "Сертификаты", "certificate" + a.title(), params=[ID], body=OBJ))
add("/providers", "get", authed("Поставщики в области доступа", "Реестр поставщиков", "providers", {"type": "array", "items": ref("Provider")},
    params=[Q("status", {"type": "string", "enum": ["new", "active", "refused", "banned"]}, "Статус")]))
add("/providers/{id}", "get", authed("Карточка поставщика", "Реестр поставщиков", "provider", ref("Provider"), params=[ID]))
add("/providers/{id}/moderate", "post", authed("Модерация: approve, refuse, ban", "Реестр поставщиков", "moderateProvider", ref("Provider"), params=[ID],
    body={"type": "object", "properties": S("decision", "reason")}))
add("/providers/{id}/issuing-point", "post", authed("Назначить пунктом выдачи сертификатов или снять (муниципалитет)", "Реестр поставщиков",
    "issuingPoint", ref("Provider"), params=[ID], body={"type": "object", "required": ["value"], "properties": {"value": {"type": "boolean"}}}))
add("/programs", "get", authed("Программы в области доступа", "Реестр программ", "programs", {"type": "array", "items": ref("Program")},
    params=[Q("status", {"type": "string", "enum": ["draft", "certification", "certified", "refused", "archived"]}, "Статус")]))
add("/programs", "post", authed("Создать программу (черновик)", "Реестр программ", "createProgram", ref("Program"), body=ref("ProgramInput"), created=True))
add("/programs/{id}", "get", authed("Программа с модулями и группами", "Реестр программ", "program", ref("Program"), params=[ID]))
add("/programs/{id}", "post", authed("Изменить карточку программы", "Реестр программ", "updateProgram", ref("Program"), params=[ID], body=ref("ProgramInput")))
add("/programs/{id}/modules", "post", authed("Добавить модуль", "Реестр программ", "addModule", params=[ID], body=ref("ModuleInput"), created=True))
add("/modules/{id}", "post", authed("Изменить модуль", "Реестр программ", "updateModule", params=[ID], body=ref("ModuleInput")))
add("/programs/{id}/groups", "post", authed("Добавить группу", "Реестр программ", "addGroup", params=[ID], body=ref("GroupInput"), created=True))
add("/groups/{id}", "post", authed("Изменить группу", "Реестр программ", "updateGroup", params=[ID], body=ref("GroupInput")))
add("/programs/{id}/submit", "post", authed("Отправить на сертификацию", "Реестр программ", "submitProgram", ref("Program"), params=[ID], body=OBJ))
add("/programs/{id}/certify", "post", authed("Сертифицировать: нормативная стоимость модулей, копейки", "Реестр программ", "certifyProgram", ref("Program"),
    params=[ID], body={"type": "object", "properties": {"normatives": {"type": "array", "items": {"type": "integer"}}}}))
add("/programs/{id}/refuse", "post", authed("Отказать в сертификации", "Реестр программ", "refuseProgram", ref("Program"), params=[ID],
    body={"type": "object", "properties": S("reason")}))
add("/programs/{id}/archive", "post", authed("Перенести в архив", "Реестр программ", "archiveProgram", ref("Program"), params=[ID], body=OBJ))
add("/operator/price-cap", "post", authed("Предельная цена, % нормативной стоимости", "Реестр программ", "priceCap",
    body={"type": "object", "properties": {"percent": {"type": "integer"}}}))
add("/municipality/program", "get", authed("Программа ПФДО муниципалитета", "Программа ПФДО", "municipalProgram"))
for p, s, i in [("/municipality/periods", "Создать период", "createPeriod"), ("/municipality/periods/close", "Закрыть текущий период", "closePeriod"),
                ("/municipality/periods/open", "Открыть следующий период", "openPeriod"), ("/municipality/groups", "Создать группу сертификатов", "createCertificateGroup")]:
    add(p, "post", authed(s, "Программа ПФДО", i, body=OBJ))
add("/municipality/groups/{id}", "post", authed("Изменить группу сертификатов", "Программа ПФДО", "updateCertificateGroup", params=[ID], body=OBJ))
add("/municipality/groups/{id}/nominal", "post", authed("Номинал группы на период", "Программа ПФДО", "setNominal", params=[ID], body=OBJ))
add("/municipality/certificates/{id}/freeze", "post", authed("Заморозить или разморозить сертификат", "Программа ПФДО", "freezeCertificate", params=[ID], body=OBJ))

# enrollment (§6, §7)
START = {"type": "string", "format": "date", "description": "дата начала договора, ГГГГ-ММ-ДД (по умолчанию — начало группы или сегодня)"}
add("/groups/{id}/quote", "get", authed("Расчёт по группе для ребёнка: что платит сертификат и что родитель, по месяцам", "Зачисление", "groupQuote",
    ref("GroupQuote"), params=[ID, {"name": "child", "in": "query", "required": True, "schema": {"type": "string", "format": "uuid"}},
                               Q("start", {"type": "string", "format": "date"}, "Дата начала договора")]))
add("/applications", "get", authed("Заявки и договоры в области доступа", "Зачисление", "applications", {"type": "array", "items": ref("Application")},
    params=[Q("status", {"type": "string", "enum": ["applied", "offered", "active", "terminating", "terminated", "rejected", "withdrawn", "expired"]}, "Статус"),
            Q("group", {"type": "string", "format": "uuid"}, "Группа")]))
add("/applications", "post", authed("Подать заявку: место и резерв средств сертификата берутся сразу (заголовок Idempotency-Key — повтор без двойной записи)",
    "Зачисление", "apply", ref("Application"), created=True,
    body={"type": "object", "required": ["group", "child"], "properties": {"group": {"type": "string", "format": "uuid"},
          "child": {"type": "string", "format": "uuid"}, "start": START}}))
add("/applications/{id}", "get", authed("Заявка или договор", "Зачисление", "application", ref("Application"), params=[ID]))
for a, s in [("offer", "Поставщик принимает заявку: оферта родителю"), ("withdraw", "Родитель отзывает заявку или отказывается от оферты"),
             ("accept", "Родитель принимает оферту: договор действует"), ("notice", "Расторжение: договор заканчивается в последний день месяца")]:
    add(f"/applications/{{id}}/{a}", "post", authed(s, "Зачисление", "application" + a.title(), ref("Application"), params=[ID], body=OBJ))
add("/applications/{id}/prolongation", "post", authed("Родитель отказывается от продления договора на следующий период (prolong: false) или отменяет отказ (true)",
    "Зачисление", "applicationProlongation", ref("Application"), params=[ID],
    body={"type": "object", "required": ["prolong"], "properties": {"prolong": {"type": "boolean"}}}))
add("/agreements", "get", authed("Соглашения муниципалитетов с поставщиками в области доступа", "Соглашения", "agreements",
    {"type": "array", "items": ref("Agreement")}, params=[Q("provider", {"type": "string", "format": "uuid"}, "Поставщик")]))
add("/agreements", "post", authed("Муниципалитет заключает соглашение с поставщиком своего региона", "Соглашения", "concludeAgreement",
    ref("Agreement"), created=True, body={"type": "object", "required": ["provider"], "properties": {"provider": {"type": "string", "format": "uuid"}}}))
add("/agreements/{id}/terminate", "post", authed("Муниципалитет расторгает соглашение: договоры действуют, новые заявки по сертификату не принимаются",
    "Соглашения", "terminateAgreement", ref("Agreement"), params=[ID], body=OBJ))
add("/applications/{id}/reject", "post", authed("Поставщик отклоняет заявку с причиной", "Зачисление", "applicationReject", ref("Application"), params=[ID],
    body={"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}))
add("/groups/{id}/waitlist", "get", authed("Очередь в группу (родитель видит свои записи)", "Зачисление", "waitlist",
    {"type": "array", "items": ref("WaitlistEntry")}, params=[ID]))
add("/groups/{id}/waitlist", "post", authed("Встать в очередь в заполненную группу", "Зачисление", "joinWaitlist", ref("WaitlistEntry"), params=[ID],
    created=True, body={"type": "object", "required": ["child"], "properties": {"child": {"type": "string", "format": "uuid"}, "start": START}}))
add("/waitlist/{id}/leave", "post", authed("Покинуть очередь", "Зачисление", "leaveWaitlist", ref("WaitlistEntry"), params=[ID], body=OBJ))
IDEM = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
        "description": "Ключ повтора: запрос с тем же ключом возвращает первый ответ и ничего не делает второй раз"}
for path, item in paths.items():
    for method, o in item.items():
        if method == "post" and any(x in path for x in ("/applications", "/waitlist")):
            o["parameters"] = o.get("parameters", []) + [IDEM]
            o["responses"]["422"] = o["responses"].get("422", err("Ошибки в полях или ключ повтора использован для другого запроса"))

doc = {
    "openapi": "3.1.0",
    "info": {"title": "Навигатор дополнительного образования — API", "version": "1.0.0",
             "description": "Суммы — целые копейки; даты — ISO 8601 (ГГГГ-ММ-ДД), местные даты региона. Ошибки: {\"error\": код, \"reason\": текст на русском, \"fields\": [...]}. "
                            "Токен: POST /api/v1/auth/token, затем заголовок Authorization: Bearer <токен>."},
    "servers": [{"url": "/"}],
    "paths": paths,
    "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}
root = os.path.join(os.path.dirname(__file__), "..")
with open(os.path.join(root, "Resources", "openapi.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(paths)} paths, {sum(len(v) for v in paths.values())} operations")
