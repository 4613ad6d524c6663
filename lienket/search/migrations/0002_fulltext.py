"""The database-specific full-text structures of the search index.

PostgreSQL: the `unaccent` and `pg_trgm` extensions; `lienket_fold(text)`, an IMMUTABLE wrapper around unaccent
(lower case, no diacritics, đ → d, only a–z 0–9 words) that indexes may use (unaccent itself is only STABLE);
a stored tsvector column `fts` (title weight A, text weight B) with a GIN index (fastupdate off: a pending list
that every query scans until VACUUM merges it cost 50 ms at 100 000 items); a GIN trigram index on the
folded title for typo-tolerant name matching.

SQLite: FTS5 table `search_fts` over the pre-folded columns (external content = the entry table) and FTS5
trigram table `search_trgm` over the folded title's padded words, both kept in step by triggers. (FTS5's own
remove_diacritics does not fold đ, hence the folded copy.) A later migration that rebuilds the entry table on
SQLite must recreate the triggers.
"""

from __future__ import annotations

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION lienket_fold(text) RETURNS text
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
       AS $$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)),
                                         '[^a-z0-9]+', ' ', 'g')) $$""",
    """ALTER TABLE search_searchentry ADD COLUMN fts tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple'::regconfig, lienket_fold(title)), 'A')
         || setweight(to_tsvector('simple'::regconfig, lienket_fold(body)), 'B')) STORED""",
    "CREATE INDEX search_entry_fts ON search_searchentry USING gin (fts) WITH (fastupdate = off)",
    "CREATE INDEX search_entry_title_trgm ON search_searchentry USING gin (lienket_fold(title) gin_trgm_ops) WITH (fastupdate = off)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_fts",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS fts",
    "DROP FUNCTION IF EXISTS lienket_fold(text)",
]

_GRAMS = "'  ' || replace({row}.title_folded, ' ', '   ') || ' '"
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, body_folded, content='search_searchentry',
       content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE search_trgm USING fts5(title_grams, tokenize='trigram')",
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_folded, body_folded) VALUES (new.id, new.title_folded, new.body_folded);
        INSERT INTO search_trgm(rowid, title_grams) VALUES (new.id, {_GRAMS.format(row="new")});
      END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded)
          VALUES ('delete', old.id, old.title_folded, old.body_folded);
        DELETE FROM search_trgm WHERE rowid = old.id;
      END""",
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded)
          VALUES ('delete', old.id, old.title_folded, old.body_folded);
        INSERT INTO search_fts(rowid, title_folded, body_folded) VALUES (new.id, new.title_folded, new.body_folded);
        DELETE FROM search_trgm WHERE rowid = old.id;
        INSERT INTO search_trgm(rowid, title_grams) VALUES (new.id, {_GRAMS.format(row="new")});
      END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_trgm",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
