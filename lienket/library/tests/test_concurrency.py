"""Two editors save the same document version at once: one wins, the other gets a Conflict (PostgreSQL: real
threads and connections; the version check runs under SELECT ... FOR UPDATE)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from lienket.core.errors import Conflict
from lienket.core.tests.concurrency import together
from lienket.library import services
from lienket.users.models import Role
from lienket.users.tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_updates_of_one_version_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    editor = make_user("coord", Role.MINISTRY_COORDINATOR)
    doc = services.document_create(actor=editor, data={
        "doc_type": "decree", "number": "32/2024/NĐ-CP", "title": "Về quản lý, phát triển cụm công nghiệp",
        "issue_date": dt.date(2024, 3, 15)})
    results = together([
        lambda title=title: services.document_update(actor=editor, document=doc, version=1, data={"title": title})
        for title in ("Sửa A", "Sửa B")])
    for r in results:
        if isinstance(r, Exception) and not isinstance(r, Conflict):
            raise r
    outcomes = ["conflict" if isinstance(r, Conflict) else "saved" for r in results]
    assert sorted(outcomes) == ["conflict", "saved"]
    doc.refresh_from_db()
    assert doc.version == 2
    assert doc.title in {"Sửa A", "Sửa B"}
