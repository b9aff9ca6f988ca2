"""Dinsos pages of the register: the list, one company's record and timeline, the import check and apply."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.mixins import DinsosRequiredMixin
from cycle.excel import register_workbook
from cycle.forms import ExemptForm, InviteForm, RegisterUploadForm
from cycle.models import ObligatedCompany, RegisterImport
from cycle.services import CycleError
from cycle.services.register import (
    entry_exempt,
    entry_reinstate,
    register_import_apply,
    register_import_check,
)
from cycle.services.reminders import whatsapp_link
from poverty_data.models import Kecamatan
from tslp_portal.excel import xlsx_response
from tslp_portal.params import ascii_int, query_without_page

PAGE_SIZE = 100


def register_filtered(request):
    entries = ObligatedCompany.objects.select_related("kecamatan", "company")
    status = request.GET.get("status", "")
    if status in ObligatedCompany.Status.values:
        entries = entries.filter(status=status)
    kecamatan = request.GET.get("kecamatan", "")
    if (kecamatan_id := ascii_int(kecamatan)) is not None:
        entries = entries.filter(kecamatan_id=kecamatan_id)
    query = request.GET.get("q", "").strip()
    if query:
        entries = entries.filter(Q(name__icontains=query) | Q(nib__startswith=query))
    return entries.order_by("name", "pk"), {"status": status, "kecamatan": kecamatan, "q": query}


class RegisterListView(DinsosRequiredMixin, View):
    template_name = "cycle/register/list.html"

    def get(self, request):
        entries, filters = register_filtered(request)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(register_workbook(entries), "register-perusahaan-tslp.xlsx")
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        counts = {
            row: ObligatedCompany.objects.filter(status=row).count() for row in ObligatedCompany.Status.values
        }
        context = {
            "page": page,
            "filters": filters,
            "statuses": [(value, label, counts[value]) for value, label in ObligatedCompany.Status.choices],
            "kecamatan_list": Kecamatan.objects.filter(obligated_companies__isnull=False).distinct(),
            "query": query_without_page(request),
            "invite_form": InviteForm(),
            "total": sum(counts.values()),
        }
        return render(request, self.template_name, context)


class RegisterDetailView(DinsosRequiredMixin, DetailView):
    template_name = "cycle/register/detail.html"
    queryset = ObligatedCompany.objects.select_related("kecamatan", "company")
    context_object_name = "entry"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(self.object.events.select_related("actor"))
        for event in events:
            event.whatsapp = (
                whatsapp_link(self.object.phone, event.whatsapp_text) if event.whatsapp_text else ""
            )
        context["events"] = events
        context["invitations"] = self.object.invitations.all()
        context.setdefault("exempt_form", ExemptForm())
        context["invite_form"] = InviteForm()
        return context


class RegisterExemptView(DinsosRequiredMixin, View):
    """POST only: exempt an entry (with a reason) or lift its exemption."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        entry = get_object_or_404(ObligatedCompany, pk=pk)
        try:
            if entry.status == ObligatedCompany.Status.EXEMPT:
                entry_reinstate(entry=entry, actor=request.user)
                messages.success(request, _("The exemption of %(name)s is lifted.") % {"name": entry.name})
            else:
                form = ExemptForm(request.POST)
                if not form.is_valid():
                    detail = RegisterDetailView()
                    detail.setup(request, pk=pk)
                    detail.object = entry
                    context = detail.get_context_data(object=entry, exempt_form=form)
                    return detail.render_to_response(context, status=400)
                entry_exempt(entry=entry, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(
                    request, _("%(name)s is exempted and no longer reminded.") % {"name": entry.name}
                )
        except CycleError as exc:
            messages.error(request, str(exc))
        return redirect("cycle:register_detail", pk=pk)


class RegisterImportView(DinsosRequiredMixin, FormView):
    template_name = "cycle/register/import_form.html"
    form_class = RegisterUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = RegisterImport.objects.select_related("created_by")[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            record = register_import_check(
                path=path, file_name=upload.name, source=form.cleaned_data["source"], user=self.request.user
            )
        return redirect("cycle:import_detail", pk=record.pk)


class RegisterImportDetailView(DinsosRequiredMixin, DetailView):
    template_name = "cycle/register/import_detail.html"
    queryset = RegisterImport.objects.select_related("created_by")
    context_object_name = "record"


class RegisterImportApplyView(DinsosRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        record = get_object_or_404(RegisterImport, pk=pk)
        try:
            register_import_apply(record=record, user=request.user)
        except CycleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The register is updated."))
        return redirect("cycle:import_detail", pk=pk)
