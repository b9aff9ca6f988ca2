import pytest

from accounts.scope import identity_for
from tslp_portal.models import AccessLog
from tslp_portal.privacy import access_log_write, mask_identity


@pytest.mark.parametrize(
    ("value", "masked"),
    [("6211050101900003", "621105******0003"), ("", ""), (None, ""), ("12345", "*****")],
)
def test_mask_identity(value, masked):
    assert mask_identity(value) == masked


@pytest.mark.django_db
def test_identity_for_each_role(personas):
    value = "6211050101900003"
    assert identity_for(personas["dinsos"], value) == value
    assert identity_for(personas["camat"], value) == "621105******0003"
    assert identity_for(personas["owner"], value) == "621105******0003"
    assert identity_for(personas["pimpinan"], value) == ""
    assert identity_for(None, value) == ""


@pytest.mark.django_db
def test_access_log_write_records_who_what_how_many_and_why(camat):
    access_log_write(user=camat, what="beneficiary list", row_count=12, action="export", reason="program 7")

    log = AccessLog.objects.get()
    assert (log.user, log.what, log.row_count, log.action, log.reason) == (
        camat,
        "beneficiary list",
        12,
        AccessLog.Action.EXPORT,
        "program 7",
    )
    assert log.created_at is not None


@pytest.mark.django_db
def test_identity_template_filter_masks_for_a_camat(personas):
    from django.template import Context, Template

    template = Template("{% load privacy %}{{ value|identity:user }}|{{ value|masked }}")
    value = "6211050101900003"

    assert (
        template.render(Context({"value": value, "user": personas["camat"]}))
        == "621105******0003|621105******0003"
    )
    assert (
        template.render(Context({"value": value, "user": personas["dinsos"]})) == f"{value}|621105******0003"
    )
