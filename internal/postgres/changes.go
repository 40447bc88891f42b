package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Changes returns the newest public changes of a site, newest first, for its news feed:
// each public city's first publication, later publications of it and its return from the
// trash (from the audit log), and publications of the site's texts. Drafts, restored
// revisions (saved as drafts) and cities now unpublished or in the trash are left out.
func (db *DB) Changes(ctx context.Context, siteID int64, limit int) ([]twinning.Change, error) {
	// A revision restore and a return from the trash are both audited as "restore"; only
	// the former writes a revision, in the same transaction (so at the same now()).
	rows, _ := db.Pool.Query(ctx, `
		SELECT kind, id, at, city_id, city_slug FROM (
			SELECT 'city_new' AS kind, c.id, c.published_at AS at, c.id AS city_id, c.slug AS city_slug
			FROM cities c
			WHERE c.site_id = $1 AND c.published_at IS NOT NULL AND c.deleted_at IS NULL
			UNION ALL
			SELECT 'city_updated', a.id, a.at, c.id, c.slug
			FROM audit_log a JOIN cities c ON c.id = a.entity_id AND c.site_id = a.site_id
			WHERE a.site_id = $1 AND a.entity = 'city' AND a.action IN ('publish', 'restore')
			  AND c.published_at IS NOT NULL AND c.deleted_at IS NULL AND a.at > c.published_at
			  AND NOT (a.action = 'restore' AND EXISTS (
			          SELECT 1 FROM revisions r
			          WHERE r.entity = 'city' AND r.entity_id = a.entity_id
			            AND r.action = 'restore' AND r.created_at = a.at))
			UNION ALL
			SELECT 'site_texts', a.id, a.at, 0, ''
			FROM audit_log a
			WHERE a.site_id = $1 AND a.entity = 'site' AND a.action = 'publish'
		) ch
		ORDER BY at DESC, kind, id DESC
		LIMIT $2`, siteID, limit)
	changes, err := pgx.CollectRows(rows, pgx.RowToStructByName[twinning.Change])
	if err != nil {
		return nil, fmt.Errorf("changes of site %d: %w", siteID, err)
	}
	return changes, nil
}
