"""The Content-Security-Policy is enforced in the browser, and the page fixture notices a violation."""

import pytest

from tests.browser.conftest import _record_csp_violation


@pytest.mark.django_db(transaction=True)
def test_the_browser_enforces_the_policy_and_violations_are_caught(browser, live_server, wilayah):
    context = browser.new_context()
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _record_csp_violation(message, violations))
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => document.body.insertAdjacentHTML(
            "beforeend", '<img alt="" src="https://evil.example/pixel.png"><p style="color: red">x</p>'
        )"""
    )
    page.wait_for_timeout(300)
    loaded = page.evaluate("() => document.querySelector('img[src^=\"https://evil\"]').naturalWidth")
    color = page.evaluate("() => getComputedStyle(document.querySelector('p[style]')).color")
    context.close()
    assert loaded == 0  # the image from another site was refused
    assert color != "rgb(255, 0, 0)"  # the inline style was refused
    assert any("evil.example" in v for v in violations)
    assert any("inline style" in v for v in violations)


@pytest.mark.django_db(transaction=True)
def test_lockout_and_security_pages_fit_a_phone(dinsos, live_server, page, screenshot):
    from tests.browser.steps import log_in

    page.set_viewport_size({"width": 390, "height": 844})
    for _ in range(5):
        log_in(page, live_server.url, "dinsos", password="bukan-sandinya")
    log_in(page, live_server.url, "dinsos")
    assert page.get_by_role("heading", level=1).inner_text() == "Masuk dikunci untuk sementara"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("lockout-phone")
