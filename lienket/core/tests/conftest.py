from lienket.users.tests.conftest import (  # noqa: F401 - shared fixtures
    _english_messages,
    admin_user,
    coordinator,
    officer,
    officer_client,
    other_officer,
    ref,
)
