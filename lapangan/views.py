"""The field app at /lapangan/: the installable shell, its sync API, the owner's assignments and the
Dinsos page per program.

The API speaks JSON to the app's own script (session and CSRF as any page). Only field officers sync; the
download holds the households of their assigned running programs, masked as for any company member, and is
written to the access log like every other by-name list.
"""

import datetime
import json
import random
from collections import Counter
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import User
from accounts.scope import get_visible_or_404
from lapangan import services
from lapangan.models import FieldAssignment, FieldCheck, FieldEvent, FieldPhoto, FieldVisit
from programs.excel.delivery import household_address
from programs.models import Beneficiary, Program
from programs.services.delivery import beneficiary_list_access
from tslp_portal.excel import cell_set, xlsx_response
from tslp_portal.privacy import mask_identity, personal_data_response

STATIC = Path(__file__).resolve().parent.parent / "static" / "lapangan"


class AppView(LoginRequiredMixin, View):
    """The app's one page; its script does the rest, online or not."""

    def get(self, request):
        user = request.user
        context = {"is_officer": user.is_field_officer or user.is_dinsos, "texts": app_texts()}
        return render(request, "lapangan/app.html", context)


def app_texts() -> dict:
    """What the app's script says, translated here; ``{name}`` marks what the script fills in."""
    return {
        "never": _("Never synced. Sync while you have signal before going out."),
        "synced": _("Last sync: {time}. {count} households on this phone."),
        "pending": _("{count} records not sent yet."),
        "all_sent": _("Everything recorded is sent."),
        "online": _("Online"),
        "offline": _("Offline: records stay on this phone until the next sync."),
        "syncing": _("Syncing…"),
        "sync_done": _("Sync finished: {sent} records and {photos} photos sent."),
        "sync_cut": _("The connection broke off; what arrived is kept. Sync again when there is signal."),
        "sign_in": _("Your session has ended: sign in again, then sync. The records on this phone are kept."),
        "sign_in_link": _("Sign in"),
        "other_officer": _(
            "This phone holds records of another account that were not sent. Sign in as that account and sync "
            "first."
        ),
        "desa_line": _("{desa}: {done} done, {left} left"),
        "state_confirmed": _("Not recorded yet"),
        "state_delivered": _("Delivered"),
        "state_not_delivered": _("Not delivered"),
        "waiting": _("waiting to be sent"),
        "confirm_signout": _("Sign out and remove all data from this phone?"),
        "confirm_signout_unsent": _("{count} records are not sent yet and will be lost. Sign out anyway?"),
        "photo_too_big": _("The photo is still larger than 200 KB after compression; take it again."),
        "not_image": _("This file is not a photo."),
        "photo_ready": _("Photo ready ({size} KB)."),
        "saved": _("Saved on this phone."),
        "status_rejected": _("Rejected"),
        "status_held": _("Not applied"),
        "photo_refused": _("Photo refused"),
        "no_results": _("No household matches."),
        "location_failed": _("The location could not be read; the record is saved without it."),
        "reason_moved": _("Moved away"),
        "reason_deceased": _("Deceased"),
        "reason_refused": _("Refused"),
        "reason_not_found": _("Not found"),
        "wiped": _("The data on this phone is removed."),
        "state_unchecked": _("Not checked yet"),
        "state_received": _("Received, as recorded"),
        "state_not_received": _("Not received"),
        "state_not_met": _("Could not be met"),
        "verify_line": _("{desa}: {done} checked, {left} left"),
        "delivered_on": _("Recorded as delivered on {date}"),
        "choose_verdict": _("Choose what you found."),
        "empty_verifier": _(
            "Nothing to verify on this phone. On a program's field records page, take the day's sample to your "
            "field app, then sync here."
        ),
    }


def service_worker(request):
    """The service worker, served from /lapangan/ so that it may control the app's pages."""
    response = HttpResponse((STATIC / "sw.js").read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    response = FileResponse(
        (STATIC / "manifest.webmanifest").open("rb"), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


class ApiMixin(LoginRequiredMixin):
    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Sign in again.")}, status=401)
        if not (request.user.is_field_officer or request.user.is_dinsos):
            return JsonResponse({"error": _("Only field officers record deliveries here.")}, status=403)
        return super().dispatch(request, *args, **kwargs)


class WhoView(ApiMixin, View):
    """Who is signed in, and a fresh CSRF token for the uploads that follow."""

    def get(self, request):
        return JsonResponse(
            {
                "officer": request.user.pk,
                "name": request.user.get_full_name() or request.user.username,
                "role": "officer" if request.user.is_field_officer else "verifier",
                "csrf": get_token(request),
            }
        )


def _household(beneficiary: Beneficiary, user) -> dict:
    """A household as the phone holds it. Identity numbers are masked for every role, Dinsos included: a
    phone goes where it can be lost, and the last digits are enough to match a family card at the door."""
    household = beneficiary.household
    return {
        "id": beneficiary.pk,
        "nama": household.nama_kepala,
        "nik": mask_identity(household.nik_kepala),
        "no_kk": mask_identity(household.no_kk),
        "alamat": household_address(household),
        "desa": household.desa.nama,
        "desa_kode": household.desa.kode,
        "state": beneficiary.state,
        "reason": beneficiary.not_delivered_reason,
        "field": beneficiary.reported_in_field,
    }


class DataView(ApiMixin, View):
    """What goes on the phone: the assigned running programs and their confirmed households (masked)."""

    def get(self, request):
        if request.user.is_dinsos:
            return self.visits(request)
        user = request.user
        programs, rows = [], 0
        for program in services.assigned_programs(user).select_related("company").order_by("title"):
            entry = {
                "id": program.pk,
                "title": program.title,
                "company": program.company.name,
                "tahun": program.tahun,
                "households": [],
                "blocked": "",
            }
            access = beneficiary_list_access(program=program, user=user)
            if access.refusal:
                entry["blocked"] = access.refusal
            else:
                if access.terms_needed:
                    entry["blocked"] = _("Accept the data-use terms of this program on the portal first.")
                    entry["terms_url"] = reverse("programs:terms", args=[program.pk])
                else:
                    beneficiaries = (
                        Beneficiary.objects.filter(
                            program=program,
                            state__in=(
                                Beneficiary.State.CONFIRMED,
                                Beneficiary.State.DELIVERED,
                                Beneficiary.State.NOT_DELIVERED,
                            ),
                        )
                        .select_related("household__desa")
                        .order_by("household__desa__nama", "household__nama_kepala", "pk")
                    )
                    entry["households"] = [_household(b, user) for b in beneficiaries]
                    rows += len(entry["households"])
            programs.append(entry)
        # What the server did not take, and (for a month) what it took but did not apply because a later
        # desk entry stands: the phone shows both with the reason.
        recent = timezone.now() - datetime.timedelta(days=30)
        events = [
            {"id": str(e.pk), "status": e.status, "reason": e.rejection, "current": e.is_current}
            for e in FieldEvent.objects.filter(officer=user).filter(
                ~Q(status=FieldEvent.Status.ACCEPTED) | (~Q(rejection="") & Q(received_at__gte=recent))
            )
        ]
        services.sync_record(user, download=True)
        response = JsonResponse(
            {
                "officer": user.pk,
                "synced_at": timezone.now().isoformat(),
                "programs": programs,
                "events": events,
            }
        )
        return personal_data_response(
            response,
            request=request,
            what=_("Field app: households to visit"),
            rows=rows,
            action="export",
            reason=_("Synced to the field officer's phone"),
        )

    def visits(self, request):
        """A verifier's phone: the households of their open visits, with the latest finding of each."""
        user = request.user
        programs, rows = [], 0
        for visit in services.visits_open(user).order_by("program__title"):
            program = visit.program
            findings = services.visit_findings(visit)
            households = []
            for beneficiary in visit.beneficiaries.select_related("household__desa").order_by(
                "household__desa__nama", "household__nama_kepala", "pk"
            ):
                entry = _household(beneficiary, user)
                entry["delivered_on"] = (
                    beneficiary.delivered_on.isoformat() if beneficiary.delivered_on else ""
                )
                finding = findings.get(beneficiary.pk)
                entry["check"] = finding.verdict if finding else ""
                households.append(entry)
            rows += len(households)
            programs.append(
                {
                    "id": program.pk,
                    "title": program.title,
                    "company": program.company.name,
                    "tahun": program.tahun,
                    "mode": "verify",
                    "households": households,
                    "blocked": "",
                }
            )
        services.sync_record(user, download=True)
        response = JsonResponse(
            {"officer": user.pk, "synced_at": timezone.now().isoformat(), "programs": programs, "events": []}
        )
        return personal_data_response(
            response,
            request=request,
            what=_("Field app: households to verify"),
            rows=rows,
            action="export",
            reason=_("Synced to the verifier's phone"),
        )


class EventsView(ApiMixin, View):
    def post(self, request):
        try:
            body = json.loads(request.body or b"{}")
            events = body["events"]
            if not isinstance(events, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"error": _("The records could not be read.")}, status=400)
        phone_now = parse_datetime(str(body.get("phone_now") or ""))
        receive = services.checks_receive if request.user.is_dinsos else services.events_receive
        who = {"verifier" if request.user.is_dinsos else "officer": request.user}
        try:
            results = receive(**who, events=events, phone_now=phone_now)
        except services.FieldError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        return JsonResponse({"results": results})


class PhotoView(ApiMixin, View):
    def post(self, request, event_id):
        if not request.user.is_field_officer:
            return JsonResponse({"error": _("Photos go with delivery records only.")}, status=400)
        upload = request.FILES.get("photo")
        if upload is None:
            return JsonResponse({"error": _("No photo was sent.")}, status=400)
        try:
            photo = services.event_photo_store(officer=request.user, event_id=event_id, upload=upload)
        except services.FieldError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        return JsonResponse({"id": str(photo.event_id), "size": photo.size})


class OfficersView(LoginRequiredMixin, View):
    """The company owner assigns field officers to the company's running programs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_company_owner:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self):
        company_id = self.request.user.company_id
        officers = list(
            User.objects.filter(company_id=company_id, company_role=User.CompanyRole.FIELD, is_active=True)
            .select_related("field_sync")
            .order_by("first_name", "username")
        )
        programs = list(
            Program.objects.filter(company_id=company_id, status=Program.Status.RUNNING).order_by("title")
        )
        active = FieldAssignment.objects.active().filter(program__in=programs).select_related("officer")
        by_program: dict[int, list] = {}
        for assignment in active:
            by_program.setdefault(assignment.program_id, []).append(assignment.officer)
        rows = []
        for program in programs:
            assigned = by_program.get(program.pk, [])
            rows.append(
                {"program": program, "assigned": assigned, "free": [o for o in officers if o not in assigned]}
            )
        return {"rows": rows, "officers": officers}

    def get(self, request):
        return render(request, "lapangan/officers.html", self.context())

    def post(self, request):
        program = get_object_or_404(
            Program, pk=request.POST.get("program"), company_id=request.user.company_id
        )
        officer = get_object_or_404(User, pk=request.POST.get("officer"), company_id=request.user.company_id)
        try:
            if request.POST.get("action") == "unassign":
                services.officer_unassign(program=program, officer=officer, actor=request.user)
                messages.success(
                    request,
                    _("%(name)s no longer records for %(program)s; the phone clears it at the next sync.")
                    % {"name": officer.get_full_name() or officer.username, "program": program.title},
                )
            else:
                services.officer_assign(program=program, officer=officer, actor=request.user)
                messages.success(
                    request,
                    _("%(name)s now records deliveries of %(program)s.")
                    % {"name": officer.get_full_name() or officer.username, "program": program.title},
                )
        except services.FieldError as exc:
            messages.error(request, str(exc))
        return redirect("lapangan:officers")


def _dinsos_program(request, pk) -> Program:
    program = get_visible_or_404(Program.objects.select_related("company"), request.user, pk=pk)
    if not request.user.is_dinsos:
        raise PermissionDenied
    return program


SAMPLE_SIZE = 10


def _sample(program: Program) -> list[Beneficiary]:
    """Households recorded as delivered in the field, drawn at random: the same sample all day for the same
    program (page and download alike), a new one tomorrow."""
    field_delivered = list(
        Beneficiary.objects.filter(program=program, reported_in_field=True, state=Beneficiary.State.DELIVERED)
        .select_related("household__desa", "reported_by")
        .order_by("pk")
    )
    rng = random.Random(f"{program.pk}:{timezone.localdate().isoformat()}")
    return rng.sample(field_delivered, min(SAMPLE_SIZE, len(field_delivered)))


def _sample_download(request, program: Program, sample: list[Beneficiary]):
    """The day's sample as Excel, to take on the visit: the same columns as the page, access-logged like it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Sample")
    headers = [
        _("No."),
        _("Head of household"),
        _("Address"),
        _("Desa"),
        _("Delivered on"),
        _("Recorded by"),
        _("Checked"),
    ]
    for column, header in enumerate(headers, start=1):
        cell_set(sheet, 1, column, header).font = Font(bold=True)
    for row, beneficiary in enumerate(sample, start=2):
        officer = beneficiary.reported_by
        values = [
            row - 1,
            beneficiary.household.nama_kepala,
            household_address(beneficiary.household),
            beneficiary.household.desa.nama,
            beneficiary.delivered_on,
            (officer.get_full_name() or officer.username) if officer else "",
            "",
        ]
        for column, value in enumerate(values, start=1):
            cell = cell_set(sheet, row, column, value)
            if column == 5 and value:
                cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFG", (5, 28, 36, 18, 14, 22, 10), strict=True):
        sheet.column_dimensions[column].width = width
    filename = f"sampel-verifikasi-program-{program.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return personal_data_response(
        xlsx_response(workbook, filename),
        request=request,
        what=_("Field verification sample"),
        rows=len(sample),
        action="export",
        reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
    )


class ProgramFieldView(LoginRequiredMixin, View):
    """Dinsos per program: field against desk, conflicts to resolve, photos, and a sample to visit."""

    def get(self, request, pk):
        program = _dinsos_program(request, pk)
        reported = Beneficiary.objects.filter(
            program=program, state__in=(Beneficiary.State.DELIVERED, Beneficiary.State.NOT_DELIVERED)
        )
        counts = reported.aggregate(
            field=Count("pk", filter=Q(reported_in_field=True)),
            desk=Count("pk", filter=Q(reported_in_field=False)),
        )
        events = FieldEvent.objects.filter(program=program).select_related(
            "officer", "beneficiary__household__desa"
        )
        conflicts = list(
            events.filter(conflict=True, resolved_at__isnull=True).order_by("beneficiary_id", "occurred_at")
        )
        flagged = list(
            events.filter(
                Q(clock_flag=True) | ~Q(status=FieldEvent.Status.ACCEPTED) | ~Q(rejection="")
            ).order_by("-received_at")[:100]
        )
        photos = list(
            FieldPhoto.objects.filter(event__program=program)
            .select_related("event__officer", "event__beneficiary__household")
            .order_by("-uploaded_at")[:60]
        )
        sample = _sample(program)
        if request.GET.get("unduh") == "sampel":
            return _sample_download(request, program, sample)
        officers = (
            User.objects.filter(field_assignments__program=program)
            .annotate(
                events=Count("field_events", filter=Q(field_events__program=program)),
                ended=Max("field_assignments__ended_at"),
            )
            .select_related("field_sync")
            .distinct()
            .order_by("first_name", "username")
        )
        visits = []
        recent_visits = (
            FieldVisit.objects.filter(program=program)
            .select_related("verifier")
            .prefetch_related(
                "checks",
                Prefetch(
                    "beneficiaries",
                    queryset=Beneficiary.objects.select_related("household__desa").order_by(
                        "household__nama_kepala", "pk"
                    ),
                ),
            )[:10]
        )
        for visit in recent_visits:
            findings = services.visit_findings(visit, visit.checks.all())
            households = list(visit.beneficiaries.all())
            tally = Counter(check.verdict for check in findings.values())
            visits.append(
                {
                    "visit": visit,
                    "mine": visit.verifier_id == request.user.pk,
                    "rows": [(b, findings.get(b.pk)) for b in households],
                    "tally": [(label, tally.get(value, 0)) for value, label in FieldCheck.Verdict.choices],
                    "unchecked": len(households) - len(findings),
                }
            )
        context = {
            "program": program,
            "visits": visits,
            "visit_open": any(v["mine"] and v["visit"].closed_at is None for v in visits),
            "counts": counts,
            "conflicts": conflicts,
            "flagged": flagged,
            "photos": photos,
            "sample": [(b, household_address(b.household)) for b in sample],
            "officers": officers,
            "event_total": events.count(),
        }
        response = render(request, "lapangan/program.html", context)
        rows = len(conflicts) + len(flagged) + len(sample) + len(photos) + sum(len(v["rows"]) for v in visits)
        return personal_data_response(
            response,
            request=request,
            what=_("Field records of a program"),
            rows=rows,
            reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
        )

    def post(self, request, pk):
        program = _dinsos_program(request, pk)
        action = request.POST.get("action")
        if action in ("visit", "close"):
            try:
                if action == "visit":
                    visit = services.visit_plan(
                        program=program, beneficiaries=_sample(program), actor=request.user
                    )
                    messages.success(
                        request,
                        _(
                            "%(count)s households are ready for your field app: open it and sync while you "
                            "have signal."
                        )
                        % {"count": visit.beneficiaries.count()},
                    )
                else:
                    visit = get_object_or_404(FieldVisit, pk=request.POST.get("visit"), program=program)
                    services.visit_close(visit=visit, actor=request.user)
                    messages.success(
                        request, _("Visit closed: its households leave your phone at the next sync.")
                    )
            except services.FieldError as exc:
                messages.error(request, str(exc))
            return redirect("lapangan:program", pk=program.pk)
        event = get_object_or_404(FieldEvent, pk=request.POST.get("event"), program=program)
        count = services.conflict_resolve(event=event, actor=request.user)
        messages.success(request, _("Conflict marked as resolved (%(count)s records).") % {"count": count})
        return redirect("lapangan:program", pk=program.pk)


class PhotoFileView(LoginRequiredMixin, View):
    """A field photo, for Dinsos only (it shows a household at its door)."""

    def get(self, request, pk, event_id):
        program = _dinsos_program(request, pk)
        photo = get_object_or_404(FieldPhoto, event_id=event_id, event__program=program)
        response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
        return personal_data_response(
            response,
            request=request,
            what=_("Field photo"),
            rows=1,
            reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
        )
