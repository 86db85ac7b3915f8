"""The full-text index beside cases_searchdocument: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

FTS = "cases_searchdocument_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        title, body, content='cases_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON cases_searchdocument BEGIN
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON cases_searchdocument BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF title, body ON cases_searchdocument BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_FORWARD = [
    "CREATE INDEX searchdoc_fts ON cases_searchdocument USING GIN (to_tsvector('english', title || ' ' || body))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS searchdoc_fts"]


def forward(apps, schema_editor):
    statements = SQLITE_FORWARD if schema_editor.connection.vendor == "sqlite" else PG_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = SQLITE_BACKWARD if schema_editor.connection.vendor == "sqlite" else PG_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
