"""OCOP rules of Decision 148/QĐ-TTg: stars follow points (3★ 50–69, 4★ 70–89, 5★ 90–100), refused otherwise — by the
service with a clear error and by the database's check constraint; certificates are valid 36 months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from lienket.core.audit import AuditEntry
from lienket.core.errors import ValidationFailed
from lienket.products import services
from lienket.products.models import Product
from lienket.products.ocop import (
    CertificateStatus,
    add_months,
    certificate_status,
    certificate_valid_until,
    stars_for_score,
)
from lienket.products.values import ocop_problems

from .factories import make_product, product_input, products_world

TODAY = dt.date(2026, 4, 10)


@pytest.mark.parametrize(("score", "stars"), [(0, None), (49, None), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)])
def test_stars_for_score_at_every_boundary(score, stars):
    assert stars_for_score(score) == stars


@pytest.mark.parametrize("score", [-1, 101])
def test_a_score_outside_0_to_100_is_not_a_score(score):
    with pytest.raises(ValueError):
        stars_for_score(score)


def _problems(stars, score):
    return ocop_problems(group="thuc_pham", stars=stars, score=score, decision_number="1/QĐ-UBND",
                         decision_date=dt.date(2025, 1, 1), decision_issuer="UBND", today=TODAY)


@pytest.mark.parametrize(("stars", "score"), [(3, 50), (3, 69), (4, 70), (4, 89), (5, 90), (5, 100)])
def test_consistent_stars_and_points_pass(stars, score):
    assert _problems(stars, score) == []


@pytest.mark.parametrize(("stars", "score"), [(3, 49), (3, 70), (4, 69), (4, 90), (5, 89), (5, 101), (2, 40), (6, 95)])
def test_inconsistent_stars_and_points_are_refused_with_the_bands(stars, score):
    problems = _problems(stars, score)
    assert problems
    assert problems[0]["code"] in ("stars_score_mismatch", "invalid_number")


def test_the_message_says_what_the_points_give():
    from django.utils import translation

    with translation.override("en"):
        (p,) = _problems(4, 69)
    assert p["field"] == "score"
    assert "70–89" in p["message"]
    assert "69 points give 3 stars" in p["message"]


def test_a_rated_product_needs_its_group_and_decision():
    problems = ocop_problems(group="", stars=4, score=75, decision_number="", decision_date=None, decision_issuer="", today=TODAY)
    assert [p["code"] for p in problems] == ["certificate_incomplete"]


@pytest.mark.django_db
def test_service_refuses_inconsistent_entry_and_writes_nothing(clock):
    # Given the Phú Thọ officer
    w = products_world()
    officer = w.users["phutho_officer"]
    # When they save 4 stars with 69 points
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(actor=officer, data=product_input(w.phutho, stars=4, score=69))
    # Then the refusal names the bands, and nothing (not even the producer) is stored
    assert exc.value.code == "stars_score_mismatch"
    assert "70–89" in exc.value.message
    assert Product.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="produc").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("stars", "score"), [(3, 49), (4, 69), (4, 90), (5, 89), (3, 101)])
def test_database_refuses_inconsistent_stars_too(clock, stars, score):
    w = products_world()
    p = make_product(w.phutho)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=p.pk).update(stars=stars, score=score)


@pytest.mark.django_db
def test_database_refuses_a_rating_without_its_decision(clock):
    w = products_world()
    p = make_product(w.phutho, stars=None, score=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=p.pk).update(stars=4, score=75)


# --- certificates: 36 months ---------------------------------------------------------------------------------------


def test_validity_is_36_months_the_anniversary_excluded():
    assert certificate_valid_until(dt.date(2024, 3, 15)) == dt.date(2027, 3, 14)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 3, 1)  # no 29/2/2027: the next day
    assert certificate_valid_until(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)
    assert certificate_valid_until(dt.date(2023, 1, 31)) == dt.date(2026, 1, 30)


@pytest.mark.parametrize(("decided", "status"), [
    (dt.date(2023, 4, 11), CertificateStatus.EXPIRING),  # 36 months end tomorrow: last valid day is today
    (dt.date(2023, 4, 10), CertificateStatus.EXPIRED),   # exactly 36 months ago: expired today
    (dt.date(2023, 4, 9), CertificateStatus.EXPIRED),    # 36 months and a day
])
def test_certificate_around_the_36_month_boundary(decided, status):
    assert certificate_status(certificate_valid_until(decided), today=TODAY) == status


@pytest.mark.parametrize(("days_left", "status"), [
    (0, CertificateStatus.EXPIRING), (89, CertificateStatus.EXPIRING), (90, CertificateStatus.VALID),
    (-1, CertificateStatus.EXPIRED), (500, CertificateStatus.VALID),
])
def test_the_90_day_window(days_left, status):
    assert certificate_status(TODAY + dt.timedelta(days=days_left), today=TODAY) == status


def test_no_rating_no_certificate():
    assert certificate_status(None, today=TODAY) == CertificateStatus.NONE


@pytest.mark.django_db
def test_catalogue_filters_follow_the_frozen_clock(clock):
    # Given products decided 36 months ago + 1 day, exactly 36 months ago, and 400 days ago (10/4/2026 today)
    from lienket.products import selectors

    w = products_world()
    last_day = make_product(w.phutho, "Còn hôm nay", decided=dt.date(2023, 4, 11))
    expired = make_product(w.phutho, "Hết hôm nay", decided=dt.date(2023, 4, 10))
    valid = make_product(w.phutho, "Còn lâu", decided=dt.date(2025, 3, 1))
    # Then the filters sort them as the status does
    ids = lambda cert: set(selectors.product_search(user=None, certificate=cert).values_list("pk", flat=True))  # noqa: E731
    assert ids("valid") == {last_day.pk, valid.pk}
    assert ids("expiring") == {last_day.pk}
    assert ids("expired") == {expired.pk}
    # And tomorrow the first one has expired too
    clock.advance(dt.timedelta(days=1))
    assert ids("expired") == {expired.pk, last_day.pk}
