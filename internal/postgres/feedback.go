package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// AddFeedback stores a feedback message unless its address sent `limit` or more since `since`;
// it reports whether it stored it. The count and the insert hold a lock per address, so
// parallel requests cannot pass the limit together.
func (db *DB) AddFeedback(ctx context.Context, f twinning.Feedback, since time.Time, limit int) (bool, error) {
	stored := false
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('feedback:' || $1))`, f.Address); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM feedback WHERE address = $1 AND created_at > $2`,
			f.Address, since).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return nil
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO feedback (site_id, lang, message, page, email, address) VALUES ($1, $2, $3, $4, $5, $6)`,
			f.SiteID, f.Lang, f.Message, f.Page, f.Email, f.Address)
		stored = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store feedback: %w", err)
	}
	return stored, nil
}

// ForgetFeedbackAddresses blanks the e-mail and network addresses of the feedback older
// than its site's retention period at now, and returns how many messages it changed. It is
// idempotent: instances running it at once change each message once, and nothing twice.
func (db *DB) ForgetFeedbackAddresses(ctx context.Context, now time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `
		UPDATE feedback f SET email = '', address = ''
		FROM sites s
		WHERE s.id = f.site_id AND (f.email <> '' OR f.address <> '')
			AND f.created_at < $1::timestamptz - make_interval(months => s.feedback_retention_months)`, now)
	if err != nil {
		return 0, fmt.Errorf("forget feedback addresses: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Feedback lists a site's feedback, newest first.
func (db *DB) Feedback(ctx context.Context, siteID int64, limit int) ([]twinning.Feedback, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, site_id, lang, message, page, email, address, created_at
		FROM feedback WHERE site_id = $1 ORDER BY id DESC LIMIT $2`, siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.Feedback])
}
