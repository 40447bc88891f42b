-- Where a municipality lies, and which GeoNames place the coordinates of a site or a city
-- were taken from (the demo's coordinates come from GeoNames, CC BY 4.0).
ALTER TABLE sites
    ADD COLUMN latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
    ADD COLUMN geonames_id bigint CHECK (geonames_id > 0),
    ADD CONSTRAINT sites_coordinates_pair CHECK ((latitude IS NULL) = (longitude IS NULL));
ALTER TABLE cities ADD COLUMN geonames_id bigint CHECK (geonames_id > 0);

-- Coordinates corrected by hand are no longer GeoNames': forget the id unless the same
-- statement sets a new one.
CREATE FUNCTION forget_geonames_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.latitude, NEW.longitude) IS DISTINCT FROM (OLD.latitude, OLD.longitude)
       AND NEW.geonames_id IS NOT DISTINCT FROM OLD.geonames_id THEN
        NEW.geonames_id := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cities_forget_geonames_id BEFORE UPDATE OF latitude, longitude ON cities
    FOR EACH ROW EXECUTE FUNCTION forget_geonames_id();
CREATE TRIGGER sites_forget_geonames_id BEFORE UPDATE OF latitude, longitude ON sites
    FOR EACH ROW EXECUTE FUNCTION forget_geonames_id();
