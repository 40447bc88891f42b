package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/gosimple/slug"
	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// maxSlugBase bounds the part of a document's slug taken from its file name.
const maxSlugBase = 60

// documentSlug makes the base of a document's slug from a file name in any script: transliterated
// to ASCII ("Łódź umowa" -> "lodz-umowa"), always valid for the slug CHECK of
// city_attachments, "document" when nothing of the name is left.
func documentSlug(name string) string {
	base := strings.Trim(nonSlug.ReplaceAllString(slug.Make(name), "-"), "-")
	if len(base) > maxSlugBase {
		base = base[:maxSlugBase]
		if i := strings.LastIndexByte(base, '-'); i > 0 {
			base = base[:i]
		}
		base = strings.Trim(base, "-")
	}
	if base == "" {
		return "document"
	}
	return base
}

// AddAttachment stores an uploaded document of a city, with its titles. a.Slug is the name
// wanted (the file's name); the stored slug is that name transliterated and numbered. Numbers
// are taken by the unique index, not counted, so parallel uploads of one name all succeed.
func (db *DB) AddAttachment(ctx context.Context, siteID, cityID int64, a twinning.Attachment, content []byte, by twinning.Actor) error {
	base := documentSlug(a.Slug)
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL)`,
			cityID, siteID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM city_attachments WHERE city_id = $1`, cityID).Scan(&n); err != nil {
			return err
		}
		var id int64
		var stored string
		for try := 0; ; try++ {
			if try == 1000 {
				return fmt.Errorf("store attachment: no free slug for %q", base)
			}
			stored = fmt.Sprintf("%s-%d", base, n+1+try)
			err := tx.QueryRow(ctx, `
				INSERT INTO city_attachments (city_id, slug, kind, format, media_type, size, content, position)
				SELECT $1, $2, $3, $4, $5, $6, $7, coalesce(max(position) + 1, 0) FROM city_attachments WHERE city_id = $1
				ON CONFLICT (city_id, slug) DO NOTHING
				RETURNING id`,
				cityID, stored, a.Kind, a.Format, a.MediaType, len(content), content).Scan(&id)
			if err == nil {
				break
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("store attachment: %w", err)
			}
		}
		if err := writeAttachmentTitles(ctx, tx, id, a); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO entries (type, id, site_id) VALUES ($1, $2, $3)`,
			twinning.DocumentType.Name, id, siteID); err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
		return audit(ctx, tx, by, siteID, "upload", "city", cityID, stored)
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return err
}

// Documents returns the documents of a city, those in the trash too.
func (db *DB) Documents(ctx context.Context, siteID, cityID int64) ([]twinning.Attachment, error) {
	cities, err := loadCities(ctx, db.Pool, false, `c.site_id = $1 AND c.id = $2`, siteID, cityID)
	if err != nil {
		return nil, err
	}
	if len(cities) == 0 {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
	}
	return cities[0].Attachments, nil
}
