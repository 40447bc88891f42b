-- The engine, second round. Drafts never touch the published tables: an entry created as a
-- draft lives in `entries` (its id drawn there) until it is first published, and whether it
-- is in the trash is the engine's to say. Types declared after the first round store their
-- published state in two generic tables, so that a new type writes no SQL.

ALTER TABLE entries ADD COLUMN deleted_at timestamptz;
UPDATE entries e SET deleted_at = c.deleted_at FROM cities c WHERE e.type = 'city' AND e.id = c.id;
UPDATE entries e SET deleted_at = a.deleted_at FROM city_attachments a WHERE e.type = 'document' AND e.id = a.id;

-- Ids of the entries of declared types.
CREATE SEQUENCE entry_ids;

-- Cities created as drafts had a row in the published tables, hidden by published_at IS
-- NULL. Their content becomes their draft (snapshot format 3, see postgres/snapshot.go);
-- the row goes, unless documents hang on it, in which case it stays hidden as not public.
UPDATE entries e SET draft = jsonb_build_object('format', 3, 'type', 'city',
    'facts', jsonb_strip_nulls(jsonb_build_object(
        'slug', c.slug, 'kind', c.kind, 'country', c.country, 'status', c.status,
        'population', c.population, 'population_year', c.population_year,
        'population_approx', CASE WHEN c.population_approx THEN true END,
        'population_millions', CASE WHEN c.population_scale = 'millions' THEN true END,
        'population_area', CASE WHEN c.population_area THEN true END,
        'agreement_precision', c.agreement_precision,
        'agreement_date', CASE WHEN c.agreement_precision = 'day' THEN to_char(c.agreement_date, 'YYYY-MM-DD') END,
        'agreement_year', CASE WHEN c.agreement_precision = 'year' THEN c.agreement_year END,
        'since_year', CASE WHEN c.agreement_precision = 'since' THEN c.agreement_year END,
        'agreement_over_years', CASE WHEN c.agreement_precision = 'over_years' THEN c.agreement_over_years END,
        'status_since', to_char(c.status_since, 'YYYY-MM-DD'), 'status_until', to_char(c.status_until, 'YYYY-MM-DD'),
        'coordinates', CASE WHEN c.latitude IS NOT NULL AND c.longitude IS NOT NULL
                            THEN jsonb_build_array(c.latitude, c.longitude) END,
        'wikidata_id', nullif(c.wikidata_id, ''))),
    'lists', jsonb_build_object('links', coalesce((
        SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('link_kind', l.kind, 'link_lang', nullif(l.lang, ''),
                   'link_url', l.url, 'link_label', nullif(l.label, ''))) ORDER BY l.position, l.id)
        FROM city_links l WHERE l.city_id = c.id), '[]'::jsonb)),
    'texts', coalesce((
        SELECT jsonb_object_agg(t.lang, jsonb_build_object('fields', jsonb_build_object('name', t.name,
                   'full_name', t.full_name, 'summary', t.summary, 'description', t.description, 'aims', t.aims,
                   'association', t.association), 'translated_from', t.translated_from, 'reviewed', t.reviewed))
        FROM city_texts t WHERE t.city_id = c.id), '{}'::jsonb))
FROM cities c
WHERE e.type = 'city' AND e.id = c.id AND c.published_at IS NULL AND e.draft IS NULL;
UPDATE cities c SET deleted_at = coalesce(c.deleted_at, now())
WHERE c.published_at IS NULL AND EXISTS (SELECT 1 FROM city_attachments a WHERE a.city_id = c.id);
DELETE FROM cities c WHERE c.published_at IS NULL AND c.deleted_at IS NULL;
DELETE FROM cities c WHERE c.published_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM city_attachments a WHERE a.city_id = c.id);

-- The published state of declared types: facts as typed JSON (the format of snapshot facts)
-- and texts per language. A row exists once the entry was published.
CREATE TABLE published_entries (
    type         text NOT NULL,
    id           bigint NOT NULL,
    site_id      bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    facts        jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    PRIMARY KEY (type, id),
    FOREIGN KEY (type, id) REFERENCES entries (type, id) ON DELETE CASCADE
);
CREATE INDEX published_entries_site ON published_entries (site_id, type);

CREATE TABLE published_texts (
    type            text NOT NULL,
    id              bigint NOT NULL,
    site_id         bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    lang            text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
    fields          jsonb NOT NULL,
    translated_from text NOT NULL DEFAULT '',
    reviewed        jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (type, id, lang),
    FOREIGN KEY (type, id) REFERENCES published_entries (type, id) ON DELETE CASCADE
);

CREATE TRIGGER published_entries_changed AFTER INSERT OR UPDATE OR DELETE ON published_entries
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('site');
CREATE TRIGGER published_texts_changed AFTER INSERT OR UPDATE OR DELETE ON published_texts
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('site');
CREATE TRIGGER published_entries_truncated AFTER TRUNCATE ON published_entries
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER published_texts_truncated AFTER TRUNCATE ON published_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
