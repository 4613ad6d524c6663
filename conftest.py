"""Shared fixtures: reference data, users of every role, API clients. Tests hit a real database."""

from __future__ import annotations

import pytest


@pytest.fixture
def reference_data(db):
    """The sourced reference data of ../shared/reference, as loaded by `manage.py load_reference`."""
    from lienket.demo.reference import load_reference

    load_reference()
