package postgres

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// AddAttachment stores an uploaded document of a city, with its titles.
func (db *DB) AddAttachment(ctx context.Context, siteID, cityID int64, a twinning.Attachment, content []byte, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL)`,
			cityID, siteID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
		}
		base := nonSlug.ReplaceAllString(a.Slug, "-")
		if base == "" || base == "-" {
			base = "document"
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM city_attachments WHERE city_id = $1`, cityID).Scan(&n); err != nil {
			return err
		}
		slug := fmt.Sprintf("%s-%d", base, n+1)
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO city_attachments (city_id, slug, kind, format, media_type, size, content, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			cityID, slug, a.Kind, a.Format, a.MediaType, len(content), content, n).Scan(&id)
		if err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
		if err := writeAttachmentTitles(ctx, tx, id, a); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO entries (type, id, site_id) VALUES ($1, $2, $3)`,
			twinning.DocumentType.Name, id, siteID); err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
		return audit(ctx, tx, by, siteID, "upload", "city", cityID, slug)
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return err
}

// Documents returns the documents of a city, those in the trash too.
func (db *DB) Documents(ctx context.Context, siteID, cityID int64) ([]twinning.Attachment, error) {
	cities, err := loadCities(ctx, db.Pool, `c.site_id = $1 AND c.id = $2`, siteID, cityID)
	if err != nil {
		return nil, err
	}
	if len(cities) == 0 {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
	}
	return cities[0].Attachments, nil
}
