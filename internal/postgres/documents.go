package postgres

import (
	"context"
	"errors"
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
		if err := writeAttachmentTitles(ctx, tx, id, a.Titles); err != nil {
			return err
		}
		return audit(ctx, tx, by, siteID, "upload", "city", cityID, slug)
	})
	db.contentChanged(siteID)
	return err
}

// DeleteAttachment moves a document of a city to the trash; RestoreAttachment takes it out.
func (db *DB) DeleteAttachment(ctx context.Context, siteID, cityID, attachmentID int64, by twinning.Actor) error {
	return db.trashAttachment(ctx, siteID, cityID, attachmentID, true, by)
}

// RestoreAttachment takes a document of a city out of the trash.
func (db *DB) RestoreAttachment(ctx context.Context, siteID, cityID, attachmentID int64, by twinning.Actor) error {
	return db.trashAttachment(ctx, siteID, cityID, attachmentID, false, by)
}

func (db *DB) trashAttachment(ctx context.Context, siteID, cityID, attachmentID int64, del bool, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var slug string
		err := tx.QueryRow(ctx, `
			UPDATE city_attachments a SET deleted_at = CASE WHEN $4 THEN now() END
			FROM cities c
			WHERE a.id = $1 AND a.city_id = $2 AND c.id = a.city_id AND c.site_id = $3
			  AND (a.deleted_at IS NULL) = $4
			RETURNING a.slug`, attachmentID, cityID, siteID, del).Scan(&slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "attachment %d not found", attachmentID)
		}
		if err != nil {
			return err
		}
		action := "delete_document"
		if !del {
			action = "restore_document"
		}
		return audit(ctx, tx, by, siteID, action, "city", cityID, slug)
	})
	db.contentChanged(siteID)
	return err
}
