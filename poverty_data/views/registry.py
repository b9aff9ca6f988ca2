"""Dinsos pages for importing the poverty registry: upload, dry-run summary, rejected rows, apply, undo."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from accounts.mixins import DinsosRequiredMixin
from poverty_data.forms import ImportApplyForm, ImportUploadForm
from poverty_data.models import ImportBatch
from poverty_data.services import (
    ImportStartError,
    ImportUndoError,
    errors_workbook_write,
    import_batch_apply,
    import_batch_start,
    import_undo,
)
from poverty_data.tasks import household_import_run
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
            complete=form.cleaned_data["complete"],
            user=self.request.user,
            member_upload=form.cleaned_data.get("member_file"),
        )
        _queue(batch)
        return redirect("registry:import_detail", pk=batch.pk)


class ImportDetailView(DinsosRequiredMixin, DetailView):
    template_name = "poverty_data/importbatch_detail.html"
    queryset = ImportBatch.objects.select_related("created_by")
    context_object_name = "batch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context["errors"] = batch.errors[:SHOWN_ERRORS]
        if batch.state == ImportBatch.State.VALIDATED:
            context.setdefault("apply_form", ImportApplyForm(batch=batch))
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
        if not context["errors"]:  # the rejected rows hold the file's NIK and names
            return response
        return personal_data_response(
            response,
            request=self.request,
            what=_("rejected rows of import %(id)s") % {"id": self.object.pk},
            rows=len(context["errors"]),
            reason=_("import review"),
        )


class ImportApplyView(DinsosRequiredMixin, View):
    """POST only: apply a validated dry run (in the background), with the typed number when it is needed."""

    http_method_names = ["post"]

    def post(self, request, pk):
        validated = get_object_or_404(ImportBatch, pk=pk)
        form = ImportApplyForm(request.POST, batch=validated)
        if not form.is_valid():
            detail = ImportDetailView()
            detail.setup(request, pk=pk)
            detail.object = validated
            context = detail.get_context_data(object=validated, apply_form=form)
            return detail.render_to_response(context, status=400)
        try:
            batch, created = import_batch_apply(
                validated=validated, user=request.user, confirmation=form.cleaned_data.get("confirmation", "")
            )
        except ImportStartError as exc:
            messages.error(request, str(exc))
            return redirect("registry:import_detail", pk=pk)
        if created:
            _queue(batch)
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


class ImportUndoView(DinsosRequiredMixin, TemplateView):
    """GET asks for confirmation; POST undoes an applied import (newest first)."""

    template_name = "poverty_data/importbatch_undo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = get_object_or_404(
            ImportBatch.objects.select_related("created_by"), pk=self.kwargs["pk"]
        )
        return context

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        try:
            result = import_undo(batch=batch, user=request.user)
        except ImportUndoError as exc:
            messages.error(request, str(exc))
            return redirect("registry:import_detail", pk=pk)
        messages.success(
            request,
            _(
                "Import undone: %(restored)s households restored, %(removed)s removed, %(deactivated)s deactivated."
            )
            % {"restored": result.restored, "removed": result.removed, "deactivated": result.deactivated},
        )
        return redirect("registry:import_detail", pk=pk)


def _queue(batch: ImportBatch) -> None:
    """Run the batch's import in the background once the request's transaction has stored it."""
    transaction.on_commit(lambda: household_import_run.enqueue(batch.pk))
