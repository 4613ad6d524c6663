"""HTML forms of the product pages. Thin: they read what was posted; the rules live in values/services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lienket.core.text import nfc
from lienket.regions.models import AdminUnit

from .models import Product
from .ocop import STAR_BANDS, OcopGroup
from .values import ProductInput

STAR_CHOICES = [("", _("Not rated"))] + [(str(s), f"{s}★ ({low}–{high})") for s, (low, high) in STAR_BANDS.items()]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    unit = forms.ModelChoiceField(label=_("Province / city"), queryset=AdminUnit.objects.none(), required=False,
                                  empty_label=_("All units"))
    group = forms.ChoiceField(label=_("OCOP product group"), required=False, choices=[("", _("All groups")), *OcopGroup.choices])
    stars = forms.TypedChoiceField(label=_("Stars"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Any"))] + [(str(s), f"{s}★") for s in STAR_BANDS])
    certificate = forms.ChoiceField(label=_("Certificate"), required=False, choices=[
        ("", _("Any")), ("valid", _("Valid")), ("expiring", _("Expiring within 90 days")), ("expired", _("Expired")),
        ("rated", _("Rated (any)"))])

    def __init__(self, *args: Any, units: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = AdminUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("code", "valid_from")


class ProductForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Province / city"), queryset=AdminUnit.objects.none())
    name = forms.CharField(label=_("Product name"), max_length=200)
    category = forms.CharField(label=_("Category"), max_length=120, required=False, help_text=_("e.g. tea, pomelo, honey"))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    producer_name = forms.CharField(label=_("Producer"), max_length=200,
                                    help_text=_("The business, cooperative or household that makes it"))
    producer_address = forms.CharField(label=_("Producer's address"), max_length=300, required=False)
    producer_contact = forms.CharField(label=_("Producer's contact"), max_length=300, required=False,
                                       help_text=_("Phone, e-mail or contact person"))
    contact_public = forms.BooleanField(label=_("Show the contact to the public"), required=False)
    ocop_group = forms.ChoiceField(label=_("OCOP product group"), required=False, choices=[("", _("Not an OCOP product")), *OcopGroup.choices])
    stars = forms.TypedChoiceField(label=_("OCOP stars"), required=False, coerce=int, empty_value=None, choices=STAR_CHOICES)
    score = forms.IntegerField(label=_("OCOP score"), required=False, min_value=0, max_value=100,
                               help_text=_("3★ 50–69, 4★ 70–89, 5★ 90–100 points"))
    decision_number = forms.CharField(label=_("Certifying decision number"), max_length=80, required=False,
                                      help_text=_("e.g. 1234/QĐ-UBND"))
    decision_date = forms.DateField(label=_("Certifying decision date"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False, help_text=_("e.g. UBND tỉnh Phú Thọ"))
    is_published = forms.BooleanField(label=_("Published in the public catalogue"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = units

    def to_input(self) -> ProductInput:
        d = self.cleaned_data
        return ProductInput(
            name=nfc(d.get("name")), unit=d.get("unit"), producer_name=nfc(d.get("producer_name")),
            producer_address=nfc(d.get("producer_address")), producer_contact=nfc(d.get("producer_contact")),
            contact_public=bool(d.get("contact_public")), category=nfc(d.get("category")), description=nfc(d.get("description")),
            ocop_group=d.get("ocop_group") or "", stars=d.get("stars"), score=d.get("score"),
            decision_number=nfc(d.get("decision_number")), decision_date=d.get("decision_date"),
            decision_issuer=nfc(d.get("decision_issuer")), is_published=bool(d.get("is_published")),
        )

    @staticmethod
    def initial_of(product: Product) -> dict[str, Any]:
        p = product
        return {
            "unit": p.unit_id, "name": p.name, "category": p.category, "description": p.description,
            "producer_name": p.producer.name, "producer_address": p.producer.address, "producer_contact": p.producer.contact,
            "contact_public": p.producer.contact_public, "ocop_group": p.ocop_group, "stars": p.stars, "score": p.score,
            "decision_number": p.decision_number, "decision_date": p.decision_date, "decision_issuer": p.decision_issuer,
            "is_published": p.is_published, "version": p.version,
        }


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Dry run first (check and show the changes without saving)"), required=False)
