"""A parent applies for a certificate in the browser and an issuing point confirms it."""
import random

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, click_and_wait, login, wait_new_page


def make_snils():
    digits = [random.randint(0, 9) for _ in range(9)]
    digits[0] = random.randint(3, 8)  # far from the demo's numbers
    s = sum(d * (9 - i) for i, d in enumerate(digits))
    if s < 100:
        check = s
    elif s in (100, 101):
        check = 0
    else:
        check = s % 101
        check = 0 if check == 100 else check
    return "".join(map(str, digits)) + f"{check:02d}"


def fill(driver, values):
    for name, value in values.items():
        el = driver.find_element(By.ID, "child-" + name)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        elif el.get_attribute("type") == "date":
            driver.execute_script("arguments[0].value = arguments[1]", el, value)
        else:
            el.clear()
            el.send_keys(value)


def test_parent_applies_and_issuing_point_confirms(browser):
    snils = make_snils()
    login(browser, "parent@osinniki.example")
    browser.get(BASE + "/family/children/new")
    # A wrong СНИЛС is refused with a message naming the field.
    fill(browser, {"surname": "Сергеева", "name": "Ника", "birthDate": "2016-02-14", "sex": "female",
                   "snils": "112-233-445 96", "birthCertificateSeries": "I-ЛО", "birthCertificateNumber": "771234"})
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, "#child button[type=submit]").click()
    wait_new_page(browser)
    errors = browser.find_element(By.ID, "form-errors")
    assert "контрольное число" in errors.text
    fill(browser, {"snils": snils})
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, "#child button[type=submit]").click()
    wait_new_page(browser)
    assert "Сергеева Ника" in browser.find_element(By.TAG_NAME, "h1").text
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, "#apply button[type=submit]").click()
    wait_new_page(browser)
    assert "Заявление на сертификат подано" in browser.find_element(By.ID, "notice").text
    child_url = browser.current_url.split("?")[0]
    click_and_wait(browser, "logout")

    login(browser, "ddt@osinniki.example")
    browser.get(BASE + "/certificates")
    box = browser.find_element(By.ID, "search-q")
    box.send_keys(snils)
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, "#search button[type=submit]").click()
    wait_new_page(browser)
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.LINK_TEXT, "Сергеева Ника").click()
    wait_new_page(browser)
    browser.execute_script("document.documentElement.dataset.old = '1'")
    browser.find_element(By.CSS_SELECTOR, "#confirm button[type=submit]").click()
    wait_new_page(browser)
    facts = browser.find_element(By.TAG_NAME, "main").text
    assert "действует" in facts
    number = [line for line in facts.splitlines() if line.startswith("4233")]
    assert number, facts
    click_and_wait(browser, "logout")

    login(browser, "parent@osinniki.example")
    browser.get(child_url)
    assert number[0] in browser.find_element(By.TAG_NAME, "main").text
    browser.get(BASE + "/family/notifications")
    assert "подтверждён" in browser.find_element(By.TAG_NAME, "main").text
