from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from lienket.users.models import Role, User

from .factories import Reference, make_reference, make_user


@pytest.fixture(autouse=True)
def _english_messages():
    # Assertions read the English msgids; the site itself defaults to Vietnamese.
    with translation.override("en"):
        yield


@pytest.fixture
def ref(db) -> Reference:
    return make_reference()


@pytest.fixture
def admin_user(ref) -> User:
    return make_user("quantri", Role.ADMIN)


@pytest.fixture
def coordinator(ref) -> User:
    return make_user("dieuphoi", Role.MINISTRY_COORDINATOR)


@pytest.fixture
def officer(ref) -> User:
    return make_user("hanoi.cb", Role.PROVINCE_OFFICER, unit=ref.hanoi)


@pytest.fixture
def other_officer(ref) -> User:
    return make_user("laocai.cb", Role.PROVINCE_OFFICER, unit=ref.laocai)


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client
