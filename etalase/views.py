import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.mixins import CompanyMemberRequiredMixin, DinsosRequiredMixin, RoleRequiredMixin
from accounts.models import User
from accounts.scope import get_visible_or_404, scope_of
from companies.models import Company
from etalase import selectors, services
from etalase.excel import need_list_workbook
from etalase.forms import DecisionForm, EtalaseFilterForm, NeedForm, NeedImportForm
from etalase.importing import needs_import
from etalase.models import Need, NeedEvent, RingDesa
from poverty_data.importing.readers import ImportRefused
from poverty_data.models import Desa
from tslp_portal.excel import xlsx_response
from tslp_portal.params import query_without_page


def filtered_needs(request, needs):
    form = EtalaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    company_id = request.user.company_id if request.user.is_authenticated else None
    return form, selectors.need_list(needs=needs, filters=filters, company_id=company_id)


class NeedListView(LoginRequiredMixin, TemplateView):
    """The etalase: needs companies may adopt; camat and Dinsos also see proposals and rejections."""

    template_name = "etalase/list.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            _form, needs = filtered_needs(request, Need.objects.visible_to(request.user))
            return xlsx_response(need_list_workbook(needs), f"etalase-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, needs = filtered_needs(self.request, Need.objects.visible_to(self.request.user))
        page = Paginator(needs, self.paginate_by).get_page(self.request.GET.get("page"))
        user = self.request.user
        context.update(
            form=form,
            page_obj=page,
            needs=page.object_list,
            query=query_without_page(self.request),
            may_propose=user.is_dinsos or user.is_camat,
        )
        return context


class NeedDetailView(LoginRequiredMixin, TemplateView):
    template_name = "etalase/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        need = get_visible_or_404(
            selectors.with_funded(Need.objects.select_related("kecamatan", "desa", "created_by")),
            user,
            pk=kwargs["pk"],
        )
        adoptions = need.adoptions.select_related("program__company")
        if user.is_company_member:
            mine = [a for a in adoptions if a.program.company_id == user.company_id]
            since = mine[0].created_at if mine else None
        else:
            since = None
        events = list(need.events.select_related("actor"))
        context.update(
            need=need,
            photos=need.photos.all(),
            adoptions=adoptions,
            events=events,
            changed_since_adoption=[
                e for e in events if since and e.action == NeedEvent.Action.EDIT and e.created_at > since
            ],
            # The registry's exact count of a desa is for the roles that see exact figures (the dashboards);
            # a company sees the desa's poor families on the public pages, where small counts are protected.
            poor_families=selectors.poor_families(need) if scope_of(user).sees_dashboards else None,
            remaining=max(need.budget - need.funded, 0),
            actions=services.need_actions(need, user),
        )
        return context


class NeedKeeperMixin(RoleRequiredMixin):
    allowed_roles = frozenset({User.Role.DINSOS, User.Role.CAMAT})


class NeedCreateView(NeedKeeperMixin, View):
    template_name = "etalase/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": NeedForm(user=request.user)})

    def post(self, request):
        form = NeedForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        need = form.save(commit=False)
        try:
            services.need_create(need=need, actor=request.user, uploads=form.cleaned_data["photos"])
        except services.NeedError as exc:
            form.add_error(None, str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        if need.status == Need.Status.PROPOSED:
            messages.success(
                request, _("The need is proposed. Dinsos will check it before companies see it.")
            )
        else:
            messages.success(request, _("The need is open in the etalase."))
        return redirect(need)


class NeedUpdateView(NeedKeeperMixin, View):
    template_name = "etalase/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.role_allowed(request.user):
            self.need = get_visible_or_404(Need.objects.select_related("desa"), request.user, pk=kwargs["pk"])
            if not (self.need.is_editable and services.may_keep(request.user, self.need)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        form = NeedForm(instance=self.need, user=request.user)
        return render(request, self.template_name, {"form": form, "need": self.need})

    def post(self, request, pk):
        form = NeedForm(request.POST, request.FILES, instance=self.need, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "need": self.need}, status=400)
        try:
            services.need_update(
                need=form.save(commit=False), actor=request.user, uploads=form.cleaned_data["photos"]
            )
        except services.NeedError as exc:
            messages.error(request, str(exc))
            return redirect(self.need)
        messages.success(request, _("Your changes are saved."))
        return redirect(self.need)


class NeedDecisionView(RoleRequiredMixin, View):
    """Dinsos approves, rejects (with a reason) or marks done: GET confirms, POST acts."""

    allowed_roles = frozenset({User.Role.DINSOS})
    template_name = "etalase/confirm.html"
    action = ""

    def get(self, request, pk):
        need = get_visible_or_404(Need, request.user, pk=pk)
        form = DecisionForm(initial={"expected_status": need.status})
        return render(request, self.template_name, {"need": need, "form": form, "action": self.action})

    def post(self, request, pk):
        need = get_visible_or_404(Need, request.user, pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, {"need": need, "form": form, "action": self.action}, status=400
            )
        try:
            services.need_transition(
                need=need,
                actor=request.user,
                action=self.action,
                note=form.cleaned_data["note"],
                expected_status=form.cleaned_data["expected_status"],
            )
        except services.NeedError as exc:
            form.add_error("note" if self.action == NeedEvent.Action.REJECT else None, str(exc))
            return render(
                request, self.template_name, {"need": need, "form": form, "action": self.action}, status=400
            )
        messages.success(request, _("The need is now %(status)s.") % {"status": need.get_status_display()})
        return redirect(need)


class NeedAdoptView(CompanyMemberRequiredMixin, View):
    """A company adopts a need: GET shows what the draft program will hold, POST creates it."""

    template_name = "etalase/adopt.html"

    def get(self, request, pk):
        need = get_visible_or_404(
            selectors.with_funded(Need.objects.select_related("desa", "kecamatan")), request.user, pk=pk
        )
        form = DecisionForm(initial={"expected_status": need.status})
        remaining = max(need.budget - need.funded, 0)
        return render(request, self.template_name, {"need": need, "form": form, "remaining": remaining})

    def post(self, request, pk):
        need = get_visible_or_404(Need, request.user, pk=pk)
        try:
            program = services.need_adopt(need=need, actor=request.user)
        except services.NeedError as exc:
            messages.error(request, str(exc))
            return redirect(need)
        messages.success(
            request,
            _(
                "A draft program is made from the need. Complete its dates, objective and documents, then submit it to Dinsos."
            ),
        )
        return redirect("programs:update", pk=program.pk)


class PhotoView(LoginRequiredMixin, View):
    def get(self, request, pk, photo_pk):
        need = get_visible_or_404(Need, request.user, pk=pk)
        photo = get_object_or_404(need.photos, pk=photo_pk)
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file of this photo is no longer stored.")) from None
        return FileResponse(handle, filename=photo.original_name)


class RingView(CompanyMemberRequiredMixin, View):
    """The company's ring-1 desa: it adds and removes them (its profile lists them); Dinsos confirms them on
    the company's page in the back office."""

    template_name = "etalase/ring.html"

    def context(self, request):
        return {
            "ring": RingDesa.objects.filter(company=request.user.company).select_related("desa__kecamatan"),
            "desa_choices": Desa.objects.select_related("kecamatan").order_by("kecamatan__nama", "nama"),
        }

    def get(self, request):
        return render(request, self.template_name, self.context(request))

    def post(self, request):
        company = request.user.company
        if request.POST.get("remove"):
            try:
                ring_desa_id = int(request.POST["remove"])
            except ValueError:
                raise BadRequest(_("Choose a desa of your ring 1 to remove.")) from None
            services.ring_desa_remove(company=company, ring_desa_id=ring_desa_id, actor=request.user)
            messages.success(request, _("The desa is removed from your ring 1."))
            return redirect("etalase:ring")
        desa = Desa.objects.filter(kode=request.POST.get("desa", "")).first()
        if desa is None:
            context = self.context(request) | {"error": _("Choose a desa from the list.")}
            return render(request, self.template_name, context, status=400)
        services.ring_desa_add(company=company, desa=desa, actor=request.user)
        messages.success(
            request,
            _("%(desa)s is added. Dinsos confirms it before the etalase filter uses it.")
            % {"desa": desa.label},
        )
        return redirect("etalase:ring")


class RingConfirmView(DinsosRequiredMixin, View):
    """Dinsos confirms a company's ring-1 desa (one, or all still waiting) from the company's back-office
    page. POST only."""

    http_method_names = ["post"]

    def post(self, request, company_pk):
        company = get_object_or_404(Company, pk=company_pk)
        ring = RingDesa.objects.filter(company=company)
        if request.POST.get("ring_desa"):
            try:
                ring = ring.filter(pk=int(request.POST["ring_desa"]))
            except ValueError:
                raise BadRequest(_("Choose a ring-1 desa of this company.")) from None
        count = services.ring_desa_confirm(ring_desas=ring, actor=request.user)
        messages.success(request, _("%(count)s ring-1 desa confirmed.") % {"count": count})
        return redirect("admin:companies_company_change", company.pk)


class NeedImportView(RoleRequiredMixin, View):
    """Dinsos uploads a list: the first POST checks every row; "apply" imports the same stored file."""

    allowed_roles = frozenset({User.Role.DINSOS})
    template_name = "etalase/import.html"
    SESSION_KEY = "etalase-import"

    def get(self, request):
        return render(request, self.template_name, {"form": NeedImportForm()})

    def post(self, request):
        if "apply" in request.POST:
            return self.apply(request)
        form = NeedImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        stored = default_storage.save(
            f"etalase/imports/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}", upload
        )
        try:
            result = needs_import(
                default_storage.path(stored),
                upload.name,
                actor=request.user,
                apply=False,
                default_source=form.cleaned_data["source"],
            )
        except ImportRefused as exc:
            default_storage.delete(stored)
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        request.session[self.SESSION_KEY] = {
            "path": stored,
            "name": upload.name,
            "source": form.cleaned_data["source"],
        }
        return render(request, self.template_name, {"form": form, "result": result, "file_name": upload.name})

    def apply(self, request):
        pending = request.session.pop(self.SESSION_KEY, None)
        if not pending or not default_storage.exists(pending["path"]):
            messages.error(request, _("Upload the file again: the checked file is no longer kept."))
            return redirect("etalase:import")
        try:
            result = needs_import(
                default_storage.path(pending["path"]),
                pending["name"],
                actor=request.user,
                apply=True,
                default_source=pending["source"],
            )
        finally:
            default_storage.delete(pending["path"])
        if not result.ok:
            messages.error(request, _("The file has row errors; nothing was imported."))
            return redirect("etalase:import")
        messages.success(
            request,
            _("%(count)s needs added to the etalase; %(existing)s were already there.")
            % {"count": result.created, "existing": result.existing},
        )
        return redirect("etalase:list")
