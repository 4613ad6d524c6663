import pytest
from django.urls import reverse

from lienket.reporting.catalogue import load_catalogue
from lienket.users.models import Role

from .factories import World, user, world


@pytest.fixture
def w(db, clock) -> World:
    """A small reporting world: Hà Nội, old Phú Thọ + Vĩnh Phúc, new Phú Thọ; monthly and 6-month data sets; users.

    With the clock frozen (root conftest.py, 10/4/2026), so what is due, open or late never depends on the real date."""
    return world()


@pytest.fixture
def admin_client(reference_data, client):
    """A client logged in as a site admin, with the default catalogue loaded (the admin pages' tests)."""
    load_catalogue()
    admin = user("site.admin", Role.ADMIN)
    client.force_login(admin)
    client.admin = admin
    return client


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:reporting_{model._meta.model_name}_{view}", args=args)
