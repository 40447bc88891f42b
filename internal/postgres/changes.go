package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Changes returns the newest public changes of a site, newest first, for its news feed:
// each public city's and each public entry of a type with public pages' first publication,
// later publications of it and its return from the trash (from the audit log), and
// publications of the site's texts. Drafts, restored revisions (saved as drafts) and entries
// in the trash are left out.
func (db *DB) Changes(ctx context.Context, siteID int64, limit int) ([]twinning.Change, error) {
	var public []string
	for _, t := range twinning.Types.Public() {
		public = append(public, t.Name)
	}
	// A revision restore and a return from the trash are both audited as "restore"; only
	// the former writes a revision, in the same transaction (so at the same now()).
	rows, _ := db.Pool.Query(ctx, `
		SELECT kind, id, at, city_id, city_slug, entry_type, entry_id FROM (
			SELECT 'city_new' AS kind, c.id, c.published_at AS at, c.id AS city_id, c.slug AS city_slug,
			       'city' AS entry_type, c.id AS entry_id
			FROM cities c
			WHERE c.site_id = $1 AND c.deleted_at IS NULL
			UNION ALL
			SELECT 'city_updated', a.id, a.at, c.id, c.slug, 'city', c.id
			FROM audit_log a JOIN cities c ON c.id = a.entity_id AND c.site_id = a.site_id
			WHERE a.site_id = $1 AND a.entity = 'city' AND a.action IN ('publish', 'restore')
			  AND c.deleted_at IS NULL AND a.at > c.published_at
			  AND NOT (a.action = 'restore' AND EXISTS (
			          SELECT 1 FROM revisions r
			          WHERE r.entity = 'city' AND r.entity_id = a.entity_id
			            AND r.action = 'restore' AND r.created_at = a.at))
			UNION ALL
			SELECT p.type || '_new', p.id, p.published_at, 0, '', p.type, p.id
			FROM published_entries p
			WHERE p.site_id = $1 AND p.type = ANY ($3) AND p.deleted_at IS NULL
			UNION ALL
			SELECT p.type || '_updated', a.id, a.at, 0, '', p.type, p.id
			FROM audit_log a JOIN published_entries p ON p.type = a.entity AND p.id = a.entity_id AND p.site_id = a.site_id
			WHERE a.site_id = $1 AND p.type = ANY ($3) AND a.action IN ('publish', 'restore')
			  AND p.deleted_at IS NULL AND a.at > p.published_at
			  AND NOT (a.action = 'restore' AND EXISTS (
			          SELECT 1 FROM revisions r
			          WHERE r.entity = a.entity AND r.entity_id = a.entity_id
			            AND r.action = 'restore' AND r.created_at = a.at))
			UNION ALL
			SELECT 'site_texts', a.id, a.at, 0, '', 'site', a.site_id
			FROM audit_log a
			WHERE a.site_id = $1 AND a.entity = 'site' AND a.action = 'publish'
		) ch
		ORDER BY at DESC, kind, id DESC
		LIMIT $2`, siteID, limit, public)
	changes, err := pgx.CollectRows(rows, pgx.RowToStructByName[twinning.Change])
	if err != nil {
		return nil, fmt.Errorf("changes of site %d: %w", siteID, err)
	}
	return changes, nil
}
