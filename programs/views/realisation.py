"""The realisation loop: the company reports, Dinsos verifies or returns; the overdue list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import DinsosRequiredMixin, RoleRequiredMixin
from accounts.models import User
from accounts.scope import get_visible_or_404
from programs import services
from programs.forms.realisation import RealisationDecisionForm, RealisationForm
from programs.models import Program, RealisationReport
from programs.selectors.program import program_for_member
from programs.selectors.realisation import overdue_rows, realisation_documents_visible
from tslp_portal.privacy import personal_data_response


class RealisationCreateView(LoginRequiredMixin, View):
    template_name = "programs/realisation/report_form.html"

    def get_program(self, request, pk) -> Program:
        program = program_for_member(request.user, pk)
        if "report" not in services.program_actions(program, request.user):
            raise PermissionDenied  # GET and POST alike: only a running program is reported on
        return program

    def get(self, request, pk):
        program = self.get_program(request, pk)
        return render(request, self.template_name, {"program": program, "form": RealisationForm()})

    def post(self, request, pk):
        program = self.get_program(request, pk)
        form = RealisationForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"program": program, "form": form}, status=400)
        try:
            services.realisation_submit(program=program, actor=request.user, **form.cleaned_data)
        except services.ProgramError as exc:
            messages.error(request, str(exc))
            return redirect(program)
        messages.success(request, _("The realisation report is sent to Dinsos for verification."))
        return redirect(program)


class RealisationReportView(LoginRequiredMixin, View):
    """A report with its documents; Dinsos verifies it or returns it here (GET shows, POST decides)."""

    template_name = "programs/realisation/report_detail.html"

    def get_report(self, request, pk, report_pk):
        program = get_visible_or_404(Program.objects.select_related("company"), request.user, pk=pk)
        return get_object_or_404(
            program.reports.select_related("program__company", "submitted_by", "verified_by"), pk=report_pk
        )

    def render_report(self, request, report, form, status=200):
        can_decide = request.user.is_dinsos and report.state == RealisationReport.State.SUBMITTED
        context = {
            "program": report.program,
            "report": report,
            "documents": report.documents.all(),
            "documents_visible": realisation_documents_visible(program=report.program, user=request.user),
            "form": form if can_decide else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk, report_pk):
        report = self.get_report(request, pk, report_pk)
        return self.render_report(request, report, RealisationDecisionForm())

    def post(self, request, pk, report_pk):
        report = self.get_report(request, pk, report_pk)
        if not request.user.is_dinsos:
            raise PermissionDenied
        form = RealisationDecisionForm(request.POST)
        if not form.is_valid():
            return self.render_report(request, report, form, status=400)
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "verify":
                services.realisation_verify(report=report, actor=request.user, note=note)
                messages.success(request, _("The realisation report is verified."))
            else:
                services.realisation_return(report=report, actor=request.user, note=note)
                messages.success(request, _("The realisation report is returned to the company."))
        except services.ProgramError as exc:
            messages.error(request, str(exc))
        return redirect(report.program)


class RealisationDocumentView(LoginRequiredMixin, View):
    def get(self, request, pk, report_pk, document_pk):
        program = get_visible_or_404(Program, request.user, pk=pk)
        if not realisation_documents_visible(program=program, user=request.user):
            raise PermissionDenied  # photos of handovers show people
        report = get_object_or_404(program.reports, pk=report_pk)
        document = get_object_or_404(report.documents, pk=document_pk)
        return personal_data_response(
            FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name),
            request=request,
            what=_("Realisation document %(name)s") % {"name": document.original_name},
            rows=1,
            reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
        )


class OverdueView(RoleRequiredMixin, View):
    """Programs whose realisation report is overdue: Dinsos sees all and sends reminders; pimpinan see all,
    a camat their own kecamatan's (the regency dashboard links here)."""

    allowed_roles = frozenset({User.Role.DINSOS, User.Role.CAMAT, User.Role.PIMPINAN})
    template_name = "programs/realisation/overdue.html"

    def get(self, request):
        return render(request, self.template_name, {"rows": overdue_rows(user=request.user)})


class ReminderView(DinsosRequiredMixin, View):
    """POST only: mail the company a reminder about its overdue report, recorded in the history."""

    def post(self, request, pk):
        program = get_object_or_404(Program.objects.select_related("company"), pk=pk)
        try:
            services.program_remind(program=program, actor=request.user)
        except services.ProgramError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("A reminder was sent to %(company)s about “%(title)s”.")
                % {"company": program.company.name, "title": program.title},
            )
        return redirect("programs:overdue")
