"""The full-text index beside knowledge_articledocument: FTS5 on SQLite, GIN on PostgreSQL (the
same engines and tokenizer as case search, migration cases 0002)."""

from django.db import migrations

FTS = "knowledge_articledocument_fts"
DOC = "knowledge_articledocument"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        title, body, content='{DOC}', content_rowid='article_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOC} BEGIN
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.article_id, new.title, new.body); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOC} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.article_id, old.title, old.body); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF title, body ON {DOC} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.article_id, old.title, old.body);
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.article_id, new.title, new.body); END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_FORWARD = [
    f"""CREATE INDEX kb_doc_fts ON {DOC} USING GIN (
        (setweight(to_tsvector('english', title), 'A') || to_tsvector('english', body)))""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS kb_doc_fts"]


def forward(apps, schema_editor):
    statements = SQLITE_FORWARD if schema_editor.connection.vendor == "sqlite" else PG_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = SQLITE_BACKWARD if schema_editor.connection.vendor == "sqlite" else PG_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_versions_search_and_deflections")]
    operations = [migrations.RunPython(forward, backward)]
