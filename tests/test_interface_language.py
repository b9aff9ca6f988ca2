"""Indonesian where Django or a dependency would show English or broken Indonesian."""

from django.urls import reverse


def test_wrong_password_error_reads_as_plain_indonesian(client, owner):
    response = client.post(reverse("login"), {"username": owner.username, "password": "salah-sekali-123"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Periksa kembali nama pengguna dan sandi Anda" in content
    assert "nama pengguna nama pengguna" not in content


def test_back_office_names_background_tasks_in_indonesian(client, login, dinsos):
    login(dinsos)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tugas latar belakang" in content
    assert "Tasks Database Backend" not in content
    assert "Task Results" not in content


def test_every_field_the_back_office_shows_has_a_translated_label():
    """Labels such as "Created by" or "UPLOADED BY" in the Indonesian back office come from fields without
    a translated verbose_name: every field of every model registered in our admin needs one."""
    from django.contrib import admin
    from django.utils.functional import Promise

    ours = {"tslp_portal", "accounts", "poverty_data", "companies", "programs", "dashboards", "api", "publik"}
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for model in admin.site._registry
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []
