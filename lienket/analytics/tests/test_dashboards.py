"""Dashboards, map and the public page: they answer, and another province's unaccepted values never show."""

import pytest

PAGES = ["/analytics/dashboard/", "/analytics/rankings/?indicator=EXPORT", "/analytics/map/?indicator=EXPORT",
         "/analytics/unit/01/", "/thong-ke/"]


def world_values(w, hanoi_status="accepted"):
    w.put(w.hanoi, "202601", status=hanoi_status, EXPORT="987.6", IIP="105")
    w.put(w.phutho, "202601", EXPORT=60, IIP="99")
    w.put(w.hanoi, "202501", EXPORT=100, IIP="101")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_with_the_figures(w, client, url):
    world_values(w)
    r = client.get(url + ("&" if "?" in url else "?") + "period=202601")
    assert r.status_code == 200
    html = r.content.decode()
    assert "987,6" in html or "1.047,6" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_another_provinces_unaccepted_values_never_show(w, client, url):
    world_values(w, hanoi_status="approved")
    client.force_login(w.users["phutho_officer"])
    html = client.get(url + ("&" if "?" in url else "?") + "period=202601").content.decode()
    assert "987,6" not in html
    assert "1.047,6" not in html


@pytest.mark.django_db
def test_the_public_page_shows_accepted_figures_only_even_to_the_own_province(w, client):
    world_values(w, hanoi_status="approved")
    client.force_login(w.users["hanoi_officer"])
    html = client.get("/thong-ke/?period=202601").content.decode()
    assert "987,6" not in html
    assert "Accepted on" in html or "Ngày chấp nhận" in html or "Chấp nhận" in html


@pytest.mark.django_db
def test_overview_counts_units_above_thresholds(w, client):
    world_values(w)
    html = client.get("/analytics/dashboard/?period=202601").content.decode()
    assert 'data-testid="threshold-counts"' in html


@pytest.mark.django_db
def test_the_map_uses_the_18_unit_layout_after_the_merger_and_28_before(w, client):
    world_values(w)
    after = client.get("/analytics/map/?indicator=EXPORT&period=202601").content.decode()
    before = client.get("/analytics/map/?indicator=EXPORT&period=202501").content.decode()
    assert after.count('data-testid="tile-') == 18
    assert before.count('data-testid="tile-') == 28
    assert "<title>" in after
