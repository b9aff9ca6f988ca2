"""What each role's home page counts: the work waiting for them now."""

from django.db.models import Count, Exists, OuterRef, Q

from companies.models import Company
from poverty_data.models import ImportBatch
from programs.models import Beneficiary, DataUseAcceptance, Program, RealisationReport
from programs.selectors.realisation import programs_overdue
from programs.services.delivery import TERMS_VERSION

S = Program.Status


def dinsos_todo() -> dict:
    program_counts = Program.objects.aggregate(
        review=Count("pk", filter=Q(status=S.SUBMITTED)),
    )
    return {
        "review": program_counts["review"],
        "reports": RealisationReport.objects.filter(state=RealisationReport.State.SUBMITTED).count(),
        "companies": Company.objects.filter(status=Company.Status.PENDING).count(),
        "overdue": programs_overdue().count(),
        "last_import": ImportBatch.objects.filter(state=ImportBatch.State.APPLIED)
        .order_by("-finished_at")
        .first(),
    }


def company_todo(user) -> dict:
    programs = Program.objects.filter(company_id=user.company_id)
    accepted = DataUseAcceptance.objects.filter(
        program=OuterRef("pk"), user=user, terms_version=TERMS_VERSION
    )
    undelivered = Beneficiary.objects.filter(program=OuterRef("pk"), state=Beneficiary.State.CONFIRMED)
    running = programs.filter(status=S.RUNNING).annotate(
        accepted=Exists(accepted), undelivered=Exists(undelivered)
    )
    running = list(running.order_by("end_date", "pk"))
    return {
        "revisions": programs.filter(status=S.REVISION_REQUESTED).count(),
        "terms": [p for p in running if not p.accepted],
        "deliveries": [p for p in running if p.accepted and p.undelivered],
        "reports_due": list(programs_overdue().filter(company_id=user.company_id)),
    }
