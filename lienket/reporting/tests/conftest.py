import pytest

from .factories import World, world


@pytest.fixture
def w(db, clock) -> World:
    """A small reporting world: Hà Nội, old Phú Thọ + Vĩnh Phúc, new Phú Thọ; monthly and 6-month data sets; users.

    With the clock frozen (root conftest.py, 10/4/2026), so what is due, open or late never depends on the real date."""
    return world()
