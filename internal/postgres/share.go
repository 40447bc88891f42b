package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// ShareImage returns the stored share image of an entry's page in lang, when it was drawn
// from the same inputs (a hash of what it shows); ENOTFOUND when there is none or it shows
// something else. Images are drawn once for every instance and kept over restarts; the
// triggers of migrations/130_scale.sql drop them with their entry.
func (db *DB) ShareImage(ctx context.Context, t *twinning.Type, id int64, lang string, inputs []byte) ([]byte, error) {
	var stored, png []byte
	err := db.Pool.QueryRow(ctx, `SELECT inputs, png FROM share_images WHERE type = $1 AND id = $2 AND lang = $3`,
		t.Name, id, lang).Scan(&stored, &png)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !bytes.Equal(stored, inputs)) {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "no share image of %s %d in %s", t.Name, id, lang)
	}
	if err != nil {
		return nil, fmt.Errorf("share image of %s %d in %s: %w", t.Name, id, lang, err)
	}
	return png, nil
}

// SaveShareImage stores the share image of an entry's page in lang, drawn from inputs.
func (db *DB) SaveShareImage(ctx context.Context, siteID int64, t *twinning.Type, id int64, lang string, inputs, png []byte) error {
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO share_images (type, id, lang, site_id, inputs, png) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (type, id, lang) DO UPDATE SET site_id = $4, inputs = $5, png = $6, created_at = now()`,
		t.Name, id, lang, siteID, inputs, png)
	if err != nil {
		return fmt.Errorf("save share image of %s %d in %s: %w", t.Name, id, lang, err)
	}
	return nil
}
