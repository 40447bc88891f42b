-- A partner that is a district or county is placed at its administrative seat: the point is
-- approximate, and the map and the open data say so.
ALTER TABLE cities ADD COLUMN place_seat boolean NOT NULL DEFAULT false;

-- Coordinates changed by hand are no longer the seat GeoNames gave: forget the mark unless the
-- same statement sets it.
CREATE FUNCTION forget_place_seat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.latitude, NEW.longitude) IS DISTINCT FROM (OLD.latitude, OLD.longitude)
       AND NEW.place_seat IS NOT DISTINCT FROM OLD.place_seat THEN
        NEW.place_seat := false;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cities_forget_place_seat BEFORE UPDATE OF latitude, longitude ON cities
    FOR EACH ROW EXECUTE FUNCTION forget_place_seat();
