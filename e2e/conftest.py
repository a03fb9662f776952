import os
import shutil

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("NAVIGATOR_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = "demo12345"


@pytest.fixture(scope="session")
def base():
    return BASE


def make_driver(width=1280, height=900):
    opts = Options()
    opts.add_argument("--headless=new")
    opts.add_argument("--no-sandbox")
    opts.add_argument("--disable-dev-shm-usage")
    opts.add_argument("--disable-gpu")
    if width < 500:
        # Headless Chromium does not shrink a window below 500 px: emulate the phone's viewport.
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    else:
        opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument("--lang=ru-RU")
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            opts.binary_location = candidate
            break
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=opts)


@pytest.fixture()
def browser():
    d = make_driver()
    d.implicitly_wait(2)
    yield d
    d.quit()


@pytest.fixture()
def phone():
    d = make_driver(360, 740)
    d.implicitly_wait(2)
    yield d
    d.quit()


def login(driver, email, password=PASSWORD):
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.execute_script("document.documentElement.dataset.old = '1'")
    driver.find_element(By.ID, "login-submit").click()
    wait_new_page(driver)


def wait_new_page(driver):
    """Waits until the page marked as old (a data attribute on <html>) is replaced by a loaded new one.
    A page in transition may answer with transient errors: they are retried."""
    def loaded(d):
        return d.execute_script(
            "return document.readyState === 'complete' && document.documentElement.dataset.old !== '1'")
    WebDriverWait(driver, 10, ignored_exceptions=[WebDriverException]).until(loaded)


def click_and_wait(driver, element_id):
    driver.execute_script("document.documentElement.dataset.old = '1'")
    driver.find_element(By.ID, element_id).click()
    wait_new_page(driver)


def api_token(email, password=PASSWORD):
    r = requests.post(BASE + "/api/v1/auth/token", json={"email": email, "password": password}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["token"]
