"""Regressions for what the gates (tests/test_api_fuzz.py, tests/test_access_matrix.py) found."""

from __future__ import annotations

import pytest

from lienket.reporting.models import DataValue
from lienket.reporting.tests.factories import world
from lienket.reporting.tests.test_api_support import as_token, value_row

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.mark.parametrize("reason", [{}, [], 0, False])
def test_a_reason_that_is_not_text_is_refused_even_when_falsy(db, clock, reason):
    w = world()
    officer = as_token(w.users["hanoi_officer"])

    response = officer.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5")], "reason": reason})

    assert (response.status_code, response.json()["code"]) == (400, "invalid_body")
    assert not DataValue.objects.exists()
