import pytest

from .factories import PWorld, pworld


@pytest.fixture
def pw(db, clock) -> PWorld:
    """The proposals world, with the clock frozen at 10/4/2026 09:00 (Việt Nam)."""
    return pworld()
