"""Dinsos pages for importing the poverty registry: upload, dry-run summary, rejected rows, apply."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.mixins import DinsosRequiredMixin
from poverty_data.forms import ImportUploadForm
from poverty_data.models import ImportBatch
from poverty_data.services import (
    ImportStartError,
    errors_workbook_write,
    import_batch_apply,
    import_batch_start,
)
from tslp_portal.excel import xlsx_response
from tslp_portal.models import AccessLog
from tslp_portal.privacy import personal_data_response

SHOWN_ERRORS = 100


class ImportUploadView(DinsosRequiredMixin, FormView):
    template_name = "poverty_data/importbatch_form.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = ImportBatch.objects.select_related("created_by")[:10]
        return context

    def form_valid(self, form):
        batch = import_batch_start(
            upload=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            period=form.cleaned_data["period"],
            strict=form.cleaned_data["strict"],
            user=self.request.user,
        )
        return redirect("registry:import_detail", pk=batch.pk)


class ImportDetailView(DinsosRequiredMixin, DetailView):
    template_name = "poverty_data/importbatch_detail.html"
    queryset = ImportBatch.objects.select_related("created_by")
    context_object_name = "batch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context["errors"] = batch.errors[:SHOWN_ERRORS]
        context["in_progress"] = batch.state in {ImportBatch.State.PENDING, ImportBatch.State.RUNNING}
        context["applied_as"] = (
            ImportBatch.objects.filter(stored_file=batch.stored_file.name, dry_run=False)
            .exclude(pk=batch.pk)
            .first()
            if batch.dry_run and batch.stored_file
            else None
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context["errors"]:
            return response
        return personal_data_response(
            response,
            request=self.request,
            what=_("rejected rows of import %(id)s") % {"id": self.object.pk},
            rows=len(context["errors"]),
            reason=_("import review"),
        )


class ImportApplyView(DinsosRequiredMixin, View):
    """POST only: apply a validated dry run (in the background)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        validated = get_object_or_404(ImportBatch, pk=pk)
        try:
            batch = import_batch_apply(validated=validated, user=request.user)
        except ImportStartError as exc:
            messages.error(request, str(exc))
            return redirect("registry:import_detail", pk=pk)
        messages.success(request, _("The file is being applied to the registry."))
        return redirect("registry:import_detail", pk=batch.pk)


class ImportErrorsDownloadView(DinsosRequiredMixin, View):
    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        response = xlsx_response(b"", f"baris-ditolak-{batch.pk}.xlsx")
        errors_workbook_write(batch.errors, response)
        return personal_data_response(
            response,
            request=request,
            what=_("rejected rows of import %(id)s") % {"id": batch.pk},
            rows=len(batch.errors),
            action=AccessLog.Action.EXPORT,
            reason=_("import review"),
        )
