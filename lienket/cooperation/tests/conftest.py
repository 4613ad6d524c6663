import pytest

from .factories import CoopWorld, coop_world


@pytest.fixture
def cw(reference_data, clock) -> CoopWorld:
    """Reference data (the real units), the clock frozen at 10/4/2026, and one user per kind of party."""
    return coop_world()
