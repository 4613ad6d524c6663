"""In a real browser: the Hà Nội officer edits the draft on its prefilled page; later the co-operating unit (Cục Công
Thương địa phương) gives its opinion with a file and the lead unit (Vụ Thị trường trong nước) reads it above the answer
form. Screenshots at 1366×768 and 390×844 go to $LIENKET_SHOTS_DIR when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lienket.proposals import services
from lienket.proposals.models import Proposal
from lienket.proposals.tests.factories import advance, draft, pworld
from lienket.reporting.tests.factories import PASSWORD

from .test_proposals_journey import _as, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_edits_the_draft_and_the_lead_unit_reads_the_co_operating_opinion(browser, live_server, clock, tmp_path):
    pw = pworld()
    pw.local_staff.set_password(PASSWORD)  # the users factory's password differs from the world's; one for all here
    pw.local_staff.save()
    p = draft(pw, title="Hỗ trợ vốn nâng cấp chợ biên giới", legal_references="Nghị định 60/2024/NĐ-CP")
    _shot(browser, live_server, "hanoi_officer", f"/kien-nghi/{p.pk}/sua/", "proposal-edit")
    ctx, page = _as(browser, live_server, "hanoi_officer")
    page.goto(f"/kien-nghi/{p.pk}/")
    page.get_by_test_id("edit-draft").click()
    expect(page.locator("#id_title")).to_have_value("Hỗ trợ vốn nâng cấp chợ biên giới")
    page.locator("#id_title").fill("Hỗ trợ vốn nâng cấp chợ biên giới Lào Cai và Hà Giang")
    page.get_by_test_id("edit-submit").click()
    expect(page.get_by_test_id("proposal-title")).to_have_text("Hỗ trợ vốn nâng cấp chợ biên giới Lào Cai và Hà Giang")
    ctx.close()

    p = advance(pw, Proposal.objects.get(pk=p.pk), "assigned", lead=pw.market, co_units=(pw.local,))
    pdf = tmp_path / "so-lieu-cho.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% so lieu\n")
    ctx, page = _as(browser, live_server, "local_staff")
    page.goto(f"/kien-nghi/{p.pk}/")
    page.fill("#contribution-text", "Cục thống nhất; đề nghị bổ sung số liệu 12 chợ biên giới.")
    page.set_input_files("#contribution-file", str(pdf))
    page.get_by_test_id("contribute-submit").click()
    expect(page.get_by_test_id("contribution")).to_contain_text("bổ sung số liệu 12 chợ")
    ctx.close()
    services.contribution_add(proposal=p, actor=pw.local_staff, text="Bổ sung: 3 chợ đã có vốn địa phương.")
    ctx, page = _as(browser, live_server, "ministry_unit")
    page.goto(f"/kien-nghi/{p.pk}/")
    expect(page.get_by_test_id("contributions")).to_contain_text("so-lieu-cho.pdf")
    expect(page.get_by_test_id("form-answer")).to_be_visible()
    ctx.close()
    _shot(browser, live_server, "ministry_unit", f"/kien-nghi/{p.pk}/", "proposal-opinions-lead")
    _shot(browser, live_server, "local_staff", f"/kien-nghi/{p.pk}/", "proposal-opinions-co-unit")
