from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.mixins import CompanyMemberRequiredMixin
from accounts.scope import get_visible_or_404
from programs import services
from programs.excel.program import annual_plan_workbook, program_list_workbook
from programs.filters import ProgramFilter
from programs.forms.program import ConfirmForm, ProgramForm
from programs.models import Program
from programs.selectors import program as selectors
from programs.selectors.program import program_for_member
from tslp_portal.excel import xlsx_response
from tslp_portal.models import AccessLog
from tslp_portal.params import query_without_page
from tslp_portal.privacy import personal_data_response


class ProgramListView(LoginRequiredMixin, TemplateView):
    template_name = "programs/program/list.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            filterset = ProgramFilter(request.GET, queryset=selectors.program_list(user=request.user))
            content = program_list_workbook(programs=filterset.qs, title=_("TSLP programs"))
            return xlsx_response(content, f"program-tslp-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ProgramFilter(self.request.GET, queryset=selectors.program_list(user=self.request.user))
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            filter=filterset,
            page_obj=page,
            programs=page.object_list,
            query=query_without_page(self.request),
            years=selectors.program_years(user=self.request.user),
        )
        return context


class ProgramDetailView(LoginRequiredMixin, TemplateView):
    template_name = "programs/program/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program = get_visible_or_404(
            Program.objects.select_related("company"), self.request.user, pk=kwargs["pk"]
        )
        context.update(
            program=program,
            locations=program.locations.named().order_by("desa__kode"),
            events=program.events.select_related("actor"),
            attachments=program.attachments.all(),
            actions=services.program_actions(program, self.request.user),
        )
        return context


class ProgramCreateView(CompanyMemberRequiredMixin, View):
    template_name = "programs/program/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ProgramForm()})

    def post(self, request):
        form = ProgramForm(request.POST, request.FILES, instance=Program(company=request.user.company))
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        program = services.program_save(
            program=form.save(commit=False),
            actor=request.user,
            desa=form.cleaned_data["all_locations"],
            uploads=form.uploads(),
        )
        messages.success(
            request, _("The program is saved as a draft. Submit it to Dinsos when it is complete.")
        )
        return redirect(program)


class ProgramUpdateView(LoginRequiredMixin, View):
    template_name = "programs/program/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.program = program_for_member(request.user, kwargs["pk"])
        if not self.program.is_editable:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(
            request, self.template_name, {"form": ProgramForm(instance=self.program), "program": self.program}
        )

    def post(self, request, pk):
        form = ProgramForm(request.POST, request.FILES, instance=self.program)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "program": self.program}, status=400)
        try:
            services.program_save(
                program=form.save(commit=False),
                actor=request.user,
                desa=form.cleaned_data["all_locations"],
                uploads=form.uploads(),
            )
        except services.ProgramError as exc:
            messages.error(request, str(exc))
            return redirect(self.program)
        messages.success(request, _("Your changes are saved."))
        return redirect(self.program)


class ProgramActionView(LoginRequiredMixin, View):
    """GET shows a confirmation; POST calls the service. Used for submit and withdraw."""

    template_name = "programs/program/confirm.html"
    action = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.program = program_for_member(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        form = ConfirmForm(initial={"expected_status": self.program.status})
        missing = services.program_missing_documents(self.program) if self.action == "submit" else []
        context = {"program": self.program, "form": form, "action": self.action, "missing_documents": missing}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            return redirect(self.program)
        try:
            if self.action == "submit":
                services.program_submit(
                    program=self.program,
                    actor=request.user,
                    expected_status=form.cleaned_data["expected_status"],
                )
                messages.success(request, _("The program is submitted to Dinsos for review."))
            else:
                services.program_withdraw(
                    program=self.program,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    expected_status=form.cleaned_data["expected_status"],
                )
                messages.success(request, _("The program is withdrawn."))
        except services.ProgramError as exc:
            messages.error(request, str(exc))
        return redirect(self.program)


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk, attachment_pk):
        program = get_visible_or_404(Program, request.user, pk=pk)
        attachment = get_object_or_404(program.attachments, pk=attachment_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            # The row outlived its file (a restore without the private media): say so, never a 500.
            raise Http404(_("The file of this attachment is no longer stored.")) from None
        # Proposals and budgets are company documents that may name people: every download is logged.
        return personal_data_response(
            FileResponse(handle, as_attachment=True, filename=attachment.original_name),
            request=request,
            what=_("Program attachment %(name)s") % {"name": attachment.original_name},
            rows=1,
            action=AccessLog.Action.EXPORT,
            reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
        )


class AttachmentDeleteView(LoginRequiredMixin, View):
    def get(self, request, pk, attachment_pk):
        program = program_for_member(request.user, pk)
        attachment = get_object_or_404(program.attachments, pk=attachment_pk)
        return render(
            request,
            "programs/program/attachment_confirm_delete.html",
            {"program": program, "attachment": attachment},
        )

    def post(self, request, pk, attachment_pk):
        program = program_for_member(request.user, pk)
        attachment = get_object_or_404(program.attachments, pk=attachment_pk)
        try:
            services.program_detach(attachment=attachment, actor=request.user)
            messages.success(request, _("The attachment is removed."))
        except services.ProgramError as exc:
            messages.error(request, str(exc))
        return redirect(program)


class AnnualPlanView(CompanyMemberRequiredMixin, View):
    template_name = "programs/program/annual_plan.html"

    def get(self, request, tahun):
        company = request.user.company
        plan = selectors.annual_plan(company=company, tahun=tahun)
        if request.GET.get("format") == "xlsx":
            content = annual_plan_workbook(company=company, tahun=tahun, plan=plan)
            return xlsx_response(content, f"rencana-tslp-{tahun}-{company.nib}.xlsx")
        years = sorted(set(selectors.program_years(user=request.user)) | {tahun}, reverse=True)
        return render(
            request, self.template_name, {"plan": plan, "tahun": tahun, "company": company, "years": years}
        )
