"""The pages: list with filters, create, detail, edit (409 on a stale version), status, add an activity, network."""

import datetime as dt

from ..models import Activity, Programme
from .factories import activity, programme


def test_create_a_programme_with_two_provinces_through_the_form(cw, client):
    client.force_login(cw.users["hanoi"])
    assert client.get("/hop-tac/moi/").status_code == 200
    r = client.post("/hop-tac/moi/", {
        "title": "Liên kết Hà Nội – Nghệ An", "kind": "bilateral", "field": "trade_promotion", "status": "active",
        "start_on": "2026-01-01", "end_on": "2026-12-31", "is_published": "on",
        "party-0-ref": "unit:01", "party-0-role": "lead", "party-1-ref": "unit:40", "party-1-role": "member",
        "objective-0-title": "Doanh nghiệp tham gia", "objective-0-uom": "doanh nghiệp", "objective-0-target": "100",
        "objective-0-weight": "1"})
    p = Programme.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/hop-tac/{p.pk}/"
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/moi/", {
        "kind": "fair", "title": "Hội chợ", "start_on": "2026-05-01", "end_on": "2026-05-03", "place": "40",
        "participants": [x.key for x in p.parties.all()], f"result-{p.objectives.get().pk}": "25"})
    assert r.status_code == 302
    html = client.get(f"/hop-tac/{p.pk}/").content.decode()
    assert "25,0 %" in html
    assert "Hội chợ" in html
    network = client.get("/hop-tac/mang-luoi/", {"from": "2026-01-01", "to": "2026-04-10"}).content.decode()
    assert "<svg" in network
    assert 'data-testid="network-table"' in network


def test_form_errors_are_shown_and_nothing_is_saved(cw, client):
    client.force_login(cw.users["hanoi"])
    r = client.post("/hop-tac/moi/", {"title": "X", "kind": "bilateral", "field": "trade_promotion",
                                      "start_on": "2026-05-01", "end_on": "2026-04-01", "party-0-ref": "unit:01"})
    assert r.status_code == 422
    assert 'data-testid="form-error"' in r.content.decode()
    assert Programme.objects.count() == 0
    r = client.post("/hop-tac/moi/", {"title": "X", "kind": "bilateral", "field": "trade_promotion",
                                      "start_on": "2026-05-01", "party-0-ref": "unit:40"})
    assert r.status_code == 403
    assert Programme.objects.count() == 0


def test_edit_with_a_stale_version_is_409(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    client.force_login(cw.users["hanoi"])
    assert client.get(f"/hop-tac/{p.pk}/sua/").status_code == 200
    form = {"title": "Mới", "kind": "bilateral", "field": "trade_promotion", "start_on": "2026-01-01",
            "party-0-ref": "unit:01", "party-0-role": "lead", "version": "1"}
    assert client.post(f"/hop-tac/{p.pk}/sua/", form).status_code == 302
    r = client.post(f"/hop-tac/{p.pk}/sua/", {**form, "title": "Cũ"})
    assert r.status_code == 409
    assert Programme.objects.get(pk=p.pk).title == "Mới"


def test_status_change_and_refusals(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    client.force_login(cw.users["phutho"])
    assert client.get(f"/hop-tac/{p.pk}/").status_code == 404
    assert client.post(f"/hop-tac/{p.pk}/trang-thai/", {"status": "active", "version": "1"}).status_code == 404
    client.force_login(cw.users["hanoi"])
    r = client.post(f"/hop-tac/{p.pk}/trang-thai/", {"status": "active", "version": "1", "reason": "Ký kết"})
    assert r.status_code == 302
    assert Programme.objects.get(pk=p.pk).status == "active"
    assert "Ký kết" in client.get(f"/hop-tac/{p.pk}/").content.decode()


def test_list_filters(cw, client):
    programme(cw.users["coordinator"], parties=[("org:central-retail-viet-nam", "lead"), ("unit:01", "member")],
              title="Central Retail và Hà Nội")
    programme(cw.users["coordinator"], parties=[("unit:40", "lead")], title="Nghệ An")
    html = client.get("/hop-tac/", {"party": "org:central-retail-viet-nam"}).content.decode()
    assert "Central Retail và Hà Nội" in html
    assert ">Nghệ An</a>" not in html
    assert "Nghệ An</a>" in client.get("/hop-tac/", {"unit": "40"}).content.decode()
    assert client.get("/hop-tac/", {"status": "planned", "field": "trade_promotion", "q": "central"}).status_code == 200


def test_anonymous_pages(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")])
    activity(cw.users["hanoi"], p, place="01", start=dt.date(2026, 4, 12))
    for url in ("/hop-tac/", f"/hop-tac/{p.pk}/", "/hop-tac/lich/", "/hop-tac/lich/?view=month",
                "/hop-tac/mang-luoi/"):
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get("/hop-tac/moi/").status_code == 302
    assert client.get("/hop-tac/mang-luoi/", {"from": "x"}).status_code == 400
    assert Activity.objects.count() == 1
