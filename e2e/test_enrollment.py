"""Enrollment over HTTP against a running server: 64 clients at once for the last places of a group, one
parent submitting the same application many times and retrying with an Idempotency-Key, then every
invariant checked by `navigator verify` on the server's own database (when NAVIGATOR_BIN and
DATABASE_URL are given, as scripts/test.sh does for SQLite and for PostgreSQL)."""
import collections
import os
import subprocess
import threading
import uuid

import requests

from conftest import BASE, PASSWORD, api_token

SESSION = requests.Session()
SESSION.mount("http://", requests.adapters.HTTPAdapter(pool_connections=100, pool_maxsize=100))


def call(method, path, token=None, json=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    return SESSION.request(method, BASE + path, json=json, headers=h, timeout=60)


def make_group(capacity, name):
    """A certified program of СЮТ г. Осинники with one module and one group, through the registry API."""
    provider = api_token("syut@osinniki.example")
    operator = api_token("operator@kuzbass.example")
    r = call("POST", "/api/v1/programs", provider, {
        "name": name, "annotation": "Программа для проверки записи под нагрузкой.", "direction": "tech",
        "activityKinds": ["modeling"], "level": "start", "form": "full-time", "distance": False,
        "ageFromMonths": 60, "ageToMonths": 215, "disabilities": [], "funding": "certificate"})
    assert r.status_code == 201, r.text
    program = r.json()["id"]
    r = call("POST", f"/api/v1/programs/{program}/modules", provider, {
        "name": "Основной модуль", "months": 9, "hours": 72, "minChildren": 1, "maxChildren": 30, "price": 1500000})
    assert r.status_code == 201, r.text
    module = r.json()["id"]
    r = call("POST", f"/api/v1/programs/{program}/groups", provider, {
        "moduleId": module, "name": "Группа нагрузки", "teacher": "Иванова Мария Петровна", "address": "г. Осинники, ул. Ленина, 40",
        "startsOn": "2026-09-01", "endsOn": "2027-05-31", "capacity": capacity, "status": "open",
        "schedule": [{"day": 2, "start": "16:00", "end": "17:30"}]})
    assert r.status_code == 201, r.text
    group = r.json()["id"]
    assert call("POST", f"/api/v1/programs/{program}/submit", provider, {}).status_code == 200
    r = call("POST", f"/api/v1/programs/{program}/certify", operator, {"normatives": [1638000]})
    assert r.status_code == 200, r.text
    return program, group


def applicants(count):
    """(token, child id) of demo families of Кузбасс whose child holds a confirmed, unfrozen certificate."""
    out = []
    for i in range(1, 400):
        if len(out) >= count:
            break
        r = call("POST", "/api/v1/auth/token", json={"email": f"family{i:07d}@demo.example", "password": PASSWORD})
        if r.status_code != 200:
            continue
        token = r.json()["token"]
        certs = call("GET", "/api/v1/certificates", token).json()["items"]
        for c in certs:
            if c["status"] == "active" and not c["frozen"] and (c["number"] or "").startswith("42"):
                out.append((token, c["childId"]))
                break
    return out


def verify():
    binary, url = os.environ.get("NAVIGATOR_BIN"), os.environ.get("DATABASE_URL")
    if not binary or not url:
        return
    env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="warning")
    run = subprocess.run([binary, "verify"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Нарушений нет" in run.stdout, run.stdout


def test_64_clients_never_overbook_and_verify_is_clean():
    capacity = 10
    program, group = make_group(capacity, f"Нагрузка {uuid.uuid4().hex[:6]}")
    people = applicants(65)
    assert len(people) >= 40, f"only {len(people)} demo children with confirmed certificates"
    crowd, repeater = people[:64], people[64] if len(people) > 64 else people[-1]
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(crowd) + 8)

    def apply(token, child, key=None):
        barrier.wait()
        headers = {"Idempotency-Key": key} if key else None
        r = call("POST", "/api/v1/applications", token, {"group": group, "child": child}, headers)
        with lock:
            results.append((child, r.status_code, r.json().get("error") if r.status_code >= 400 else r.json()["status"]))

    threads = [threading.Thread(target=apply, args=(t, c)) for t, c in crowd]
    # One parent clicks eight times: four plain requests and four retries of one Idempotency-Key.
    key = uuid.uuid4().hex
    threads += [threading.Thread(target=apply, args=(repeater[0], repeater[1], key if i % 2 else None)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    print("\noutcomes:", sorted(collections.Counter((s, e) for _, s, e in results).items()))
    assert all(status < 500 for _, status, _ in results), results
    created = [r for r in results if r[1] == 201]
    refusals = {r[2] for r in results if r[1] != 201}
    assert refusals <= {"group_full", "duplicate", "certificate_kind", "certificate_not_active", "age"}, refusals
    # Never more than the places; and with more eligible children than places, every place is taken.
    live = call("GET", f"/api/v1/applications?group={group}", api_token("syut@osinniki.example")).json()
    live = [a for a in live if a["status"] in ("applied", "offered", "active", "terminating")]
    assert len(live) <= capacity
    assert len({a["childId"] for a in live}) == len(live)
    assert len({c for c, _, _ in created}) == len(live), (created, live)
    if len({c for c, _, _ in results if True}) > capacity + 5:
        assert len(live) == capacity, results
    # The retried key answered with the first answer: the repeater holds at most one application.
    assert sum(1 for a in live if a["childId"] == repeater[1]) <= 1
    verify()


def test_quote_of_a_stored_group_and_scopes():
    program, group = make_group(5, f"Расчёт {uuid.uuid4().hex[:6]}")
    token, child = applicants(1)[0]
    q = call("GET", f"/api/v1/groups/{group}/quote?child={child}", token)
    assert q.status_code == 200, q.text
    body = q.json()
    if body["mayApply"]:
        assert body["certificate"] + body["parent"] == body["full"]
        assert sum(m["certificate"] for m in body["months"]) == body["certificate"]
        assert sum(m["parent"] for m in body["months"]) == body["parent"]
    # Somebody else's child: 404; a malformed child: 400.
    other = api_token("parent@barnaul.example")
    assert call("GET", f"/api/v1/groups/{group}/quote?child={child}", other).status_code == 404
    assert call("GET", f"/api/v1/groups/{group}/quote?child=nonsense", token).status_code == 400


def submit(driver, form_id):
    from conftest import wait_new_page
    from selenium.webdriver.common.by import By
    driver.execute_script("document.documentElement.dataset.old = '1'")
    driver.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click()
    wait_new_page(driver)


def test_parent_enrolls_in_the_browser_and_the_provider_answers(browser):
    """The journey of §7 in a real browser: the search, the program page, the split month by month, the
    application, the provider's offer, the parent's acceptance, the refusal of the prolongation and the
    notice; the pages keep their labels and fit a phone."""
    import time
    from conftest import login, wait_new_page
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.common.keys import Keys
    name = f"Браузерная робототехника {uuid.uuid4().hex[:6]}"
    program, group = make_group(8, name)
    time.sleep(1.2)  # the catalogue looks for changes once a second
    login(browser, "parent@osinniki.example")
    # The parent searches from the home page and opens the program from the results.
    browser.get(BASE + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys(name)
    browser.execute_script("document.documentElement.dataset.old = '1'")
    box.send_keys(Keys.ENTER)
    wait_new_page(browser)
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, f"#results a[href*='/catalog/programs/{program.lower()}']").click()
    wait_new_page(browser)
    link = browser.find_element(By.CSS_SELECTOR, f"a[href*='/family/enroll?group={group.lower()}']")
    browser.execute_script("document.documentElement.dataset.old = '1'")
    link.click()
    wait_new_page(browser)
    assert "Запись в группу" in browser.find_element(By.TAG_NAME, "h1").text
    child = Select(browser.find_element(By.ID, "plan-child"))
    names = [o.text for o in child.options]
    varvara = next(n for n in names if "Варвара" in n)
    child.select_by_visible_text(varvara)
    assert browser.find_element(By.CSS_SELECTOR, "label[for=plan-start]").text
    submit(browser, "plan")
    table = browser.find_element(By.CSS_SELECTOR, "table").text
    assert "Оплата по месяцам" in table and "Из сертификата" in table
    submit(browser, "apply")
    assert "Заявка подана" in browser.find_element(By.ID, "notice").text
    number = browser.find_element(By.TAG_NAME, "h1").text.split()[-1]

    provider = api_token("syut@osinniki.example")
    apps = call("GET", f"/api/v1/applications?group={group}", provider).json()
    assert len(apps) == 1 and apps[0]["number"] == number

    # The provider answers in its cabinet.
    browser.delete_all_cookies()
    login(browser, "syut@osinniki.example")
    browser.get(BASE + "/provider/applications")
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.LINK_TEXT, number).click()
    wait_new_page(browser)
    submit(browser, "offer")
    assert "Оферта направлена" in browser.find_element(By.ID, "notice").text

    # The parent accepts the offer on a phone-sized screen.
    browser.delete_all_cookies()
    browser.set_window_size(400, 800)
    login(browser, "parent@osinniki.example")
    browser.get(BASE + "/family/applications")
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.LINK_TEXT, number).click()
    wait_new_page(browser)
    assert "Текст оферты" in browser.page_source
    submit(browser, "accept")
    assert "Договор заключён" in browser.find_element(By.ID, "notice").text
    assert "договор действует" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 402
    # The next period is defined: the contract will be prolonged unless the parent declines; she declines.
    assert "будет продлён на следующий период" in browser.page_source
    submit(browser, "prolongation")
    assert "Вы отказались от продления" in browser.find_element(By.ID, "notice").text
    # Then gives notice: the contract ends on the last day of this month.
    submit(browser, "notice")
    assert "Договор расторгается" in browser.find_element(By.ID, "notice").text
    assert "последний день" in browser.page_source
