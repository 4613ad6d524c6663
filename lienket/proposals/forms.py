"""HTML forms of proposals (the services validate again; forms only shape the input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lienket.conferences.models import Conference

from .models import Field, Kind
from .workflow import TRANSITIONS


class ProposalForm(forms.Form):
    submitter = forms.ChoiceField(label=_("Submitting unit"))
    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    body = forms.CharField(label=_("Full text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    legal_references = forms.CharField(label=_("Legal documents referred to"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    speaker = forms.CharField(label=_("Speaker"), required=False, max_length=200)
    speaker_role = forms.CharField(label=_("Speaker's role"), required=False, max_length=200)
    conference = forms.ModelChoiceField(label=_("Raised at conference"), queryset=Conference.objects.order_by("-year"),
                                        required=False, empty_label=_("— none —"))
    raised_on = forms.DateField(label=_("Raised on"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    previous = forms.IntegerField(label=_("Raises again proposal no."), required=False, min_value=1, max_value=2**62)

    def __init__(self, *args: Any, submitters: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submitter"].choices = submitters  # type: ignore[attr-defined]


class ProposalEditForm(ProposalForm):
    """Editing a draft: everything creation takes but the submitting unit (whose proposal it is never changes)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, submitters=[], **kwargs)
        del self.fields["submitter"]


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in TRANSITIONS])
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    reason = forms.CharField(required=False)
    lead_unit = forms.CharField(required=False, max_length=80)
    co_units = forms.MultipleChoiceField(required=False, choices=[])
    deadline = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    answer = forms.CharField(required=False)
    forwarded_to = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, co_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_units"].choices = co_choices or []  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[("", _("All fields")), *Field.choices])
    unit = forms.ChoiceField(label=_("Submitting province"), required=False, choices=[])
    ministry_unit = forms.ChoiceField(label=_("Ministry unit"), required=False, choices=[])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, units: list[tuple[str, str]], ministry_units: list[tuple[str, str]],
                 years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All provinces")), *units]  # type: ignore[attr-defined]
        self.fields["ministry_unit"].choices = [("", _("All Ministry units")), *ministry_units]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]  # type: ignore[attr-defined]
