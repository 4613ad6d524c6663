"""Cooperation: an officer of Hà Nội creates a programme with Nghệ An, adds an activity with results, sees the
programme's progress and the linkage network change; the calendar shows the activity. Screenshots of every page at
1366×768 and 390×844 go to $LIENKET_SHOTS (default /work/shots/i20) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lienket.regions.models import AdminUnit
from lienket.users.models import Membership, Role, User

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("LIENKET_SHOTS", "/work/shots/i20"))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_programme_with_two_provinces_then_activity_then_progress_and_network(page, reference_data, clock):
    officer = User.objects.create_user(username="hanoi.hoptac", password="Mat-khau-2025!", full_name="Trần Thị Bình")
    Membership.objects.create(user=officer, role=Role.PROVINCE_OFFICER,
                              unit=AdminUnit.objects.get(code="01", valid_from__isnull=True))
    login(page, "hanoi.hoptac", "Mat-khau-2025!")

    # the network before: Nghệ An has no partner
    page.goto("/hop-tac/mang-luoi/")
    expect(page.get_by_test_id("node-40")).to_contain_text("Nghệ An")
    assert page.get_by_test_id("node-40").locator("td").nth(1).inner_text() == "0"
    shoot(page, "network-before")

    # create a programme of Hà Nội (lead) with Nghệ An, one objective, published
    page.goto("/hop-tac/")
    page.get_by_test_id("new-programme").click()
    page.fill("#title", "Tuần hàng Nghệ An tại Hà Nội 2026")
    page.select_option("#kind", "bilateral")
    page.select_option("#field", "trade_promotion")
    page.select_option("#status", "active")
    page.fill("#start_on", "2026-01-01")
    page.fill("#end_on", "2026-12-31")
    page.select_option("#party-0-ref", "unit:01")
    page.select_option("#party-0-role", "lead")
    page.select_option("#party-1-ref", "unit:40")
    page.fill("#objective-0-title", "Doanh nghiệp tham gia")
    page.fill("#objective-0-uom", "doanh nghiệp")
    page.fill("#objective-0-target", "80")
    page.fill("#objective-0-weight", "1")
    page.fill("#objective-1-title", "Doanh số")
    page.fill("#objective-1-uom", "tỷ đồng")
    page.fill("#objective-1-target", "10")
    page.fill("#objective-1-weight", "3")
    page.check("input[name=is_published]")
    shoot(page, "programme-form")
    page.get_by_test_id("save-programme").click()
    expect(page.get_by_test_id("parties")).to_contain_text("Nghệ An")

    # add an activity with results
    page.get_by_test_id("add-activity").click()
    page.select_option("#kind", "trade_week")
    page.fill("#title", "Tuần hàng tại Hà Nội")
    page.fill("#start_on", "2026-04-12")
    page.fill("#end_on", "2026-04-18")
    page.select_option("#place", "01")
    page.get_by_label("Doanh nghiệp tham gia").fill("60")
    page.get_by_label("Doanh số").fill("2,5")
    shoot(page, "activity-form")
    page.get_by_test_id("save-activity").click()

    # progress: (1 × 60/80 + 3 × 2,5/10) / 4 = (0,75 + 0,75) / 4 = 37,5 %
    expect(page.get_by_test_id("progress")).to_have_text("37,5 %")
    expect(page.get_by_test_id("activities")).to_contain_text("Tuần hàng tại Hà Nội")
    shoot(page, "programme-detail")

    # the network after: Nghệ An is linked to Hà Nội
    page.goto("/hop-tac/mang-luoi/")
    assert page.get_by_test_id("node-40").locator("td").nth(1).inner_text() == "1"
    expect(page.get_by_test_id("revealed-hubs")).to_contain_text("Hà Nội")
    expect(page.get_by_test_id("isolated")).not_to_contain_text("Nghệ An")
    shoot(page, "network-after")

    # the calendar, list and month
    page.goto("/hop-tac/lich/?month=2026-04")
    expect(page.get_by_test_id("calendar-list")).to_contain_text("Tuần hàng tại Hà Nội")
    shoot(page, "calendar-list")
    page.goto("/hop-tac/lich/?month=2026-04&view=month")
    shoot(page, "calendar-month")
    page.goto("/hop-tac/")
    shoot(page, "programme-list")

    # with the demo's sample: the sample's trade week in Hà Nội overlaps ours — a clash warning
    from lienket.demo.sample_cooperation import load_sample_cooperation

    load_sample_cooperation()
    page.goto("/hop-tac/lich/?month=2026-04")
    expect(page.get_by_test_id("clashes")).to_contain_text("Tuần hàng tại Hà Nội")
    shoot(page, "calendar-clashes")
    page.goto("/hop-tac/mang-luoi/")
    shoot(page, "network-sample")


def test_edit_and_delete_an_activity_add_a_document_and_a_refused_status_date(page, reference_data, clock, tmp_path):
    import datetime as dt

    from lienket.cooperation.tests.factories import activity, programme

    officer = User.objects.create_user(username="hanoi.hoptac", password="Mat-khau-2025!", full_name="Trần Thị Bình")
    Membership.objects.create(user=officer, role=Role.PROVINCE_OFFICER,
                              unit=AdminUnit.objects.get(code="01", valid_from__isnull=True))
    p = programme(officer, parties=[("unit:01", "lead"), ("unit:40", "member")],
                  objectives=[("Doanh số", "tỷ đồng", "10", "1")], title="Tuần hàng Nghệ An tại Hà Nội 2026")
    a = activity(officer, p, place="01", start=dt.date(2026, 4, 12), end=dt.date(2026, 4, 18),
                 results={p.objectives.get().pk: "2"}, title="Tuần hàng tại Hà Nội")
    login(page, "hanoi.hoptac", "Mat-khau-2025!")

    # edit the activity: a date outside the programme is refused, then a valid edit raises the progress
    page.goto(f"/hop-tac/{p.pk}/")
    expect(page.get_by_test_id("progress")).to_have_text("20,0 %")
    page.get_by_test_id("edit-activity").click()
    page.fill("#end_on", "2027-01-03")
    page.get_by_test_id("save-activity").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("31/12/2026")
    shoot(page, "activity-edit-error")
    page.fill("#end_on", "2026-04-19")
    page.get_by_label("Doanh số").fill("5")
    shoot(page, "activity-edit")
    page.get_by_test_id("save-activity").click()
    expect(page.get_by_test_id("progress")).to_have_text("50,0 %")

    # a document: a file that is not what its extension says is refused; a real PDF is added
    fake = tmp_path / "bien-ban.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    page.fill("#doc-title", "Biên bản ký kết")
    page.set_input_files("#doc-file", str(fake))
    page.get_by_test_id("add-document").click()
    expect(page.get_by_test_id("document-error")).to_be_visible()
    real = tmp_path / "bien-ban-that.pdf"
    real.write_bytes(b"%PDF-1.4\n% journey\n")
    page.set_input_files("#doc-file", str(real))
    page.fill("#doc-issued", "2026-01-05")
    page.get_by_test_id("add-document").click()
    expect(page.get_by_test_id("documents")).to_contain_text("Biên bản ký kết")
    page.locator("#documents").scroll_into_view_if_needed()
    shoot(page, "programme-documents")

    # a status change dated before the previous one is explained, not applied
    page.select_option("#new-status", "active")
    page.fill("#status-on", "2025-12-01")
    page.get_by_test_id("change-status").click()
    expect(page.get_by_test_id("status-error")).to_contain_text("01/01/2026")
    expect(page.get_by_test_id("status")).to_have_text("Dự kiến")
    shoot(page, "status-error")

    # delete the activity after the confirmation step: the progress falls back
    page.goto(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/xoa/")
    expect(page.get_by_test_id("confirm-delete")).to_be_visible()
    shoot(page, "activity-delete")
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("activities")).not_to_contain_text("Tuần hàng tại Hà Nội")
    expect(page.get_by_test_id("progress")).to_have_text("0,0 %")
    page.get_by_test_id("remove-document").click()
    expect(page.get_by_test_id("documents")).not_to_contain_text("Biên bản ký kết")
