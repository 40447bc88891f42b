-- The translation memory compares texts by trigram similarity (pg_trgm, in PostgreSQL's
-- contrib, which Debian's postgresql-15 ships; trusted, so the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
