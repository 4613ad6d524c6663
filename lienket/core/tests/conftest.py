from lienket.users.tests.conftest import (  # noqa: F401 - shared fixtures
    _clear_cache,
    _english_messages,
    _whitenoise_without_collectstatic,
    admin_user,
    coordinator,
    officer,
    officer_client,
    other_officer,
    ref,
)
