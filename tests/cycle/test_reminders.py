"""Reminders on a simulated calendar: every day of a year, exactly the planned mails, none twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cycle.models import CycleYear, ObligatedCompany, RegisterEvent, Reminder
from cycle.services.register import entry_exempt
from cycle.services.reminders import reminders_due, reminders_send, whatsapp_link, whatsapp_number
from programs.models import Program, RealisationReport
from tests.companies.factories import CompanyFactory
from tests.cycle.factories import ObligatedCompanyFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def days(start: D, end: D):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@pytest.fixture
def cycle_2027(wilayah):
    return CycleYear.objects.create(
        tahun=2027,
        plan_deadline=D(2027, 1, 31),
        realisation_deadline=D(2028, 1, 31),
        days_before="30, 7, 1",
        days_after="7, 14",
    )


def submit_plan(company, day: D) -> Program:
    program = ProgramFactory(company=company, tahun=2027, status=Program.Status.SUBMITTED)
    Program.objects.filter(pk=program.pk).update(submitted_at=at(day))
    return program


def submit_final_report(program: Program, day: D) -> RealisationReport:
    report = RealisationReport.objects.create(
        program=program, period="2027", is_final=True, amount_spent=100_000_000, description="Selesai"
    )
    RealisationReport.objects.filter(pk=report.pk).update(submitted_at=at(day))
    return report


def test_a_year_of_days_sends_exactly_the_planned_reminders(
    cycle_2027, dinsos, django_capture_on_commit_callbacks
):
    silent = ObligatedCompanyFactory(
        name="PT Diam", status=ObligatedCompany.Status.INVITED, email="diam@x.example"
    )
    exemplary = ObligatedCompanyFactory(name="PT Teladan", email="teladan@x.example")
    company = CompanyFactory(nib=exemplary.nib, email="kantor@teladan.example")
    exemplary.refresh_from_db()
    assert exemplary.status == ObligatedCompany.Status.VERIFIED
    ObligatedCompanyFactory(name="PT Belum Diundang")
    exempted = ObligatedCompanyFactory(name="PT Dikecualikan", status=ObligatedCompany.Status.INVITED)
    program = None
    for day in days(D(2026, 12, 1), D(2028, 3, 31)):
        if day == D(2027, 1, 20):
            program = submit_plan(company, day)
        if day == D(2027, 12, 1):
            submit_final_report(program, day)
        if day == D(2027, 2, 10):
            entry_exempt(entry=exempted, actor=dinsos, reason="Tidak beroperasi lagi")
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send(today=day)
            assert reminders_send(today=day) == 0  # a second run the same day sends nothing
    sent = {
        name: sorted((r.kind, r.offset, r.sent_on) for r in Reminder.objects.filter(entry__name=name))
        for name in ("PT Diam", "PT Teladan", "PT Belum Diundang", "PT Dikecualikan")
    }
    assert sent["PT Diam"] == [
        ("plan", -30, D(2027, 1, 1)),
        ("plan", -7, D(2027, 1, 24)),
        ("plan", -1, D(2027, 1, 30)),
        ("plan", 7, D(2027, 2, 7)),
        ("plan", 14, D(2027, 2, 14)),
        ("realisation", -30, D(2028, 1, 1)),
        ("realisation", -7, D(2028, 1, 24)),
        ("realisation", -1, D(2028, 1, 30)),
        ("realisation", 7, D(2028, 2, 7)),
        ("realisation", 14, D(2028, 2, 14)),
    ]
    assert sent["PT Teladan"] == [("plan", -30, D(2027, 1, 1))]
    assert sent["PT Belum Diundang"] == []
    assert [step for _kind, step, _day in sent["PT Dikecualikan"]] == [-30, -7, -1, 7]
    assert len(mail.outbox) == 10 + 1 + 4
    assert sorted(mail.outbox[0].to) == ["diam@x.example"]
    teladan = next(m for m in mail.outbox if "kantor@teladan.example" in m.to)
    assert "teladan@x.example" in teladan.to
    assert "31 Januari 2027" in teladan.body
    assert RegisterEvent.objects.filter(entry=silent, kind=RegisterEvent.Kind.REMINDED).count() == 10
    assert silent.events.filter(kind="reminded").first().whatsapp_text.startswith("Yth.")


def test_moving_the_deadline_moves_the_schedule_and_sends_nothing_twice(cycle_2027):
    entry = ObligatedCompanyFactory(status=ObligatedCompany.Status.INVITED)
    for day in days(D(2026, 12, 25), D(2027, 1, 25)):
        reminders_send(today=day)
    assert list(Reminder.objects.values_list("offset", flat=True).order_by("sent_on")) == [-30, -7]
    cycle_2027.plan_deadline = D(2027, 2, 28)
    cycle_2027.save()
    for day in days(D(2027, 1, 26), D(2027, 3, 20)):
        reminders_send(today=day)
    steps = list(Reminder.objects.filter(entry=entry).order_by("sent_on").values_list("offset", "sent_on"))
    # -30 of the new date (29 January) was already sent; -7 likewise; -1, +7 and +14 follow the new date.
    assert steps == [
        (-30, D(2027, 1, 1)),
        (-7, D(2027, 1, 24)),
        (-1, D(2027, 2, 27)),
        (7, D(2027, 3, 7)),
        (14, D(2027, 3, 14)),
    ]


def test_a_stopped_worker_resumes_with_the_latest_step_only(cycle_2027):
    ObligatedCompanyFactory(status=ObligatedCompany.Status.INVITED)
    assert reminders_send(today=D(2027, 1, 26)) == 1
    assert list(Reminder.objects.values_list("offset", flat=True)) == [-7]
    # More than a week after the last step nothing old is sent.
    assert reminders_due(today=D(2027, 2, 25)) == []


def test_dry_run_lists_and_sends_nothing(cycle_2027, capsys):
    ObligatedCompanyFactory(name="PT Lihat", status=ObligatedCompany.Status.INVITED)
    call_command("send_reminders", "--dry-run", "--date", "2027-01-24")
    out = capsys.readouterr().out
    assert "PT Lihat" in out
    assert "1 reminders would be sent. Nothing was sent." in out
    assert not Reminder.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_command_queues_the_day_for_the_worker(cycle_2027, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    ObligatedCompanyFactory(status=ObligatedCompany.Status.INVITED)
    call_command("send_reminders", "--date", "2027-01-24")
    assert not Reminder.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "cycle.tasks.reminders_send_task"
    call_command("db_worker", "--batch", "--queue-name", "default")
    assert Reminder.objects.count() == 1


def test_whatsapp_link_uses_the_international_number():
    assert whatsapp_number("0812-3456-7890") == "6281234567890"
    assert whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert whatsapp_number("12") == ""
    assert whatsapp_number("٠٨١٢-٣٤٥٦-٧٨٩٠") == ""  # Arabic-Indic digits are not a number wa.me reads
    assert whatsapp_link("0812-3456-7890", "Yth. PT A") == "https://wa.me/6281234567890?text=Yth.%20PT%20A"
