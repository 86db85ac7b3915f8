"""The portal suggestions' own full-text index: the title and summary of public published articles
only, kept in step with ``knowledge_articledocument`` (triggers on SQLite, a partial GIN index on
PostgreSQL). A customer's description is matched against a few words per article instead of the
whole body, and an internal article is not in the index at all."""

from importlib import import_module

from django.db import migrations, models

search_index = import_module("rapport.knowledge.migrations.0002_search_index")

FTS = "knowledge_suggestion_fts"
DOC = "knowledge_articledocument"

BACKFILL = f"""UPDATE {DOC} SET summary = COALESCE((
    SELECT v.summary FROM knowledge_article a JOIN knowledge_articleversion v ON v.id = a.live_id
    WHERE a.id = {DOC}.article_id), '')"""

# Contentless (the index only: titles are read from the document row by rowid), holding public
# rows only, so "delete" is only ever issued, with the old values, for a row that was indexed.
# The prefix indexes serve the word being typed ("parc" -> parcel) without scanning every term.
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        title, summary, content='', tokenize='porter unicode61 remove_diacritics 2', prefix='3 4')""",
    f"INSERT INTO {FTS}(rowid, title, summary) SELECT article_id, title, summary FROM {DOC} WHERE public",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOC} WHEN new.public BEGIN
        INSERT INTO {FTS}(rowid, title, summary) VALUES (new.article_id, new.title, new.summary); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOC} WHEN old.public BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, summary) VALUES ('delete', old.article_id, old.title, old.summary);
        END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF title, summary, public ON {DOC} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, summary)
            SELECT 'delete', old.article_id, old.title, old.summary WHERE old.public;
        INSERT INTO {FTS}(rowid, title, summary) SELECT new.article_id, new.title, new.summary WHERE new.public;
        END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_FORWARD = [
    f"""CREATE INDEX kb_doc_suggestion_fts ON {DOC} USING GIN (
        (setweight(to_tsvector('english', title), 'A') || to_tsvector('english', summary))) WHERE public""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS kb_doc_suggestion_fts"]


def search_triggers(apps, schema_editor):
    """Adding a column makes SQLite rebuild the table, which drops its triggers: those keeping
    the search index (migration 0002) in step are made again after it, either way."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in search_index.SQLITE_FORWARD[1:]:
            schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))


def forward(apps, schema_editor):
    schema_editor.execute(BACKFILL)
    search_triggers(apps, schema_editor)
    statements = SQLITE_FORWARD if schema_editor.connection.vendor == "sqlite" else PG_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = SQLITE_BACKWARD if schema_editor.connection.vendor == "sqlite" else PG_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]
    operations = [
        migrations.RunPython(migrations.RunPython.noop, search_triggers),
        migrations.AddField(
            model_name="articledocument", name="summary", field=models.TextField(blank=True, default="")
        ),
        migrations.RunPython(forward, backward),
    ]
