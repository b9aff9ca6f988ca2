import datetime

from django.core.management.base import BaseCommand

from cycle.models import Reminder
from cycle.services.reminders import reminders_due, reminders_send
from cycle.tasks import reminders_send_task


class Command(BaseCommand):
    help = (
        "Queue today's plan and realisation reminders for the background worker (manage.py db_worker); run "
        "it daily. Each step goes to a company once, whatever how often this runs. --dry-run lists what would "
        "go out and changes nothing; --now sends in this process instead of queueing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--now", action="store_true", help="Send in this process, without the worker.")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Act as if today were DATE.")

    def handle(self, *args, **options):
        day = options["date"]
        if options["dry_run"]:
            due = reminders_due(today=day)
            for item in due:
                when = f"{abs(item.offset)} days {'after' if item.overdue else 'before'}"
                self.stdout.write(
                    f"{item.entry.nib}  {item.entry.name}  {Reminder.Kind(item.kind).label} {item.tahun}  "
                    f"{when} {item.deadline:%Y-%m-%d}  {item.entry.email or '-'}"
                )
            self.stdout.write(f"{len(due)} reminders would be sent. Nothing was sent.")
            return
        if options["now"]:
            self.stdout.write(f"{reminders_send(today=day)} reminders sent.")
            return
        reminders_send_task.enqueue(day.isoformat() if day else "")
        self.stdout.write("Today's reminders are queued for the background worker.")
