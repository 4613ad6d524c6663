"""The pivot page: the table with the explanation, the selection in the URL, exports of the same table,
refusals (another province's unaccepted values never shown)."""

import pytest


@pytest.mark.django_db
def test_pivot_shows_the_table_explanation_chart_and_export_links(w, client):
    w.put(w.hanoi, "202401", EXPORT=100)
    w.put(w.phutho_old, "202401", EXPORT=20)
    r = client.get("/analytics/", {"indicator": "EXPORT", "period": "202401", "group": "north", "by": "unit"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="pivot-table"' in html
    assert "120,0" in html  # the partial total in Vietnamese format
    assert "2/3" in html
    assert 'id="why-' in html
    assert 'data-figure="{&quot;data&quot;' in html
    assert "&quot;separators&quot;: &quot;,.&quot;" in html
    assert "/api/v1/analytics?indicator=EXPORT&amp;period=202401" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_pivot_bad_parameter_is_a_400_page(w, client):
    r = client.get("/analytics/", {"indicator": "EXPORT", "period": "xx"})
    assert r.status_code == 400
    assert "period" in r.content.decode()


@pytest.mark.django_db
def test_pivot_never_shows_another_provinces_unaccepted_values(w, client):
    w.put(w.hanoi, "202401", status="submitted", EXPORT="123.4")
    client.force_login(w.users["phutho_officer"])
    r = client.get("/analytics/", {"indicator": "EXPORT", "period": "202401", "unit": "01"})
    assert "123,4" not in r.content.decode()
    client.force_login(w.users["hanoi_officer"])
    r = client.get("/analytics/", {"indicator": "EXPORT", "period": "202401", "unit": "01"})
    assert "123,4" in r.content.decode()
