"""pg_trgm on PostgreSQL (similarity() for duplicate suggestions) and a trigram index on the folded title.
Nothing on other databases: SQLite gets the same function at query time (similarity.ensure_sqlite_function)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS proposal_title_trgm ON proposals_proposal USING gin (title_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS proposal_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
