"""Catalogue changes made in the admin are audited like every other change: who, what, before → after."""

from __future__ import annotations

from typing import Any

from lienket.core.models import AuditEntry
from lienket.reporting.catalogue import load_catalogue
from lienket.reporting.models import DataSet, Disaggregation, Indicator, ValidationRule

from .conftest import admin_url as _url
from .factories import user


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return getattr(value, "pk", value)


def _form_data(response) -> dict[str, Any]:
    """The POST the admin's change page would send unchanged: the main form and every inline formset."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.management_form.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        forms += list(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            data[form.add_prefix(name)] = _value(form.initial.get(name, field.initial))
    return {k: v for k, v in data.items() if v != ""}  # empty fields and unticked boxes are absent from a POST


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_changing_an_indicator_in_the_admin_records_who_and_before_after(admin_client):
    # given an indicator and its change page
    ind = Indicator.objects.get(code="RETAIL")
    data = _form_data(admin_client.get(_url(Indicator, "change", ind.pk)))
    old_name = ind.name
    # when the admin renames it
    data["name"] = "Tổng mức bán lẻ (sửa)"
    response = admin_client.post(_url(Indicator, "change", ind.pk), data)
    # then it is saved and one entry says who changed what from what
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    [entry] = _entries("indicator.update")
    assert entry.actor == admin_client.admin
    assert entry.object_type == "reporting.indicator"
    assert entry.object_id == str(ind.pk)
    assert entry.before == {"name": old_name}
    assert entry.after == {"name": "Tổng mức bán lẻ (sửa)"}
    assert entry.reason == "admin"


def test_saving_an_unchanged_indicator_records_nothing(admin_client):
    ind = Indicator.objects.get(code="RETAIL")
    data = _form_data(admin_client.get(_url(Indicator, "change", ind.pk)))

    response = admin_client.post(_url(Indicator, "change", ind.pk), data)

    assert response.status_code == 302
    assert not _entries("indicator.update")


def test_a_refused_change_records_nothing(admin_client):
    # given a change the form refuses (a maximum below the minimum)
    ind = Indicator.objects.get(code="RETAIL")
    data = _form_data(admin_client.get(_url(Indicator, "change", ind.pk)))
    data.update(min_value="10", max_value="1")
    # when posted
    response = admin_client.post(_url(Indicator, "change", ind.pk), data)
    # then the form is shown again, nothing changed and nothing is recorded
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(object_type="reporting.indicator").exists()


def test_changing_a_data_sets_elements_records_the_rows_before_and_after(admin_client):
    # given a data set with its elements
    ds = DataSet.objects.get(code="BC-THANG")
    data = _form_data(admin_client.get(_url(DataSet, "change", ds.pk)))
    first = ds.elements.order_by("pk").first()
    prefix = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(first.pk))[: -len("-id")]
    # when one element is marked optional/required the other way round
    key = f"{prefix}-required"
    if key in data:
        del data[key]
    else:
        data[key] = "on"
    response = admin_client.post(_url(DataSet, "change", ds.pk), data)
    # then one dataset.update entry holds the element rows before and after
    assert response.status_code == 302
    [entry] = _entries("dataset.update")
    assert set(entry.before) == {"elements"}
    changed = [row for row in entry.after["elements"] if row["id"] == first.pk]
    assert changed[0]["required"] is not first.required


def test_adding_and_deleting_a_validation_rule_are_recorded(admin_client):
    # given the add page of a validation rule
    ds = DataSet.objects.get(code="BC-THANG")
    code = ds.indicators.order_by("code").values_list("code", flat=True).first()
    data = {
        "code": "TEST_RULE", "name": "Không âm", "name_en": "Not negative", "dataset": ds.pk,
        "expression": f"{code} >= 0", "severity": ValidationRule.Severity.ERROR,
        "message": "Phải không âm", "message_en": "Must not be negative", "is_active": "on",
    }
    # when the admin adds it, then deletes it
    added = admin_client.post(_url(ValidationRule, "add"), data)
    assert added.status_code == 302, added.context["adminform"].form.errors if added.context else ""
    rule = ValidationRule.objects.get(code="TEST_RULE")
    deleted = admin_client.post(_url(ValidationRule, "delete", rule.pk), {"post": "yes"})
    # then both are in the trail, the delete with the rule as it was
    assert deleted.status_code == 302
    [created] = _entries("validation_rule.create")
    [removed] = _entries("validation_rule.delete")
    assert created.before is None
    assert created.after["code"] == "TEST_RULE"
    assert removed.object_id == str(rule.pk)
    assert removed.object_repr
    assert removed.before["expression"] == f"{code} >= 0"
    assert removed.actor == admin_client.admin
    assert not ValidationRule.objects.filter(code="TEST_RULE").exists()


def test_bulk_delete_records_one_entry_per_object(admin_client):
    # given two disaggregations nobody uses
    first = Disaggregation.objects.create(code="TMP_A", name="A")
    second = Disaggregation.objects.create(code="TMP_B", name="B")
    # when deleted with the changelist's "delete selected" action
    response = admin_client.post(
        _url(Disaggregation, "changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    # then each has its entry
    assert response.status_code == 302
    assert {e.object_id for e in _entries("disaggregation.delete")} == {str(first.pk), str(second.pk)}
    assert not Disaggregation.objects.filter(code__startswith="TMP_").exists()


def test_a_user_without_admin_rights_changes_nothing_and_records_nothing(reference_data, client):
    # given an account without staff access / when it posts to the admin
    load_catalogue()
    ind = Indicator.objects.get(code="RETAIL")
    client.force_login(user("someone"))
    response = client.post(_url(Indicator, "change", ind.pk), {"name": "x"})
    # then refused (sent to the admin login), unchanged, nothing recorded
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.name != "x"
    assert not AuditEntry.objects.filter(object_type="reporting.indicator").exists()
