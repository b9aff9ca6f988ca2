"""The need form (phone-friendly: one column, numeric keyboards), photos checked by their content, and the
decision and adoption confirmations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from etalase.models import MAX_PHOTOS, Need
from poverty_data.models import Desa, Kecamatan
from programs.choices import Bidang
from programs.forms.fields import RupiahField
from tslp_portal.uploads import upload_content_ok

MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png"}


def validate_photo(upload) -> None:
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in PHOTO_EXTENSIONS:
        raise ValidationError(_("Only JPG and PNG photos can be added."), code="extension")
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; at most %(max)s MB can be added.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": MAX_PHOTO_BYTES // 1024 // 1024},
            code="size",
        )
    if not upload_content_ok(upload, extension):
        raise ValidationError(
            _("The content of %(name)s is not a %(ext)s photo. Take or save the photo again.")
            % {"name": name, "ext": extension},
            code="disguised",
        )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(PhotosField, self).clean(upload, initial) for upload in files]
        for upload in cleaned:
            validate_photo(upload)
        return cleaned


class NeedForm(forms.ModelForm):
    budget = RupiahField(label=_("Estimated budget (Rp)"))
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to %(max)s JPG or PNG photos of the place (no faces of residents).")
        % {"max": MAX_PHOTOS},
    )

    class Meta:
        model = Need
        fields = [
            "kecamatan",
            "desa",
            "bidang",
            "bentuk",
            "title",
            "description",
            "budget",
            "families",
            "source",
            "source_ref",
            "priority",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "families": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kecamatan = Kecamatan.objects.order_by("kode")
        desa = Desa.objects.select_related("kecamatan").order_by("kode")
        if not user.is_dinsos:
            # A camat works in their own kecamatan only: the field is fixed, the desa list is theirs.
            kecamatan = kecamatan.filter(pk=user.kecamatan_id)
            desa = desa.filter(kecamatan_id=user.kecamatan_id)
            self.fields["kecamatan"].initial = user.kecamatan_id
            self.fields["kecamatan"].disabled = True
            self.fields["source"].choices = [c for c in Need.Source.choices if c[0] != Need.Source.DINSOS]
        if self.instance.pk:
            self.fields["kecamatan"].disabled = True
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["desa"].queryset = desa
        self.fields["desa"].empty_label = _("— whole kecamatan —")
        self.fields["desa"].label_from_instance = lambda d: (
            f"{d.nama} ({d.kecamatan.nama})" if user.is_dinsos else d.nama
        )
        self.fields["bidang"].choices = [("", "---------"), *Bidang.choices]

    def clean(self):
        cleaned = super().clean()
        desa, kecamatan = cleaned.get("desa"), cleaned.get("kecamatan")
        if desa and kecamatan and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("This desa is not in the chosen kecamatan."))
        photos = cleaned.get("photos") or []
        existing = self.instance.photos.count() if self.instance.pk else 0
        if existing + len(photos) > MAX_PHOTOS:
            self.add_error(
                "photos",
                _("A need has at most %(max)s photos; it has %(count)s already.")
                % {"max": MAX_PHOTOS, "count": existing},
            )
        return cleaned


class DecisionForm(forms.Form):
    """A confirmation that carries the status the page was showing (a stale page fails clearly)."""

    expected_status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EtalaseFilterForm(forms.Form):
    """Filters of the etalase list (also used by the API and the public list)."""

    kecamatan = forms.ModelChoiceField(
        Kecamatan.objects.order_by("kode"), required=False, to_field_name="kode", label=_("Kecamatan")
    )
    desa = forms.ModelChoiceField(
        Desa.objects.order_by("kode"), required=False, to_field_name="kode", label=_("Desa")
    )
    bidang = forms.ChoiceField(
        choices=[("", _("All bidang")), *Bidang.choices], required=False, label=_("Bidang")
    )
    status = forms.ChoiceField(
        choices=[("", _("Open and adopted")), *Need.Status.choices], required=False, label=_("Status")
    )
    budget_min = RupiahField(required=False, label=_("Budget from (Rp)"))
    budget_max = RupiahField(required=False, label=_("Budget up to (Rp)"))
    ring = forms.BooleanField(required=False, label=_("Only our ring-1 desa"))


class NeedImportForm(forms.Form):
    file = forms.FileField(
        label=_("Musrenbang or RKPD list (.xlsx or .csv)"),
        help_text=_(
            "Columns: KECAMATAN, DESA, USULAN (or JUDUL), BIDANG, ANGGARAN; optional BENTUK, URAIAN, JUMLAH KK, SUMBER, KODE RKPD, PRIORITAS."
        ),
    )
    source = forms.ChoiceField(
        label=_("Source of rows without a SUMBER column"),
        choices=Need.Source.choices,
        initial=Need.Source.MUSRENBANG_DESA,
    )
