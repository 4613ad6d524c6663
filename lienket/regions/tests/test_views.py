"""Public pages: units on a date (with the HTMX table), one unit over time, the region profile."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never collect static files); not a regions concern.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _lang(client, lang: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unit_list_page_renders_for_anonymous_users(client, reference_data, lang):
    # when
    response = _lang(client, lang).get(reverse("regions:unit_list"), {"date": "2025-06-30"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert "Yên Bái" in html
    assert 'scope="col"' in html
    assert "<caption>" in html
    assert 'hx-get="/regions/"' in html


@pytest.mark.django_db
def test_unit_list_htmx_request_returns_only_the_table(client, reference_data):
    # when the search box asks for "Hoà Bình"
    response = client.get(reverse("regions:unit_list"), {"date": "2025-06-30", "q": "Hoà Bình"}, HTTP_HX_REQUEST="true")
    # then the partial holds the one match and no page chrome
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hòa Bình" in html
    assert "Yên Bái" not in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"date": "2025-13-45"}, 400),
        ({"date": "abc"}, 400),
        ({"group": "south"}, 404),
    ],
)
def test_unit_list_with_bad_filters_shows_the_message(client, reference_data, params, status):
    response = client.get(reverse("regions:unit_list"), params)
    assert response.status_code == status
    assert 'data-testid="error"' in response.content.decode()


@pytest.mark.django_db
def test_unit_list_htmx_bad_date_returns_the_message_in_the_partial(client, reference_data):
    response = client.get(reverse("regions:unit_list"), {"date": "abc"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "abc" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unit_detail_page_shows_history_successions_and_caveats(client, reference_data, lang):
    # when
    response = _lang(client, lang).get(reverse("regions:unit_detail", args=["15"]), {"date": "2025-07-01"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lào Cai" in html
    assert "Yên Bái" in html
    assert "/regions/units/10/?date=2025-06-30" in html  # link to the predecessor on its last day
    assert 'data-testid="resolution-caveat"' in html
    assert ("1.778.785" if lang == "vi" else "1,778,785") in html  # the Resolution headcount, formatted


@pytest.mark.django_db
def test_unit_detail_page_shows_the_ha_tinh_note(client, reference_data):
    html = _lang(client, "en").get(reverse("regions:unit_detail", args=["42"])).content.decode()
    assert "E02.03-07" in html
    assert "1,323.75" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "params", "status"),
    [
        ("99", {}, 404),
        ("10", {"date": "2025-07-01"}, 404),
        ("10", {"date": "2025-13-45"}, 400),
    ],
)
def test_unit_detail_page_with_bad_input(client, reference_data, code, params, status):
    response = client.get(reverse("regions:unit_detail", args=[code]), params)
    assert response.status_code == status
    assert 'data-testid="error"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_profile_page_shows_figures_in_the_users_number_format(client, reference_data, lang):
    # when
    response = _lang(client, lang).get(reverse("regions:profile"), {"group": "north", "year": "2022"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    if lang == "vi":
        assert "150.058,44" in html
        assert "299,46" in html
        assert "45,2876 %" in html
        assert "44.936.630" in html
    else:
        assert "150,058.44" in html
        assert "299.46" in html
        assert "45.2876 %" in html
        assert "44,936,630" in html
    assert '<option value="2022" selected>' in html
    assert "Trung du và miền núi phía Bắc" in html  # sub-region table
    assert "150,058.5" in html or "150.058,5" in html  # the caveat about the article's cut figures
    assert "E02.03-07" in html  # Hà Tĩnh’s population, cited from table E02.03-07


@pytest.mark.django_db
def test_profile_page_defaults_to_north_and_marks_derived_units(client, reference_data):
    response = client.get(reverse("regions:profile"), {"date": "2025-08-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="units">18<' in html
    assert "derived from predecessors" in html or "suy ra" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"group": "south"}, 404),
        ({"year": "1999"}, 404),
        ({"year": "abc"}, 400),
        ({"date": "2025-13-45"}, 400),
    ],
)
def test_profile_page_with_bad_input_shows_the_message(client, reference_data, params, status):
    response = client.get(reverse("regions:profile"), params)
    assert response.status_code == status
    assert 'data-testid="error"' in response.content.decode()
