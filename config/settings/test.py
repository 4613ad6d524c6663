"""Test settings: same database engine as DATABASE_URL says, fast hashing, mail kept in memory."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # no collected static dir in tests; serve from finders

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory test database. In memory, the live server's threads share one
    # connection (Django hands the test's connection to them: an in-memory database exists only in it) or use
    # SQLite's shared cache, whose table-level locks answer "database table is locked" (SQLITE_LOCKED, which the
    # busy timeout does not wait for) and mix the threads' transactions ("on_commit() cannot be used in manual
    # transaction management"). A file behaves like the real thing: WAL, the busy timeout and IMMEDIATE
    # transactions of base.py apply, each thread has its own connection. One file per test process, so
    # concurrent test runs do not share it; Django deletes it at the end.
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"lienket-test-{os.getpid()}.sqlite3"),
    }

# analytics caches published figures under a version the workflow service replaces: one process, so locmem will do
ANALYTICS_PUBLISHED_CACHE = True
