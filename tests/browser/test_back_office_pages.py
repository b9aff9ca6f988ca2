"""The role walk's back-office part: every page of Dinsos and of a field officer, at desktop and phone width,
accessible (axe-core), without sideways scrolling where a phone is used (see ``test_role_pages``)."""

from tests.browser.test_role_pages import walk_and_report


def test_every_back_office_page_is_accessible_and_fits_a_phone(demo_portal, live_server, page):
    assert walk_and_report(page, live_server.url, "desk") == "{}"
