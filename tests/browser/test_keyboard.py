"""The main journeys with the keyboard alone, the focus always visible."""

from demo.accounts import DEMO_PASSWORD

MAX_TABS = 200


def focus_visible(page) -> bool:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }"
    )


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``; its focus ring must show on the way."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert focus_visible(page), selector
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def follow(page) -> None:
    """Enter on the focused link, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in_with_keys(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/akun/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(username)
    tab_to(page, "input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/akun/login/" not in page.url, page.locator("main").inner_text()


def test_camat_signs_in_and_opens_a_desa_with_the_keyboard(demo_portal, live_server, page):
    sign_in_with_keys(page, live_server.url, "camat")
    tab_to(page, "a[href*='/dasbor/desa/']")
    follow(page)
    assert "/dasbor/desa/" in page.url
    assert page.get_by_role("heading", level=1).is_visible()


def test_company_opens_its_program_and_beneficiaries_with_the_keyboard(demo_portal, live_server, page):
    sign_in_with_keys(page, live_server.url, "perusahaan")
    tab_to(page, "nav a[href$='/program/']")
    follow(page)
    tab_to(page, "main a[href^='/program/'][href$='/']:not([href$='/baru/'])")
    follow(page)
    assert page.url.rstrip("/").split("/")[-1].isdigit()
