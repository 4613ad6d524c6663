"""The document form of the library's editors (the Ministry coordinator, the admin). It only shapes input:
validation of numbers, dates and files is the service's (services.document_create / document_update)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocStatus, DocType, DocVisibility


def _date() -> forms.DateField:
    return forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           input_formats=["%Y-%m-%d", "%d/%m/%Y"])


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False,
                             help_text=_("As written, e.g. 32/2024/NĐ-CP"))
    title = forms.CharField(label=_("Title"), max_length=500)
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    issue_date = _date()
    effective_date = _date()
    status = forms.ChoiceField(label=_("Status"), choices=DocStatus.choices, initial=DocStatus.UNKNOWN)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=DocVisibility.choices, initial=DocVisibility.PUBLIC)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["issue_date"].label = _("Issue date")
        self.fields["effective_date"].label = _("Effective date")


# Which way a new relation reads, from the document whose page it is added on: "out:amends" = this document amends
# the chosen one; "in:amends" = the chosen one amends this document.
RELATION_CHOICES = [
    ("out:guides", _("guides")), ("out:amends", _("amends")), ("out:replaces", _("replaces")),
    ("in:guides", _("is guided by")), ("in:amends", _("is amended by")), ("in:replaces", _("is replaced by")),
]


class RelationForm(forms.Form):
    """Adding a relation on a document's page: how it relates, to which document (chosen among the search
    results), from when, with a note. The rules (not itself, not twice) are the service's."""

    relation = forms.ChoiceField(label=_("This document"), choices=RELATION_CHOICES)
    target = forms.IntegerField(label=_("Document"), min_value=1, max_value=2**31 - 1,
                                error_messages={"required": _("Search for the document and choose it in the list.")})
    effective_date = _date()
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["effective_date"].label = _("From")

    def direction_and_kind(self) -> tuple[str, str]:
        direction, kind = self.cleaned_data["relation"].split(":")
        return direction, kind
