-- Text is cleaned on the way in (package clean): no control characters but tab and line
-- breaks, nor U+FFFE/U+FFFF. What was stored before is cleaned here once, so that pages, the
-- map's SVG and exports never meet them.
CREATE OR REPLACE FUNCTION pg_temp.clean(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT regexp_replace(s, '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]', '', 'g') $$;
CREATE OR REPLACE FUNCTION pg_temp.dirty(s text) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT s ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]' $$;

UPDATE site_texts SET name = pg_temp.clean(name), intro = pg_temp.clean(intro),
    partners_intro = pg_temp.clean(partners_intro), history_title = pg_temp.clean(history_title),
    history = pg_temp.clean(history), events_title = pg_temp.clean(events_title), events = pg_temp.clean(events)
WHERE pg_temp.dirty(name || intro || partners_intro || history_title || history || events_title || events);

UPDATE city_texts SET name = pg_temp.clean(name), full_name = pg_temp.clean(full_name),
    summary = pg_temp.clean(summary), description = pg_temp.clean(description), aims = pg_temp.clean(aims),
    association = pg_temp.clean(association)
WHERE pg_temp.dirty(name || full_name || summary || description || aims || association);

UPDATE city_attachment_titles SET title = pg_temp.clean(title) WHERE pg_temp.dirty(title);
UPDATE city_links SET label = pg_temp.clean(label) WHERE pg_temp.dirty(label);
UPDATE feedback SET message = pg_temp.clean(message), page = pg_temp.clean(page), email = pg_temp.clean(email)
WHERE pg_temp.dirty(message || page || email);

-- Drafts are JSON, where C0 characters are written \u0001 and the others as they are.
UPDATE entries SET draft = regexp_replace(draft::text,
    '(?<!\\)\\u00(0[0-8bcef]|1[0-9a-f])|[\x7f-\x9f\ufffe\uffff]', '', 'gi')::jsonb
WHERE draft::text ~* '(?<!\\)\\u00(0[0-8bcef]|1[0-9a-f])|[\x7f-\x9f\ufffe\uffff]';
