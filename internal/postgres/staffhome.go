package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Drafts lists a site's entries with saved changes that are not published (entries never
// published too), not in the trash, with the author and time of their last save, newest
// first.
func (db *DB) Drafts(ctx context.Context, siteID int64) ([]twinning.Draft, error) {
	rows, _ := db.Pool.Query(ctx, `
		SELECT e.type, e.id, coalesce(r.author_id, 0) AS author_id, coalesce(r.author_email, '') AS author_email,
		       coalesce(r.created_at, now()) AS saved_at
		FROM entries e
		LEFT JOIN LATERAL (
			SELECT author_id, author_email, created_at FROM revisions
			WHERE entity = e.type AND entity_id = e.id ORDER BY id DESC LIMIT 1) r ON true
		WHERE e.site_id = $1 AND e.draft IS NOT NULL AND e.deleted_at IS NULL
		ORDER BY saved_at DESC, e.type, e.id`, siteID)
	drafts, err := pgx.CollectRows(rows, pgx.RowToStructByName[twinning.Draft])
	if err != nil {
		return nil, fmt.Errorf("drafts of site %d: %w", siteID, err)
	}
	return drafts, nil
}

// NewFeedback counts a site's accessibility feedback that the person has not seen: every
// message after the newest they saw on the site's list.
func (db *DB) NewFeedback(ctx context.Context, siteID, userID int64) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `
		SELECT count(*) FROM feedback f
		WHERE f.site_id = $1 AND f.id > coalesce((SELECT seen_id FROM feedback_seen WHERE user_id = $2 AND site_id = $1), 0)`,
		siteID, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("new feedback of site %d: %w", siteID, err)
	}
	return n, nil
}

// SeeFeedback records that the person has seen the site's feedback up to the message seen
// (its id; never backwards).
func (db *DB) SeeFeedback(ctx context.Context, siteID, userID, seen int64) error {
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO feedback_seen (user_id, site_id, seen_id) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, site_id) DO UPDATE SET seen_id = greatest(feedback_seen.seen_id, EXCLUDED.seen_id)`,
		userID, siteID, seen)
	if err != nil {
		return fmt.Errorf("feedback seen on site %d: %w", siteID, err)
	}
	return nil
}
