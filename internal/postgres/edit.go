package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"twintowns/internal/twinning"
)

// WorkingCities returns the working copies (drafts where there are) of a site's cities.
func (db *DB) WorkingCities(ctx context.Context, siteID int64, f twinning.CityFilter) ([]twinning.City, error) {
	all, err := loadCities(ctx, db.Pool, true, `c.site_id = $1 AND (c.deleted_at IS NOT NULL) = $2`, siteID, f.Trash)
	if err != nil {
		return nil, err
	}
	var out []twinning.City
	for _, c := range all {
		if (f.Kind == "" || c.Kind == f.Kind) && (f.Status == "" || c.Status == f.Status) {
			out = append(out, c)
		}
	}
	return out, nil
}

// WorkingCity returns the working copy of one city of the site, in the trash or not.
func (db *DB) WorkingCity(ctx context.Context, siteID, id int64) (twinning.City, error) {
	cities, err := loadCities(ctx, db.Pool, true, `c.site_id = $1 AND c.id = $2`, siteID, id)
	if err != nil {
		return twinning.City{}, err
	}
	if len(cities) == 0 {
		return twinning.City{}, twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", id, siteID)
	}
	return cities[0], nil
}

// CreateCity adds a city to the site, published or as a draft, and returns its id.
func (db *DB) CreateCity(ctx context.Context, siteID int64, c twinning.City, publish bool, by twinning.Actor) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var pos int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(position), -1) + 1 FROM cities WHERE site_id = $1`, siteID).Scan(&pos); err != nil {
			return err
		}
		var published any
		if publish {
			published = time.Now()
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO cities (site_id, slug, kind, country, population, population_year,
				population_approx, population_scale, population_area, agreement_precision,
				agreement_date, agreement_year, agreement_over_years, status, status_since,
				status_until, latitude, longitude, wikidata_id, position, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
			RETURNING id`, append(append([]any{siteID}, factsOf(c)...), pos, published)...).Scan(&id)
		if err != nil {
			return slugTaken(err)
		}
		if err := writeCityContent(ctx, tx, id, c); err != nil {
			return err
		}
		c.ID, c.Version = id, 1
		action := "create"
		if publish {
			action = "create_publish"
		}
		return record(ctx, tx, siteID, c, action, by)
	})
	db.contentChanged(siteID)
	return id, err
}

// SaveCity saves staff's edit of a city: as its draft, or published. c.Version must be the
// version the edit started from; when someone saved in between, it returns an ECONFLICT error
// and changes nothing. It returns the new version.
func (db *DB) SaveCity(ctx context.Context, siteID int64, c twinning.City, publish bool, action string, by twinning.Actor) (int, error) {
	var version int
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var current int
		var deleted *time.Time
		err := tx.QueryRow(ctx, `SELECT version, deleted_at FROM cities WHERE id = $1 AND site_id = $2 FOR UPDATE`,
			c.ID, siteID).Scan(&current, &deleted)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", c.ID, siteID)
		}
		if err != nil {
			return err
		}
		if deleted != nil {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d is in the trash", c.ID)
		}
		if current != c.Version {
			return twinning.Errorf(twinning.ECONFLICT, "city %d is at version %d, the edit started from %d", c.ID, current, c.Version)
		}
		if err := baseline(ctx, tx, siteID, c.ID, current); err != nil {
			return err
		}
		version = current + 1
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE site_id = $1 AND slug = $2 AND id <> $3)`,
			siteID, c.Slug, c.ID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return (twinning.FieldErrors{"slug": "validation.slug_taken"}).Err()
		}
		if publish {
			_, err = tx.Exec(ctx, `
				UPDATE cities SET slug = $2, kind = $3, country = $4, population = $5, population_year = $6,
					population_approx = $7, population_scale = $8, population_area = $9,
					agreement_precision = $10, agreement_date = $11, agreement_year = $12,
					agreement_over_years = $13, status = $14, status_since = $15, status_until = $16,
					latitude = $17, longitude = $18, wikidata_id = $19, version = $20, draft = NULL,
					published_at = coalesce(published_at, now()), updated_at = now()
				WHERE id = $1`, append(append([]any{c.ID}, factsOf(c)...), version)...)
			if err != nil {
				return slugTaken(err)
			}
			if err := writeCityContent(ctx, tx, c.ID, c); err != nil {
				return err
			}
		} else {
			draft, err := json.Marshal(snapshot(c))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE cities SET draft = $2, version = $3, updated_at = now() WHERE id = $1`,
				c.ID, draft, version); err != nil {
				return err
			}
		}
		c.Version = version
		return record(ctx, tx, siteID, c, action, by)
	})
	db.contentChanged(siteID)
	return version, err
}

// DeleteCity moves a city to the trash; RestoreCity takes it out again.
func (db *DB) DeleteCity(ctx context.Context, siteID, id int64, by twinning.Actor) error {
	return db.trash(ctx, siteID, id, true, by)
}

// RestoreCity takes a city out of the trash.
func (db *DB) RestoreCity(ctx context.Context, siteID, id int64, by twinning.Actor) error {
	return db.trash(ctx, siteID, id, false, by)
}

func (db *DB) trash(ctx context.Context, siteID, id int64, del bool, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var slug string
		err := tx.QueryRow(ctx, `
			UPDATE cities SET deleted_at = CASE WHEN $3 THEN now() END, version = version + 1
			WHERE id = $1 AND site_id = $2 AND (deleted_at IS NULL) = $3
			RETURNING slug`, id, siteID, del).Scan(&slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d of site %d not found", id, siteID)
		}
		if err != nil {
			return err
		}
		action := "delete"
		if !del {
			action = "restore"
		}
		return audit(ctx, tx, by, siteID, action, "city", id, slug)
	})
	db.contentChanged(siteID)
	return err
}

// Revisions lists a city's saved states, newest first.
func (db *DB) Revisions(ctx context.Context, siteID, cityID int64) ([]twinning.Revision, error) {
	return db.revisions(ctx, siteID, "city", cityID)
}

// SiteRevisions lists the saved states of a site's texts, newest first.
func (db *DB) SiteRevisions(ctx context.Context, siteID int64) ([]twinning.Revision, error) {
	return db.revisions(ctx, siteID, "site", siteID)
}

func (db *DB) revisions(ctx context.Context, siteID int64, entity string, id int64) ([]twinning.Revision, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, entity_id, version, action, author_email, created_at, snapshot
		FROM revisions WHERE site_id = $1 AND entity = $2 AND entity_id = $3
		ORDER BY id DESC`, siteID, entity, id)
	if err != nil {
		return nil, fmt.Errorf("list revisions of %s %d: %w", entity, id, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (twinning.Revision, error) {
		var rev twinning.Revision
		var snap []byte
		if err := r.Scan(&rev.ID, &rev.EntityID, &rev.Version, &rev.Action, &rev.AuthorEmail, &rev.CreatedAt, &snap); err != nil {
			return rev, err
		}
		if entity == "site" {
			return rev, json.Unmarshal(snap, &rev.Site)
		}
		return rev, json.Unmarshal(snap, &rev.City)
	})
}

// snapshot is what a revision or a draft keeps of a city: facts, texts and links.
func snapshot(c twinning.City) twinning.City {
	c.Attachments = nil
	c.PublishedAt, c.DeletedAt = nil, nil
	return c
}

// baseline records the stored state of a city that has no revision yet (loaded by seed or
// from before revisions existed), so that the first edit can be undone too.
func baseline(ctx context.Context, tx pgx.Tx, siteID, cityID int64, version int) error {
	var has bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM revisions WHERE entity = 'city' AND entity_id = $1)`,
		cityID).Scan(&has); err != nil || has {
		return err
	}
	cities, err := loadCities(ctx, tx, true, `c.site_id = $1 AND c.id = $2`, siteID, cityID)
	if err != nil || len(cities) == 0 {
		return err
	}
	return insertRevision(ctx, tx, siteID, "city", cityID, version, "import", snapshot(cities[0]), twinning.Actor{})
}

// record keeps a saved city as a revision and audits the save.
func record(ctx context.Context, tx pgx.Tx, siteID int64, c twinning.City, action string, by twinning.Actor) error {
	if err := insertRevision(ctx, tx, siteID, "city", c.ID, c.Version, action, snapshot(c), by); err != nil {
		return err
	}
	return audit(ctx, tx, by, siteID, action, "city", c.ID, c.Slug)
}

// insertRevision stores one saved state of an entry, as JSON.
func insertRevision(ctx context.Context, tx pgx.Tx, siteID int64, entity string, entityID int64, version int, action string, state any, by twinning.Actor) error {
	snap, err := json.Marshal(state)
	if err != nil {
		return err
	}
	var author any
	if by.UserID != 0 {
		author = by.UserID
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO revisions (site_id, entity, entity_id, version, action, snapshot, author_id, author_email)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, siteID, entity, entityID, version, action, snap, author, by.Email); err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

func slugTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return (twinning.FieldErrors{"slug": "validation.slug_taken"}).Err()
	}
	return err
}
