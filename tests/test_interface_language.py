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
