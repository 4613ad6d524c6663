"""The pages: the public list with filters, the lifecycle through the forms, statistics with the chart,
the escalation view, XLSX exports."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from lienket.proposals.models import Proposal

from .factories import advance, draft
from .helpers import db_state


def test_the_lifecycle_through_the_pages(pw, client):
    client.force_login(pw.officer)
    r = client.post("/kien-nghi/moi/", {"submitter": f"unit:{pw.hanoi.pk}", "title": "Hỗ trợ vốn chợ biên giới",
                                        "body": "Đề nghị hỗ trợ.", "field": "border_trade", "kind": "funding"})
    p = Proposal.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/kien-nghi/{p.pk}/"
    steps = [(pw.director, {"action": "submit"}), (pw.coordinator, {"action": "receive"}),
             (pw.coordinator, {"action": "assign", "lead_unit": "vu-thi-truong-trong-nuoc", "deadline": "2026-05-01"}),
             (pw.market_staff, {"action": "answer", "answer": "Bộ đã bố trí vốn."}), (pw.director, {"action": "accept"})]
    for who, data in steps:
        client.force_login(who)
        page = client.get(f"/kien-nghi/{p.pk}/").content.decode()
        assert f'data-testid="action-{data["action"]}"' in page, data
        p.refresh_from_db()
        r = client.post(f"/kien-nghi/{p.pk}/chuyen/", {**data, "version": p.version})
        assert r.status_code == 302, (data, r.content.decode()[:2000])
    p.refresh_from_db()
    assert p.status == "closed"
    client.logout()
    assert "Bộ đã bố trí vốn." in client.get("/kien-nghi/").content.decode()


def test_a_refused_action_on_the_page_shows_the_reason_and_changes_nothing(pw, client):
    p = advance(pw, draft(pw), "assigned")
    client.force_login(pw.local_staff)
    before = db_state()
    r = client.post(f"/kien-nghi/{p.pk}/chuyen/", {"action": "answer", "answer": "x", "version": p.version})
    assert r.status_code == 403
    assert "Vụ Thị trường trong nước" in r.content.decode()
    client.force_login(pw.coordinator)
    p2 = advance(pw, draft(pw, title="Khác"), "received")
    before = db_state()
    r = client.post(f"/kien-nghi/{p2.pk}/chuyen/", {"action": "assign", "lead_unit": "vu-khong-co", "version": p2.version})
    assert r.status_code == 422
    assert "vu-khong-co" in r.content.decode()
    r = client.post(f"/kien-nghi/{p2.pk}/chuyen/", {"action": "assign", "lead_unit": "vu-thi-truong-trong-nuoc",
                                                    "deadline": "2026-04-01", "version": p2.version})
    assert r.status_code == 422
    assert "01/04/2026" in r.content.decode()
    assert db_state() == before


def test_public_list_filters(pw, client):
    advance(pw, draft(pw, title="Điện mặt trời", field="energy"), "answered")
    advance(pw, draft(pw, title="Chợ biên giới", unit=pw.phutho, actor=pw.other_officer), "answered")
    html = client.get("/kien-nghi/", {"field": "energy"}).content.decode()
    assert "Điện mặt trời" in html
    assert "Chợ biên giới" not in html
    html = client.get("/kien-nghi/", {"q": "cho bien gioi"}).content.decode()
    assert "Chợ biên giới" in html
    assert "Điện mặt trời" not in html
    html = client.get("/kien-nghi/", {"unit": "25", "year": "2026", "ministry_unit": "vu-thi-truong-trong-nuoc"}).content.decode()
    assert "Chợ biên giới" in html
    assert "Điện mặt trời" not in html


def test_statistics_page_chart_and_xlsx(pw, client):
    advance(pw, draft(pw, title="A"), "answered")
    advance(pw, draft(pw, title="B"), "assigned", deadline=dt.date(2026, 4, 10))
    client.force_login(pw.coordinator)
    for by in ("ministry_unit", "field", "unit", "year"):
        r = client.get("/kien-nghi/thong-ke/", {"by": by})
        html = r.content.decode()
        assert r.status_code == 200
        assert 'data-testid="chart"' in html
        assert "<title id=\"chart-title\">" in html
    r = client.get("/kien-nghi/thong-ke.xlsx")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert len(wb.worksheets) == 4
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:4] == ("Vụ Thị trường trong nước", 2, 1, 1)
    r = client.get("/kien-nghi/danh-sach.xlsx")
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3


def test_xlsx_export_keeps_formula_text_as_text(pw, client):
    advance(pw, draft(pw, title="=HYPERLINK(\"http://x\",\"y\")"), "received")
    client.force_login(pw.coordinator)
    r = client.get("/kien-nghi/danh-sach.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert ws.cell(row=2, column=2).data_type == "s"


def test_escalation_lists_overdue_by_unit_for_the_coordinator_only(pw, client, clock):
    advance(pw, draft(pw, title="Quá hạn"), "assigned", deadline=dt.date(2026, 4, 10))
    clock.advance(dt.timedelta(days=3))
    client.force_login(pw.coordinator)
    html = client.get("/kien-nghi/doc-thuc/").content.decode()
    assert "Quá hạn" in html
    assert "Vụ Thị trường trong nước" in html
    client.force_login(pw.market_staff)
    assert client.get("/kien-nghi/doc-thuc/").status_code == 403
    assert 'data-testid="overdue"' in client.get("/kien-nghi/xu-ly/").content.decode()


def test_answer_periods_are_configurable_in_the_admin_and_audited(pw, client):
    from lienket.core.models import AuditEntry
    from lienket.proposals.services import answer_days

    client.force_login(pw.admin)
    r = client.post("/admin/proposals/answerperiod/add/", {"kind": "funding", "days": "20"})
    assert r.status_code == 302
    assert answer_days("funding") == 20
    assert AuditEntry.objects.filter(action="answer_period.create").count() == 1
