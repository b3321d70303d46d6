"""A real browser (Debian's chromium driven by Playwright) logs in and reads the home pages in Thai."""

import os
import shutil

import pytest

from esar.testing.world import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make chromium)"
    ),
    # The live server and the browser share one event loop-free thread; keep them in one worker.
    pytest.mark.xdist_group("browser"),
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_world):
    # The world is built before Playwright starts: Django code run after that point gets a database
    # connection of its own that is never closed, and the test database could not be dropped.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="th-TH")
        context.set_default_timeout(10_000)
        page = context.new_page()
        yield page
        context.close()
        browser.close()


@pytest.fixture
def live_world(transactional_world, live_server):
    return transactional_world


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base_url}/")


def test_school_officer_sees_their_home_page_in_thai(browser_page, live_server, live_world):
    page = browser_page
    log_in(page, live_server.url, "cm.school")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_test_id("home-heading").inner_text() == "สถานศึกษาของคุณ"
    assert "โรงเรียนเทศบาลดอยคำวิทยา" in page.get_by_test_id("home-organization").inner_text()
    assert "สิ่งที่ต้องทำต่อไป" in page.content()
    # The date on the page is in the Buddhist era.
    today = page.get_by_test_id("today").inner_text()
    assert any(str(year) in today for year in range(2568, 2580))
    # Navigation offers their institution, not the national lists.
    nav = page.get_by_role("navigation", name="เมนูหลัก")
    assert nav.get_by_role("link", name="สถานศึกษาของฉัน").is_visible()
    assert nav.get_by_role("link", name="จังหวัด").count() == 0


def test_province_supervisor_sees_their_home_page_in_thai(browser_page, live_server, live_world):
    page = browser_page
    log_in(page, live_server.url, "cm.supervisor")
    assert page.get_by_test_id("home-heading").inner_text() == "จังหวัดของคุณ"
    assert "เชียงใหม่" in page.get_by_test_id("home-organization").inner_text()
    menu = page.get_by_role("navigation", name="เมนูหลัก")
    # The registry pages are grouped under one menu entry.
    menu.get_by_role("button", name="ทะเบียน").or_(menu.get_by_role("link", name="ทะเบียน")).click()
    menu.get_by_role("link", name="องค์กรปกครองส่วนท้องถิ่น").click()
    page.wait_for_url("**/registry/laos/")
    body = page.locator("main").inner_text()
    assert "เทศบาลนครดอยคำ" in body
    assert "หนองแวงใหญ่" not in body
    # Switching to English keeps the user where they are.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Local authorities"


# Every role's pages fit a 1280 px and a 1366 px screen: nothing cut off, no sideways scrolling,
# and the account menu (change password, log out) within reach.
USERNAMES = [
    "dla.admin",
    "dla.analyst",
    "onesqa.reviewer",
    "helpdesk",
    "cm.supervisor",
    "cm.city",
    "cm.school",
    "esar2500101",
]


@pytest.fixture
def esar_account(live_world):
    from esar.accounts import services
    from esar.delivery.accounts import issue_account

    user = issue_account(lao=live_world.cm_city, actor=live_world.dla_admin).account.user
    user.set_password(PASSWORD)
    user.save()
    services.password_chosen(user=user)
    return user


def test_every_roles_home_page_fits_1280_and_1366_pixels(esar_account, browser_page, live_server):
    page = browser_page
    too_wide = {}
    for username in USERNAMES:
        page.set_viewport_size({"width": 1280, "height": 800})
        log_in(page, live_server.url, username)
        for width in (1280, 1366):
            page.set_viewport_size({"width": width, "height": 800})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide[(username, width)] = scroll
            whoami = page.get_by_test_id("whoami")
            box = whoami.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (username, width, box)
        whoami.click()
        logout = page.get_by_test_id("logout")
        box = logout.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366, username
        logout.click()
        page.wait_for_url(f"{live_server.url}/accounts/login/**")
    assert too_wide == {}
