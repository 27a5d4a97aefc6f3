"""SQLite schema migrations, applied in order by :meth:`SQLiteStore.migrate` (``NNNN_name.sql``).

A new migration needs its PostgreSQL side too: the same change in ``../postgres_schema.sql`` for
new databases, a step in :meth:`PostgresStore.migrate` for existing ones, and
``postgres.SCHEMA_VERSION`` raised; until then a PostgreSQL database is refused with a message
and ``tests/test_postgres.py`` fails.
"""
