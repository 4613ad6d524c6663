"""The reporting models in the admin: catalogue editable with its invariants checked, data read-only."""

from __future__ import annotations

import pytest
from django.forms import inlineformset_factory

from lienket.core.models import AuditEntry
from lienket.regions.models import AdminUnit
from lienket.reporting.admin import DataSetElementFormSet, IndicatorForm, ValidationRuleForm
from lienket.reporting.models import (
    DataSet,
    DataSetElement,
    DataValue,
    DataValueAudit,
    Indicator,
    Submission,
    Target,
    ValidationRule,
)
from lienket.reporting.services import datavalues_apply
from lienket.reporting.values import ValueItem
from lienket.users.models import Role

from .conftest import admin_url as _url
from .factories import user

MODELS = [Indicator, DataSet, ValidationRule, Submission, DataValue, DataValueAudit, Target]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_open(admin_client, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200


def test_indicator_change_page_opens(admin_client):
    ind = Indicator.objects.get(code="CCN_RATE")
    response = admin_client.get(_url(Indicator, "change", ind.pk))
    assert response.status_code == 200
    assert "CCN_OCCUPIED" in response.content.decode()


def _write_one_value():
    officer = user("hn.officer", Role.PROVINCE_OFFICER, unit=AdminUnit.objects.get(code="01"))
    DataSet.objects.filter(code="BC-THANG").update(edit_days_after_due=20000)
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202501", indicator="RETAIL", value=5)], source="form")
    return Submission.objects.get()


def test_submission_is_read_only_in_the_admin(admin_client):
    sub = _write_one_value()

    page = admin_client.get(_url(Submission, "change", sub.pk))
    post = admin_client.post(_url(Submission, "change", sub.pk), {"status": "accepted"})
    add = admin_client.get(_url(Submission, "add"))
    delete = admin_client.post(_url(Submission, "delete", sub.pk), {"post": "yes"})

    assert page.status_code == 200
    assert post.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    sub.refresh_from_db()
    assert sub.status == "draft"


def test_value_history_cannot_be_added_changed_or_deleted(admin_client):
    _write_one_value()
    audit = DataValueAudit.objects.get()

    assert admin_client.get(_url(DataValueAudit, "change", audit.pk)).status_code == 200
    assert admin_client.get(_url(DataValueAudit, "add")).status_code == 403
    assert admin_client.post(_url(DataValueAudit, "delete", audit.pk), {"post": "yes"}).status_code == 403
    assert admin_client.post(_url(DataValue, "delete", DataValue.objects.get().pk), {"post": "yes"}).status_code == 403
    assert DataValueAudit.objects.count() == 1


def _rule_post(**overrides):
    data = {"code": "NEW_RULE", "name": "Quy tắc", "name_en": "", "dataset": "", "expression": "EXPORT >= 0",
            "severity": "error", "message": "Sai", "message_en": "", "is_active": "on"}
    data.update(overrides)
    return data


def test_rule_with_a_syntax_error_is_refused_at_save(admin_client):
    response = admin_client.post(_url(ValidationRule, "add"), _rule_post(expression="__import__('os') == 0"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expression"]
    assert not ValidationRule.objects.filter(code="NEW_RULE").exists()


def test_rule_with_an_unknown_indicator_is_refused_at_save(admin_client):
    response = admin_client.post(_url(ValidationRule, "add"), _rule_post(expression="EXPORT <= NOT_AN_INDICATOR"))

    errors = response.context["adminform"].form.errors["expression"]
    assert any("NOT_AN_INDICATOR" in e for e in errors)
    assert not ValidationRule.objects.filter(code="NEW_RULE").exists()


def test_valid_rule_is_saved(admin_client):
    response = admin_client.post(_url(ValidationRule, "add"), _rule_post(expression="  IMPORT <= EXPORT * 3  "))

    assert response.status_code == 302
    assert ValidationRule.objects.get(code="NEW_RULE").expression == "IMPORT <= EXPORT * 3"


@pytest.mark.usefixtures("admin_client")
def test_rule_tied_to_a_data_set_must_use_its_indicators():
    monthly = DataSet.objects.get(code="BC-THANG")
    form = ValidationRuleForm(data=_rule_post(dataset=monthly.pk, expression="CCN_OCCUPIED <= CCN_AREA"))

    assert not form.is_valid()
    assert "dataset" in form.errors



def _indicator_data(**overrides):
    data = {
        "code": "NEW_PCT", "name": "Tỷ lệ mới", "name_en": "", "short_name": "", "is_active": "on", "sort_order": 0,
        "definition": "", "definition_en": "", "source": "", "definition_is_own": "on", "used_from": "", "used_to": "",
        "unit_of_measure": "%", "unit_of_measure_en": "%", "value_type": "percentage", "decimals": 1, "min_value": "",
        "max_value": "", "disaggregation": "", "aggregation": "weighted_average", "weight_indicator": "", "numerator": "",
        "denominator": "", "ratio_factor": "1", "time_aggregation": "last",
    }
    data.update(overrides)
    return data


@pytest.mark.usefixtures("admin_client")
def test_weighted_average_needs_an_additive_weight():
    assert "weight_indicator" in IndicatorForm(data=_indicator_data()).errors
    iip = Indicator.objects.get(code="IIP")
    assert "weight_indicator" in IndicatorForm(data=_indicator_data(weight_indicator=iip.pk)).errors
    ent = Indicator.objects.get(code="ENTERPRISES")
    assert IndicatorForm(data=_indicator_data(weight_indicator=ent.pk)).is_valid()


@pytest.mark.usefixtures("admin_client")
def test_ratio_needs_numerator_and_denominator_and_a_source_or_own_definition():
    form = IndicatorForm(data=_indicator_data(aggregation="ratio", definition_is_own=""))

    assert {"numerator", "denominator", "source"} <= set(form.errors)


def _elements_formset(dataset: DataSet, indicator: Indicator):
    formset_class = inlineformset_factory(
        DataSet, DataSetElement, formset=DataSetElementFormSet,
        fields=("indicator", "section", "sort_order", "required", "estimate_by_default"), extra=1,
    )
    prefix = formset_class.get_default_prefix()
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-indicator": str(indicator.pk), f"{prefix}-0-sort_order": "0"}
    return formset_class(data=data, instance=dataset, prefix=prefix)


@pytest.mark.usefixtures("admin_client")
def test_an_indicator_cannot_join_a_second_data_set_of_the_same_period_type():
    other = DataSet.objects.create(code="BC-THANG-B", name="Khác", period_type="month",
                                   reporting_group=DataSet.objects.get(code="BC-THANG").reporting_group)
    quarterly = DataSet.objects.create(code="BC-QUY", name="Quý", period_type="quarter",
                                       reporting_group=other.reporting_group)
    retail = Indicator.objects.get(code="RETAIL")

    same_type = _elements_formset(other, retail)
    other_type = _elements_formset(quarterly, retail)

    assert not same_type.is_valid()
    assert "BC-THANG" in str(same_type.non_form_errors())
    assert other_type.is_valid()


def test_target_added_in_the_admin_goes_through_the_service(admin_client):
    retail = Indicator.objects.get(code="RETAIL")
    hanoi = AdminUnit.objects.get(code="01")

    response = admin_client.post(_url(Target, "add"), {
        "indicator": retail.pk, "unit": hanoi.pk, "year": 2026, "option": "", "value": "850000", "source": "QĐ UBND",
    })

    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.updated_by) == (850000, admin_client.admin)
    assert AuditEntry.objects.filter(action="target.set").count() == 1


def test_target_with_a_value_out_of_bounds_is_refused(admin_client):
    response = admin_client.post(_url(Target, "add"), {
        "indicator": Indicator.objects.get(code="IIP").pk, "unit": AdminUnit.objects.get(code="01").pk, "year": 2026,
        "option": "", "value": "5000", "source": "",
    })

    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors
    assert not Target.objects.exists()
