from django.urls import reverse

from tests.programs.factories import ProgramFactory


def test_an_attachment_whose_file_is_gone_answers_not_found(
    client, login, owner, company, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(company=company)
    attachment = program.attachments.first()
    login(owner)
    response = client.get(reverse("programs:attachment", args=[program.pk, attachment.pk]))
    assert response.status_code == 404
