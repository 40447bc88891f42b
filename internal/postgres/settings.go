package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// SaveSiteSettings stores the languages a site publishes, its default language and the
// languages it requires before publishing, as an administrator set them.
func (db *DB) SaveSiteSettings(ctx context.Context, site twinning.Site, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE sites SET languages = $2, default_lang = $3, required_langs = $4, data_licence = $5,
				latitude = $6, longitude = $7, feedback_retention_months = $8 WHERE id = $1`,
			site.ID, site.Languages, site.DefaultLang, site.RequiredLangs, site.DataLicence().ID,
			site.Place.Latitude, site.Place.Longitude, site.FeedbackRetentionMonths)
		if err != nil {
			return fmt.Errorf("save settings of site %s: %w", site.Slug, err)
		}
		if tag.RowsAffected() == 0 {
			return twinning.Errorf(twinning.ENOTFOUND, "site %d not found", site.ID)
		}
		return audit(ctx, tx, by, site.ID, "settings", "site", site.ID,
			fmt.Sprintf("languages=%v default=%s required=%v licence=%s feedback_retention_months=%d", site.Languages, site.DefaultLang,
				site.RequiredLangs, site.DataLicence().ID, site.FeedbackRetentionMonths))
	})
	if err == nil {
		db.contentChanged(site.ID)
	}
	return err
}
