"""Top-level services run in a durable transaction: calling one from inside another transaction is a
programming error (its changes and audit entry would not be committed when it returns), refused at once."""

from __future__ import annotations

import pytest
from django.db import transaction

from lienket.core.models import AuditEntry
from lienket.users import services
from lienket.users.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_a_durable_service_refuses_to_run_nested():
    # given a user and an enclosing transaction
    user = User.objects.create_user(username="nested", password="x-Long-enough-1")
    # when a top-level service is called inside it
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.token_create(actor=user, user=user, name="inner")
    # then nothing was written
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_same_service_runs_at_the_top_level():
    user = User.objects.create_user(username="top", password="x-Long-enough-1")

    token, _raw = services.token_create(actor=user, user=user, name="outer")

    assert token.pk is not None
    assert AuditEntry.objects.filter(action="token_create").count() == 1
