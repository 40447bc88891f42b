-- Snapshot format 3 keeps the GeoNames place coordinates were taken from, as a third number
-- ([latitude, longitude, id]; postgres/snapshot.go), so that drafts and revisions keep it and
-- publishing stores it. Drafts and revisions of cities written before kept the coordinates
-- only: where they are those of the published city, they came from its place.
CREATE FUNCTION snapshot_with_place(snapshot jsonb, latitude double precision, longitude double precision,
    geonames_id bigint) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN geonames_id IS NOT NULL AND snapshot ->> 'format' = '3'
             AND jsonb_typeof(snapshot #> '{facts,coordinates}') = 'array'
             AND jsonb_array_length(snapshot #> '{facts,coordinates}') = 2
             AND jsonb_typeof(snapshot #> '{facts,coordinates,0}') = 'number'
             AND jsonb_typeof(snapshot #> '{facts,coordinates,1}') = 'number'
        THEN CASE
            WHEN (snapshot #>> '{facts,coordinates,0}')::double precision = latitude
                 AND (snapshot #>> '{facts,coordinates,1}')::double precision = longitude
            THEN jsonb_set(snapshot, '{facts,coordinates}', (snapshot #> '{facts,coordinates}') || to_jsonb(geonames_id))
            ELSE snapshot END
        ELSE snapshot END
$$;

UPDATE entries e SET draft = snapshot_with_place(e.draft, c.latitude, c.longitude, c.geonames_id)
FROM cities c
WHERE e.type = 'city' AND c.id = e.id AND e.draft IS NOT NULL AND c.geonames_id IS NOT NULL;

UPDATE revisions r SET snapshot = snapshot_with_place(r.snapshot, c.latitude, c.longitude, c.geonames_id)
FROM cities c
WHERE r.entity = 'city' AND c.id = r.entity_id AND c.geonames_id IS NOT NULL;

DROP FUNCTION snapshot_with_place;
