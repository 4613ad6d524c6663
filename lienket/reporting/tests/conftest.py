import pytest

from .factories import World, world


@pytest.fixture
def w(db) -> World:
    """A small reporting world: Hà Nội, old Phú Thọ + Vĩnh Phúc, new Phú Thọ; monthly and 6-month data sets; users."""
    return world()
