"""Grouping answers every member; a proposal raised again shows its earlier version and the earlier answer;
endorsements count."""

from __future__ import annotations

import pytest

from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.proposals import selectors, services
from lienket.proposals.models import Status

from .factories import advance, draft
from .helpers import db_state


def test_one_answer_serves_every_member_of_a_group(pw):
    a = advance(pw, draft(pw, title="Điện mặt trời mái nhà"), "assigned")
    b = advance(pw, draft(pw, title="Cơ chế điện mặt trời mái nhà", unit=pw.phutho, actor=pw.other_officer), "received")
    c = advance(pw, draft(pw, title="Phát triển điện mặt trời", unit=pw.phutho, actor=pw.other_officer), "assigned", lead=pw.local)
    group = services.proposals_group(actor=pw.coordinator, proposals=[a, b, c], title="Điện mặt trời mái nhà")
    a.refresh_from_db()
    services.proposal_transition(proposal=a, actor=pw.market_staff, action="answer", answer="Bộ sẽ trình Chính phủ cơ chế.",
                                 expected_version=a.version)
    for p in (a, b, c):
        p.refresh_from_db()
        assert p.status == Status.ANSWERED, p.title
        assert p.answer == "Bộ sẽ trình Chính phủ cơ chế.", p.title
        assert p.group == group
        assert p.deadline is not None
    assert {m.pk for m in selectors.group_members(b)} == {a.pk, c.pk}


def test_only_the_coordinator_groups_and_at_least_two(pw):
    a = advance(pw, draft(pw), "received")
    b = advance(pw, draft(pw, title="Khác"), "received")
    before = db_state()
    for who in (pw.market_staff, pw.director):
        with pytest.raises(PermissionDenied):
            services.proposals_group(actor=who, proposals=[a, b])
    with pytest.raises(ValidationFailed):
        services.proposals_group(actor=pw.coordinator, proposals=[a, a])
    assert db_state() == before


def test_raised_again_shows_the_earlier_version_and_its_answer(pw, client):
    earlier = advance(pw, draft(pw, title="Hướng dẫn Nghị định 32/2024/NĐ-CP"), "closed")
    again = draft(pw, title="Hướng dẫn Nghị định 32/2024/NĐ-CP (nêu lại)", unit=pw.phutho, actor=pw.other_officer, previous=earlier)
    assert selectors.history(again) == [earlier]
    client.force_login(pw.other_officer)
    html = client.get(f"/kien-nghi/{again.pk}/").content.decode()
    assert 'data-testid="history"' in html
    assert "Bộ đã bố trí vốn trong kế hoạch năm sau." in html
    later = draft(pw, title="Lần ba", unit=pw.phutho, actor=pw.other_officer)
    services.previous_link(actor=pw.coordinator, proposal=later, previous=again)
    later.refresh_from_db()
    assert selectors.history(later) == [again, earlier]


def test_endorsements_once_per_province_not_by_the_submitter(pw):
    p = advance(pw, draft(pw), "received")
    services.endorsement_add(proposal=p, actor=pw.other_officer, comment="Phú Thọ ủng hộ")
    before = db_state()
    with pytest.raises(Exception) as exc:
        services.endorsement_add(proposal=p, actor=pw.other_director)
    assert getattr(exc.value, "code", "") == "already_endorsed"
    with pytest.raises(PermissionDenied):
        services.endorsement_add(proposal=p, actor=pw.director)  # its own
    with pytest.raises(PermissionDenied):
        services.endorsement_add(proposal=p, actor=pw.market_staff)
    assert db_state() == before
    assert selectors.proposal_search(user=pw.coordinator).get(pk=p.pk).endorsement_count == 1
    assert selectors.statistics_by(user=pw.coordinator, by="unit")[0].endorsements == 1
